"""The site's URL scheme, in one place.

Every page pretends to live in ``docs/`` (its ``src_uri``, e.g. ``regulations/x.md``) and is
served with directory URLs (``regulations/x/``); links between pages are relative.
"""

from __future__ import annotations

import posixpath

REGULATIONS = "regulations"
"""The folder of ``docs/`` that holds the regulations' YAML; their pages live there too."""


def regulation_src(slug: str) -> str:
    """Where a regulation's page pretends to live in ``docs/``."""
    return f"{REGULATIONS}/{slug}.md"


def regulation_yaml(slug: str) -> str:
    """The regulation's YAML, relative to ``docs/``: the file its page is made from."""
    return f"{REGULATIONS}/{slug}.yml"


def page_url(src_uri: str) -> str:
    """``faq.md`` → ``faq/``; ``regulations/x.md`` → ``regulations/x/``; ``index.md`` → ``""``."""
    stem = src_uri.removesuffix(".md")
    return "" if stem == "index" else stem.removesuffix("/index") + "/"


def regulation_url(slug: str) -> str:
    """A regulation page's address relative to the site root: ``regulations/x/``."""
    return page_url(regulation_src(slug))


def site_root(start: str) -> str:
    """Link from the page at ``start`` to the site root, ending in "/": ``../../``, ``./``."""
    return relative_url("", start).rstrip("/") + "/"


def relative_url(target: str, start: str) -> str:
    """Link from the page at ``start`` to ``target`` (both directory-style site paths)."""
    base = posixpath.dirname(start.rstrip("/")) if not start.endswith("/") else start
    rel = posixpath.relpath(target or ".", base or ".")
    return "./" if rel == "." else rel + ("/" if target.endswith("/") and rel != ".." else "")
