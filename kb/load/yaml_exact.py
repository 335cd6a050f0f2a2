"""Safe YAML loading that remembers the line of every value.

PyYAML's safe loader is narrowed further: no aliases (they are how alias bombs work), no
duplicate keys, and no implicit floats or timestamps, so ``version: 1.0`` stays the text
``"1.0"`` and dates stay ``"2024-12-19"`` as the JSON Schema expects. Nesting is limited and
control characters are refused (``narrowed``, ``characters``).
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from ..problems import Problem, format_path, not_utf8
from .characters import IN_FILE, IN_VALUE, refusal
from .narrowed import MAX_DEPTH, TOO_DEEP, Narrowed, Refused
from .yaml_failure import LINE_BREAK
from .yaml_syntax import explain

try:  # the fast path is one removable file; without it every file takes the exact loader
    from .yaml_fast import parse_fast
except ImportError:  # pragma: no cover
    parse_fast = None

Path = tuple  # a field path: keys and list indexes, e.g. ("steps", 2, "where")


class _Loader(Narrowed, yaml.SafeLoader):
    """Pure-Python parser: slower, but it explains every problem with a line number."""

    _depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise Refused(
                event.start_mark,
                "ссылки на якоря (*имя) не поддерживаются — повторите текст явно",
            )
        # A value inside more than MAX_DEPTH lists and mappings (yaml_fast counts alike).
        if self._depth > MAX_DEPTH:
            raise Refused(self.peek_event().start_mark, TOO_DEEP)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


@dataclass
class Document:
    """Parsed YAML data with the 1-based line of each field path."""

    data: object
    lines: dict[Path, int]

    def line_of(self, path: Path) -> int:
        """The line of ``path`` or of its nearest ancestor that has one."""
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)


def load_yaml(raw: bytes, filename: str) -> Document:
    """Parse ``raw`` bytes as one YAML document; raise ``LoadProblem`` with a Russian message."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LoadProblem(not_utf8(filename, raw, exc)) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise LoadProblem(Problem(filename, 1, "", "файл пуст — в нём нет ни одного поля"))

    bad = IN_FILE.search(text)
    if bad:
        # YAML refuses most of these before parsing: parse a copy with each one replaced by
        # U+FFFD (same length, so same positions) to name the field it is in.
        line = len(LINE_BREAK.findall(text, 0, bad.start())) + 1
        try:
            node, _ = _parse(IN_FILE.sub("\ufffd", text), filename)
            field = format_path(_path_at(node, bad.start()))
        except LoadProblem:
            field = ""
        raise LoadProblem(Problem(filename, line, field, refusal(bad.group())))

    node, data = _parse(text, filename)
    if not isinstance(data, dict):
        kind = "список" if isinstance(data, list) else "одиночное значение"
        raise LoadProblem(
            Problem(
                filename,
                1,
                "",
                f"на верхнем уровне ожидаются поля «ключ: значение», а найден {kind}",
            )
        )
    lines: dict[Path, int] = {}
    _collect_lines(node, (), lines)
    doc = Document(data, lines)
    # Past IN_FILE only an escape in double quotes ("\0", "\u202e") puts one into a value.
    escaped = _refused_value(data, ()) if "\\" in text else None
    if escaped:
        path, char = escaped
        raise LoadProblem(Problem(filename, doc.line_of(path), format_path(path), refusal(char)))
    return doc


def _parse(text: str, filename: str):
    """``(node, data)`` of the one document in ``text``, by the fast path if it can."""
    parsed = parse_fast(text) if parse_fast else None
    if parsed is not None:
        return parsed
    loader, node = _Loader(text), None
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node)
    except Refused as exc:
        # Refused while building the data: the nodes, read already, name the field.
        field = format_path(_path_at(node, exc.mark.index)) if node else ""
        raise LoadProblem(Problem(filename, exc.mark.line + 1, field, exc.message)) from None
    except yaml.MarkedYAMLError as exc:  # syntax, an unknown tag, several documents
        line, message = explain(exc, text)
        raise LoadProblem(Problem(filename, line, "", message)) from None
    finally:
        loader.dispose()


class LoadProblem(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def _collect_lines(node, path: Path, lines: dict[Path, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, key_node.value)
            lines[child] = key_node.start_mark.line + 1
            _collect_lines(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, (*path, index), lines)


def _path_at(node, index: int, path: Path = ()) -> Path:
    """The path of the innermost value whose text holds position ``index`` (in a key or
    between values: the enclosing one)."""
    children = (
        [(key.value, value) for key, value in node.value]
        if isinstance(node, yaml.MappingNode)
        else list(enumerate(node.value))
        if isinstance(node, yaml.SequenceNode)
        else []
    )
    for name, child in children:
        if child.start_mark.index <= index < child.end_mark.index:
            return _path_at(child, index, (*path, name))
    return path


def _refused_value(data, path: Path):
    """``(path, character)`` of the first key or text holding a refused character, or None."""
    if isinstance(data, str):
        found = IN_VALUE.search(data)
        return (path, found.group()) if found else None
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for key, value in items:
        found = IN_VALUE.search(key) if isinstance(key, str) else None
        if found:
            return path, found.group()
        found = _refused_value(value, (*path, key))
        if found:
            return found
    return None
