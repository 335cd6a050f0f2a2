"""What a YAML error leaves to explain it by: the lines of the text, the tokens the scanner
read before the error, the blocks still open there, and trial parses of the text mended one way
or another (``yaml_syntax`` asks them)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import yaml

LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as YAML counts lines (the others are refused)


@dataclass(frozen=True)
class Start:
    """A key or a list dash that starts a line's content in block style."""

    line: int
    column: int
    name: str
    """The key's name, or ``-`` for a list item."""

    @property
    def shown(self) -> str:
        return "«- »" if self.name == "-" else f"«{short(self.name)}»"


class Failure:
    """A YAML error and what the rules ask of it: the text's lines, the tokens read before
    the error, and trial parses of the text mended one way or another."""

    def __init__(self, error: yaml.MarkedYAMLError, text: str):
        self.problem = error.problem or ""
        self.context = error.context or ""
        self.problem_mark = error.problem_mark
        self.context_mark = error.context_mark
        self.text = text
        self.syntax = isinstance(error, yaml.scanner.ScannerError | yaml.parser.ParserError)
        """Whether the text fails to parse (else the composer or the constructor refused it)."""
        self.lines = LINE_BREAK.split(text)
        mark = error.problem_mark or error.context_mark
        self.line = mark.line if mark else None
        """The line where the parser gave up (0-based)."""

    def line_text(self, line: int | None) -> str:
        return self.lines[line] if line is not None and 0 <= line < len(self.lines) else ""

    @cached_property
    def tokens(self) -> list[yaml.Token]:
        """The tokens the scanner reads before the parser gave up."""
        until = self.problem_mark.index if self.problem_mark else len(self.text)
        scanner, tokens = yaml.SafeLoader(self.text), []
        try:
            while scanner.check_token():
                token = scanner.get_token()
                if isinstance(token, yaml.StreamEndToken) or token.start_mark.index >= until:
                    break
                tokens.append(token)
        except yaml.YAMLError:
            pass
        finally:
            scanner.dispose()
        return tokens

    @cached_property
    def starts(self) -> list[Start]:
        """Block keys and list dashes before the failure, in the order read."""
        starts, depth = [], 0
        for token, following in zip(self.tokens, [*self.tokens[1:], None], strict=True):
            if isinstance(token, yaml.FlowSequenceStartToken | yaml.FlowMappingStartToken):
                depth += 1
            elif isinstance(token, yaml.FlowSequenceEndToken | yaml.FlowMappingEndToken):
                depth -= 1
            elif depth == 0 and isinstance(token, yaml.BlockEntryToken):
                starts.append(Start(token.start_mark.line, token.start_mark.column, "-"))
            elif depth == 0 and isinstance(token, yaml.KeyToken):
                name = following.value if isinstance(following, yaml.ScalarToken) else "?"
                starts.append(Start(token.start_mark.line, token.start_mark.column, name))
        return starts

    def levels(self, line: int) -> list[Start]:
        """The keys and dashes whose blocks are still open at ``line``, innermost first."""
        open_levels: list[Start] = []
        for start in reversed(self.starts):
            if start.line >= line:
                continue
            inner = open_levels[-1] if open_levels else None
            if (
                inner is None
                or start.column < inner.column
                or (
                    # a list written at its key's indentation: the key is open too
                    start.column == inner.column and inner.name == "-" and start.name != "-"
                )
            ):
                open_levels.append(start)
        return open_levels

    def mended(self, changes: dict[int, str]) -> bool:
        """Whether the text with these lines replaced parses past the place where the
        parser gave up: the mistake was there."""
        if not self.syntax or self.line is None:
            return False
        failed = self._reparsed(changes, self.line)
        return failed is None or failed > self.line

    def parses(self, ways: list[dict[int, str]]) -> bool:
        """Whether the text with the lines replaced one of these ways parses to its end."""
        return self.syntax and any(self._reparsed(changes) is None for changes in ways)

    def _reparsed(self, changes: dict[int, str], until: int | None = None) -> int | None:
        """The line where the changed text fails to parse before or at line ``until``."""
        lines = [changes.get(number, line) for number, line in enumerate(self.lines)]
        try:
            for event in yaml.parse("\n".join(lines), Loader=yaml.SafeLoader):
                if until is not None and event.start_mark.line > until:
                    return None
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            return mark.line if mark else 0
        return None

    def last_scalar(self) -> yaml.ScalarToken | None:
        scalars = [t for t in self.tokens if isinstance(t, yaml.ScalarToken)]
        return scalars[-1] if scalars else None


def line_above(lines: list[str], line: int) -> int | None:
    """The nearest line above ``line`` with something other than a comment."""
    for number in range(line - 1, -1, -1):
        if lines[number].strip() and not lines[number].lstrip().startswith("#"):
            return number
    return None


def moved(lines: list[str], line: int, by: int) -> list[dict[int, str]]:
    """Ways to move ``line`` ``by`` columns: alone, and with the lines nested under it."""
    return [{line: _indented(lines[line], by)}, nested(lines, line, by)]


def nested(lines: list[str], line: int, by: int) -> dict[int, str]:
    """``line`` and the lines nested under it, moved ``by`` columns (left if negative)."""
    indent = indentation(lines[line])
    changes = {}
    for number in range(line, len(lines)):
        text = lines[number]
        if number > line and text.strip() and indentation(text) <= indent:
            break
        changes[number] = _indented(text, by)
    return changes


def _indented(text: str, by: int) -> str:
    return " " * max(0, indentation(text) + by) + text.lstrip(" ")


def indentation(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
