"""What both YAML loaders refuse or change: implicit floats and timestamps, duplicate keys."""

from __future__ import annotations

import yaml

_DROPPED_TAGS = {"tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}


class Narrowed:
    """What both loaders refuse or change: implicit floats and timestamps, duplicate keys."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED_TAGS]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
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
