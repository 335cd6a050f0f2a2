"""Whole-line comments and indentation out of our own scripts and styles, at build time.

The budget of a page's own JS + CSS (10 KB gzipped, issue 11) counts what is served, and a
third of our sources' compressed size is comments and indentation that explain the code to
its readers, not to browsers. Only what cannot change the meaning goes: a line that is a
``//`` comment, a ``/* … */`` comment that starts a line and ends one, leading whitespace and
empty lines. In a script, a line that starts inside a string or a template literal is text and
stays exactly as it is (kb.publish.jstokens finds them); ``import``/``export`` lines are code
like any other, so a module stays a module. kb.publish checks that every minified script still
parses, modules as modules (tests/test_publish.py).
"""

from __future__ import annotations

from bisect import bisect_left

from kb.publish.jstokens import ScanError, tokens

MINIFIED = ("kb/kb.css", "kb/components/")
"""Site paths (prefixes) whose scripts and styles are minified: ours, not the search worker."""
SCRIPTS = (".js", ".mjs")
STYLES = (".css",)


def minifiable(path: str) -> bool:
    return path.endswith(SCRIPTS + STYLES) and path.startswith(MINIFIED)


def minify(text: str, path: str) -> str:
    """``text`` of the file ``path`` without whole-line comments, indentation and empty lines."""
    lines = text.split("\n")
    try:
        verbatim = _inside_literals(text, lines) if path.endswith(SCRIPTS) else set()
    except ScanError:
        return text  # an unclosed string or comment: not ours to judge, keep the source
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i in verbatim:
            out.append(lines[i])
            i += 1
            continue
        line = lines[i].strip()
        if line.startswith("/*"):
            end = i
            while "*/" not in lines[end]:
                end += 1
                if end == len(lines):
                    return text  # an unclosed comment: not ours to judge, keep the source
            if lines[end].rstrip().endswith("*/") and lines[end].count("*/") == 1:
                i = end + 1
                continue
        if line and not line.startswith("//"):
            out.append(line)
        i += 1
    return "\n".join(out) + "\n"


def _inside_literals(text: str, lines: list[str]) -> set[int]:
    """Indices of the ``lines`` of ``text`` that start inside a string or template literal."""
    spans = [(t.start, t.end) for t in tokens(text) if t.kind in ("string", "template")]
    starts = [start for start, _ in spans]
    inside, offset = set(), 0
    for index, line in enumerate(lines):
        k = bisect_left(starts, offset) - 1  # the last literal that starts before the line
        if k >= 0 and offset < spans[k][1]:
            inside.add(index)
        offset += len(line) + 1
    return inside
