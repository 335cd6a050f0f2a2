"""Planned materials: related materials that name a regulation nobody has written yet (marked
``planned: true``, or linking to a KB file; ``kb.links.is_planned``)."""

from __future__ import annotations

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


def find_planned(regulations: list[Regulation], names: links.Names) -> list[Planned]:
    """Every planned material, by name, each with the regulations that cite it."""
    found: dict[str, Planned] = {}
    for regulation in regulations:
        for group in regulation.data.get("related", []):
            for item in group["items"]:
                if not links.is_planned(names, item):
                    continue
                name = links.planned_name(item)
                planned = found.setdefault(links.key(name), Planned(name, plain(item["title"]), []))
                if regulation not in planned.cited_by:
                    planned.cited_by.append(regulation)
    return sorted(found.values(), key=lambda p: p.name.casefold())
