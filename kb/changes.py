"""What changed between two versions of a regulation, element by element, by stable id.

An element is anything a reader can point at on the page: a step, an action, a criterion, a
special case, an example, a template, a FAQ entry, a checklist item, a typical error. Two
versions are compared by the elements' ids, so a renumbered step is not a change, and a
reworded one is «изменено» with the parts that differ (its title, its Where, …). The words
are ``kb.vocabulary.CHANGES``; the page, the home page and the JSON for the work page show the
same list (``kb.site``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from itertools import pairwise

from kb.load.history import FileHistory
from kb.text import plain


@dataclass(frozen=True)
class Part:
    """One kind of element: where its elements are, what names one, its fragment on the page,
    and the keys that are elements of their own (compared separately)."""

    elements: Callable[[dict], Iterator[dict]]
    name: str
    anchor: str
    nested: tuple[str, ...] = ()


def _list(data: dict, key: str) -> list:
    value = data.get(key)
    return value if isinstance(value, list) else []


def _each(*keys: str) -> Callable[[dict], Iterator[dict]]:
    """The elements at ``keys`` (a path through lists), e.g. ``("steps", "actions")``."""

    def walk(data: dict) -> Iterator[dict]:
        level = [data]
        for key in keys:
            level = [
                item for parent in level for item in _list(parent, key) if isinstance(item, dict)
            ]
        yield from level

    return walk


def _actions(data: dict) -> Iterator[dict]:
    yield from _each("steps", "actions")(data)
    yield from _each("special_cases", "actions")(data)


# In the order of the page.
PARTS: dict[str, Part] = {
    "term": Part(_each("content", "blocks", "terms"), "term", "term-"),
    "step": Part(_each("steps"), "title", "step-", ("actions",)),
    "action": Part(_actions, "text", "action-"),
    "case": Part(_each("special_cases"), "title", "case-", ("actions",)),
    "example": Part(_each("examples"), "title", "example-"),
    "template": Part(_each("templates"), "title", "template-"),
    "faq": Part(_each("faq"), "question", "faq-"),
    "error": Part(_each("errors"), "error", "error-"),
    "checklist": Part(_each("checklist"), "text", "check-"),
}

_LABEL_LENGTH = 90


@dataclass(frozen=True)
class Change:
    change: str
    """``added``, ``changed`` or ``removed`` (``kb.vocabulary.CHANGES["change"]``)."""
    kind: str
    """A key of ``PARTS``."""
    id: str
    label: str
    """The element's name as plain text, shortened."""
    anchor: str | None
    """Its fragment on the page; ``None`` when removed (it is not on the page any more)."""
    parts: tuple[str, ...] = ()
    """For a change: the element's keys that differ, e.g. ``("title", "where")``."""


@dataclass(frozen=True)
class Version:
    """A version of a regulation and what it changed against the one before."""

    version: str
    previous: str
    date: date
    changes: tuple[Change, ...]


def _by_id(part: Part, data: dict) -> dict[str, dict]:
    return {e["id"]: e for e in part.elements(data) if isinstance(e.get("id"), str)}


def _label(element: dict, part: Part) -> str:
    text = plain(str(element.get(part.name) or element["id"]))
    return text if len(text) <= _LABEL_LENGTH else text[: _LABEL_LENGTH - 1].rstrip() + "…"


def changes_between(old: dict, new: dict) -> list[Change]:
    """What ``new`` adds, changes and removes against ``old``, in the order of the page."""
    found: list[Change] = []
    for kind, part in PARTS.items():
        before, after = _by_id(part, old), _by_id(part, new)
        for id_, element in after.items():
            if id_ not in before:
                found.append(Change("added", kind, id_, _label(element, part), part.anchor + id_))
                continue
            keys = sorted((set(element) | set(before[id_])) - set(part.nested))
            differ = tuple(k for k in keys if element.get(k) != before[id_].get(k))
            if differ:
                label = _label(element, part)
                found.append(Change("changed", kind, id_, label, part.anchor + id_, differ))
        for id_, element in before.items():
            if id_ not in after:
                found.append(Change("removed", kind, id_, _label(element, part), None))
    return found


def versions_of(history: FileHistory) -> list[Version]:
    """Every version after the first with what it changed; latest first."""
    snapshots = history.versions
    return [
        Version(new.version, old.version, new.date, tuple(changes_between(old.data, new.data)))
        for old, new in pairwise(snapshots)
    ][::-1]


def version_kept(history: FileHistory) -> str | None:
    """The version number when the file's content differs from its newest commit but its
    number does not (the maintainer changed it without a new ``meta.version``)."""
    committed, now = history.committed, history.versions[-1].data
    if committed is None or committed == now:
        return None
    number = now["meta"]["version"]
    return number if committed["meta"]["version"] == number else None


def recent(versions: list[Version], today: date, days: int) -> list[Version]:
    """The versions of the last ``days`` days."""
    return [v for v in versions if v.date >= today - timedelta(days=days)]


FORMAT = "kb.changes.v1"


def changes_json(versions: list[Version]) -> str:
    """The change list as the work page reads it (``changes.json`` beside the reading page)."""
    rows = [asdict(v) | {"date": v.date.isoformat()} for v in versions]
    return json.dumps({"format": FORMAT, "versions": rows}, ensure_ascii=False)
