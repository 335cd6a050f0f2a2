"""Whole-line comments and indentation out of our own scripts and styles, at build time.

The budget of a page's own JS + CSS (10 KB gzipped, issue 11) counts what is served, and a
third of our sources' compressed size is comments and indentation that explain the code to
its readers, not to browsers. Only what cannot change the meaning goes: a line that is a
``//`` comment, a ``/* … */`` comment that starts a line and ends one, leading whitespace and
empty lines. (Our scripts have no multi-line strings or template literals, where such a line
would be text; kb.publish checks every minified script still parses — tests/test_publish.py.)
"""

from __future__ import annotations

MINIFIED = ("kb/kb.css", "kb/components/")
"""Site paths (prefixes) whose scripts and styles are minified: ours, not the search worker."""


def minifiable(path: str) -> bool:
    return path.endswith((".js", ".css")) and path.startswith(MINIFIED)


def minify(text: str) -> str:
    """``text`` without whole-line comments, indentation and empty lines."""
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
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
