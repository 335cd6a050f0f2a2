"""The knowledge-base core: regulation YAML in, pages out. No MkDocs imports here.

The pipeline is ``loader`` (safe YAML with line numbers) → ``validate`` (JSON Schema and
cross-references) → ``site`` (pages rendered through the Jinja2 templates in ``overrides/kb``).
"""
