"""What regulations say about each other, checked once every regulation of a folder is loaded.

A regulation's title is its name on the site and in links: two regulations may not share it.
A related material's ``regulation`` must name one that exists, unless the item says
``planned: true``; an item without ``regulation`` may not name several by its title and link
(``kb.links`` decides what names what). An obsolete regulation's ``meta.replaced_by`` must name
another one that exists; no other status may name a replacement (``kb.status``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from kb import links
from kb.problems import Problem, format_path, maybe_meant
from kb.status import STATUSES
from kb.text import plain

if TYPE_CHECKING:
    from kb.load.regulation import Regulation


def reference_problems(
    regulations: list[Regulation], unloaded: Iterable[tuple[str, str]] = ()
) -> list[Problem]:
    """The problems between ``regulations`` (one folder's); ``unloaded``: ``(slug, file)`` of
    the folder's files that did not load — they exist, known by their slug."""
    where = {slug: source for slug, source in unloaded}
    named = [*((slug, slug) for slug in where), *((r.slug, r.title) for r in regulations)]
    table = links.every_name(named)
    where.update((r.slug, r.source) for r in regulations)
    problems = list(_same_titles(regulations))
    for regulation in regulations:
        found = [
            *_related_problems(regulation.data, table, where),
            *_replacement_problems(regulation.slug, regulation.meta, where),
        ]
        for path, message in found:
            problems.append(
                Problem(regulation.source, regulation.line_of(path), format_path(path), message)
            )
    return problems


def _same_titles(regulations: list[Regulation]) -> Iterator[Problem]:
    """Each regulation whose title another one has too, naming that one (the first of them;
    the first names the second), so that checking any one file of them shows the clash."""
    groups: dict[str, list[Regulation]] = {}
    for regulation in sorted(regulations, key=lambda r: r.source):
        groups.setdefault(links.key(plain(regulation.title)), []).append(regulation)
    for group in groups.values():
        for index, regulation in enumerate(group if len(group) > 1 else []):
            other = group[1 if index == 0 else 0]
            yield Problem(
                regulation.source,
                regulation.line_of(("title",)),
                "title",
                f"такое же название у {other.source}",
            )


def _related_problems(data: dict, table: dict, where: dict[str, str]):
    for g_index, group in enumerate(data.get("related", [])):
        for i_index, item in enumerate(group["items"]):
            path = ("related", g_index, "items", i_index)
            slug = item.get("regulation")
            if slug and slug not in where and not item.get("planned"):
                yield (
                    (*path, "regulation"),
                    f"регламента «{slug}» нет"
                    + (
                        maybe_meant(slug, _short_forms(where))
                        or " — если он ещё не написан, добавьте пункту planned: true"
                    ),
                )
            elif not slug and len(found := links.candidates(table, item)) > 1:
                yield (
                    path,
                    (
                        "название и ссылка подходят к нескольким регламентам: "
                        + ", ".join(where[s] for s in found)
                        + " — укажите нужный в поле regulation (имя файла без .yml)"
                    ),
                )


def _replacement_problems(slug: str, meta: dict, where: dict[str, str]):
    replacement = meta.get("replaced_by")
    if replacement is None:
        return
    path = ("meta", "replaced_by")
    replaceable = [s.word for s in STATUSES.values() if s.replaceable]
    if meta["status"] not in replaceable:
        yield (
            path,
            "замену указывают только у регламента со статусом "
            + " или ".join(f"«{word}»" for word in replaceable)
            + f", а у этого — «{meta['status']}»: уберите replaced_by или смените статус",
        )
    elif replacement == slug:
        yield path, "регламент не может заменять сам себя — укажите регламент, который действует"
    elif replacement not in where:
        yield (
            path,
            f"регламента «{replacement}» нет"
            + (
                maybe_meant(replacement, _short_forms(set(where) - {slug}))
                or " — укажите имя файла действующего регламента без .yml"
            ),
        )


def _short_forms(slugs: Iterable[str]) -> dict[str, str]:
    """Each slug and its leading words → the slug: a slug is often typed short and misspelt
    («escalaton» for escalation-to-development), too unlike the whole slug to be suggested."""
    forms = {}
    for slug in sorted(slugs, reverse=True):  # a shared short form suggests the first slug
        words = slug.split("-")
        forms.update(("-".join(words[:n]), slug) for n in range(1, len(words) + 1))
    return forms
