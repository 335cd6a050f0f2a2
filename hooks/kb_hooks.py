"""MkDocs adapter over ``kbcore``: regulations in ``docs/regulations/*.yml`` become pages.

Only ``on_*`` events live here; loading, validation and rendering are plain Python in
``kbcore`` so that another site generator can reuse them.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from kbcore.errors import RegulationError
from kbcore.regulation import load_regulations
from kbcore.site import Heading, KnowledgeBase, Page
from kbcore.text import plural
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page as MkDocsPage

log = get_plugin_logger("kb")

_pages: dict[str, Page] = {}


def on_config(config: MkDocsConfig) -> None:
    """Load, validate and render every regulation.

    Runs before MkDocs cleans ``site_dir``: a broken file stops the build while the last
    good site is still in place, so nothing half-built is ever published.
    """
    try:
        regulations = load_regulations(Path(config.docs_dir) / "regulations")
    except RegulationError as exc:
        count = len(exc.problems)
        errors = plural(count, "ошибка", "ошибки", "ошибок")
        raise PluginError(f"Сборка остановлена: {count} {errors} в регламентах.\n{exc}") from None
    _pages.clear()
    _pages.update((page.src_uri, page) for page in KnowledgeBase(regulations).pages())
    if config.nav is None:  # a hand-written nav in mkdocs.yml wins
        config.nav = [
            {"Главная": "index.md"},
            {"Регламенты": [uri for uri in _pages if uri.startswith("regulations/")]},
        ]
    log.info("Регламентов в базе знаний: %d", len(regulations))


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Replace the raw YAML (never published) with the generated pages."""
    for file in list(files):
        if file.src_uri.startswith("regulations/") and file.src_uri.endswith(".yml"):
            files.remove(file)
    for page in _pages.values():
        if files.get_file_from_path(page.src_uri):
            raise PluginError(
                f"Файл docs/{page.src_uri} создаётся автоматически из регламентов — удалите его."
            )
        front_matter = yaml.safe_dump({"title": page.title, "tags": page.tags}, allow_unicode=True)
        files.append(File.generated(config, page.src_uri, content=f"---\n{front_matter}---\n"))
    return files


def on_page_content(html_content: str, page: MkDocsPage, **kwargs) -> str | None:
    """Give generated pages their rendered HTML and table of contents."""
    generated = _pages.get(page.file.src_uri)
    if generated is None:
        return None
    page.toc = get_toc([_token(h) for h in generated.headings])
    return generated.html


def _token(heading: Heading) -> dict:
    # MkDocs themes print TOC titles unescaped, as Markdown's toc extension escapes them.
    return {
        "level": heading.level,
        "id": heading.id,
        "name": html.escape(heading.title),
        "children": [_token(child) for child in heading.children],
    }
