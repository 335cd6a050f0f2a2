"""Checking: the JSON Schema with Russian messages, cross-rules, review freshness."""
