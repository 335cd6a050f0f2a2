"""Content-hashed names for our own assets, so that browsers may cache them for a year.

HTML is served ``no-cache``; every script and style it references gets a name that changes
with its bytes (``kb/kb.css`` → ``kb/kb.1a2b3c4d.css``, the same pattern as Material's own
``main.<hash>.min.css``), so a page never meets a cached script of another build and one
nginx rule caches Material's assets and ours alike.

ES modules (``.mjs``) name each other inside their text: their imports are rewritten to the
hashed names and a module is hashed after the modules it imports, so its name covers theirs
(the rules and their refusals: kb.publish.modules).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterable, Mapping

from kb.publish import modules

DIGITS = 8
"""Hex digits of the SHA-256 in a hashed name (as Material's asset names)."""
SUFFIXES = (".js", modules.SUFFIX, ".css")
"""What gets a hashed name: everything a page or a script loads by URL from our theme."""


def hashed_name(path: str, content: bytes) -> str:
    """``kb/components/kb.js`` → ``kb/components/kb.<first 8 hex of sha256>.js``."""
    stem, dot, suffix = path.rpartition(".")
    digest = hashlib.sha256(content).hexdigest()[:DIGITS]
    return f"{stem}.{digest}{dot}{suffix}"


def fingerprintable(path: str) -> bool:
    return path.endswith(SUFFIXES)


class Fingerprints:
    """Site path → hashed site path, and the rewriting of references in built pages.

    A reference is any quoted URL in the page (an ``href``/``src``/``data-kb-src`` attribute
    or a string in Material's ``__config`` JSON, which names the search worker) that resolves
    to one of the assets: relative to the page, or absolute under the site's root path.
    Query and fragment are kept.
    """

    def __init__(self, names: Mapping[str, str], contents: Mapping[str, bytes] | None = None):
        self.names = dict(names)
        self.contents = dict(contents or {})
        """Site path → the bytes to serve, for the modules (their imports rewritten)."""
        if not self.names:
            self._quoted = None
            return
        basenames = sorted({posixpath.basename(p) for p in self.names}, key=len, reverse=True)
        self._ending = {suffix: [b for b in basenames if b.endswith(suffix)] for suffix in SUFFIXES}
        # A quoted string whose path ends in one of the asset file names; the whole path is
        # resolved and checked afterwards, so a same-named file elsewhere is left alone.
        self._quoted = re.compile(
            r"""(?P<q>["'])(?P<dir>[^"'\s<>?#]*/)?(?P<base>"""
            + "|".join(re.escape(b) for b in basenames)
            + r""")(?P<tail>[?#][^"'\s<>]*)?(?P=q)"""
        )

    @classmethod
    def of(cls, assets: Iterable[tuple[str, bytes]]) -> Fingerprints:
        """Hashed names for the given (site path, content) pairs that are scripts or styles;
        raise :class:`kb.publish.modules.ModuleError` for an import the rules refuse."""
        names, sources = {}, {}
        for path, data in assets:
            if path.endswith(modules.SUFFIX):
                try:
                    sources[path] = data.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise modules.ModuleError(f"{path}: модуль не в UTF-8 ({exc})") from None
            elif fingerprintable(path):
                names[path] = hashed_name(path, data)
        graph = modules.links(sources)
        contents = {}
        for path in modules.leaves_first(graph):
            contents[path] = modules.rewrite(sources[path], graph[path], names).encode("utf-8")
            names[path] = hashed_name(path, contents[path])
        return cls(names, contents)

    def rewrite(self, html: str, page: str, root: str = "/") -> str:
        """``html`` of the file ``page`` (site path, e.g. ``faq/index.html``) with hashed URLs.

        ``root`` is the URL path of the site (``/`` or ``/kb/``): pages such as 404.html
        use absolute paths under it.
        """
        if self._quoted is None:
            return html
        hashed = self._hashed(page, root)
        out, done = [], 0
        for start in self._candidates(html):
            if start < done:
                continue
            match = self._quoted.match(html, start)
            if match:
                out += [html[done:start], hashed(match)]
                done = match.end()
        return "".join(out) + html[done:] if out else html

    def rewrite_exact(self, html: str, page: str, root: str = "/") -> str:
        """What :meth:`rewrite` does, by one regular expression over the whole page (the exact
        path its speed path is tested against: tests/test_publish.py)."""
        if self._quoted is None:
            return html
        return self._quoted.sub(self._hashed(page, root), html)

    def _candidates(self, html: str):
        """Where a reference may start, in order: the quote before each place where an asset's
        file name ends (found by its suffix, ``.js``/``.mjs``/``.css``). A reference's path holds
        no quote, so its opening quote is the nearest one before its file name."""
        found = set()
        for suffix, names in self._ending.items():
            at = html.find(suffix)
            while at != -1:
                end = at + len(suffix)
                for name in names:
                    if html.startswith(name, end - len(name)):
                        quote = max(
                            html.rfind('"', 0, end - len(name)), html.rfind("'", 0, end - len(name))
                        )
                        if quote != -1:
                            found.add(quote)
                at = html.find(suffix, at + 1)
        return sorted(found)

    def _hashed(self, page: str, root: str):
        here = posixpath.dirname(page)

        def hashed(match: re.Match) -> str:
            folder = match["dir"] or ""
            url = folder + match["base"]
            if ":" in folder or url.startswith("//"):
                return match[0]  # another host
            if url.startswith("/"):
                if not url.startswith(root):
                    return match[0]
                path = url[len(root) :]
            else:
                path = posixpath.normpath(posixpath.join(here, url))
            new = self.names.get(path)
            if new is None:
                return match[0]
            q = match["q"]
            return f"{q}{folder}{posixpath.basename(new)}{match['tail'] or ''}{q}"

        return hashed
