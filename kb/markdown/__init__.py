"""The Markdown template of the knowledge base: ``read`` (import), ``write`` (export), ``blocks`` (shared)."""
