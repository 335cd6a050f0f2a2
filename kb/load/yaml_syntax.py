"""YAML errors in Russian, at the line where the faulty construct starts.

PyYAML reports where parsing gave up, in its own words: a quote left open on line 43 is
«expected <block end>, but found '<scalar>'» on line 73, where the next quote closed it. Each
rule in ``RULES`` recognises one common mistake from the parser's error, the tokens read before
it and the text, and says what to do at the line where that construct starts. A rule that
guesses (this quote was never closed, this key lacks its colon) checks its guess first: the
text mended its way must parse past the place where the parser gave up. When no rule is sure,
the last one reports the parser's own line with its complaint in Russian.

Only the exact loader raises these errors (the fast path steps aside from any bad file), so
both paths report every file alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from .yaml_failure import Failure, Start, indentation, line_above, moved, nested, short

_KEY_WORD = re.compile(r"[a-z_][a-z0-9_]*(?= |$)")
"""A line starting with a word like this is a key that lost its colon (the schema's keys
are such words); any other text is text."""
_VALUE = re.compile(r" *(?:- +)*(?:[^\s#'\"\[\]{}*&!|>%@`,?-][^#]*?: +)?")
"""Where a line's value starts: after its indentation, list dashes and ``key: ``."""
_KEY = re.compile(r" *(?:- +)*([^\s#'\"\[\]{}*&!|>%@`,?-][^#]*?) *:(?: |$)")
_BLOCK_HEADER = re.compile(
    r"(?P<header> *(?:- +)*(?P<key>[^\s#'\"][^#]*?) *: +[|>][-+0-9]*) *(?:#.*)?"
)
"""A key whose text follows on the next lines: ``summary: >-``."""
_GLUED = re.compile(r" *(?:- +)*([^\s#:]+):(\S.*)")
"""A key with its value glued on: ``version:1``."""


def explain(error: yaml.MarkedYAMLError, text: str) -> tuple[int | None, str]:
    """The 1-based line and the Russian message for a YAML error in ``text``."""
    failure = Failure(error, text)
    for rule in RULES:
        found = rule.recognise(failure)
        if found is not None:
            line, fields = found
            return (None if line is None else line + 1), rule.message.format(**fields)
    raise AssertionError("the last rule recognises everything")  # pragma: no cover


_Found = tuple[int | None, dict[str, object]]


@dataclass(frozen=True)
class Rule:
    recognise: Callable[[Failure], _Found | None]
    """The 0-based line where the mistake starts and the message's fields, or None."""
    message: str


# --- Recognisers ----------------------------------------------------------------------------


def _tab(failure: Failure) -> _Found | None:
    indent = re.match(r"[ \t]*(?:-[ \t]+)*", failure.line_text(failure.line)).group()
    if "'\\t'" in failure.problem or "\t" in indent:
        return failure.line, {}
    return None


def _unclosed_quote(failure: Failure) -> _Found | None:
    if failure.context.startswith("while scanning a quoted scalar") and (
        failure.problem.startswith("found unexpected end of stream")
    ):
        mark = failure.context_mark  # nothing after it closes it: the quote opened here
        return mark.line, {"quote": failure.text[mark.index]}
    # Closed by the next quote further down: the lines between became its text, and the
    # parser gave up after it. The last quoted value spanning lines is the suspect.
    for token in reversed(failure.tokens):
        if (
            isinstance(token, yaml.ScalarToken)
            and token.style in ('"', "'")
            and token.end_mark.line > token.start_mark.line
        ):
            line = token.start_mark.line
            opened = failure.line_text(line).rstrip()
            if failure.mended({line: opened + token.style}):
                return line, {"quote": token.style}
            return None
    return None


def _unclosed_bracket(failure: Failure) -> _Found | None:
    opening = _open_bracket(failure)
    if opening is None:
        return None
    closing = {"[": "]", "{": "}"}[failure.text[opening.index]]
    if failure.mended({opening.line: failure.line_text(opening.line).rstrip() + closing}):
        return opening.line, {"opening": failure.text[opening.index], "closing": closing}
    return None


def _open_bracket(failure: Failure) -> yaml.Mark | None:
    """Where the list or mapping in brackets that the parser failed in opened, if it did."""
    if failure.context.startswith(
        ("while parsing a flow sequence", "while parsing a flow mapping")
    ):
        return failure.context_mark
    if not failure.context.startswith("while parsing a flow"):
        return None
    opened = []
    for token in failure.tokens:
        if isinstance(token, yaml.FlowSequenceStartToken | yaml.FlowMappingStartToken):
            opened.append(token.start_mark)
        elif isinstance(token, yaml.FlowSequenceEndToken | yaml.FlowMappingEndToken) and opened:
            opened.pop()
    return opened[-1] if opened else None


def _text_after_quote(failure: Failure) -> _Found | None:
    scalar = failure.last_scalar()
    if (
        failure.problem.startswith("expected <block end>, but found '<scalar>'")
        and scalar is not None
        and scalar.style in ('"', "'")
        and scalar.start_mark.line == scalar.end_mark.line == failure.line
    ):
        return failure.line, {"quote": scalar.style}
    return None


def _value_starts_with_indicator(failure: Failure) -> _Found | None:
    char = _indicator_read(failure)
    suspects = {failure.line, failure.context_mark.line if failure.context_mark else None}
    for line in sorted(suspects - {None}):
        text = failure.line_text(line)
        start = _VALUE.match(text).end()
        value = text[start:].rstrip()
        if value[:1] == char and failure.mended({line: text[:start] + _quoted(value)}):
            return line, {"char": char}
    return None


def _indicator_read(failure: Failure) -> str | None:
    """The indicator the parser read as syntax and failed on, if any: a list or mapping in
    brackets that closed with text after it, an alias, an anchor, a tag, a block of text, or a
    character that YAML reserves."""
    last = failure.tokens[-1] if failure.tokens else None
    if isinstance(last, yaml.FlowSequenceEndToken | yaml.FlowMappingEndToken) and (
        last.start_mark.line == failure.line
    ):
        return "[" if isinstance(last, yaml.FlowSequenceEndToken) else "{"
    for context, char in _INDICATOR_CONTEXTS:
        if failure.context.startswith(context):
            return char or failure.text[failure.context_mark.index]
    found = re.match(r"found character '(.)' that cannot start any token", failure.problem)
    return found.group(1) if found else None


_INDICATOR_CONTEXTS = [
    ("while scanning an alias", "*"),
    ("while scanning an anchor", "&"),
    ("while scanning a tag", "!"),
    ("while parsing a tag", "!"),
    ("while scanning a block scalar", None),  # | or >
]


def _colon_in_value(failure: Failure) -> _Found | None:
    if not failure.problem.startswith("mapping values are not allowed here"):
        return None
    scalar = failure.last_scalar()
    text = failure.line_text(failure.line)
    start = _VALUE.match(text).end()
    if (
        scalar is not None
        and scalar.start_mark.line == failure.line
        and 0 < start <= scalar.start_mark.column
        and failure.mended({failure.line: text[:start] + _quoted(text[start:].rstrip())})
    ):
        return failure.line, {}
    return None


def _missing_colon(failure: Failure) -> _Found | None:
    line = _text_start(failure)
    if line is None:
        return None
    text = failure.line_text(line)
    start = re.match(r" *(?:- +)*", text).end()
    word = _KEY_WORD.match(text, start)
    if word and failure.mended({line: text[: word.end()] + ":" + text[word.end() :]}):
        return line, {"key": word.group()}
    return None


def _no_space_after_colon(failure: Failure) -> _Found | None:
    line = _text_start(failure)
    glued = _GLUED.fullmatch(failure.line_text(line).rstrip()) if line is not None else None
    if glued and failure.mended({line: failure.line_text(line).replace(":", ": ", 1)}):
        return line, {"key": short(glued.group(1)), "value": short(glued.group(2))}
    return None


def _block_text_left_of_key(failure: Failure) -> _Found | None:
    """Text meant for ``key: >-`` (or ``|``) above it, but not right of that key: YAML ends
    the (empty) text there and reads the line as a key without a colon."""
    if not failure.context.startswith("while scanning a simple key"):
        return None
    line = failure.context_mark.line
    above = line_above(failure.lines, line)
    header = _BLOCK_HEADER.fullmatch(failure.line_text(above))
    if header and header.start("key") >= indentation(failure.line_text(line)):
        return above, {"header": header.group("header").strip()}
    return None


def _text_where_key_expected(failure: Failure) -> _Found | None:
    if failure.context.startswith("while scanning a simple key"):
        line = failure.context_mark.line
        if not _among_items(failure, line):
            return line, {}
    return None


def _text_among_items(failure: Failure) -> _Found | None:
    if failure.context.startswith("while scanning a simple key"):
        line = failure.context_mark.line
        if _among_items(failure, line):
            return line, {}
    return None


def _odd_line_above(failure: Failure) -> _Found | None:
    """The parser blames a line left of the line above, but that line above is the odd one:
    the first of its block, right of the lines after it."""
    found = _misplaced(failure)
    if found is None:
        return None
    line, column, above = found
    if above.column < column:  # the lines below may be meant as nested under it
        return None
    if failure.parses(moved(failure.lines, above.line, column - above.column)) and not (
        failure.parses(moved(failure.lines, line, above.column - column))
    ):
        return above.line, {"what": above.shown, "next": _shown(failure, line), "line": line + 1}
    return None


def _key_under_valued_key(failure: Failure) -> _Found | None:
    """A key more indented than the key above it, whose value went on across lines (plain
    text does) and met this key's colon."""
    found = _misplaced(failure)
    if found is None or not failure.problem.startswith("mapping values are not allowed here"):
        return None
    line, column, above = found
    if failure.mended(nested(failure.lines, line, above.column - column)):
        return line, {"key": _shown(failure, line), "above": above.shown, "line": above.line + 1}
    return None


def _misaligned(failure: Failure) -> _Found | None:
    """A key or a dash whose indentation matches no block it could belong to."""
    found = _misplaced(failure)
    if found is None or not failure.problem.startswith("expected <block end>"):
        return None
    line, column, _ = found
    levels = failure.levels(line)
    if "sequence" in failure.problem:
        targets = [s for s in levels if s.name == "-"][:1]
    else:
        keys = [s for s in levels if s.name != "-"]
        deeper = [s for s in keys if s.column > column]
        shallower = [s for s in keys if s.column < column]
        targets = deeper[-1:] + shallower[:1]
    if not targets:
        return None
    shown = " или по ".join(f"{s.shown} (строка {s.line + 1})" for s in targets)
    return line, {"what": _shown(failure, line), "targets": shown}


def _item_among_keys(failure: Failure) -> _Found | None:
    mixed = _mixed(failure)
    if mixed == "dash among keys" and not _lone(failure, "key"):
        column = failure.problem_mark.column
        keys = [s for s in failure.starts if s.name != "-" and s.column == column]
        keys = [s for s in keys if s.line >= failure.context_mark.line]
        if keys:
            return failure.line, {"key": keys[-1].shown, "line": keys[-1].line + 1}
    if mixed == "key among dashes" and _lone(failure, "-"):
        line = failure.context_mark.line  # the list is this one item
        return line, {"key": _shown(failure, failure.line), "line": failure.line + 1}
    return None


def _key_among_items(failure: Failure) -> _Found | None:
    mixed = _mixed(failure)
    if mixed == "key among dashes" and not _lone(failure, "-"):
        column = failure.problem_mark.column
        dashes = [s for s in failure.starts if s.name == "-" and s.column == column]
        dashes = [s for s in dashes if s.line >= failure.context_mark.line]
        if dashes:
            return failure.line, {"key": _shown(failure, failure.line), "line": dashes[-1].line + 1}
    if mixed == "dash among keys" and _lone(failure, "key"):
        line = failure.context_mark.line  # the mapping is this one key
        return line, {"key": _shown(failure, line), "line": failure.line + 1}
    return None


def _bad_escape(failure: Failure) -> _Found | None:
    if failure.problem.startswith(("found unknown escape character", "expected escape sequence")):
        return failure.line, {}
    return None


def _unsupported_tag(failure: Failure) -> _Found | None:
    if "could not determine a constructor" in failure.problem:
        tag = failure.problem.rsplit(" ", 1)[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
        return failure.line, {"tag": tag}
    return None


def _several_documents(failure: Failure) -> _Found | None:
    if failure.context.startswith("expected a single document"):
        return failure.line, {}
    return None


def _parser_words(failure: Failure) -> _Found:
    """What the parser said, in Russian, at its own line: the start of a list in brackets or
    of a quoted value when it complains about one, else where it gave up."""
    line = failure.line
    if failure.context_mark is not None and failure.context.startswith(
        ("while scanning a quoted scalar", "while parsing a flow")
    ):
        line = failure.context_mark.line
    for english, russian in _PARSER_WORDS:
        if failure.problem.startswith(english):
            return line, {"what": russian}
    said = "; ".join(part for part in (failure.context, failure.problem) if part)
    return line, {"what": f"разборщик YAML пишет «{short(said, 60)}»"}


_PARSER_WORDS = [
    ("expected ',' or ']'", "в списке [ … ] пропущена запятая или нет закрывающей скобки ]"),
    ("expected ',' or '}'", "в полях { … } пропущена запятая или нет закрывающей скобки }"),
    ("found unexpected end of stream", "файл оборвался — не закрыта кавычка или скобка"),
    (
        "mapping values are not allowed here",
        "двоеточие с пробелом в неожиданном месте — если оно часть текста, возьмите значение "
        "в кавычки, иначе проверьте отступ",
    ),
    ("could not find expected ':'", "после ключа нет двоеточия"),
    (
        "expected '<document start>'",
        "поля файла здесь уже кончились — у полей верхнего уровня должен быть один отступ "
        "(лучше никакого)",
    ),
    (
        "expected <block end>",
        "строка не вписывается в поля и списки выше — проверьте её отступ и кавычки",
    ),
    ("did not find expected key", "здесь ожидается «ключ: значение» — проверьте отступ и кавычки"),
    ("did not find expected '-' indicator", "здесь ожидается пункт списка «- » — проверьте отступ"),
    ("did not find expected node content", "здесь ожидается значение"),
    (
        "sequence entries are not allowed here",
        "пункт списка «- » не может стоять в строке после «ключ:» — перенесите его на "
        "следующую строку с отступом или возьмите значение в кавычки",
    ),
    ("expected the node content", "здесь ожидается значение"),
    (
        "found character",
        "значение не может начинаться с этого знака — возьмите его в кавычки",
    ),
]


# --- Helpers ----------------------------------------------------------------------------------


def _text_start(failure: Failure) -> int | None:
    """The line of the text the parser read where a key was due, if it starts a line before
    the failure: a key the scanner found no colon after, or plain text that went on across
    lines and took the next key's colon for its own, or that the next key did not fit under."""
    if failure.context.startswith("while scanning a simple key"):
        return failure.context_mark.line
    scalar = failure.last_scalar()
    if scalar is not None and scalar.style is None and scalar.start_mark.line < failure.line:
        text = failure.line_text(scalar.start_mark.line)
        if re.match(r" *(?:- +)*", text).end() == scalar.start_mark.column:
            return scalar.start_mark.line
    return None


def _among_items(failure: Failure, line: int) -> bool:
    """Whether the nearest line above with the same indentation is a list item."""
    indent = indentation(failure.line_text(line))
    above = line_above(failure.lines, line)
    while above is not None and indentation(failure.lines[above]) > indent:
        above = line_above(failure.lines, above)
    text = failure.line_text(above)
    return indentation(text) == indent and re.match(r" *-(?: |$)", text) is not None


def _misplaced(failure: Failure) -> tuple[int, int, Start] | None:
    """A line whose indentation disagrees with the key or dash above it: the line, the
    column of its key or dash, and that start above. The parser meets it as a block that
    starts where none can (a column matching no open block, or left of the file's first key),
    or as a colon in the text of the key above, which went on across lines."""
    line = failure.line
    if re.match(
        r"expected (<block end>|'<document start>'), but found '<block (mapping|sequence) start>'",
        failure.problem,
    ):
        above = failure.levels(line)
        if "sequence" in failure.problem:
            above = [s for s in above if s.name == "-"]
        return (line, failure.problem_mark.column, above[0]) if above else None
    scalar = failure.last_scalar()
    key = _KEY.match(failure.line_text(line))
    if (
        failure.problem.startswith("mapping values are not allowed here")
        and key
        and scalar
        and scalar.style is None
        and scalar.start_mark.line < line
    ):
        owners = [s for s in failure.starts if s.name != "-" and s.line == scalar.start_mark.line]
        if owners and key.start(1) > owners[-1].column:
            return line, key.start(1), owners[-1]
    return None


def _mixed(failure: Failure) -> str | None:
    """Whether the parser met a list item in a mapping or a key in a list."""
    if failure.context.startswith("while parsing a block mapping") and (
        failure.problem.startswith("expected <block end>, but found '-'")
    ):
        return "dash among keys"
    if failure.context.startswith("while parsing a block collection") and (
        failure.problem.startswith("expected <block end>, but found '?'")
    ):
        return "key among dashes"
    return None


def _lone(failure: Failure, kind: str) -> bool:
    """Whether the block the parser is in holds just one ``kind`` (a key or ``-``) and two or
    more of the other at its indentation: then that one is the stray line."""
    column = failure.problem_mark.column
    keys = dashes = 0
    for text in failure.lines[failure.context_mark.line :]:
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        if indentation(text) < column:
            break
        if indentation(text) == column:
            if re.match(r" *-(?: |$)", text):
                dashes += 1
            else:
                keys += 1
    lone, others = (keys, dashes) if kind == "key" else (dashes, keys)
    return lone == 1 and others >= 2


def _shown(failure: Failure, line: int) -> str:
    """What a line starts with, as messages name it: its key, or «- » for a list item."""
    text = failure.line_text(line).lstrip(" ")
    if re.match(r"-(?: |$)", text):
        return "«- »"
    key = _KEY.match(text)
    return f"«{short(key.group(1) if key else text.strip())}»"


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# --- The table --------------------------------------------------------------------------------

RULES = [
    # The first rule that recognises the error speaks. Guesses that blame an earlier line
    # (checked by mending it) come before the rules that blame the line the parser gave up at.
    #
    # Not syntax: a file that parses but is not a regulation's kind of YAML.
    Rule(
        _unsupported_tag,
        "тег {tag} не поддерживается — в регламенте допустимы только текст, числа, списки и поля",
    ),
    Rule(_several_documents, "в файле несколько YAML-документов (разделитель ---) — оставьте один"),
    # Syntax.
    Rule(
        _tab,
        "символ табуляции — замените его пробелами: для отступов YAML принимает только пробелы",
    ),
    Rule(
        _unclosed_quote,
        "кавычка {quote} открыта здесь и не закрыта — поставьте закрывающую {quote} в конце значения",
    ),
    Rule(_unclosed_bracket, "скобка {opening} не закрыта — поставьте {closing} в конце значения"),
    Rule(
        _text_after_quote,
        "после закрывающей кавычки {quote} ещё текст — возьмите в кавычки всё значение "
        "или замените кавычки внутри текста на «ёлочки»",
    ),
    Rule(
        _value_starts_with_indicator,
        "значение начинается с «{char}», а этот знак в начале значения YAML понимает "
        "по-своему — возьмите всё значение в кавычки",
    ),
    Rule(_colon_in_value, "в значении двоеточие с пробелом — возьмите всё значение в кавычки"),
    Rule(_missing_colon, "после ключа «{key}» нет двоеточия — напишите «{key}: …»"),
    Rule(_no_space_after_colon, "после двоеточия нужен пробел — напишите «{key}: {value}»"),
    Rule(
        _block_text_left_of_key,
        "текст после «{header}» должен быть правее ключа — выровняйте отступы ключа и текста",
    ),
    Rule(
        _text_among_items,
        "строка без «- » среди пунктов списка — начните её с «- », как соседние пункты",
    ),
    Rule(
        _text_where_key_expected,
        "строка без ключа там, где ожидается «ключ: значение» — добавьте ключ с двоеточием "
        "или, если это продолжение текста выше, сдвиньте строку правее",
    ),
    Rule(
        _odd_line_above,
        "отступ не такой, как у строк ниже, — выровняйте {what} по {next} (строка {line})",
    ),
    Rule(
        _key_under_valued_key,
        "лишний отступ: {key} правее {above} (строка {line}), у которого уже есть значение, "
        "— выровняйте отступ с {above}",
    ),
    Rule(
        _misaligned, "отступ не совпадает ни с одним уровнем выше — выровняйте {what} по {targets}"
    ),
    Rule(
        _item_among_keys,
        "пункт списка «- » на уровне полей (как {key}, строка {line}) — уберите «- » "
        "или выровняйте отступы",
    ),
    Rule(
        _key_among_items,
        "поле {key} на уровне пунктов списка «- » (строка {line}) — начните строку с «- » "
        "или выровняйте поле с полями пункта",
    ),
    Rule(
        _bad_escape,
        "в двойных кавычках \\ начинает спецсимвол вроде \\n, а такого здесь нет — напишите "
        "\\\\ вместо \\ или возьмите значение в одинарные кавычки",
    ),
    # No rule is sure: the parser's complaint in Russian, at its own line.
    Rule(_parser_words, "ошибка синтаксиса YAML: {what}"),
]
