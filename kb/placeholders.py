"""The placeholder rule of template generators, in Python: which field fills which ``[placeholder]``
and what the filled text is.

``overrides/kb/components/generator/generator.js`` applies the same rule in the browser (its
``kb.fill``); ``tests/components/generator/test_placeholder_parity.py`` runs one table of cases
through both and requires identical text. Change the two together.

- ``[Имя]`` is a placeholder: brackets around a name without brackets or line breaks.
- A field with ``occurrence: n`` fills the n-th ``[name]`` of the body; a field without one fills
  every ``[name]`` that no field claims by number. A ``list`` field names one placeholder per row.
- An empty optional placeholder removes its line; a paragraph whose placeholder lines all went is
  removed whole (with label lines such as «Временные решения:»). An empty required field keeps
  its ``[placeholder]``. Empty list rows are skipped; list rows are renumbered ``1.``, ``2.``, …
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"\[([^\[\]\n]+)\]")

# What JavaScript's String.prototype.trim() removes (Python's str.strip() differs: it keeps
# U+FEFF and removes U+001C..U+001F and U+0085). Both sides must agree on "empty".
JS_SPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
# JavaScript's \s and \d, spelled out: Python's match more (Unicode digits, U+001C..U+001F).
_S = f"[{JS_SPACE}]"
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_NUMBER = re.compile(rf"^({_S}*)[0-9]+")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_LIST_ITEM = re.compile(rf"^{_S}*([0-9]+[.)]|[-*+]){_S}")


def names(body: str) -> list[str]:
    """Every placeholder name of ``body``, in order, repeats included."""
    return PLACEHOLDER.findall(body)


def placeholders_of(field: dict) -> list[str]:
    """The placeholder names a field fills: none (a context field), one, or one per list row."""
    placeholder = field.get("placeholder")
    if placeholder is None:
        return []
    return list(placeholder) if isinstance(placeholder, list) else [placeholder]


def occurrences(field: dict, count: int) -> list[int]:
    """Which occurrences (1-based) of its placeholder a field claims, given how many there are."""
    occurrence = field.get("occurrence")
    return [occurrence] if occurrence else list(range(1, count + 1))


def owners(fields: list[dict]):
    """``(name, n) -> field or None``: the field with ``occurrence: n``, else the one without."""
    table: dict[tuple[str, int | None], dict] = {}
    for field in fields:
        for name in placeholders_of(field):
            table[(name, field.get("occurrence"))] = field
    return lambda name, n: table.get((name, n)) or table.get((name, None))


# --- filling -----------------------------------------------------------------------------------


@dataclass
class _Slot:
    field: dict
    name: str


@dataclass
class _Line:
    text: str
    parts: list  # str and _Slot, alternating, starting and ending with str
    list_field: dict | None = None
    first: bool = False  # the first line of its list field: the rows are written here


def _compile(body: str, fields: list[dict]) -> list[list[_Line]]:
    owner = owners(fields)
    seen: dict[str, int] = {}
    listed: set[str] = set()
    paragraphs = []
    for para in body.split("\n\n"):
        lines = []
        for text in para.split("\n"):
            line = _Line(text, [])
            at = 0
            for match in PLACEHOLDER.finditer(text):
                name = match[1]
                seen[name] = seen.get(name, 0) + 1
                field = owner(name, seen[name])
                if field is None:
                    continue
                line.parts += [text[at : match.start()], _Slot(field, name)]
                at = match.end()
                if field["type"] == "list":
                    line.list_field = field
                    line.first = field["id"] not in listed
                    listed.add(field["id"])
            line.parts.append(text[at:])
            lines.append(line)
        paragraphs.append(lines)
    return paragraphs


def _rows(value) -> list:
    return value if isinstance(value, list) else [value]


def filled(value) -> bool:
    """A value counts when it has a non-blank character (a list: in any of its rows)."""
    return any(row is not None and str(row).strip(JS_SPACE) != "" for row in _rows(value))


def _show(field: dict, value, markdown: bool) -> str:
    text = re.sub(r"\r\n?", "\n", str(value)).strip(JS_SPACE)
    if field["type"] == "date":
        text = _ISO_DATE.sub(r"\3.\2.\1", text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text) if markdown else text


def fill(body: str, fields: list[dict], values: dict, markdown: bool = False) -> str:
    """The template text with ``values`` (field id → text, or list of rows) put in.

    ``markdown=True`` escapes the values and ends the lines of a paragraph with hard breaks, as
    the generator's «.md» download does. A missing value counts as empty.
    """
    out = []
    for lines in _compile(body, fields):
        kept: list[str] = []
        had = used = False
        for line in lines:
            if len(line.parts) == 1:
                kept.append(line.text)
                continue
            had = True
            if line.list_field is not None:
                field = line.list_field
                items = [row for row in _rows(values.get(field["id"], [])) if filled(row)]
                if not items and field.get("required"):
                    kept.append(line.text)
                    used = True
                elif items and line.first:
                    for number, item in enumerate(items, start=1):
                        # Numbering follows the first line's prefix: "1. " -> "2. ", "- " stays.
                        prefix = _NUMBER.sub(lambda m, n=number: m[1] + str(n), line.parts[0])
                        kept.append(prefix + _show(field, item, markdown) + line.parts[2])
                    used = True
                continue
            text = _line_text(line, values, markdown)
            if text is not None:
                kept.append(text)
                used = True
        if not had or used:
            out.append("\n".join(kept))
    return _hard_breaks(out) if markdown else "\n\n".join(out)


def _line_text(line: _Line, values: dict, markdown: bool) -> str | None:
    """The line filled in, or None when an empty optional placeholder removes it."""
    text = ""
    for part in line.parts:
        if isinstance(part, str):
            text += part
        elif filled(values.get(part.field["id"])):
            text += _show(part.field, values[part.field["id"]], markdown)
        elif part.field.get("required"):
            text += f"[{part.name}]"
        else:
            return None
    return text


def _hard_breaks(paragraphs: list[str]) -> str:
    """Markdown joins a paragraph's lines: end each with "\\" unless a list item follows, it is
    a list item, or it is the paragraph's last line (where a backslash would show literally)."""
    result = []
    for para in paragraphs:
        lines = para.split("\n")
        result.append(
            "\n".join(
                line
                if i + 1 == len(lines) or _LIST_ITEM.match(lines[i + 1]) or _LIST_ITEM.match(line)
                else line + "\\"
                for i, line in enumerate(lines)
            )
        )
    return "\n\n".join(result)
