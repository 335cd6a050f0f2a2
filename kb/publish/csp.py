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
_ADDRESS = r"[\w.:/%~-]*"
_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.S)
_TEMPLATE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)

# Markup is read the way a browser splits it: an attribute is a name, then maybe "=" and a
# value, quoted (it may hold ">" and spaces) or not; attributes are apart by spaces or "/", or
# by nothing after a quoted value. Possessive and atomic: a name is never split in two.
_NAME = r"[^\s/>][^\s/>=]*+"
_ATTRIBUTE = rf"""(?>[\s/]*+{_NAME}(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]*+))?+)"""
_ATTR = re.compile(rf"""({_NAME})(?:\s*+=\s*+(?:"([^"]*+)"|'([^']*+)'|([^\s>]*+)))?+""")
_TAG = re.compile(rf"<(?P<name>[a-z][^\s/>]*+)(?P<attrs>{_ATTRIBUTE}*+)", re.I)
# A start tag that may carry code: an attribute named on…, or a URL attribute whose value starts
# (past what the browser ignores) with "j" or a character reference. Only a candidate: its
# whole tag is then read (_attribute_code). Few tags are candidates, so a page is read at the
# speed of one regular expression.
_CANDIDATE = re.compile(
    rf"<[a-z][^\s/>]*+{_ATTRIBUTE}*?[\s/]*+"
    r"""(?:on|(?:href|src|action|formaction|xlink:href)\s*+=\s*+["']?+[\x00-\x20]*+[j&])""",
    re.I,
)
# Every "<script" outside a script must start a whole script element, up to its "</script>".
_SCRIPT_START = re.compile(r"<script(?=[\s/>])", re.I)
_SCRIPT = re.compile(
    rf"<script(?P<attrs>{_ATTRIBUTE}*+)[\s/]*+>(?:(?P<body>.*?)</script\s*>)?", re.S | re.I
)
# Script types that are data, not code (Material's configuration); anything else runs.
DATA_TYPES = frozenset({"application/json"})
# Attributes whose URL a browser follows or loads: a javascript: one is code.
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href"})
# What a browser ignores in a URL's scheme: ASCII whitespace and control characters.
_IGNORED = re.compile(r"[\x00-\x20]+")
_JAVASCRIPT = re.compile("javascript:", re.I)


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
        shapes.append(re.compile(_ADDRESS.join(re.escape(part) for part in literal)))
    return shapes


def check_page(html: str, page: str, shapes: Iterable[re.Pattern]) -> set[str]:
    """The hashes of the page's inline scripts, each one of ``shapes``; raise
    :class:`PolicyError` for any other inline script, event handler or ``javascript:`` URL."""
    for candidate in _CANDIDATE.finditer(html):
        tag = _TAG.match(html, candidate.start())
        if problem := _attribute_code(tag["name"], tag["attrs"]):
            raise PolicyError(_blocked(page, *problem))
    shapes = list(shapes)
    hashes, start = set(), 0
    while found := _SCRIPT_START.search(html, start):
        script = _SCRIPT.match(html, found.start())
        if script is None or script["body"] is None:  # the browser runs it to the page's end
            raise PolicyError(_blocked(page, "незакрытый встроенный скрипт", html[found.start() :]))
        start = script.end()
        attrs = _attributes(script["attrs"])
        if "src" in attrs or attrs.get("type", "").strip().lower() in DATA_TYPES:
            continue
        if not any(shape.fullmatch(script["body"]) for shape in shapes):
            what = "встроенный скрипт не из шаблонов темы (kb/publish/csp.py)"
            raise PolicyError(_blocked(page, what, script[0]))
        hashes.add(script_hash(script["body"]))
    return hashes


def _attributes(written: str) -> dict[str, str]:
    """Attribute names → values, as the browser reads them (a repeated one: the first)."""
    found: dict[str, str] = {}
    for name, *values in _ATTR.findall(written):
        found.setdefault(name.lower(), unescape(next((v for v in values if v), "")))
    return found


def _attribute_code(tag: str, written: str) -> tuple[str, str] | None:
    """What is wrong with a start tag's attributes, and the code: an event handler or a
    ``javascript:`` URL; ``None`` for neither."""
    for attribute in _ATTR.finditer(written):
        name = attribute[1].lower()
        value = unescape(attribute[2] or attribute[3] or attribute[4] or "")
        if name.startswith("on"):
            return "обработчик события", f"<{tag} {attribute[0]}>"
        if name in _URL_ATTRIBUTES and _JAVASCRIPT.match(_IGNORED.sub("", value)):
            return "ссылка javascript:", f"<{tag} {attribute[0]}>"
    return None


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
