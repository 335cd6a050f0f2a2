"""Planned materials: related materials that name a regulation nobody has written yet (marked
``planned: true``, or linking to a KB file; ``kb.links.is_planned``) or one not published
(a draft, ``kb.status``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kb import links
from kb.load.regulation import Regulation
from kb.text import plain


@dataclass
class Planned:
    name: str
    """The planned material's name: the linked file name, or the title if there is no link."""
    title: str
    """The title it was first cited under."""
    cited_by: list[Regulation]


def find_planned(
    regulations: list[Regulation], is_planned: Callable[[dict], bool]
) -> list[Planned]:
    """Every planned material of ``regulations``, by name, each with the regulations that cite
    it; ``is_planned`` tells a related-material item that names no page (KnowledgeBase's)."""
    found: dict[str, Planned] = {}
    for regulation in regulations:
        for group in regulation.data.get("related", []):
            for item in group["items"]:
                if not is_planned(item):
                    continue
                name = links.planned_name(item)
                planned = found.setdefault(links.key(name), Planned(name, plain(item["title"]), []))
                if regulation not in planned.cited_by:
                    planned.cited_by.append(regulation)
    return sorted(found.values(), key=lambda p: p.name.casefold())
