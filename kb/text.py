"""Text helpers for templates: inline Markdown without raw HTML, Russian dates."""

from __future__ import annotations

import re
from datetime import date

from markupsafe import Markup, escape

# Code spans first, so that nothing inside them is formatted.
_INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|\*\*(?P<strong>.+?)\*\*"
    r"|(?<![\w*])\*(?P<em>[^*\s](?:[^*]*[^*\s])?)\*(?![\w*])"
    r"|\[(?P<label>[^\]]+)\]\((?P<href>[^)\s]+)\)"
)
_MARKS = re.compile(r"[`*\[]")  # a text without these has nothing for _INLINE to match
_SAFE_HREF = re.compile(r"^(https?:|mailto:|#|\.{0,2}/|[\w-]+(?:[./#][^:]*)?$)", re.IGNORECASE)


def inline(text: str) -> Markup:
    """Render inline Markdown (bold, italic, code, links); any HTML in ``text`` stays text."""
    if not _MARKS.search(text):  # most texts have no marks at all: skip the tokenizer
        return escape(text)
    out, pos = [], 0
    for match in _INLINE.finditer(text):
        out.append(escape(text[pos : match.start()]))
        pos = match.end()
        if match["code"] is not None:
            out.append(Markup("<code>%s</code>") % match["code"])
        elif match["strong"] is not None:
            out.append(Markup("<strong>%s</strong>") % inline(match["strong"]))
        elif match["em"] is not None:
            out.append(Markup("<em>%s</em>") % inline(match["em"]))
        elif _SAFE_HREF.match(match["href"]):
            out.append(Markup('<a href="%s">%s</a>') % (match["href"], inline(match["label"])))
        else:  # javascript: and other schemes are shown, never linked
            out.append(escape(match.group(0)))
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def plain(text: str) -> str:
    """The same text without inline Markdown marks (for titles, search, attributes)."""
    return _INLINE.sub(
        lambda m: m["code"] or m["strong"] or m["em"] or m["label"] or m.group(0), text
    )


_MONTHS = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]


def ru_date(value: str | date) -> str:
    """``2024-12-19`` → ``19 декабря 2024 г.``"""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year} г."


def plural(count: int, one: str, few: str, many: str) -> str:
    """Russian plural form: 1 ошибка, 2 ошибки, 5 ошибок."""
    if count % 10 == 1 and count % 100 != 11:
        return one
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return few
    return many
