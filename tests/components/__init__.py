"""Tests of the tools (overrides/kb/components/<tool>/), one folder per component."""
