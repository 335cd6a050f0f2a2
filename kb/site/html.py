"""HTML helpers for rendered pages: compact markup, the search copy, headings for a TOC."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape


@dataclass
class Heading:
    level: int
    id: str
    title: str
    children: list[Heading] = field(default_factory=list)


# Text where every whitespace character counts; everything else renders the same whether a
# line break is surrounded by spaces or not.
_VERBATIM = re.compile(r"(<(pre|textarea)\b.*?</\2\s*>)", re.DOTALL | re.IGNORECASE)
_INDENT = re.compile(r"[ \t]*\n[ \t]*")


def compact(html: str) -> str:
    """Drop the templates' indentation (outside ``pre`` and ``textarea``).

    Pages render identically, are smaller, and MkDocs' search indexer parses them about a
    third faster, which matters with hundreds of regulations.
    """
    parts = _VERBATIM.split(html)
    # split() with two groups yields: text, whole verbatim block, its tag name, text, ...
    return "".join(
        _INDENT.sub("\n", part) if i % 3 == 0 else part if i % 3 == 1 else ""
        for i, part in enumerate(parts)
    )


# A tool's form (forms never nest), e.g. a template's text generator.
_TOOL_FORM = re.compile(
    r"<form\b[^>]*\bdata-kb-tool\b[^>]*>.*?</form\s*>", re.DOTALL | re.IGNORECASE
)
# Wrappers that only group a heading with its text: the search index splits by headings anyway.
_WRAPPER = re.compile(r"</?(?:article|section)\b[^>]*>\n?", re.IGNORECASE)
# Buttons (a checklist's «Сбросить») are interface too.
_BUTTON = re.compile(r"<button\b[^>]*>.*?</button\s*>", re.DOTALL | re.IGNORECASE)
# Not content either: the print header (the page's address and the print date) and the notice
# «since you last read» (filled by script from «Что изменилось»).
_INTERFACE = re.compile(
    r"<p class=\"kb-print\"[^>]*>.*?</p>\n?|<div class=\"admonition info kb-since\"[^>]*>.*?</div>\n?",
    re.DOTALL,
)
# Where a reader sees a break but the markup has no space: after a table cell, a term or its
# definition, a line break. The indexer joins texts as they stand: «Версия» + «1.0» →
# «Версия1.0», «поддержки<br>Уровень» → «поддержкиУровень».
_BREAKS = re.compile(r"(</t[hd]>|</d[td]>|<br\s*/?>)(?=<)", re.IGNORECASE)


def search_copy(html: str) -> str:
    """What the search index should read: ``html`` without its tools' forms and buttons
    (interface, not content), the print header and article/section wrappers, with words apart at breaks.

    The index gets the same sections and texts, like a Markdown page's: the page entry is the
    h1 section. The indexer's cost grows with nesting depth, so this also makes it faster.
    """
    html = _BUTTON.sub("", _INTERFACE.sub("", _TOOL_FORM.sub("", html)))
    return _BREAKS.sub(r"\1 ", _WRAPPER.sub("", html))


# Our templates are the only source of this HTML, so regular expressions are enough (and
# some thirty times faster than html.parser on a site with hundreds of pages).
_HEADING = re.compile(r"<h([23])\b([^>]*)>(.*?)</h\1\s*>", re.DOTALL | re.IGNORECASE)
_ID = re.compile(r"""\bid\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_PERMALINK = re.compile(r"<a\b[^>]*\bheaderlink\b[^>]*>.*?</a\s*>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def headings_of(html: str) -> list[Heading]:
    """h2/h3 headings with ids, as a two-level tree (h3 under the h2 before it)."""
    tree: list[Heading] = []
    for match in _HEADING.finditer(html):
        ident = _ID.search(match[2])
        if ident is None or not (ident[1] or ident[2]):
            continue
        text = unescape(_TAG.sub("", _PERMALINK.sub("", match[3])))
        heading = Heading(int(match[1]), unescape(ident[1] or ident[2]), " ".join(text.split()))
        if heading.level == 3 and tree:
            tree[-1].children.append(heading)
        else:
            tree.append(heading)
    return tree
