"""The Jinja2 environment of the pages the core renders itself, and its one ``render``."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from kb.compiled import compiled_cache
from kb.text import inline, plain, plural, ru_date

# The pages' templates are rendered here, by the core, before the site generator sees a page:
# they are not theme overrides, so they live with the core. Tools (components) live in the
# theme folder, where their scripts and styles are served from; the core renders their markup.
TEMPLATES = Path(__file__).resolve().parent / "templates"
COMPONENTS_FOLDER = Path("overrides/kb")
"""Where the components live, relative to the project (``mkdocs.yml``)."""
COMPONENTS = Path(__file__).resolve().parents[2] / COMPONENTS_FOLDER


class Renderer:
    """Templates of ``kb/site/templates`` and the components' macros, compiled once."""

    def __init__(self, components: Path = COMPONENTS):
        self.env = Environment(
            loader=FileSystemLoader([TEMPLATES, components]),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
            bytecode_cache=compiled_cache(),
        )
        self.env.filters.update(inline=inline, plain=plain, ru_date=ru_date, plural=plural)
        # Data for the in-page tools is embedded as JSON: keep Cyrillic readable and short.
        self.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}

    def render(self, name: str, **context) -> str:
        return self.env.get_template(name).render(**context)
