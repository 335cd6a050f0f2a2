"""Speed paths over Material's own work, for the adapter (kb_hooks.py); each has its exact path,
Material doing the work itself, when ``KB_EXACT`` is set in the environment, and a test that
both give the same bytes (tests/test_kb_speed.py).

- The sidebars of the pages outside the navigation (the work pages) are rendered once a build
  (:class:`SharedSidebars`).
- The search index reads our pages with :func:`sections`: Material's parser's rules on tag
  names, fed by a tokenizer for the markup our templates write (instead of ``html.parser``'s
  scan and Material's element objects, which took a fifth of the build).
"""

from __future__ import annotations

import os
import posixpath
import re
from html import escape, unescape
from html.parser import attrfind_tolerant, tagfind_tolerant
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from markupsafe import Markup
from material.plugins.search.plugin import Element, Parser, Section, void
from mkdocs.utils import get_relative_url

if TYPE_CHECKING:
    from mkdocs.structure.pages import Page

EXACT = "KB_EXACT"
"""Set in the environment (to anything): Material does all its work itself (the exact path)."""


def exact() -> bool:
    return EXACT in os.environ


# --- Sidebars ------------------------------------------------------------------------------

_URL = re.compile(r' (href|src)="([^"]*)"')


class SharedSidebars:
    """Material renders its sidebars (the navigation and the table of contents) into every
    page, the navigation with a link to every regulation: rendered for each work page too, it
    took a quarter of the build. A page outside the navigation, with no table of contents (a
    work page), gets the sidebars of every other such page with the same ``hide``, but for the
    relative links: rendered for the first, then its relative links made again for each page
    the way MkDocs' ``url`` filter makes them (mkdocs.utils.get_relative_url)."""

    def __init__(self, in_nav: frozenset[str]):
        self.in_nav, self.exact = in_nav, exact()
        self.rendered: dict[tuple, tuple[str, str]] = {}  # hide → (HTML, the page's URL)

    def __call__(self, page: Page | None, caller) -> Markup:
        if self.exact or not page or page.file.src_uri in self.in_nav or len(page.toc):
            return caller()
        key = tuple(page.meta.get("hide") or ())
        if key not in self.rendered:
            html = caller()
            self.rendered[key] = (str(html), page.url)
            return html
        html, url = self.rendered[key]
        return Markup(_URL.sub(lambda m: _relinked(m, url, page.url), html))


def _relinked(match: re.Match, old: str, new: str) -> str:
    """One ``href``/``src`` written on the page at ``old`` as MkDocs writes it at ``new``."""
    link = match[2]
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(("/", "#")) or not link:
        return match[0]
    base = old if "." not in old.rpartition("/")[2] else old.rpartition("/")[0]
    target = posixpath.normpath(posixpath.join(base, link)) + ("/" if link.endswith("/") else "")
    return f' {match[1]}="{get_relative_url(target, new)}"'


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


def add_to_index(index, page: Page, html: str) -> None:
    """Index ``html`` as the text of ``page``: what Material's ``add_entry_from_context`` does
    (the page's sections, each an entry), reading it with :func:`sections`."""
    for section in sections(html):
        if not section.is_excluded():
            index.create_entry_for_section(section, page.toc, page.url, page)
