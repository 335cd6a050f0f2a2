"""Problems found in a regulation, reported to maintainers in Russian."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kb.text import plural

_LINE_BREAKS = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
"""What ends a line (``str.splitlines``): a quoted value or key keeps its problem on one line."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, located as precisely as we can."""

    file: str
    line: int | None
    path: str
    """Field path inside the document, e.g. ``steps[2].where``; empty for the whole file."""
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" поле {self.path}:" if self.path else ""
        return _LINE_BREAKS.sub(_escaped, f"{where}:{field} {self.message}")


def _escaped(match: re.Match) -> str:
    return repr(match.group())[1:-1]  # "\n", "\u2028"


class RegulationError(Exception):
    """Raised when one or more regulations cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        # Without duplicates, keeping the order found among problems of one field (a set's
        # order changes from run to run).
        unique = dict.fromkeys(problems)
        self.problems = sorted(unique, key=lambda p: (p.file, p.line or 0, p.path))
        super().__init__("\n".join(str(p) for p in self.problems))


def build_stopped(error: RegulationError, where: str) -> str:
    """Why a build stops, for maintainers: how many errors and where, then one per line."""
    count = len(error.problems)
    errors = plural(count, "ошибка", "ошибки", "ошибок")
    return f"Сборка остановлена: {count} {errors} {where}.\n{error}"


def strict_stopped(warnings: list[str], where: str) -> str:
    """Why a ``--strict`` build stops on warnings, in the form of :func:`build_stopped`."""
    count = len(warnings)
    words = plural(count, "предупреждение", "предупреждения", "предупреждений")
    lines = "\n".join(warnings)
    return f"Сборка остановлена (--strict): {count} {words} {where}.\n{lines}"


def format_path(path) -> str:
    """A field path as maintainers read it: ``("steps", 2, "where")`` → ``steps[2].where``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def not_utf8(filename: str, raw: bytes, error: UnicodeDecodeError) -> Problem:
    """A file that is not UTF-8, located at the line of its first undecodable byte."""
    line = raw[: error.start].count(b"\n") + 1
    return Problem(filename, line, "", "файл не в кодировке UTF-8 — сохраните его как UTF-8")


def display_name(path: Path) -> str:
    """A file as maintainers see it: relative to the working directory when inside it. Its
    own name stays as written: a symbolic link is named, not its target (nor its loop)."""
    try:
        return str((path.parent.resolve() / path.name).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def maybe_meant(value: str, choices: Iterable[str] | Mapping[str, str]) -> str:
    """« — возможно, имелось в виду «…»» with the choice ``value`` most likely misspells, or
    ``""``. A mapping's keys are compared and its values shown (a short form → the full name)."""
    shown = choices if isinstance(choices, Mapping) else {choice: choice for choice in choices}
    close = difflib.get_close_matches(value, list(shown), n=1)
    return f" — возможно, имелось в виду «{shown[close[0]]}»" if close else ""
