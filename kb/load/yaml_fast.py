"""The fast path for YAML: libyaml (C) parses the common case, a valid file, about six times
faster than the exact loader in ``yaml_exact``.

libyaml cannot refuse aliases while composing, so a file with any alias, duplicate key, unusual
tag or error gives ``None`` here and is parsed again by the exact loader, which explains the
problem with a line number. Removing this file leaves the results unchanged, only slower
(``tests/test_kb_speed.py`` checks both give the same data).
"""

from __future__ import annotations

import yaml

from .narrowed import Narrowed

# libyaml (C) parses the common case, a valid file, about six times faster. It cannot refuse
# aliases while composing, so a file with any alias or any error is parsed again by _Loader.
_FastLoader = (
    type("_FastLoader", (Narrowed, yaml.CSafeLoader), {}) if yaml.__with_libyaml__ else None
)


def parse_fast(text: str):
    """``(node, data)`` parsed by libyaml, or ``None`` if the file needs the careful loader."""
    if _FastLoader is None:
        return None
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return node, _plain(node, set())
    except Exception:  # anything unusual: _Loader finds it again and describes it
        return None
    finally:
        loader.dispose()


class _Unusual(Exception):
    """An alias, a duplicate key or a tag that only the careful loader handles."""


_TAG = "tag:yaml.org,2002:"
_INT = yaml.constructor.SafeConstructor.construct_yaml_int
_BOOLS = yaml.constructor.SafeConstructor.bool_values


class _Scalars:
    """Just enough of a constructor for SafeConstructor.construct_yaml_int."""

    @staticmethod
    def construct_scalar(node) -> str:
        return node.value


def _plain(node, seen: set[int]):
    """The data SafeConstructor would build from libyaml's plain tags (str, int, bool, null,
    mappings, lists); raises _Unusual for anything else, including a node seen twice (an
    alias: libyaml reuses the anchored node)."""
    if id(node) in seen:
        raise _Unusual
    seen.add(id(node))
    tag = node.tag
    if tag == _TAG + "str":
        return node.value
    if tag == _TAG + "map":
        data = {}
        for key_node, value_node in node.value:
            key = _plain(key_node, seen)
            if key in data:  # also refuses unhashable keys, via TypeError
                raise _Unusual
            data[key] = _plain(value_node, seen)
        return data
    if tag == _TAG + "seq":
        return [_plain(item, seen) for item in node.value]
    if tag == _TAG + "int":
        return _INT(_Scalars, node)
    if tag == _TAG + "bool":
        return _BOOLS[node.value.lower()]
    if tag == _TAG + "null":
        return None
    raise _Unusual
