"""The knowledge-base core: regulation YAML in, pages and Markdown out. No MkDocs imports.

The folders are the pipeline:

- ``load``     — safe YAML with the line of every value; a regulation file → ``Regulation``;
- ``check``    — JSON Schema and the rules a schema cannot say, in Russian, with lines;
- ``site``     — the page table and the Jinja2 templates that render each page;
- ``markdown`` — the Markdown template of the knowledge base: read (import) and write (export);
- ``search``   — Russian word forms and the glossary for the search index.

``python -m kb`` runs the maintainer commands (``kb.cli``).
"""
