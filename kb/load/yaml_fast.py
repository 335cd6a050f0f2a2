"""The fast path for YAML: libyaml (C) parses the common case, a valid file, about six times
faster than the exact loader in ``yaml_exact``.

libyaml cannot refuse aliases while composing, so a file with any alias, duplicate key, unusual
tag or error gives ``None`` here and is parsed again by the exact loader, which explains the
problem with a line number. Removing this file leaves the results unchanged, only slower
(``tests/test_kb_speed.py`` checks both give the same data).

libyaml's composer (PyYAML's C extension) recurses once per nesting level with no limit: a
file nested some 30,000 deep overflows the C stack and the process dies (a segfault, no
exception). So a text is handed to it only when it cannot nest deeper than ``_C_SAFE_DEPTH``.
"""

from __future__ import annotations

import yaml

from .narrowed import MAX_DEPTH, TAG, Narrowed, construct_int

# libyaml (C) parses the common case, a valid file, about six times faster. It cannot refuse
# aliases while composing, so a file with any alias or any error is parsed again by _Loader.
_FastLoader = (
    type("_FastLoader", (Narrowed, yaml.CSafeLoader), {}) if yaml.__with_libyaml__ else None
)


_C_SAFE_DEPTH = 2000
"""About 600 KB of C stack (some 300 bytes a level): a tenth of the usual 8 MB of a process or
thread. A 20 KB regulation has about 850 of the characters below, so files up to some 50 KB
take the fast path."""


def _deepest_possible(text: str) -> int:
    """An upper bound of the nesting depth, for the price of a few scans: every list or
    mapping needs a character of its own — ``[`` or ``{`` (flow), ``-`` (a block list's
    first item), ``:`` or ``?`` (a mapping's first key)."""
    return sum(text.count(char) for char in "[{-:?") + 1


def parse_fast(text: str):
    """``(node, data)`` parsed by libyaml, or ``None`` if the file needs the careful loader."""
    if _FastLoader is None or _deepest_possible(text) > _C_SAFE_DEPTH:
        return None
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return node, _plain(node, set(), 0)
    except Exception:  # anything unusual: _Loader finds it again and describes it
        return None
    finally:
        loader.dispose()


class _Unusual(Exception):
    """An alias, a duplicate key, a tag or a depth that only the careful loader handles."""


_BOOLS = yaml.constructor.SafeConstructor.bool_values


class _Scalars:
    """Just enough of a constructor for SafeConstructor.construct_yaml_int."""

    @staticmethod
    def construct_scalar(node) -> str:
        return node.value


def _plain(node, seen: set[int], depth: int):
    """The data SafeConstructor would build from libyaml's plain tags (str, int, bool, null,
    mappings, lists); raises _Unusual for anything else, including a node seen twice (an
    alias: libyaml reuses the anchored node) and one inside more than MAX_DEPTH others."""
    if id(node) in seen or depth > MAX_DEPTH:
        raise _Unusual
    seen.add(id(node))
    tag = node.tag
    if tag == TAG + "str":
        return node.value
    if tag == TAG + "map":
        data = {}
        for key_node, value_node in node.value:
            key = _plain(key_node, seen, depth + 1)
            if key in data:  # also refuses unhashable keys, via TypeError
                raise _Unusual
            data[key] = _plain(value_node, seen, depth + 1)
        return data
    if tag == TAG + "seq":
        return [_plain(item, seen, depth + 1) for item in node.value]
    if tag == TAG + "int":
        return construct_int(_Scalars, node)
    if tag == TAG + "bool":
        return _BOOLS[node.value.lower()]
    if tag == TAG + "null":
        return None
    raise _Unusual
