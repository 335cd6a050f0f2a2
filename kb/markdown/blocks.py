"""What the Markdown importer and exporter share: ids, markers, escapes.

The exporter must know exactly what the importer will derive from the text it writes (ids from
transliterated text; template fields from placeholders, in ``kb.markdown.fields``), so that it
writes a marker only where the stored data differs. Both sides therefore use the functions of
this module.
"""

from __future__ import annotations

import re
import unicodedata

from kb.text import plain
from kb.vocabulary import META_LABELS, REVIEW, SECTIONS

UNMAPPED_OPEN = "<!-- kb:unmapped -->"
"""Text the importer could not map, between these two lines, kept as it was."""
UNMAPPED_CLOSE = "<!-- /kb:unmapped -->"
DATA_OPEN = "<!-- kb:"
"""``<!-- kb:NAME`` … ``-->``: YAML data the template has no place for (``kb:template``, ``kb:extra``)."""

_LATIN = "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya"
_TRANSLIT = {
    cyrillic: latin.strip("-")
    for cyrillic, latin in zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", _LATIN.split(" "), strict=True)
}
ID_LIMIT = 48
"""The longest id derived from text (``#step-…`` anchors, checklist progress)."""
ADDRESS_LIMIT = 60
"""The longest page address derived from a title (the regulation's file name)."""


def slugify(text: str, fallback: str = "item", limit: int = ID_LIMIT) -> str:
    """``Подтверждение эскалации`` → ``podtverzhdenie-eskalatsii`` (latin, digits, hyphens),
    cut to whole words (``_whole_words``)."""
    latin = "".join(_TRANSLIT.get(char, char) for char in plain(text).casefold())
    latin = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", latin).strip("-")
    return _whole_words(slug, limit) or fallback


def _whole_words(slug: str, limit: int) -> str:
    """The words of ``slug`` that fit in ``limit`` characters; it never ends mid-word, so a
    first word longer than the limit is kept whole."""
    if len(slug) <= limit:
        return slug
    fits = slug[: limit + 1]  # a hyphen just past the limit ends a whole word too
    return fits[: fits.rfind("-")] if "-" in fits else slug.split("-", 1)[0]


class Ids:
    """Allocates ids in one scope the way the importer does: derived slug, made unique."""

    def __init__(self, fallback: str = "item"):
        self.used: set[str] = set()
        self.fallback = fallback

    def derive(self, text: str) -> str:
        """The id the importer gives to ``text`` here (not yet reserved)."""
        base = slugify(text, self.fallback)
        candidate, number = base, 1
        while candidate in self.used:
            number += 1
            candidate = f"{base}-{number}"
        return candidate

    def take(self, text: str, given: str | None = None) -> str:
        """Reserve and return ``given`` if there is one, else the derived id."""
        ident = given or self.derive(text)
        self.used.add(ident)
        return ident


# --- Markers: data the Markdown text cannot carry, kept in HTML comments ---------------------

MARKER_KEYS = ("id", "step", "regulation", "planned")
_MARKER = re.compile(
    r"\s*<!--\s*(kb|(?:(?:id|step|regulation|planned)\s*:\s*[a-z0-9-]+\s*;?\s*)+)\s*-->\s*$",
)
NO_REGULATION = "-"
"""``regulation: -``: a related material whose YAML names no regulation, although its title or
link names one now — the importer would otherwise write the one they name."""
PLANNED = "true"
"""``planned: true``: a related material marked as a regulation not written yet (``false``
travels as written)."""


def split_marker(line: str) -> tuple[str, dict[str, str]]:
    """``text <!-- id: x; step: y -->`` → ``("text", {"id": "x", "step": "y"})``."""
    match = _MARKER.search(line)
    if not match:
        return line, {}
    values = {}
    for part in match[1].split(";") if match[1] != "kb" else []:
        if part.strip():
            key, _, value = part.partition(":")
            values[key.strip()] = value.strip()
    return line[: match.start()], values


def marker(text: str, **values: str | None) -> str:
    """The marker to write after ``text`` (with a leading space); empty if none is needed.

    A text that itself ends like a marker gets the neutral ``<!-- kb -->``, so that the
    importer takes that one off instead of the text's own ending.
    """
    shown = [f"{key}: {values[key]}" for key in MARKER_KEYS if values.get(key)]
    if shown:
        return f" <!-- {'; '.join(shown)} -->"
    # (a heading's closing «#»s are dropped by Markdown too)
    return " <!-- kb -->" if _MARKER.search(text) or re.search(r"\s#+$", text) else ""


def is_data_open(line: str) -> bool:
    line = line.strip()
    return line.startswith(DATA_OPEN) and not line.startswith(UNMAPPED_OPEN)


# Keys the Markdown template carries; anything else travels in ``<!-- kb:extra -->``.
TOP_KEYS = {"format", "title", "meta", "keywords", "unmapped", *SECTIONS}
META_KEYS = set(META_LABELS) - {"keywords"}  # keywords live at the top level
TEMPLATE_KEYS = {"id", "title", "when", "body_title", "body"}


def review_text(review) -> str | None:
    """``{"by": "2025-06-01"}`` → ``до 2025-06-01``; ``{"every_months": 6}`` → ``каждые 6 мес.``"""
    if isinstance(review, dict) and len(review) == 1:
        if isinstance(review.get("by"), str):
            return REVIEW["by"] % review["by"]
        months = review.get("every_months")
        if isinstance(months, int) and not isinstance(months, bool):
            return REVIEW["every"] % months
    return None


def parse_review(value: str) -> dict | None:
    """The other way round, lenient as people type it (``каждые 6 месяцев``)."""
    if match := re.fullmatch(r"до\s+(\S+)", value):
        return {"by": match[1]}
    if match := re.fullmatch(r"каждые\s+(\d+)\s*мес\.?(яц\w*)?", value):
        return {"every_months": int(match[1])}
    return None


def data_comment(name: str, value) -> str:
    """``<!-- kb:NAME`` + YAML + ``-->``; "--" (not allowed in a comment) is escaped via JSON."""
    import json

    import yaml

    text = yaml.safe_dump(
        value, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000
    ).strip()
    if "--" in text:
        # JSON is YAML too; outside strings it has no "-" or ">" here.
        text = json.dumps(value, ensure_ascii=False)
        text = text.replace("-", "\\u002d").replace(">", "\\u003e")
    return f"{DATA_OPEN}{name}\n{text}\n-->"


# --- A paragraph whose text starts like a list, a heading or a table -----------------------------

_STARTS_BLOCK = re.compile(
    r"^(?:\d{1,9}[.)](?:\s|$)|[-*+](?:\s|$)|#|>|\||```|~~~|<!--|([-*_])(\s*\1){2,}\s*$)"
)
_ESCAPED = re.compile(r"^(\d{1,9})?\\(?=[-*+#>|`~_.)<\\])")


def escape_start(text: str) -> str:
    """``1. text`` → ``1\\. text``: a paragraph must not turn into a list or a heading."""
    if not (_STARTS_BLOCK.match(text) or _ESCAPED.match(text)):
        return text
    digits = re.match(r"\d*", text)[0]
    return f"{digits}\\{text[len(digits) :]}"


def unescape_start(text: str) -> str:
    """The reverse of ``escape_start``."""
    return _ESCAPED.sub(lambda m: m[1] or "", text, count=1)


_CLOSE_LINE = re.compile(r"^(\s*)(\\*)(<!-- /kb:unmapped -->\s*)$")


def escape_unmapped(text: str) -> str:
    """A kept line that looks like the closing mark gets one more backslash."""
    return "\n".join(_CLOSE_LINE.sub(r"\1\\\2\3", line) for line in text.split("\n"))


def unescape_unmapped(text: str) -> str:
    return "\n".join(
        _CLOSE_LINE.sub(lambda m: m[1] + m[2][1:] + m[3], line) for line in text.split("\n")
    )
