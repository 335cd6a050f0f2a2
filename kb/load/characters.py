"""Characters no regulation may contain: control characters (NUL, escape, …) and the invisible
controls of text direction, which make a text read otherwise than it is written (after U+202E
the rest of a line shows right to left). In values they break pages and search or mislead the
reader; anywhere in a file they mislead whoever reviews it."""

from __future__ import annotations

import re

_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0, DEL and C1 but tab, LF and CR
_CR = "\r"  # ends lines in a file (CRLF files are fine); only an escape ("\r") puts it in a value
_SEPARATORS = "\u2028\u2029"  # line breaks to YAML, not to editors: lines would not match
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_NONCHARACTERS = "\ufffe\uffff"  # YAML refuses them in a file

IN_FILE = re.compile(f"[{_CONTROL}{_SEPARATORS}{_BIDI}{_NONCHARACTERS}]")
IN_VALUE = re.compile(f"[{_CONTROL}{_CR}{_SEPARATORS}{_BIDI}{_NONCHARACTERS}]")

_KINDS = [
    (re.compile(f"[{_CONTROL}{_CR}]"), "управляющий символ"),
    (re.compile(f"[{_SEPARATORS}]"), "невидимый символ разрыва строки"),
    (re.compile(f"[{_BIDI}]"), "невидимый символ направления текста"),
    (re.compile(f"[{_NONCHARACTERS}]"), "символ"),
]


def refusal(char: str) -> str:
    """Why ``char`` (one matched by ``IN_FILE`` or ``IN_VALUE``) is refused, in Russian."""
    kind = next(name for chars, name in _KINDS if chars.match(char))
    return f"{kind} U+{ord(char):04X} недопустим — удалите его"
