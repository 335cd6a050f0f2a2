"""Which regulation a related-material link names: one rule for the site, the importer and the CLI.

A related material is ``{title, link?, regulation?, planned?}``. It names an existing regulation
by its slug (``regulation``: then by nothing else), else by its title or by the file name its
``link`` points to — written as the KB's Markdown files are linked: ``./Диагностика проблем.md``,
``Диагностика%20проблем.html``, ``../diagnostics/``, ``./Диагностика проблем.md#faq``. A link with
a scheme (``https://…``, ``mailto:…``) or a host (``//…``) points outside: its file name never
names a regulation, and an outside link is never a planned one unless the item says
``planned: true``. Whether the names lead nowhere or to several regulations is checked in
``kb.check.references``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from urllib.parse import unquote

from kb.text import plain

_OUTSIDE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
# Extensions a link to a regulation may carry: its Markdown source, its page, its YAML.
_SUFFIXES = (".md", ".html", ".htm", ".yml", ".yaml")
# A directory-style page address ends in its folder: ``diagnostics/index.html`` is ``diagnostics``.
_INDEX = "index"

_plain = lru_cache(maxsize=4096)(plain)

Names = Mapping[str, str]
"""Lookup table of the regulations that exist: :func:`key` of a slug or title → slug."""


@lru_cache(maxsize=4096)
def key(name: str) -> str:
    """How names compare: case and runs of spaces do not count."""
    return " ".join(name.casefold().split())


def names_of(regulations: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The lookup table of ``(slug, title)`` pairs; the first regulation keeps a shared title."""
    names: dict[str, str] = {}
    for slug, title in regulations:
        add_name(names, slug, title)
    return names


def add_name(names: dict[str, str], slug: str, title: str) -> None:
    """Let ``names`` know one more regulation (an earlier one keeps its names)."""
    for name in _own_names(slug, title):
        names.setdefault(key(name), slug)


def every_name(regulations: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """:func:`key` of each name → the slugs of every regulation answering to it (a shared name
    has several: :func:`candidates`)."""
    table: dict[str, set[str]] = {}
    for slug, title in regulations:
        for name in _own_names(slug, title):
            table.setdefault(key(name), set()).add(slug)
    return table


def candidates(table: Mapping[str, set[str]], item: Mapping) -> list[str]:
    """Every regulation a related-material item's title or link's file name names (sorted),
    for an item without ``regulation``: more than one is an ambiguous item."""
    names = _item_names(item["title"], item.get("link"))
    return sorted({slug for name in names if name for slug in table.get(key(name), ())})


def _own_names(slug: str, title: str) -> tuple[str, ...]:
    """The names a regulation answers to."""
    return slug, title, _plain(title)


def _item_names(title: str, link: str | None) -> tuple[str | None, ...]:
    """The names a related-material item without ``regulation`` is looked up by, in order."""
    return title, _plain(title), link_name(link)


def is_outside(link: str | None) -> bool:
    """A web or mail address, not a file of the knowledge base."""
    return bool(link) and _OUTSIDE.match(link) is not None


def outside_href(link: str | None) -> str | None:
    """The address a reader can follow from a page: web pages only (``http``/``https``)."""
    return link if link and link.lower().startswith(("https://", "http://")) else None


@lru_cache(maxsize=4096)  # regulations cite the same few materials over and over
def link_name(link: str | None) -> str | None:
    """The file name a link to a KB file points to, without folders, extension, fragment or
    query, percent-decoded: ``../x/Коммуникация%20с%20клиентом.md#top`` → ``Коммуникация с
    клиентом``. ``None`` for no link, an outside address or a link to nothing but a fragment."""
    if not link or is_outside(link):
        return None
    path = posixpath.normpath(unquote(link.split("#", 1)[0].split("?", 1)[0]) or ".")
    name = posixpath.basename(path)
    for suffix in _SUFFIXES:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    if name.lower() == _INDEX:
        name = posixpath.basename(posixpath.dirname(path)) or name
    return None if name.strip() in ("", ".", "..") else name.strip()


def find(
    names: Names, title: str, link: str | None = None, regulation: str | None = None
) -> str | None:
    """The slug of the existing regulation an item names: its ``regulation`` slug if it has one,
    else the first found of its title and its link's file name; ``None`` if it names none. A
    title names its regulation even when the link is outside: the reader is sent to the KB's
    own page."""
    for name in (regulation,) if regulation else _item_names(title, link):
        if name and (found := names.get(key(name))):
            return found
    return None


def find_item(names: Names, item: Mapping) -> str | None:
    """:func:`find` for a related-material item as written in a regulation."""
    return find(names, item["title"], item.get("link"), item.get("regulation"))


def is_planned(names: Names, item: Mapping) -> bool:
    """A related material no regulation is written for yet: marked ``planned: true``, or
    linking to a KB file."""
    meant = item.get("planned") or link_name(item.get("link")) is not None
    return meant and find_item(names, item) is None


def planned_name(item: Mapping) -> str:
    """What a planned material is called: its link's file name, or its title."""
    return link_name(item.get("link")) or item["title"]
