"""MkDocs adapter over the ``kb`` core: regulations in ``docs/regulations/*.yml`` become pages.

Only ``on_*`` events live here; loading, checking and rendering are plain Python in ``kb``
(no MkDocs imports there), so that another site generator can reuse them; the speed paths
over Material's own work are in ``material_speed.py`` beside this file, MkDocs' page loop over
the cores in ``page_loop.py``.

``on_startup`` runs once per process (MkDocs loads hooks once per process too: module state
lasts across the rebuilds of `mkdocs serve`). Order of events in one build: ``on_config``
(load, check, render everything, read the search sections) → ``on_files`` (swap the YAML for
generated pages) → ``on_nav`` → ``on_env`` (the shared navigation, the page loop) → per page
``on_page_content`` → the search plugin's ``on_page_context`` → ours (index our page) →
``on_post_build`` (rewrite the search index) → ``on_shutdown`` (no last collection). MkDocs runs a hook
after the plugins for the same event unless ``event_priority`` says otherwise (higher runs
earlier, default 0); every event below that depends on that order states its priority, so
that the order never rests on that default.
"""

from __future__ import annotations

import gc
import html
import logging
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import page_loop
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from material_speed import (
    ORIGINAL_NAV,
    SharedNav,
    add_to_index,
    front_matter,
    joined,
    sections,
)
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc

from kb.check.freshness import today_from
from kb.compiled import compiled_cache
from kb.load.history import read_history
from kb.load.regulation import load_regulations
from kb.parallel import cores
from kb.problems import RegulationError, build_stopped, strict_stopped
from kb.search import (
    DEFAULT_SEPARATOR,
    Glossary,
    SectionsRead,
    load_glossary,
    prepare_config,
    rewrite_index,
)
from kb.site.knowledge_base import Heading, KnowledgeBase, Page, Settings
from kb.site.pages import HOME
from kb.site.render import COMPONENTS_FOLDER
from kb.site.stopped import TITLE as STOPPED
from kb.site.stopped import stopped_pages
from kb.site.stray import in_regulations, is_regulation, stray_note
from kb.site.urls import REGULATIONS, unpublished_note
from kb.vocabulary import CHANGES

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page as MkDocsPage

log = get_plugin_logger("kb")

SCHEMA = Path("schema/regulation.schema.json")
"""The regulation schema, relative to ``mkdocs.yml``."""

_pages: dict[str, Page] = {}
_sections: dict[str, list] = {}  # page → its search sections (material_speed.sections)
_data: dict[str, str] = {}  # site path → a file beside the pages (KnowledgeBase.data_files)


def _project(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


_serving = False
"""Whether this process is `mkdocs serve` (see on_startup)."""

# Why a build stopped, printed by `mkdocs serve` on every failed rebuild (see _stop). Not under
# «mkdocs.*»: --strict counts every warning and error logged there and aborts the build, and an
# aborted build is what leaves the dev server holding page requests; MkDocs also drops a
# message it has logged before (its DuplicateFilter), so a second failure printed nothing but
# «Aborted with a BuildError!». MkDocs' handler sits on «mkdocs»: this logger has its own.
_terminal = logging.getLogger("kb.serve")


BUILD_COLLECTIONS = (50_000, 20, 20)
"""Python's garbage collection thresholds in a process that builds once (default: 700, 10,
10): a build makes millions of objects, next to none of them in a cycle, and at the default
pace the collector walked the whole growing heap hundreds of times (0.17 s of CPU at 100
regulations; 0.04 s with these and :func:`_settled`)."""


def on_startup(*, command: str, dirty: bool) -> None:
    """Note whether this process serves the site; a process that builds once collects its
    garbage less often (:data:`BUILD_COLLECTIONS`).

    Runs once per process, before the first build. MkDocs loads hooks once per process too,
    so the flag holds for every rebuild of `mkdocs serve`.
    """
    global _serving
    _serving = command == "serve"
    if not _serving:
        gc.set_threshold(*BUILD_COLLECTIONS)
    if _serving and not _terminal.handlers:
        handler = logging.StreamHandler()  # stderr, like MkDocs' own log
        handler.setFormatter(logging.Formatter("%(levelname)-8s-  kb: %(message)s"))
        _terminal.addHandler(handler)
        _terminal.propagate = False


def _settled() -> None:
    """What this build has made so far lives until its process ends: the collector leaves it
    alone from now on (a process that builds once; `mkdocs serve` collects as usual)."""
    if not _serving:
        gc.freeze()


@event_priority(-100)
def on_shutdown() -> None:
    """The process ends after this: leave its objects to the end of the process.

    Python's last garbage collection at exit walks every object still alive — the pages, the
    search index, the navigation: 0.2 s at 300 regulations (bench/README.md). Frozen, they are
    skipped, and the memory goes back with the process as always.

    Priority: -100 (run last), after every other ``on_shutdown``.
    """
    gc.freeze()


@event_priority(-100)
def on_config(config: MkDocsConfig) -> None:
    """Load, validate and render every regulation.

    Priority: -100 (run last): the search plugin's ``on_config`` fills in the language's
    default ``separator``, which ``_load_search`` reads; ``config.nav``, set here, is read
    only once every ``on_config`` has run.

    Runs before MkDocs cleans ``site_dir``: a broken file stops the build while the last
    good site is still in place, so nothing half-built is ever published. `mkdocs serve`
    shows why instead (_stop).
    """
    try:
        _load(config)
    except PluginError as exc:
        if not _serving:
            raise
        _stop(config, str(exc))


def _workers() -> int:
    """Forked processes share the work (kb.parallel), but not in `mkdocs serve`: its web
    server runs threads, and fork copies a process of one thread only."""
    return 1 if _serving else cores()


def _load(config: MkDocsConfig) -> None:
    workers = _workers()
    try:
        regulations = load_regulations(
            Path(config.docs_dir) / REGULATIONS, _project(config) / SCHEMA, workers
        )
    except RegulationError as exc:
        raise PluginError(build_stopped(exc, "в регламентах")) from None
    try:
        today = today_from()
        settings = Settings.of(config.extra.get("kb"), config.site_url)
    except ValueError as exc:
        raise PluginError(str(exc)) from None
    folder = Path(config.docs_dir) / REGULATIONS
    history = read_history(folder, {r.slug: r.data for r in regulations}, today)
    if history is None:
        log.info(CHANGES["no_git"])
    kb = KnowledgeBase(
        regulations,
        components=_project(config) / COMPONENTS_FOLDER,
        today=today,
        tag_anchor=_tag_anchor(config),
        settings=settings,
        drafts=_serving,  # `make serve` shows drafts, `make build` never publishes them
        history=history,
        workers=workers,
    )
    # Each page with its search sections (on_page_context indexes them), read by the process
    # that made the page, for the index too; the search copy itself is not needed after that.
    _search["read"] = _sections_read(config)
    made = kb.pages(then=_searched)
    _pages.clear()
    _pages.update((page.src_uri, page) for page, _, _ in made)
    _sections.clear()
    _sections.update((page.src_uri, found) for page, found, _ in made if found is not None)
    if _search["read"] is not None:
        for _, _, read in made:
            _search["read"].merge(read)
    _data.clear()
    _data.update(kb.data_files())
    if config.nav is None:  # a hand-written nav in mkdocs.yml wins
        config.nav = _html_nav(kb.nav())
    for note in kb.notes():
        log.info(note)
    if not _serving and (note := unpublished_note(config.site_url)):
        log.info(note)  # not a warning: see unpublished_note
    warnings = kb.warnings()
    if _serving and config.strict and warnings:
        # --strict would abort on them (below): in serve mode, show them as a stopped build.
        raise PluginError(strict_stopped(warnings, "в регламентах"))
    for warning in warnings:
        log.warning(warning)  # counted by --strict: the build fails
    _load_search(config, kb)
    _settled()


def _searched(page: Page) -> tuple[Page, list | None, dict]:
    """The page without its search copy, the search sections read from that copy, and what
    the index makes of each section (kb.search.SectionsRead, as Material will write it)."""
    read: SectionsRead | None = _search["read"]
    if page.search_html is None:
        return page, None, {}
    found = sections(page.search_html)
    if read is None:
        return replace(page, search_html=None), joined(found), {}
    for section in found:
        if section.title and not section.is_excluded():  # else Material titles it itself
            read.read("".join(section.title).strip(), "".join(section.text).strip())
    return replace(page, search_html=None), joined(found), read.taken()


def _sections_read(config: MkDocsConfig) -> SectionsRead | None:
    """Reading ahead for the index, with the separator and fields Material's index will have
    (its plugin's ``on_config`` has run: see on_config's priority)."""
    search = config.plugins.get("material/search")
    if search is None or not search.config.enabled:
        return None
    index = {"separator": search.config.separator, "fields": dict(search.config.fields)}
    prepare_config(index, None)
    return SectionsRead(index)


def _stop(config: MkDocsConfig, message: str) -> None:
    """`mkdocs serve` with a stopped build: the message in the terminal, and in the browser at
    the address of every page (kb.site.stopped). The build itself goes on and succeeds, so the
    dev server answers at once and its live reload brings the pages back once fixed."""
    _terminal.error(message)
    pages = stopped_pages(message, Path(config.docs_dir) / REGULATIONS, also=list(_pages))
    _pages.clear()
    _pages.update((page.src_uri, page) for page in pages)
    _sections.clear()
    _data.clear()
    _search.update(glossary=None, keywords={}, read=None)
    if config.nav is None:
        # One entry, and no INFO listing the other addresses as left out of it (the config is
        # read anew for every rebuild: the next good build validates its nav as usual).
        config.nav = [{STOPPED: HOME.src_uri}]
        config.validation.nav.omitted_files = logging.DEBUG


# --- Search (kb.search; the worker is overrides/kb/search/worker.js) ---------------------

GLOSSARY = "glossary.yml"
READ_AHEAD = "индекс поиска: разделов, прочитанных заранее, {}"
"""Logged (DEBUG, ``mkdocs build -v``): sections the index took as read with their page."""
_search: dict = {"glossary": None, "keywords": {}, "read": None}


def _load_search(config: MkDocsConfig, kb: KnowledgeBase) -> None:
    """Check the search glossary with the regulations, before anything is written."""
    search = config.plugins.get("material/search")
    separator = (search.config.separator if search else None) or DEFAULT_SEPARATOR
    path = Path(config.docs_dir) / GLOSSARY
    try:
        glossary = load_glossary(path, separator) if path.is_file() else None
    except RegulationError as exc:
        raise PluginError(build_stopped(exc, "в глоссарии поиска")) from None
    _search["glossary"] = glossary
    _search["keywords"] = kb.search_keywords()


@event_priority(-100)
def on_post_build(config: MkDocsConfig) -> None:
    """Add glossary and keywords to Material's search index and write it compactly.

    Priority: -100 (run last): the search plugin writes ``search_index.json`` in its own
    ``on_post_build`` (priority 0); this rewrites that file, so it must come after.
    """
    page_loop.uninstall()  # the pages are built: MkDocs' own loop for the next build
    index = Path(config.site_dir) / "search" / "search_index.json"
    if not index.is_file():
        return
    glossary: Glossary | None = _search["glossary"]
    taken = rewrite_index(index, _search["keywords"], glossary, _workers(), _search["read"])
    log.debug(READ_AHEAD.format(taken))


def _tag_anchor(config: MkDocsConfig):
    """How Material's tags plugin names a tag's anchor on the tags page, if it is enabled."""
    tags = config.plugins.get("material/tags") or config.plugins.get("tags")
    if tags is None or not tags.config.enabled:
        return None
    options = tags.config
    # The tags plugin slugifies the name it is given: the escaped one (see _html).
    return lambda tag: options.tags_slugify_format.format(
        slug=options.tags_slugify(_html(tag), options.tags_slugify_separator)
    )


@event_priority(50)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Replace the raw YAML (never published) with the generated pages; drop every other file
    of the regulations' folder.

    Priority: 50 (run early). Neither search nor tags has an ``on_files`` today, but any plugin
    that lists or edits files there must see our pages, not the YAML they replace.
    """
    for file in list(files):
        regulation = is_regulation(file.src_uri)
        example = Path(file.src_uri).match("kb/components/*/examples.yml")  # the tests' data
        if regulation or example or file.src_uri == GLOSSARY:  # glossary: in the search index
            files.remove(file)
    # Nothing else leaves the regulations' folder (kb.site.stray), named once (INFO, so that
    # --strict passes). A file in the place of a generated page is refused below instead.
    stray = [f for f in files if in_regulations(f.src_uri) and f.src_uri not in _pages]
    for file in stray:
        files.remove(file)
    if listed := [file.src_uri for file in stray if file.inclusion.is_included()]:
        log.info(stray_note(listed))
    if taken := [src for src in _pages if files.get_file_from_path(src)]:
        message = f"Файл docs/{taken[0]} создаётся автоматически из регламентов — удалите его."
        if not _serving:
            raise PluginError(message)
        _stop(config, message)
        for src in _pages:  # the stopped page takes their place too
            if file := files.get_file_from_path(src):
                files.remove(file)
    for page in _pages.values():
        meta = {"title": page.title, "tags": page.tags, **page.meta}
        if page.src_uri in _sections:  # indexed by on_page_context, not by Material
            meta["search"] = {**meta.get("search", {}), "exclude": True}
        meta = _html(meta)
        content = f"---\n{front_matter(meta)}---\n{page.markdown or ''}"
        file = File.generated(config, page.src_uri, content=content)
        # Material's «Редактировать» (repo_url + edit_uri, when set) opens the YAML it came from.
        file.edit_uri = page.edit_src
        files.append(file)
    for path, content in _data.items():
        files.append(File.generated(config, path, content=content))
    return files


@event_priority(50)
def on_page_content(html_content: str, page: MkDocsPage, **kwargs) -> str | None:
    """Give generated pages their rendered HTML and table of contents.

    Priority: 50 (run early): this replaces the content wholesale, so any other plugin's
    ``on_page_content`` must run after it to act on our HTML rather than be overwritten.
    """
    generated = _pages.get(page.file.src_uri)
    if generated is None or generated.markdown is not None:
        return None  # not ours, or Markdown that MkDocs has already rendered (the tags index)
    page.toc = get_toc(_html([_token(h) for h in generated.headings]))
    return generated.html


@event_priority(-100)
def on_page_context(context, page: MkDocsPage, config: MkDocsConfig, **kwargs):
    """Add a generated page to Material's search index: the sections of its search copy
    (kb.site.html), read in on_config (material_speed.sections). Material skips the page (its
    front matter says so, see on_files) so as not to read the whole page.

    Priority: -100 (run last): after the search plugin's own ``on_page_context``, so that the
    index keeps the order of the pages.
    """
    found = _sections.get(page.file.src_uri)
    search = config.plugins.get("material/search")
    if found is not None and search is not None and search.config.enabled:
        add_to_index(search.search_index, page, found)
    return context


def _token(heading: Heading) -> dict:
    return {
        "level": heading.level,
        "id": heading.id,
        "name": heading.title,
        "children": [_token(child) for child in heading.children],
    }


# --- Text handed to MkDocs and Material is HTML ---------------------------------------------


def _html(value):
    """``value`` with every string in it HTML-escaped (dict keys and values, list items).

    MkDocs and Material take a page's title, its tags and other front matter, the navigation's
    labels and the TOC as HTML and print them as they stand — in ``<title>``, the navigation
    of every page (404 included), tag chips, the tags index, the search index (which
    Material's search shows as HTML): a Markdown page's title and TOC come escaped from the
    toc extension. Our pages' texts are plain, from the YAML (``kb.site`` renders its own HTML
    through autoescaping Jinja): everything handed over passes through here, once.
    """
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, list):
        return [_html(item) for item in value]
    if isinstance(value, dict):
        return {_html(key): _html(item) for key, item in value.items()}
    return value


def _html_nav(nav: list[dict]) -> list[dict]:
    """The navigation with its labels escaped (see _html); the pages' paths stay paths."""
    return [
        {
            _html(label): target if isinstance(target, str) else _html_nav(target)
            for label, target in item.items()
        }
        for item in nav
    ]


# --- The theme: its navigation made once a build (material_speed.SharedNav) ----------------

_nav: list[Navigation] = []


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> None:
    """Keep the navigation for on_env."""
    _nav[:] = [nav]


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """Serve Material's own templates under ``material/`` too (overrides/partials/nav.html
    wraps Material's), give the theme the navigation shared by the pages, new every build, and
    keep its compiled templates between builds (kb.compiled)."""
    ours = Path(config.theme.custom_dir).resolve() if config.theme.custom_dir else None
    material = next(
        folder
        for folder in config.theme.dirs
        if Path(folder).resolve() != ours
        and (Path(folder) / ORIGINAL_NAV.partition("/")[2]).is_file()
    )
    prefix = ORIGINAL_NAV.partition("/")[0]
    env.loader = ChoiceLoader([env.loader, PrefixLoader({prefix: FileSystemLoader(material)})])
    env.globals["kb_nav"] = SharedNav(_nav[0], config.theme.get("features") or []).as_global()
    env.bytecode_cache = compiled_cache()
    _loop_pages(config)
    _settled()
    return env


# --- The pages built over the cores (page_loop) ---------------------------------------------


def _loop_pages(config: MkDocsConfig) -> None:
    """This build's pages are built over the cores; the search entries of each come back."""
    search = config.plugins.get("material/search")
    if search is not None:
        entries = search.search_index.entries
        page_loop.carry("search", partial(_taken, entries), entries.extend)
    page_loop.install(_workers())


def _taken(entries: list) -> list:
    taken = entries[:]
    entries.clear()
    return taken


def on_build_error(error: Exception) -> None:
    """MkDocs' own loop again, for the next build of this process (on_post_build too)."""
    page_loop.uninstall()
