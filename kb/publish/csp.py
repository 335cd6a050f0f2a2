"""The Content-Security-Policy allows only the inline scripts the theme ships.

The policy itself (every directive and why) is static and lives in ``deploy/nginx/kb.conf``;
its ``script-src`` allows our files (``'self'``) and the theme's own inline scripts: the few
small bootstrap scripts of the templates listed in :data:`THEME_SCRIPTS`, whose text depends on
the page's depth and the site's address. Each template's scripts become a pattern of the text
they can render to (:func:`script_shapes`); a page's inline script is allowed when it is one
of them, and the build collects its SHA-256 and writes the hashes as one nginx variable
(:func:`nginx_snippet`), which the server configuration includes beside the site.

Whatever else the output holds — an inline script from anywhere else, an event-handler
attribute (``onclick="…"``), a ``javascript:`` URL — the build refuses (:func:`check_page`):
the policy must never allow a script because it happened to be in the pages.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from html import unescape

SNIPPET = "nginx-csp.conf"
"""The generated file, at the root of the built site (it is harmless there: it repeats what
every response already says in its Content-Security-Policy header)."""

THEME_SCRIPTS = (
    "partials/javascripts/base.html",  # Material's storage helpers (ours: reads guarded)
    "partials/javascripts/palette.html",  # Material: the reader's stored colour palette
    "partials/javascripts/content.html",  # Material: the content tab named in the address
)
"""The theme's templates whose inline scripts the policy allows, by name as the theme finds
them (``overrides/`` first, then Material's). A Material feature that brings another inline
script (e.g. ``announce.dismiss``) stops the build until its template is added here."""

# What a template's ``{{ … }}`` stands for inside these scripts: an address (``base_url``, the
# site's address), which cannot hold a quote, a backslash or "<", so it never leaves its string.
_VALUE = r"[\w.:/%~-]*"
_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.S)
_TEMPLATE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)

# A start tag with its attributes (quoted values may hold ">"), or a whole script element,
# whose text is skipped (it is JavaScript, not markup).
_TAG = re.compile(
    r"""<script\b(?P<script>(?:[^>"']|"[^"]*"|'[^']*')*)>(?P<body>.*?)</script\s*>"""
    r"""|<(?P<name>[a-z][^\s/>]*)(?P<attrs>(?:[^>"']|"[^"]*"|'[^']*')*)>""",
    re.S | re.I,
)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
# Script types that are data, not code (Material's configuration); anything else runs.
DATA_TYPES = frozenset({"application/json"})
# Attributes whose URL a browser follows or loads: a javascript: one is code.
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href"})
# What a browser ignores in a URL's scheme: ASCII whitespace and control characters.
_IGNORED = re.compile(r"[\x00-\x20]+")


class PolicyError(ValueError):
    """Code in a page that the policy does not allow: one line naming the page and the code."""


def script_hash(body: str) -> str:
    """The CSP source for one inline script: ``'sha256-<base64>'`` of its UTF-8 text."""
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def script_shapes(source: str) -> list[re.Pattern]:
    """The inline scripts of a template's source as patterns of the text they render to."""
    shapes = []
    for body in _TEMPLATE_SCRIPT.findall(source):
        if "{%" in body or "{#" in body:
            raise PolicyError(f"скрипт шаблона темы: допустимы только {{{{ … }}}}: «{body[:60]}»")
        literal = _EXPRESSION.split(body)
        shapes.append(re.compile(_VALUE.join(re.escape(part) for part in literal)))
    return shapes


def check_page(html: str, page: str, shapes: Iterable[re.Pattern]) -> set[str]:
    """The hashes of the page's inline scripts, each one of ``shapes``; raise
    :class:`PolicyError` for any other inline script, event handler or ``javascript:`` URL."""
    shapes = list(shapes)
    hashes = set()
    for tag in _TAG.finditer(html):
        script = tag["script"] is not None
        name = "script" if script else tag["name"].lower()
        attributes = [
            (match[1].lower(), unescape(next((v for v in match.groups()[1:] if v), "")), match[0])
            for match in _ATTR.finditer(tag["script"] if script else tag["attrs"])
        ]
        for attribute, value, written in attributes:
            if attribute.startswith("on"):
                raise PolicyError(_blocked(page, "обработчик события", f"<{name} {written}>"))
            scheme = _IGNORED.sub("", value).lower()
            if attribute in _URL_ATTRIBUTES and scheme.startswith("javascript:"):
                raise PolicyError(_blocked(page, "ссылка javascript:", f"<{name} {written}>"))
        if name == "script" and not script:  # no </script>: it runs to the end of the page
            raise PolicyError(_blocked(page, "незакрытый встроенный скрипт", tag[0]))
        first = dict(reversed([(attribute, value) for attribute, value, _ in attributes]))
        if not script or "src" in first or first.get("type", "").strip().lower() in DATA_TYPES:
            continue
        if not any(shape.fullmatch(tag["body"]) for shape in shapes):
            raise PolicyError(
                _blocked(page, "встроенный скрипт не из шаблонов темы (kb/publish/csp.py)", tag[0])
            )
        hashes.add(script_hash(tag["body"]))
    return hashes


def _blocked(page: str, what: str, code: str, limit: int = 80) -> str:
    """One line: the page, what is there, and its code, shortened."""
    text = " ".join(code.split())
    text = text if len(text) <= limit else text[:limit] + "…"
    return f"{page}: {what} — CSP заблокирует такой код: «{text}»"


def nginx_snippet(hashes: Iterable[str]) -> str:
    """The generated include: the script hashes as the nginx variable ``$kb_script_hashes``."""
    listed = " ".join(sorted(hashes))
    return (
        "# Generated by the build (kb/publish/csp.py): SHA-256 of the theme's inline scripts in\n"
        "# this site, for script-src in deploy/nginx/kb.conf. Do not edit; rebuild instead.\n"
        f'set $kb_script_hashes "{listed}";\n'
    )
