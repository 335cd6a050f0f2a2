"""The site's URL scheme, in one place.

Every page pretends to live in ``docs/`` (its ``src_uri``, e.g. ``regulations/x.md``) and is
served with directory URLs (``regulations/x/``); links between pages are relative.
"""

from __future__ import annotations

import ipaddress
import posixpath
from urllib.parse import urlsplit

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


def changes_path(slug: str) -> str:
    """Where a regulation's change list is (kb.changes): ``regulations/<slug>/changes.json``."""
    return regulation_url(slug) + "changes.json"


def site_root(start: str) -> str:
    """Link from the page at ``start`` to the site root, ending in "/": ``../../``, ``./``."""
    return relative_url("", start).rstrip("/") + "/"


def relative_url(target: str, start: str) -> str:
    """Link from the page at ``start`` to ``target`` (both directory-style site paths)."""
    base = posixpath.dirname(start.rstrip("/")) if not start.endswith("/") else start
    rel = posixpath.relpath(target or ".", base or ".")
    return "./" if rel == "." else rel + ("/" if target.endswith("/") and rel != ".." else "")


def published_url(site_url: str | None) -> str | None:
    """The site's public address, or ``None`` when ``site_url`` is not one: unset, or this
    machine's (``mkdocs.yml`` falls back to ``http://127.0.0.1:8000/`` for Material's instant
    navigation, and `mkdocs serve` sets its own address)."""
    if not site_url:
        return None
    host = urlsplit(site_url).hostname or ""
    if host == "localhost":
        return None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return site_url  # a name
    return None if address.is_loopback or address.is_unspecified else site_url


def unpublished_note(site_url: str | None) -> str | None:
    """One line for the build log when the site has no public address; ``None`` when it has.

    INFO, not a warning: ``--strict`` fails on every warning under «mkdocs», and a build for
    this machine (``make build`` without ``KB_SITE_URL``, the tests) rightly has no public
    address. Printed pages do not need it (the page's address in the browser is printed).
    """
    if published_url(site_url):
        return None
    return (
        f"Адрес сайта не задан (site_url: {site_url or 'нет'}): ссылка «Сообщить об ошибке» и "
        "карта сайта называют этот адрес, печать — адрес страницы в браузере. При публикации: "
        "KB_SITE_URL=https://… make build"
    )
