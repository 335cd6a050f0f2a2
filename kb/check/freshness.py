"""When a regulation is due for review, and whether it is overdue.

``meta.review`` is either ``{by: YYYY-MM-DD}`` (a fixed date) or ``{every_months: N}``
(N months after ``meta.updated``). A regulation is overdue the day after its due date.
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


def add_months(day: date, months: int) -> date:
    """``day`` shifted by ``months``; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(meta: dict) -> date | None:
    """When the regulation must be reviewed, or ``None`` if no review is planned."""
    review = meta.get("review") or {}
    if review.get("by"):
        return date.fromisoformat(review["by"])
    if review.get("every_months"):
        return add_months(date.fromisoformat(meta["updated"]), review["every_months"])
    return None


def review_of(meta: dict, today: date) -> Review | None:
    due = due_date(meta)
    if due is None:
        return None
    return Review(due, today > due, meta.get("owner", ""))


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
