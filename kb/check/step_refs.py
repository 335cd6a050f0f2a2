"""Step and special-case references in prose (``kb.step_refs``): what validation says of them.

A reference to an id the regulation does not have is an error, located at its field, with the
id it most likely misspells. A step number written by hand («к шагу 4») is a note, never an
error or a warning (``--strict`` ignores it): it is correct today and goes stale only when
steps move, so the note offers the reference to the step that has that number now.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kb.problems import Problem, format_path, maybe_meant
from kb.step_refs import VERBATIM, Targets, references, texts
from kb.text import plain, prose
from kb.vocabulary import STEP_FORMS

if TYPE_CHECKING:
    from kb.load.regulation import Regulation

_MISSING = {"step": "шага", "case": "особого случая"}
"""A reference's kind in its message: «шага «…» нет»."""
_NONE = {"step": "", "case": "; особых случаев (special_cases) в регламенте нет"}
"""When the regulation has none of that kind (every regulation has steps)."""

# A form of «шаг» followed by a number, as a word of its own: «к шагу 4», «Шаг 2», not «шагами».
_LITERAL = re.compile(
    r"(?<![\w-])(?P<word>" + "|".join(sorted(STEP_FORMS, key=len, reverse=True)) + r")"
    r"\s+(?P<number>\d+)(?!\w)",
    re.IGNORECASE,
)
NOT_NOTED = VERBATIM | {"history"}
"""Where a step number written by hand is right as it is: the history of changes tells how the
steps were when a change was made («добавлен шаг 3»). Nor where references stay as written."""


def reference_problems(data: dict) -> Iterator[tuple[tuple, str]]:
    """``(field path, message)`` for each reference to an id the regulation does not have."""
    targets = Targets.of(data)
    known = {"step": targets.steps, "case": targets.cases}
    for path, text in texts(data):
        for label, kind, ident in references(text):
            if ident not in known[kind]:
                ids = sorted(known[kind])
                yield (
                    path,
                    f"ссылка [{label}](#{kind}:{ident}): {_MISSING[kind]} «{ident}» нет"
                    + (
                        maybe_meant(ident, ids)
                        or ("; есть: " + ", ".join(ids) if ids else _NONE[kind])
                    ),
                )


def literal_step_notes(regulation: Regulation) -> list[Problem]:
    """A note for each step number written by hand in the regulation's prose."""
    steps = regulation.data["steps"]
    notes = []
    for path, text in texts(regulation.data, skip=NOT_NOTED):
        for match in _LITERAL.finditer(prose(text)):
            message = literal_message(match[0], match["word"], int(match["number"]), steps)
            notes.append(
                Problem(regulation.source, regulation.line_of(path), format_path(path), message)
            )
    return notes


def literal_message(written: str, word: str, number: int, steps: list[dict]) -> str:
    """What a note says of «шагу 4» written by hand: the reference to write instead."""
    if 1 <= number <= len(steps):
        step = steps[number - 1]
        return (
            f"«{written}» написано числом — если это шаг «{plain(step['title'])}», напишите "
            f"[{word}](#step:{step['id']}), и номер будет меняться вместе с шагами"
        )
    return (
        f"«{written}» написано числом, а шагов в регламенте {len(steps)} — напишите ссылку "
        f"[{word}](#step:id-шага), и номер будет меняться вместе с шагами"
    )
