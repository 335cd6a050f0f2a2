"""The page table: the KB-wide pages (home and reference) as rows, not as copies of a builder.

A row says where the page lives (``src_uri``), which template renders it, its title (also its
label in the navigation and on the home page) and the function that gathers its context from
the knowledge base. ``KnowledgeBase.page`` renders any row; the navigation reads the same rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kb.load.regulation import Regulation

if TYPE_CHECKING:
    from kb.site.knowledge_base import KnowledgeBase


@dataclass(frozen=True)
class PageSpec:
    src_uri: str
    template: str
    title: str
    context: Callable[[KnowledgeBase], dict]
    """What the template needs beyond the context every KB page gets."""
    nav_label: str | None = None
    """Its label in the navigation, when it is not the title."""
    markdown: bool = False
    """The template makes Markdown that the site generator renders (the tags listing)."""

    @property
    def label(self) -> str:
        return self.nav_label or self.title


@dataclass
class Entry:
    item: dict
    """The FAQ entry, typical error or template as written in the regulation."""
    anchor: str
    """Its id on the regulation page, e.g. ``faq-when-to-escalate``."""


@dataclass
class Group:
    regulation: Regulation
    entries: list[Entry]


def groups(regulations: list[Regulation], section: str, prefix: str) -> list[Group]:
    """Entries of ``section`` from every regulation that has some, with their anchors."""
    return [
        Group(r, [Entry(item, f"{prefix}-{item['id']}") for item in r.data[section]])
        for r in regulations
        if r.data.get(section)
    ]


def home_context(kb: KnowledgeBase) -> dict:
    return {
        "departments": kb.departments(listed := kb.listed()),
        "count": len(listed),
        "planned": len(kb.planned),
        "planned_uri": PLANNED.src_uri,
        "overdue": kb.overdue(),
        "recent_changes": kb.recent_changes(),
        "reference": REFERENCE,
        "reference_label": REFERENCE_LABEL,
    }


def faq_context(kb: KnowledgeBase) -> dict:
    return {"groups": groups(kb.regulations, "faq", "faq")}


def errors_context(kb: KnowledgeBase) -> dict:
    return {"groups": groups(kb.regulations, "errors", "error")}


def templates_context(kb: KnowledgeBase) -> dict:
    return {"groups": groups(kb.regulations, "templates", "template")}


def planned_context(kb: KnowledgeBase) -> dict:
    return {"planned": kb.planned}


def tags_context(kb: KnowledgeBase) -> dict:
    return {"count": len({tag for r in kb.regulations for tag in r.meta.get("tags", [])})}


HOME = PageSpec(
    "index.md", "home.html", "База знаний технической поддержки", home_context, "Главная"
)
PLANNED = PageSpec("planned.md", "planned.html", "Планируемые материалы", planned_context)
TAGS = PageSpec("tags.md", "tags.html", "Теги", tags_context, markdown=True)
REFERENCE_LABEL = "Справочник"
REFERENCE = (
    PageSpec("faq.md", "faq.html", "Часто задаваемые вопросы", faq_context),
    PageSpec("errors.md", "errors.html", "Типичные ошибки", errors_context),
    PageSpec("templates.md", "templates.html", "Шаблоны", templates_context),
    PLANNED,
    TAGS,
)
"""The reference pages, in the order of the navigation and the home page's list."""
PAGES = (HOME, *REFERENCE)
