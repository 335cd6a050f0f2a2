"""When a regulation is due for review, and whether it is overdue.

``meta.review`` is either ``{by: YYYY-MM-DD}`` (a fixed date) or ``{every_months: N}``
(N months after ``meta.updated``); a regulation without it gets the site's default period
(``extra.kb.review_every_months`` in ``mkdocs.yml``), if one is set. A regulation is overdue
the day after its due date.
"""

from __future__ import annotations

import calendar
import os
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from kb.text import plain

if TYPE_CHECKING:
    from kb.load.regulation import Regulation

TODAY_VARIABLE = "KB_TODAY"
"""Environment variable that pins "today" (``YYYY-MM-DD``) for tests and previews."""


@dataclass(frozen=True)
class Review:
    due: date
    """The last day the regulation counts as fresh."""
    overdue: bool
    owner: str
    every_months: int | None = None
    """The period the due date counts from ``updated``; ``None`` for a fixed date."""
    default: bool = False
    """The period is the site's default: the regulation sets none of its own."""


def add_months(day: date, months: int) -> date:
    """``day`` shifted by ``months``; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(meta: dict, default_months: int | None = None) -> date | None:
    """When the regulation must be reviewed, or ``None`` if no review is planned."""
    review = meta.get("review") or {}
    if review.get("by"):
        return date.fromisoformat(review["by"])
    months = review.get("every_months") or default_months
    if months:
        return add_months(date.fromisoformat(meta["updated"]), months)
    return None


def review_of(meta: dict, today: date, default_months: int | None = None) -> Review | None:
    """The regulation's review: its own ``meta.review``, else the site's default period."""
    due = due_date(meta, default_months)
    if due is None:
        return None
    review = meta.get("review") or {}
    months = None if review.get("by") else review.get("every_months") or default_months
    default = not review and months is not None
    return Review(due, today > due, meta.get("owner", ""), months, default)


def today_from(environ: dict[str, str] | None = None) -> date:
    """Today's date, unless ``KB_TODAY`` pins another one; a bad value raises ``ValueError``."""
    value = (os.environ if environ is None else environ).get(TODAY_VARIABLE, "").strip()
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{TODAY_VARIABLE}={value!r}: ожидается дата в формате ГГГГ-ММ-ДД "
            "(например, 2025-03-01)"
        ) from None


def overdue_note(overdue: list[tuple[Regulation, Review]]) -> str:
    """The build's line about regulations past their review date, for their owners."""
    return f"Требуют актуализации ({len(overdue)}): " + "; ".join(
        f"{r.source} «{plain(r.title)}» — срок {review.due.isoformat()}, "
        f"ответственный: {review.owner}"
        for r, review in overdue
    )


def history_problems(regulation: Regulation) -> tuple[list[str], list[str]]:
    """What the history says against ``meta``: (notes, warnings), one line each.

    A note: the current ``version`` has no row in ``history`` (raised without saying what
    changed). A warning — ``--strict`` fails on it: a history row is dated after ``updated``
    (the change was logged but the page still shows the old date). A regulation without a
    history section keeps no log: nothing to compare.
    """
    meta, history = regulation.meta, regulation.data.get("history") or []
    if not history:
        return [], []
    notes, warnings = [], []
    if meta["version"] not in {row["version"] for row in history}:
        notes.append(
            f"{regulation.source}: поле meta.version: версии «{meta['version']}» нет в истории "
            "изменений (history) — добавьте строку о том, что изменилось"
        )
    latest = max(history, key=lambda row: row["date"])
    if latest["date"] > meta["updated"]:
        warnings.append(
            f"{regulation.source}: поле meta.updated: {meta['updated']} — раньше последней "
            f"строки истории изменений (версия {latest['version']} от {latest['date']}); "
            "укажите в updated дату этого изменения"
        )
    return notes, warnings
