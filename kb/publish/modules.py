"""ES modules of the theme: their imports, checked, hashed leaves first, rewritten.

A page loads a module by its URL (``<script type="module" src>``, ``<link rel="modulepreload">``:
rewritten in the HTML like any asset, kb.publish.fingerprint); the module loads others by the
specifiers of its ``import … from "…"``, ``import "…"``, ``export … from "…"`` and
``import("…")``, which the build rewrites to their hashed names. A module's hashed name covers
its rewritten imports, so a changed module renames every module that imports it, directly or
not, and no page meets a cached importer that still names the old file.

The rules, each refused with one line naming the file, the line and the import:

- a module is a ``.mjs`` file of the theme and imports only such files, by a relative path
  (``./store.mjs``, ``../kb-words.mjs``): a bare name (``"lodash"``) needs an import map, a path
  from the root depends on the site's address, another host is blocked by the CSP;
- ``import()`` takes a string literal: a computed specifier cannot be given a hashed name;
- no import cycles. Hashing needs the imported names first, and in a cycle each name would
  depend on itself. One hash for a whole cycle would work, but a cycle is also where modules
  meet each other half-initialised; a tree is what our pages need, so a cycle is refused and
  split by moving what both use into a module of its own.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from kb.publish.jstokens import ScanError, Token, tokens

SUFFIX = ".mjs"
"""The module's extension: what marks a file to be read for imports (classic ``.js`` is not)."""

REFUSED = {
    "bare": "модуль по имени браузер не найдёт (import map нет): укажите путь к файлу .mjs "
    "темы — «./…» или «../…»",
    "absolute": "нужен относительный путь «./…» или «../…»: путь от корня зависит от адреса "
    "сайта, модуль с другого хоста не пропустит CSP",
    "not a module": "модуль импортирует только модули темы — файлы .mjs",
    "missing": "такого модуля в теме нет ({target})",
    "computed": "адрес в import() — не одна строка: вычисленному адресу сборка не даст имя с "
    "хэшем — напишите путь строкой, «./…»",
    "cycle": "модули импортируют друг друга по кругу ({cycle}): имя с хэшем модуля зависит от "
    "имён тех, что он импортирует, у круга его не вычислить — вынесите общее в отдельный модуль",
    "unreadable": "не разобрать исходный текст ({what})",
}
"""Why an import is refused (the message after ``file:line: import «…»:``)."""

_TAIL = re.compile(r"[?#]")


class ModuleError(ValueError):
    """A module's import that publishing refuses: ``path:line: import «spec»: why``."""


@dataclass(frozen=True)
class Import:
    """One specifier in a module's source."""

    specifier: str
    start: int
    """Offset of the specifier's first character (inside its quotes) in the source."""
    line: int

    @property
    def url(self) -> str:
        """The specifier without its query and fragment (kept when rewritten)."""
        return _TAIL.split(self.specifier, 1)[0]


@dataclass(frozen=True)
class Link:
    """An import resolved to the site path of the module it loads."""

    at: Import
    target: str


def imports(source: str, path: str) -> list[Import]:
    """The specifiers ``source`` (the module ``path``) imports, statically or by ``import()``."""
    try:
        seq = list(tokens(source))
    except ScanError as exc:
        raise _refused(path, _line(source, exc.offset), "…", "unreadable", what=exc) from None
    out = []
    for first, last in _specifiers(seq):
        line = _line(source, first.start)
        if first is not last or first.kind != "string":
            code = " ".join(source[first.start : last.end].split())
            raise _refused(path, line, code if len(code) <= 40 else code[:40] + "…", "computed")
        out.append(Import(first.text[1:-1], first.start + 1, line))
    return out


def links(sources: Mapping[str, str]) -> dict[str, list[Link]]:
    """Each module's imports resolved against the modules there are (site path → source)."""
    return {
        path: [Link(at, _target(path, at, sources)) for at in imports(source, path)]
        for path, source in sources.items()
    }


def resolve(importer: str, url: str) -> str:
    """The site path a relative ``url`` in the file ``importer`` (a site path) names."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(importer), url))


def leaves_first(graph: Mapping[str, list[Link]]) -> list[str]:
    """The modules ordered so that each comes after every module it imports."""
    order: list[str] = []
    done: set[str] = set()

    def visit(path: str, trail: list[str]) -> None:
        for link in graph[path]:
            if link.target in trail:
                cycle = [*trail[trail.index(link.target) :], link.target]
                shown = " → ".join(posixpath.basename(p) for p in cycle)
                raise _refused(path, link.at.line, link.at.specifier, "cycle", cycle=shown)
            if link.target not in done:
                visit(link.target, [*trail, link.target])
        done.add(path)
        order.append(path)

    for path in sorted(graph):
        if path not in done:
            visit(path, [path])
    return order


def rewrite(source: str, found: list[Link], names: Mapping[str, str]) -> str:
    """``source`` with each import pointing at the hashed name of its target (``names``)."""
    for link in sorted(found, key=lambda link: link.at.start, reverse=True):
        url = link.at.url
        new = posixpath.join(posixpath.dirname(url), posixpath.basename(names[link.target]))
        source = source[: link.at.start] + new + source[link.at.start + len(url) :]
    return source


def _specifiers(seq: list[Token]) -> Iterator[tuple[Token, Token]]:
    """The first and last token of every import's specifier in ``seq``: one string token, or
    for a computed ``import(…)`` its whole argument."""
    for i, token in enumerate(seq):
        if token.kind != "name" or token.text not in ("import", "export"):
            continue
        before = seq[i - 1].text if i else ""
        after = seq[i + 1] if i + 1 < len(seq) else None
        if before == "." or after is None or after.text in (":", "."):
            continue  # a property (obj.import, { import: … }) or import.meta
        if token.text == "import" and after.text == "(":
            argument = seq[i + 2 : _past(seq, i + 1, "(", ")") - 1] or [after]
            if argument[0].kind == "string" and (len(argument) == 1 or argument[1].text == ","):
                yield argument[0], argument[0]  # import("…") or import("…", { with: … })
            else:
                yield argument[0], argument[-1]
        elif token.text == "import" or after.text == "*":
            found = _first_string(seq, i + 1)
            yield found, found
        elif after.text == "{":
            j = _past(seq, i + 1, "{", "}")
            if j + 1 < len(seq) and seq[j].text == "from":
                yield seq[j + 1], seq[j + 1]


def _first_string(seq: list[Token], i: int) -> Token:
    """The module specifier of an import or ``export *`` starting at ``seq[i]``: the first
    string outside braces (strings inside them are names: ``{ "a-b" as ab }``)."""
    while i < len(seq) and seq[i].kind != "string":
        i = _past(seq, i, "{", "}") if seq[i].text == "{" else i + 1
        if i < len(seq) and seq[i].text == ";":
            break
    return seq[min(i, len(seq) - 1)]


def _past(seq: list[Token], i: int, opening: str, closing: str) -> int:
    """The index after the ``closing`` that closes the ``opening`` at ``seq[i]``."""
    depth = 0
    for j in range(i, len(seq)):
        if seq[j].kind == "punct":
            depth += {opening: 1, closing: -1}.get(seq[j].text, 0)
        if depth == 0:
            return j + 1
    return len(seq)


def _target(path: str, at: Import, sources: Mapping[str, str]) -> str:
    url = at.url
    if not url.startswith(("./", "../")):
        why = "absolute" if url.startswith("/") or urlsplit(url).scheme else "bare"
        raise _refused(path, at.line, at.specifier, why)
    target = resolve(path, url)
    if not target.endswith(SUFFIX):
        raise _refused(path, at.line, at.specifier, "not a module")
    if target not in sources:
        raise _refused(path, at.line, at.specifier, "missing", target=target)
    return target


def _line(source: str, offset: int) -> int:
    return source.count("\n", 0, offset) + 1


def _refused(path: str, line: int, spec: str, why: str, **details) -> ModuleError:
    return ModuleError(f"{path}:{line}: import «{spec}»: {REFUSED[why].format(**details)}")
