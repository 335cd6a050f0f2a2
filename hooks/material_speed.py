"""Speed paths over Material's own work, for the adapter (kb_hooks.py); each has its exact path,
Material doing the work itself, when ``KB_EXACT`` is set in the environment, and a test that
both give the same bytes (tests/test_kb_speed.py).

- The navigation is rendered once a build, each page's made from it (:class:`SharedNav`).
- Our pages' front matter is written by libyaml's emitter (:func:`front_matter`).
- The search index reads our pages with :func:`sections`: Material's parser's rules on tag
  names, fed by a tokenizer for the markup our templates write (instead of ``html.parser``'s
  scan and Material's element objects, which took a fifth of the build).
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
from html import escape, unescape
from html.parser import attrfind_tolerant, tagfind_tolerant
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import yaml
from jinja2 import pass_context
from markupsafe import Markup
from material.plugins.search.plugin import Element, Parser, Section, void
from mkdocs.utils import get_relative_url, normalize_url

if TYPE_CHECKING:
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

EXACT = "KB_EXACT"
"""Set in the environment (to anything): Material does all its work itself (the exact path)."""


def exact() -> bool:
    return EXACT in os.environ


# --- Navigation ----------------------------------------------------------------------------

ORIGINAL_NAV = "material/partials/nav.html"
"""Material's own navigation (kb_hooks.on_env serves Material's templates under ``material/``):
overrides/partials/nav.html takes its place and hands it to :class:`SharedNav`."""

NAV_FEATURES = {"navigation.tabs", "navigation.prune", "navigation.expand", "toc.integrate"}
"""Features that change which parts of the navigation a page shows: with any of them on, the
theme renders every page's navigation itself."""

EXACT_NAV = "навигацию страницы собрала тема: разметка не та, что ожидалась"
"""Logged (DEBUG, ``mkdocs build -v``) for a page whose navigation the theme renders itself."""
log = logging.getLogger("mkdocs.plugins.kb.speed")

_URL = re.compile(r' (href|src)="([^"]*)"')


class SharedNav:
    """Material's navigation (partials/nav.html), with a link to every regulation, rendered into
    every page: it took half the theme's time, and grows with the square of the regulations.

    It is rendered once a build for each set of open sections (a department's pages share one;
    the pages the navigation does not list share the one with none), no page current. A page
    gets that HTML with its relative links made again the way MkDocs' ``url`` filter makes
    them (mkdocs.utils.get_relative_url) and its own item as Material renders the current one
    (the ``render`` macro of partials/nav-item.html: its table of contents inside). Where the
    markup is not as expected, the theme renders the page's navigation itself."""

    def __init__(self, nav: Navigation, features: list[str]):
        self.exact = exact() or bool(NAV_FEATURES & set(features))
        self.pages = nav.pages
        self.in_nav = {page.file.src_uri for page in nav.pages}
        self.rendered: dict[tuple, tuple[str, str]] = {}  # open sections → (HTML, for URL)

    def __call__(self, context, page: Page | None, item, caller) -> Markup:
        if self.exact or page is None:
            return caller()
        listed = page.file.src_uri in self.in_nav
        sections = tuple(page.ancestors) if listed else ()
        key = tuple(map(id, sections))
        if key not in self.rendered:
            self.rendered[key] = (self._render(context, page, sections), page.url)
        html, url = self.rendered[key]
        if url != page.url:
            html = _URL.sub(_relinker(url, page.url), html)
        if listed:
            html = self._current(html, page, item)
        if html is None:
            log.debug(f"{page.file.src_uri}: {EXACT_NAV}")
            return caller()
        return Markup(html)

    def _render(self, context, page: Page, sections: tuple) -> str:
        """The navigation with ``sections`` open and no page current, at ``page``'s URL."""
        template = context.environment.get_template(ORIGINAL_NAV)
        current, page.active = page.active, False  # and its sections (MkDocs' setters)
        try:
            if sections:
                sections[0].active = True  # the innermost, and the ones around it
            return template.render({**context.get_all(), "page": _Outside(page.url)})
        finally:
            if sections:
                sections[0].active = False
            page.active = current

    def _current(self, html: str, page: Page, item) -> str | None:
        """``html`` with ``page``'s item current; ``None`` where the markup is not as expected.
        The macro's output for an item is its <li> in the spaces of the branch it takes: the
        item as it was (the branch of every other page) goes whole."""
        link = f'<a href="{normalize_url(page.url, page)}" class="md-nav__link">'
        other = next((p for p in self.pages if p is not page), None)
        if html.count(link) != 1 or other is None or any(map(_has_index, page.ancestors)):
            return None
        plain = str(item.render(other, "", 0, None))
        before, after = plain[: len(plain) - len(plain.lstrip())], plain[len(plain.rstrip()) :]
        at = html.index(link)
        start, end = html.rfind("<li ", 0, at), html.find("</li>", at) + len("</li>")
        plain_li = html.startswith('<li class="md-nav__item">', start)
        alone = "<li" not in html[start + 3 : end]
        spaced = (
            html[start - len(before) : start] == before and html[end : end + len(after)] == after
        )
        if not (plain_li and alone and spaced):
            return None
        mine = str(item.render(page, "", 0, None))
        return html[: start - len(before)] + mine + html[end + len(after) :]

    def as_global(self):
        """The function the theme calls, with its template context."""
        return pass_context(lambda context, page, item, caller: self(context, page, item, caller))


class _Outside:
    """A page the navigation does not list, at ``url``: what nav.html reads of a page."""

    def __init__(self, url: str):
        self.url, self.active, self.toc, self.meta, self.title = url, False, [], {}, ""


def _has_index(section) -> bool:
    """A section with an index page (navigation.indexes) renders it in its own place."""
    return any(getattr(child, "is_index", False) for child in section.children)


def _relinker(old: str, new: str):
    """What makes one ``href``/``src`` written on the page at ``old`` as MkDocs writes it on
    the page at ``new``.

    MkDocs writes a link the shortest way (get_relative_url): up to the folder the two paths
    share, then down. When the pages' folders differ in one place only (``regulations/a/work/``
    and ``regulations/b/work/``), a link that goes up past that place and not back down into
    ``a`` or ``b`` reads the same from both: only the others are worked out again."""
    o, n = old.split("/"), new.split("/")
    differ = [k for k, (x, y) in enumerate(zip(o, n, strict=False)) if x != y]
    one = old.endswith("/") and new.endswith("/") and len(o) == len(n) and len(differ) == 1
    if one:
        place = differ[0]
        past, own = len(o) - 1 - place, {o[place], n[place]}  # ups to leave the place; a, b

    def relinked(match: re.Match) -> str:
        link = match[2]
        if one:
            ups = 0
            while link.startswith("../", 3 * ups):
                ups += 1
            if ups > past or (ups == past and link[3 * ups :].partition("/")[0] not in own):
                return match[0]
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or link.startswith(("/", "#")) or not link:
            return match[0]
        base = old if "." not in old.rpartition("/")[2] else old.rpartition("/")[0]
        target = posixpath.normpath(posixpath.join(base, link)) + (
            "/" if link.endswith("/") else ""
        )
        return f' {match[1]}="{get_relative_url(target, new)}"'

    return relinked


# --- Front matter --------------------------------------------------------------------------

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def front_matter(meta: dict) -> str:
    """``meta`` as YAML for a generated page's front matter, which MkDocs reads back: written
    by libyaml's emitter when PyYAML has it (5 times as fast as PyYAML's own, 0.1 s at 300
    regulations), by PyYAML's otherwise and with ``KB_EXACT``. Both give the same data back."""
    dumper = yaml.SafeDumper if exact() else _DUMPER
    return yaml.dump(meta, Dumper=dumper, allow_unicode=True)


# --- Search --------------------------------------------------------------------------------

# A start tag (quoted values may hold ">"), an end tag, a comment, or the text up to the next
# "<". Anything else ("<" not starting a tag, "<!DOCTYPE", CDATA…) is not in our pages' markup:
# html.parser reads those (_Unexpected).
_TOKEN = re.compile(
    r"""<(?P<start>[a-zA-Z](?:[^>"']|"[^"]*"|'[^']*')*)>"""
    r"|</(?P<end>[a-zA-Z][^\t\n\r\f />\x00]*)\s*>"
    r"|(?P<comment><!--.*?-->)"
    r"|(?P<text>[^<]+)",
    re.DOTALL,
)
_RAW_TEXT = {"script": re.compile(r"</script\s*>", re.I), "style": re.compile(r"</style\s*>", re.I)}


class _Unexpected(Exception):
    pass


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_KEEP = frozenset(Parser().keep)
_SKIPPED = ("script", "style", "object")
"""Skipped always: the tags Material's parser starts its skip set with."""


def sections(html: str) -> list[Section]:
    """The sections Material's search parser makes of ``html``: its rules (search/plugin.py,
    ``Parser.handle_*``) followed step by step, on tag names. Material compares its elements
    by tag name alone, so a list of names (and the attributes where a rule reads them) holds
    everything its rules look at; its tokens are found by :data:`_TOKEN`, as ``html.parser``
    finds them in well-formed markup. Markup it does not expect goes to Material's parser."""
    if exact():
        return _material_sections(html)
    try:
        return _Sections(html).data
    except _Unexpected:
        return _material_sections(html)


def _material_sections(html: str) -> list[Section]:
    parser = Parser()
    parser.feed(html)
    parser.close()
    return parser.data


class _Sections:
    def __init__(self, html: str):
        self.tags: list[str] = []  # the open elements' names (Material's context)
        self.attrs: list[dict] = []  # and their attributes
        self.skip = set(_SKIPPED)
        self.section: Section | None = None
        self.data: list[Section] = []
        at, end = 0, len(html)
        while at < end:
            token = _TOKEN.match(html, at)
            if token is None:
                raise _Unexpected
            at = token.end()
            if token["text"] is not None:
                self.text(unescape(token["text"]))
            elif token["end"] is not None:
                self.end(token["end"].lower())
            elif token["start"] is not None:
                tag, attrs, closed = _start_tag(token["start"])
                self.start(tag, attrs)
                if closed:
                    self.end(tag)
                elif tag in _RAW_TEXT:
                    close = _RAW_TEXT[tag].search(html, at)
                    if close is None:
                        raise _Unexpected
                    if close.start() > at:
                        self.text(html[at : close.start()])
                    self.end(tag)
                    at = close.end()

    def _top(self) -> Section:
        """The section text goes to; one without a heading if there is none yet."""
        if not self.section:
            self.section = Section(Element("hx"))
            self.data.append(self.section)
        return self.section

    def _into(self) -> list[str]:
        """Where kept markup and text go: the section's title while inside its heading."""
        return self.section.title if self.section.el.tag in self.tags else self.section.text

    def start(self, tag: str, pairs: list[tuple[str, str | None]]) -> None:
        if tag in void:
            return
        attrs = dict(pairs)
        self.tags.append(tag)
        self.attrs.append(attrs)
        if tag in _HEADINGS and "id" in attrs:
            depth = len(self.tags)
            if tag != "h1" and not self.data:
                self.section = Section(Element("hx"), depth)
                self.data.append(self.section)
            self.section = Section(Element(tag, attrs), depth)
            if self.data:
                self.section.id = attrs["id"]
            self.data.append(self.section)
        self._top()
        for key, value in attrs.items():
            if key == "data-search-exclude" or (key == "class" and value == "linenodiv"):
                self.skip.add(tag)
                return
        if tag in _KEEP and self.skip.isdisjoint(self.tags):
            self._into().append(f"<{tag}>")

    def end(self, tag: str) -> None:
        if not self.tags or self.tags[-1] != tag:
            return
        depth = len(self.tags)
        if self.section.depth > depth:
            for section in reversed(self.data):
                if section.depth <= depth:
                    self.section.depth = float("inf")
                    self.section = section
                    break
        self.tags.pop()
        self.attrs.pop()
        if tag in self.skip:
            if tag not in _SKIPPED:
                self.skip.remove(tag)
            return
        if tag in _KEEP and self.skip.isdisjoint(self.tags):
            into = self._into()
            index = into.index(f"<{tag}>")
            if all(part.isspace() for part in into[index + 1 :]):
                del into[index:]  # an element with nothing (or only spaces) in it
            else:
                into.append(f"</{tag}>")

    def text(self, data: str) -> None:
        if not self.skip.isdisjoint(self.tags):
            return
        inside_pre = "pre" in self.tags
        if not inside_pre:
            data = " " if data.isspace() else data.replace("\n", " ")
        section = self._top()
        if section.el.tag in self.tags:
            permalink = any(
                tag == "a" and attrs.get("class") == "headerlink"
                for tag, attrs in zip(self.tags, self.attrs, strict=True)
            )
            if not permalink:
                section.title.append(escape(data, quote=False))
        elif data.isspace():
            if not section.text or not section.text[-1].isspace() or inside_pre:
                section.text.append(data)
        else:
            section.text.append(escape(data, quote=False))


def _start_tag(inside: str) -> tuple[str, list[tuple[str, str | None]], bool]:
    """A start tag's name, attributes and whether it closes itself (``<br/>``), read as
    html.parser reads them (its own patterns)."""
    text = f"<{inside}>"
    match = tagfind_tolerant.match(text, 1)
    if match is None:
        raise _Unexpected
    tag, at, attrs = match[1].lower(), match.end(), []
    stop = len(text) - 1
    while at < stop:
        found = attrfind_tolerant.match(text, at)
        if not found:
            break
        name, rest, value = found.group(1, 2, 3)
        if not rest:
            value = None
        elif value[:1] == "'" == value[-1:] or value[:1] == '"' == value[-1:]:
            value = value[1:-1]
        if value:
            value = unescape(value)
        attrs.append((name.lower(), value))
        at = found.end()
    rest = text[at:].strip()
    if rest not in (">", "/>"):
        raise _Unexpected
    return tag, attrs, rest == "/>"


def joined(found: list[Section]) -> list[Section]:
    """``found`` with each section's title and text in one piece each, as Material joins them
    for its entry (a hundredth of the pieces to send back from a forked copy). ``KB_EXACT``:
    as read."""
    if not exact():
        for section in found:
            if section.title:
                section.title = ["".join(section.title)]
            if section.text:
                section.text = ["".join(section.text)]
    return found


def add_to_index(index, page: Page, found: list[Section]) -> None:
    """Index ``page`` by its sections (:func:`sections`): what Material's
    ``add_entry_from_context`` does with the sections it reads, each an entry."""
    for section in found:
        if not section.is_excluded():
            index.create_entry_for_section(section, page.toc, page.url, page)
