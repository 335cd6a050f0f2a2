"""Inline the JSON Schema's non-recursive ``$ref``s so that validation runs faster.

``jsonschema`` resolves every ``$ref`` at validation time (a registry lookup and a new
validator object each time); with hundreds of regulations that is most of the validation
cost. Replacing ``{"$ref": "#/$defs/text", "description": ...}`` by a copy of ``$defs.text``
gives the same verdicts and the same error details (``error.schema`` still carries
``x-message``), while recursive definitions (lists nested in lists) keep their ``$ref``.
"""

from __future__ import annotations

from typing import Any

_PREFIX = "#/$defs/"
# Keywords that only annotate: a sibling of $ref may override them without changing verdicts.
_ANNOTATIONS = {"description", "title", "$comment", "examples", "default"}


def inline_refs(schema: dict) -> dict:
    """A copy of ``schema`` with every local, non-recursive ``$ref`` replaced by its target."""
    defs: dict[str, Any] = schema.get("$defs", {})
    recursive = _recursive(defs)

    def walk(node: Any, key: str | None = None) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        if key in ("properties", "$defs", "patternProperties"):  # names, not schemas
            return {name: walk(value) for name, value in node.items()}
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_PREFIX) and ref[len(_PREFIX) :] in defs:
            name = ref[len(_PREFIX) :]
            if name not in recursive:
                siblings = {k: walk(v, k) for k, v in node.items() if k != "$ref"}
                target = walk(defs[name])
                clash = (set(siblings) & set(target)) - _ANNOTATIONS
                if not clash:
                    return {**target, **siblings}
                return {**siblings, "allOf": [target]}
        return {k: walk(v, k) for k, v in node.items()}

    return walk(schema)


def _recursive(defs: dict[str, Any]) -> set[str]:
    """Definitions that reach themselves through ``$ref``s."""

    def refs(node: Any) -> set[str]:
        if isinstance(node, dict):
            found = set()
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(_PREFIX):
                found.add(ref[len(_PREFIX) :])
            for value in node.values():
                found |= refs(value)
            return found
        if isinstance(node, list):
            return set().union(*map(refs, node)) if node else set()
        return set()

    direct = {name: refs(body) & set(defs) for name, body in defs.items()}
    recursive = set()
    for start in defs:
        seen, stack = set(), list(direct[start])
        while stack:
            name = stack.pop()
            if name == start:
                recursive.add(start)
                break
            if name not in seen:
                seen.add(name)
                stack += direct[name]
    return recursive
