"""Text helpers for templates: inline Markdown without raw HTML, Russian dates."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
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
        elif link_problem(match["href"]) is None:
            out.append(Markup('<a href="%s">%s</a>') % (match["href"], inline(match["label"])))
        else:  # a refused target (see link_problem) is shown as written, never linked
            out.append(escape(match.group(0)))
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def links_of(text: str) -> Iterator[str]:
    """The targets of the links in ``text``, as :func:`inline` finds them (not in code spans)."""
    if not _MARKS.search(text):
        return
    for match in _INLINE.finditer(text):
        if match["href"] is not None:
            yield match["href"]
        inside = match["label"] or match["strong"] or match["em"]  # code: nothing is formatted
        if inside:
            yield from links_of(inside)


def replace_links(text: str, replace: Callable[[str, str], str | None]) -> str:
    """``text`` with each inline link that :func:`inline` would find (not in code spans) written
    as ``replace(label, href)`` says; a link it answers ``None`` for stays as written."""
    if not _MARKS.search(text):
        return text

    def one(match: re.Match) -> str:
        if match["href"] is not None:
            replaced = replace(match["label"], match["href"])
            return match.group(0) if replaced is None else replaced
        if match["strong"] is not None:
            return "**" + replace_links(match["strong"], replace) + "**"
        if match["em"] is not None:
            return "*" + replace_links(match["em"], replace) + "*"
        return match.group(0)  # code: nothing inside is a link

    return _INLINE.sub(one, text)


def prose(text: str) -> str:
    """The sentences of ``text`` as a reader reads them: link labels, bold and italic without
    their marks, and a space for each code span (code is quoted, not prose)."""
    if not _MARKS.search(text):
        return text
    return _INLINE.sub(
        lambda m: " " if m["code"] is not None else prose(m["strong"] or m["em"] or m["label"]),
        text,
    )


# Where an inline link may lead: a web page written with its protocol, a mail address, a page
# of this site or an anchor. Browsers read a backslash as "/" and skip control characters
# before a scheme, so "/\\host", "\\\\host" and "//host" all lead to another site, and
# "\x01javascript:" runs a script. The renderer links only what passes; validation reports the
# rest in the same words (kb.check.inline_links).
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")
_WEB = re.compile(r"(?:https?://|mailto:).", re.IGNORECASE | re.DOTALL)
_SCHEME = re.compile(r"[^/?#]*:")  # whatever comes before a ":" in the first segment
_BACKSLASH = re.compile(r"\\|%5c", re.IGNORECASE)
_NO_PROTOCOL = re.compile(r"/(?:/|%2f)", re.IGNORECASE)  # a server may decode "/%2F" to "//"
_PAGE = re.compile(r"[\w.~%/-]*(?:\?[^#]*)?(?:#.*)?", re.DOTALL)  # path, query, anchor
_ALLOWED = "ссылки ведут на https://…, http://…, mailto:…, страницы сайта или #якоря"


def link_problem(target: str) -> str | None:
    """Why an inline link to ``target`` is refused, in words for maintainers; ``None`` if a
    page may link to it. Only ``http(s)://`` targets lead to another site."""
    if _WEB.match(target) and not _CONTROL.search(target):
        return None
    shown = "ссылка «" + _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", target) + "»"
    if _CONTROL.search(target):
        return f"{shown} содержит управляющий символ — удалите его"
    if scheme := _SCHEME.match(target):
        if scheme[0].lower() in ("http:", "https:"):
            return f"{shown}: после «{scheme[0]}» нужны // и адрес сайта — напишите https://…"
        return f"{shown}: адреса «{scheme[0]}» не допускаются; {_ALLOWED}"
    if _BACKSLASH.search(target):
        return (
            f"{shown} содержит обратную косую черту (\\ или %5C) — браузер читает её как «/», "
            "и ссылка может вести на другой сайт; разделяйте части пути знаком /"
        )
    if _NO_PROTOCOL.match(target):
        return f"{shown} ведёт на другой сайт без протокола — напишите https://…"
    if not _PAGE.fullmatch(target):
        return f"{shown}: недопустимый адрес; {_ALLOWED}"
    return None


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
