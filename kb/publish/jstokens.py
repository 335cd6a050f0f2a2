"""JavaScript source split the way the language's lexer splits it, and no further.

Publishing reads our scripts in two places where a string must not be taken for code: the
imports of a module (kb.publish.modules: an ``import "./x.mjs"`` inside a string, a comment or
a template literal is text) and the lines the minifier must keep as they are (kb.publish.minify:
a line that starts inside a template literal is text, its indentation and a ``//`` in it
included). Both need only the lexer's view: names, punctuation, strings, template literals,
regular expressions; comments and spaces are skipped.

The lexer's one guess is the language's own: whether ``/`` starts a regular expression or
divides depends on the token before it (after a value — a name, a number, ``)``, ``]``, a
string — it divides). tests/test_publish_modules.py compares the imports found with V8's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Spaces and comments between tokens (a comment that never closes stops the match at "/*").
_GAP = re.compile(r"(?:\s+|//[^\n\r\u2028\u2029]*|/\*.*?\*/)*", re.S)
_NAME = re.compile(r"[\w$\\]+")  # names, keywords and numbers alike
_STRING = re.compile(r""""(?:[^"\\\n\r]|\\[\s\S])*"|'(?:[^'\\\n\r]|\\[\s\S])*'""")
# A template literal's text, from its "`" (or the "}" that ends a ${…}) to "`" or "${".
_TEMPLATE = re.compile(r"[`}](?:[^`\\$]|\\[\s\S]|\$(?!\{))*(?:`|\$\{)")
_REGEX = re.compile(r"/(?:[^/\\\[\n\r]|\\.|\[(?:[^\]\\\n\r]|\\.)*\])+/[\w$]*")
# Names after which an expression (and so a regular expression) starts.
_OPERATOR_WORDS = frozenset(
    "return typeof instanceof in of new delete void throw case do else yield await".split()  # noqa: SIM905
)


class ScanError(ValueError):
    """Source the lexer cannot split: an unclosed string, template literal or comment."""

    def __init__(self, offset: int, what: str):
        super().__init__(what)
        self.offset = offset


@dataclass(frozen=True)
class Token:
    kind: str
    """``name``, ``punct`` (one character), ``string``, ``template`` (a literal's text up to
    its end or its next ``${``) or ``regex``."""
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def tokens(source: str) -> Iterator[Token]:
    """The tokens of ``source`` in order; raise :class:`ScanError` where it cannot be split."""
    braces: list[bool] = []  # one per open "{": True for a template literal's "${"
    previous: Token | None = None
    pos = _GAP.match(source).end()
    while pos < len(source):
        char = source[pos]
        if source.startswith("/*", pos):
            raise ScanError(pos, "незакрытый комментарий /*")
        if char == "`" or (char == "}" and braces and braces[-1]):
            match = _TEMPLATE.match(source, pos)
            if match is None:
                raise ScanError(pos, "незакрытый шаблон `…`")
            if char == "}":
                braces.pop()
            token = Token("template", match[0], pos)
            if token.text.endswith("${"):
                braces.append(True)
        elif char in "\"'":
            match = _STRING.match(source, pos)
            if match is None:
                raise ScanError(pos, "незакрытая строка")
            token = Token("string", match[0], pos)
        elif char == "/" and _expression_may_start(previous) and (m := _REGEX.match(source, pos)):
            token = Token("regex", m[0], pos)
        elif match := _NAME.match(source, pos):
            token = Token("name", match[0], pos)
        else:
            token = Token("punct", char, pos)
            if char == "{":
                braces.append(False)
            elif char == "}" and braces:
                braces.pop()
        yield token
        previous = token
        pos = _GAP.match(source, token.end).end()


def _expression_may_start(previous: Token | None) -> bool:
    if previous is None:
        return True
    if previous.kind == "name":
        return previous.text in _OPERATOR_WORDS
    if previous.kind == "template":
        return previous.text.endswith("${")
    if previous.kind == "punct":
        return previous.text not in ")]"  # after "}" a statement starts more often than not
    return False  # a string or a regular expression: a value
