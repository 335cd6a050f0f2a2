"""Form fields inferred from the ``[placeholders]`` of a template body: the importer's guess.

The importer gives each template the fields inferred here; the exporter writes a
``<!-- kb:template -->`` comment only where the stored fields differ from them. Both call
:func:`infer_fields`, so a rule changed here changes both sides at once and export → import
stays lossless.

Each rule has one home, a table below:

- ``LIST_MARKERS``: two or more consecutive lines of one marker, each holding only a
  placeholder (``1. [Шаг 1]`` / ``2. [Шаг 2]``, ``- [Проверка 1]`` / ``- [Проверка 2]``), are
  one ``list`` field.
- ``KINDS``: the type of any other placeholder, the first rule that holds:

  1. a choice (``CHOICE``) → ``select`` with its options;
  2. a short placeholder naming a one-line value (``ONE_LINE_CUES``) → ``text``;
  3. alone on its line → ``textarea``;
  4. inside a sentence → ``text``.

- ``LABELS``: a field is labelled by its placeholder, except a choice, whose placeholder is
  its options: the line's own label before it (``Приоритет: [Критический/Высокий]`` →
  «Приоритет»), else the placeholder as written. The id is derived from the label.

A placeholder used several times gets one field per occurrence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kb.markdown.blocks import Ids
from kb.placeholders import PLACEHOLDER


@dataclass(frozen=True)
class Spot:
    """One placeholder where it stands: its name and its line."""

    name: str
    line: str
    start: int
    end: int

    @property
    def alone(self) -> bool:
        return self.line.strip() == self.line[self.start : self.end]


# --- A choice: [Критический/Высокий/Средний] ---------------------------------------------------

CHOICE = {
    "separator": "/",
    "min_options": 2,
    "max_words": 3,
    # A capital letter, then a lower-case one somewhere in the first word: «Высокий», «Windows»,
    # «Ещё раз» — not «ДД», «ГГГГ», «SMS» (formats and abbreviations), not «ссылка», «https:».
    "option": re.compile(r"[A-ZА-ЯЁ](?=[\w-]*[a-zа-яё])[\w-]*(?: [\w-]+)*"),
}
"""``[A/B/C]`` is a choice when it has at least two distinct options, each a phrase of at
most three words matching ``option``, none naming a kind of value (``ONE_LINE_CUES``): then
``[Дата/Время]`` and ``[Имя/Фамилия]`` say what to type, not what to pick. Not choices
either: ``[ссылка/вложение]``, ``[ДД/ММ/ГГГГ]``, ``[ДД.ММ.ГГГГ]``, a URL or a path."""


def options(name: str) -> list[str] | None:
    """The options of a choice placeholder, or None if ``name`` is not one."""
    parts = [part.strip() for part in name.split(CHOICE["separator"])]
    if len(parts) < CHOICE["min_options"] or len(set(parts)) < len(parts):
        return None
    for part in parts:
        if not CHOICE["option"].fullmatch(part) or len(part.split()) > CHOICE["max_words"]:
            return None
        if _cue(part):
            return None
    return parts


# --- A one-line value: names, numbers, dates ---------------------------------------------------

ONE_LINE_CUES = {
    "имя": ("имя", "имени", "фио", "фамилия", "отчество"),
    "номер (обращения, заявки)": ("номер", "№", "id", "код", "тикет"),
    "дата и время": ("дата", "даты", "время", "срок", "дд", "гггг", "чч"),
    "телефон": ("телефон", "телефона"),
    "e-mail": ("email", "e-mail", "почта", "почты"),
    "версия": ("версия", "версии"),
}
"""What a one-line value is called → the words that name it (case aside). A placeholder of at
most ``ONE_LINE_WORDS`` words with one of these words is a one-line ``text`` even alone on its
line: ``[Имя специалиста]``, ``[Номер обращения]``, ``[Дата]``, ``[E-mail клиента]``."""
ONE_LINE_WORDS = 4

_CUE_WORDS = {word for words in ONE_LINE_CUES.values() for word in words}
_WORD = re.compile(r"[\w№]+(?:-\w+)*")


def _cue(name: str) -> bool:
    """Whether ``name`` has a word of ``ONE_LINE_CUES``."""
    return any(word in _CUE_WORDS for word in _WORD.findall(name.casefold()))


def _one_line(spot: Spot) -> bool:
    return len(_WORD.findall(spot.name)) <= ONE_LINE_WORDS and _cue(spot.name)


# --- The rules ---------------------------------------------------------------------------------

KINDS: tuple[tuple[str, Callable[[Spot], bool]], ...] = (
    ("select", lambda spot: options(spot.name) is not None),
    ("text", _one_line),
    ("textarea", lambda spot: spot.alone),
    ("text", lambda spot: True),
)
"""The type of a placeholder outside a list: the first rule that holds."""

LIST_MARKERS = {"numbered": r"\d+[.)]\s*", "bulleted": r"[-*+]\s+"}
"""The lines a ``list`` field is made of: a marker and a placeholder, nothing else."""
_ITEM_MARKER = re.compile("|".join(f"(?:{m})" for m in LIST_MARKERS.values()))
LINE_LABEL_WORDS = 5


def _line_label(spot: Spot) -> str:
    """«Приоритет: [Критический/Высокий]» → «Приоритет» (also after «- » or «1. »); without a
    short label of its own before it on the line → the name."""
    head = spot.line[: spot.start].strip()
    marker = _ITEM_MARKER.match(head)
    label = head[marker.end() if marker else 0 : -1].strip() if head.endswith(":") else ""
    if not label or set(label) & set("[]:") or len(label.split()) > LINE_LABEL_WORDS:
        return spot.name
    return label


LABELS: dict[str, Callable[[Spot], str]] = {"select": _line_label}
"""Type → how its field is labelled; any other type: by its placeholder."""

EXTRA: dict[str, Callable[[Spot], dict]] = {
    "select": lambda spot: {"options": [{"value": value} for value in options(spot.name)]},
}
"""Type → the keys its field has besides id, label, type and placeholder."""

_LIST_LINE = re.compile(rf"^\s*(?P<marker>{_ITEM_MARKER.pattern})\[(?P<name>[^\[\]\n]+)\]\s*$")


def _list_line(line: str) -> tuple[str, str] | None:
    """``(key, name)`` of a list line; lines with one key continue a run: «1.» and «2.» alike,
    «-» and «*» apart."""
    match = _LIST_LINE.match(line)
    if not match or not match["name"].strip():  # «- [ ]» is a checkbox
        return None
    return re.sub(r"\d+", "1", match["marker"].strip()), match["name"]


# --- Inference ---------------------------------------------------------------------------------


def _list_runs(lines: list[str]) -> dict[str, list[str]]:
    """Placeholder name → the run of list lines it is part of, for the runs that become a
    ``list`` field: at least two lines, distinct names, none in an earlier run."""
    runs: dict[str, list[str]] = {}
    run: list[str] = []
    key = None
    for line in [*lines, ""]:
        found = _list_line(line)
        if found and found[0] == key:
            run.append(found[1])
            continue
        if len(run) >= 2 and len(set(run)) == len(run) and not set(run) & set(runs):
            runs.update((name, run) for name in run)
        key, run = (found[0], [found[1]]) if found else (None, [])
    return runs


def infer_fields(body: str) -> list[dict]:
    """Form fields for every placeholder of a template body, in order of appearance."""
    lines = body.split("\n")
    runs = _list_runs(lines)
    counts: dict[str, int] = {}
    for name in PLACEHOLDER.findall(body):
        counts[name] = counts.get(name, 0) + 1

    fields: list[dict] = []
    ids = Ids("field")
    seen: dict[str, int] = {}
    for line in lines:
        for match in PLACEHOLDER.finditer(line):
            name = match[1]
            if not name.strip():  # "[ ]" is a checkbox, not a placeholder anyone can fill
                continue
            seen[name] = seen.get(name, 0) + 1
            if name not in runs:
                spot = Spot(name, line, match.start(), match.end())
                fields.append(_field(spot, ids, seen[name] if counts[name] > 1 else None))
            elif name == runs[name][0] and seen[name] == 1:  # the run's field, once
                label = _list_label(runs[name])
                fields.append(
                    {
                        "id": ids.take(label),
                        "label": label,
                        "type": "list",
                        "placeholder": list(runs[name]),
                    }
                )
    return fields


def _field(spot: Spot, ids: Ids, occurrence: int | None) -> dict:
    kind = next(kind for kind, holds in KINDS if holds(spot))
    label = LABELS.get(kind, lambda spot: spot.name)(spot)
    field = {"id": ids.take(label), "label": label, "type": kind, "placeholder": spot.name}
    if occurrence:
        field["occurrence"] = occurrence
    return {**field, **EXTRA.get(kind, lambda spot: {})(spot)}


def _list_label(names: list[str]) -> str:
    """``[Шаг 1, Шаг 2, Шаг 3]`` → ``Шаг``; other runs are labelled by their first line."""
    prefixes = {re.sub(r"\s*\d+$", "", name) for name in names}
    prefix = prefixes.pop()
    return prefix if not prefixes and prefix.strip() and prefix != names[0] else names[0]
