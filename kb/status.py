"""Regulation statuses (``meta.status``) and what each does to the site, in one table.

The schema's enum, the status badge, the banner at the top of a page, which regulations
`make build` publishes, which are listed on the home page and which rank last in search all
read this table; nothing else spells a status.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    word: str
    """As written in ``meta.status`` (the schema's enum) and shown on the badge."""
    modifier: str
    """The badge's CSS modifier: ``kb-status--<modifier>`` (overrides/kb/kb.css)."""
    published: bool
    """`make build` publishes it. `make serve` shows every regulation, so that a draft can be
    read as it will look; a published site has no trace of an unpublished one (page, home
    card, reference entries, tags, search, ticket data), and links to it read «планируется»."""
    listed: bool
    """It has a card on the home page (its page and navigation entry stay either way)."""
    ranked_last: bool
    """Its page follows every other page in search results (kb.search.RANKED_LAST_BOOST)."""
    banner: str | None
    """The note at the top of its page, or ``None`` for none."""
    admonition: str = "note"
    """The banner's Material admonition kind (its colour and icon)."""
    replaceable: bool = False
    """It may name the regulation that replaces it (``meta.replaced_by``)."""


CURRENT = "Актуально"
DRAFT = "Черновик"
"""What `make new` writes (kb.scaffold): a new regulation is not published until it is ready."""

STATUSES: dict[str, Status] = {
    status.word: status
    for status in (
        Status(CURRENT, "current", published=True, listed=True, ranked_last=False, banner=None),
        Status(
            DRAFT,
            "draft",
            published=False,
            listed=True,
            ranked_last=False,
            banner=(
                "Черновик: эту страницу показывает только make serve, make build её не "
                "публикует (ни страницы, ни карточки, ни записей в справочнике и поиске). Когда "
                f"регламент готов, поставьте в meta статус «{CURRENT}»."
            ),
        ),
        Status(
            "На пересмотре",
            "review",
            published=True,
            listed=True,
            ranked_last=False,
            banner=(
                "Регламент на пересмотре: порядок работы может измениться. В спорном случае "
                "уточните у ответственного."
            ),
            admonition="warning",
        ),
        Status(
            "Устарело",
            "outdated",
            published=True,
            listed=False,
            ranked_last=True,
            banner="Регламент устарел и больше не применяется.",
            admonition="danger",
            replaceable=True,
        ),
    )
}
"""In the schema's order (``meta.status`` enum, checked by the tests)."""

UNPUBLISHED = tuple(status.word for status in STATUSES.values() if not status.published)
"""The statuses `make build` leaves out (named in its note)."""

REPLACED_BY = "Вместо него действует"
"""Before the link to the replacement in an obsolete regulation's banner."""

# Where the status badge says something other than ``meta.status``: past the review date the
# badge itself says so (kb.check.freshness decides), with its own modifier.
STALE = "Требует актуализации"
STALE_MODIFIER = "stale"


def status_of(status: str, overdue: bool) -> tuple[str, str]:
    """The status badge's text and modifier: past its review date a regulation is «Требует
    актуализации» whatever its ``meta.status`` says (one rule for the page and the home page)."""
    return (STALE, STALE_MODIFIER) if overdue else (status, STATUSES[status].modifier)


def shown(meta: dict, drafts: bool) -> bool:
    """Whether a regulation with this ``meta`` is on the site: every one when ``drafts`` (the
    site `make serve` shows), the published ones otherwise (`make build`)."""
    return drafts or STATUSES[meta["status"]].published
