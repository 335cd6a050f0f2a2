"""Markdown cut into the pieces the importer reads: H2 sections, then blocks.

Line based and forgiving, like the importer: a block is a paragraph, a list (nested items
kept), a table, a fenced code block, a heading, a rule, a ``<!-- kb:NAME -->`` data comment
or a ``<!-- kb:unmapped -->`` region, each with the line it starts on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.markdown.blocks import (
    UNMAPPED_CLOSE,
    UNMAPPED_OPEN,
    is_data_open,
    split_marker,
    unescape_start,
    unescape_unmapped,
)

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_RULE = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")
_ITEM = re.compile(r"^(\s*)([-*+]|\d{1,9}[.)])(?:\s+(.*))?$")
LABEL = re.compile(r"^\*\*([^*]+?)(?::\*\*|\*\*:)\s*(.*)$")
BOLD = re.compile(r"^\*\*([^*](?:.*[^*])?)\*\*$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$")


# --- Blocks: the Markdown of one section cut into paragraphs, lists, tables, code -----------


@dataclass
class Item:
    text: str
    line: int
    marks: dict[str, str]
    children: list[Item] = field(default_factory=list)


@dataclass
class Block:
    kind: str  # para, list, table, fence, heading, rule, data (kb comment), unmapped
    line: int
    raw: str
    text: str = ""
    lines: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    ordered: bool = False
    level: int = 0
    name: str = ""

    @property
    def label(self) -> tuple[str, str] | None:
        """``**Где:** текст`` → ``("Где", "текст")``."""
        if self.kind != "para":
            return None
        match = LABEL.match(self.text)
        return (match[1].strip(), match[2].strip()) if match else None

    def describe(self) -> str:
        return {
            "para": "абзац",
            "list": "список",
            "table": "таблица",
            "fence": "блок кода",
            "heading": "заголовок",
            "data": "служебный комментарий kb",
            "unmapped": "неразобранный фрагмент",
        }.get(self.kind, "фрагмент")


Lines = list[tuple[int, str]]


def blocks_of(lines: Lines) -> list[Block]:
    """Cut numbered lines into blocks; a blank line ends paragraphs and lists."""
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        number, text = lines[i]
        if not text.strip():
            i += 1
            continue
        start = i
        if is_data_open(text) and text.strip().endswith("-->"):  # <!-- kb:name value -->
            name, _, inner = text.strip()[len("<!-- kb:") : -3].strip().partition(" ")
            blocks.append(Block("data", number, text, text=inner, name=name))
            i += 1
            continue
        if text.strip() == UNMAPPED_OPEN or is_data_open(text):
            kind = "unmapped" if text.strip() == UNMAPPED_OPEN else "data"
            close = UNMAPPED_CLOSE if kind == "unmapped" else "-->"
            i += 1
            while i < len(lines) and lines[i][1].strip() != close:
                i += 1
            inner = "\n".join(t for _, t in lines[start + 1 : i])
            if kind == "unmapped":
                inner = unescape_unmapped(inner)
            i += 1
            name = text.strip().removeprefix("<!-- kb:").strip() if kind == "data" else ""
            blocks.append(Block(kind, number, _raw(lines[start:i]), text=inner, name=name))
            continue
        if fence := _FENCE.match(text):
            mark = fence[1]
            i += 1
            while i < len(lines) and not closes(lines[i][1], mark):
                i += 1
            body = "\n".join(t for _, t in lines[start + 1 : i])
            i += 1
            blocks.append(Block("fence", number, _raw(lines[start:i]), text=body))
            continue
        if heading := _HEADING.match(text):
            blocks.append(Block("heading", number, text, text=heading[2], level=len(heading[1])))
            i += 1
            continue
        if _RULE.match(text):
            blocks.append(Block("rule", number, text))
            i += 1
            continue
        if text.lstrip().startswith("|"):
            while i < len(lines) and lines[i][1].lstrip().startswith("|"):
                i += 1
            table = lines[start:i]
            blocks.append(Block("table", number, _raw(table), lines=[t for _, t in table]))
            continue
        if (item := _ITEM.match(text)) and len(item[1]) <= 3:
            i = _list_end(lines, i)
            blocks.append(_list_block(lines[start:i]))
            continue
        i += 1
        while (
            i < len(lines)
            and lines[i][1].strip()
            and not _starts_block(lines[i][1])
            and not LABEL.match(lines[i][1])  # each «**Label:** value» is its own paragraph
        ):
            i += 1
        para = [t.strip() for _, t in lines[start:i]]
        para[0] = unescape_start(para[0])
        blocks.append(Block("para", number, _raw(lines[start:i]), text=" ".join(para), lines=para))
    return blocks


def _raw(lines: Lines) -> str:
    return "\n".join(t for _, t in lines)


def closes(text: str, mark: str) -> bool:
    stripped = text.strip()
    return stripped.startswith(mark[0] * len(mark)) and not stripped.strip(mark[0])


def _starts_block(text: str) -> bool:
    return bool(
        _FENCE.match(text)
        or _HEADING.match(text)
        or _RULE.match(text)
        or text.lstrip().startswith("|")
        or (_ITEM.match(text) and len(_ITEM.match(text)[1]) < 4)
        or text.strip() == UNMAPPED_OPEN
        or is_data_open(text)
    )


def _list_end(lines: Lines, i: int) -> int:
    """Index after the list starting at ``i``: nested items may follow a blank line."""
    i += 1
    while i < len(lines):
        text = lines[i][1]
        if not text.strip():
            following = next((t for _, t in lines[i:] if t.strip()), "")
            item = _ITEM.match(following)
            if item and item[1]:  # an indented item continues the list after a blank line
                i += 1
                continue
            return i
        if not _ITEM.match(text) and (_starts_block(text) or LABEL.match(text)):
            return i  # a «**Где:** …» line right under a list starts a new block
        if _FENCE.match(text) or _HEADING.match(text) or _RULE.match(text):
            return i
        i += 1
    return i


def _list_block(lines: Lines) -> Block:
    roots: list[Item] = []
    stack: list[tuple[int, Item]] = []
    ordered = False
    for number, text in lines:
        if not text.strip():
            continue
        match = _ITEM.match(text)
        if not match:
            if stack:  # a continuation line of the last item
                last = stack[-1][1]
                joined = f"{last.text} {text.strip()}".strip()
                last.text, marks = split_marker(joined)
                last.marks.update(marks)
            continue
        indent = len(match[1].replace("\t", "    "))
        content, marks = split_marker((match[3] or "").strip())
        item = Item(content.strip(), number, marks)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if stack:
            stack[-1][1].children.append(item)
        else:
            roots.append(item)
            ordered = ordered or match[2][0].isdigit()
        stack.append((indent, item))
    first = lines[0][0]
    return Block("list", first, _raw(lines), items=roots, ordered=ordered)


# --- The document: title, preamble, H2 sections ---------------------------------------------


@dataclass
class Part:
    """One H2 section as written: its heading text, the heading's line, the lines below it."""

    title: str
    line: int
    lines: Lines


def split_document(text: str) -> tuple[tuple[int, str] | None, Lines, list[Part]]:
    """The H1 title, the lines before the first H2 and the H2 sections (fences respected)."""
    title = None
    preamble: Lines = []
    sections: list[Part] = []
    fence = None
    opaque = ""
    for number, line in enumerate(text.split("\n"), 1):
        line = line.rstrip().expandtabs(4)
        target = sections[-1].lines if sections else preamble
        stripped = line.strip()
        if opaque:
            if stripped == opaque:
                opaque = ""
        elif fence:
            if closes(line, fence):
                fence = None
        elif stripped == UNMAPPED_OPEN:
            opaque = UNMAPPED_CLOSE  # the line that ends the opaque region
        elif is_data_open(stripped) and not stripped.endswith("-->"):
            opaque = "-->"
        elif match := _FENCE.match(line):
            fence = match[1]
        elif (match := _HEADING.match(line)) and len(match[1]) <= 2:
            if len(match[1]) == 1 and title is None and not sections:
                title = (number, match[2])
                continue
            if len(match[1]) == 2:
                sections.append(Part(match[2], number, []))
                continue
        target.append((number, line))
    return title, preamble, sections


# --- Helpers of the readers ------------------------------------------------------------------


def flatten(items: list[Item]) -> list[Item]:
    out = []
    for item in items:
        out.append(item)
        out += flatten(item.children)
    return out


def content(blocks: list[Block]) -> list[Block]:
    return [b for b in blocks if b.kind != "rule"]


def span(blocks: list[Block]) -> str:
    return "\n\n".join(b.raw for b in blocks)


def strip_bold(text: str) -> str:
    match = BOLD.match(text.strip())
    return match[1].strip() if match else text.strip()


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)]


def table_rows(block: Block) -> tuple[list[str], list[list[str]], list[dict], list[int]]:
    """Header, rows, the marker of each row and the index of each row's line in the block."""
    rows, marks, where = [], [], []
    for index, line in enumerate(block.lines):
        if index == 1 and _TABLE_RULE.match(line.strip()):
            continue
        text, mark = split_marker(line)
        rows.append(_cells(text))
        marks.append(mark)
        where.append(index)
    return rows[0], rows[1:], marks[1:], where[1:]
