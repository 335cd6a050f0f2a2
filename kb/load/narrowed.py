"""What both YAML loaders refuse or change: implicit floats and timestamps, duplicate keys,
keys that are lists or mappings, integers too long to mean a number, nesting too deep."""

from __future__ import annotations

import yaml

TAG = "tag:yaml.org,2002:"
_DROPPED_TAGS = {TAG + "float", TAG + "timestamp"}

MAX_DEPTH = 50
"""Lists and mappings inside one another: a regulation needs about 8. Python's recursion
(loading, checking, rendering) gives out somewhere past 300, libyaml's C code crashes."""
TOO_DEEP = (
    f"вложенность глубже {MAX_DEPTH} уровней (списки и поля внутри друг друга) — "
    "проверьте скобки и отступы"
)
COMPLEX_KEY = "ключом поля может быть только текст, а здесь список или набор полей"
_MAX_DIGITS = 100
"""No number in a regulation is longer; Python refuses to convert 4,300 digits at all."""
_INT = yaml.constructor.SafeConstructor.construct_yaml_int


def construct_int(constructor, node) -> int:
    """SafeConstructor's integer, refused when it is longer than ``_MAX_DIGITS``."""
    if len(node.value) > _MAX_DIGITS:
        raise Refused(
            node.start_mark,
            f"число из {len(node.value)} знаков слишком длинное; если это текст, "
            "возьмите его в кавычки",
        )
    return _INT(constructor, node)


class Narrowed:
    """What both loaders refuse or change: implicit floats and timestamps, duplicate keys."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED_TAGS]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    # Only what JSON has: other tags (!!binary, !!set, !!float, …) get "тег не поддерживается".
    yaml_constructors = {
        **{
            tag: construct
            for tag, construct in yaml.SafeLoader.yaml_constructors.items()
            if tag is None or tag.removeprefix(TAG) in ("null", "bool", "str", "seq", "map")
        },
        TAG + "int": construct_int,
    }

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):  # e.g. "? [a, b]": unhashable
                raise Refused(key_node.start_mark, COMPLEX_KEY)
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise Refused(
                    key_node.start_mark,
                    f"ключ «{key}» повторяется (первый раз — в строке {seen[key]})",
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


class Refused(Exception):
    def __init__(self, mark, message: str):
        self.mark = mark
        self.message = message
