"""Turn loaded regulations into pages: HTML rendered through Jinja2, plus headings for a TOC."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import unquote

from jinja2 import Environment, FileSystemLoader

from kb.check.freshness import Review, review_of
from kb.load.regulation import Regulation
from kb.site.html import Heading, compact, headings_of, search_copy
from kb.text import inline, plain, ru_date

# The pages' templates are rendered here, by the core, before the site generator sees a page:
# they are not theme overrides, so they live with the core. Tools (components) live in the
# theme folder, where their scripts and styles are served from; the core renders their markup.
TEMPLATES = Path(__file__).resolve().parent / "templates"
COMPONENTS = Path(__file__).resolve().parents[2] / "overrides" / "kb"
_URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


@dataclass
class Page:
    src_uri: str
    """Where the page pretends to live in ``docs/``, e.g. ``regulations/x.md``."""
    url: str
    """Its address relative to the site root, with directory URLs: ``regulations/x/``."""
    title: str
    html: str
    headings: list[Heading]
    tags: list[str] = field(default_factory=list)
    markdown: str | None = None
    """Set for pages whose content the site generator renders from Markdown (the tags index)."""
    meta: dict = field(default_factory=dict)
    """More front matter for the site generator, e.g. ``{"search": {"exclude": True}}``."""
    search_html: str | None = None
    """What the search index should read, when it differs from ``html`` (see search_copy)."""


def relative_url(target: str, start: str) -> str:
    """Link from the page at ``start`` to ``target`` (both directory-style site paths)."""
    base = posixpath.dirname(start.rstrip("/")) if not start.endswith("/") else start
    rel = posixpath.relpath(target or ".", base or ".")
    return "./" if rel == "." else rel + ("/" if target.endswith("/") and rel != ".." else "")


class KnowledgeBase:
    """All regulations of the site and the pages made from them."""

    HOME_URI = "index.md"
    FAQ_URI = "faq.md"
    ERRORS_URI = "errors.md"
    TEMPLATES_URI = "templates.md"
    PLANNED_URI = "planned.md"
    TAGS_URI = "tags.md"

    def __init__(
        self,
        regulations: list[Regulation],
        components: Path = COMPONENTS,
        today: date | None = None,
        tag_anchor: Callable[[str], str] | None = None,
    ):
        """``today`` decides which regulations are overdue for review; ``tag_anchor`` maps a tag
        to its fragment on the tags page (``None``: tags are not linked)."""
        self.regulations = regulations
        self.today = today or date.today()
        self.tag_anchor = tag_anchor
        self.env = Environment(
            loader=FileSystemLoader([TEMPLATES, components]),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
        )
        self.env.filters.update(inline=inline, plain=plain, ru_date=ru_date)
        # Data for the in-page tools is embedded as JSON: keep Cyrillic readable and short.
        self.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
        self._by_key: dict[str, Regulation] = {}
        for regulation in regulations:
            self._by_key.setdefault(regulation.slug, regulation)
            self._by_key.setdefault(regulation.title.casefold(), regulation)
            self._by_key.setdefault(plain(regulation.title).casefold(), regulation)
        self._planned_cache: list[Planned] | None = None
        self.reviews: dict[str, Review | None] = {
            r.slug: review_of(r.meta, self.today) for r in regulations
        }

    @staticmethod
    def url_of(regulation: Regulation) -> str:
        return f"regulations/{regulation.slug}/"

    @staticmethod
    def url_of_page(src_uri: str) -> str:
        """``faq.md`` → ``faq/``; ``index.md`` → the site root."""
        stem = src_uri.removesuffix(".md")
        return "" if stem == "index" else stem.removesuffix("/index") + "/"

    @staticmethod
    def link_stem(item: dict) -> str | None:
        """The file name a related-material link points to, without folder and extension."""
        link = item.get("link")
        if not link:
            return None
        path = unquote(link.split("#", 1)[0].split("?", 1)[0])
        return posixpath.splitext(posixpath.basename(path.rstrip("/")))[0] or None

    def resolve(self, item: dict) -> Regulation | None:
        """The regulation a related-material item points to, if it exists yet."""
        for key in (item.get("regulation"), item["title"], self.link_stem(item)):
            if key and (found := self._by_key.get(key) or self._by_key.get(key.casefold())):
                return found
        return None

    def is_planned(self, item: dict) -> bool:
        """A related material that links to a regulation not written yet (shown «планируется»);
        a web address (``https://…``) is an outside page, never a planned regulation."""
        link = item.get("link") or ""
        return bool(link) and not _URL_SCHEME.match(link) and self.resolve(item) is None

    def overdue(self) -> list[tuple[Regulation, Review]]:
        """Regulations past their review date, in title order."""
        return [
            (r, review)
            for r in self.regulations
            if (review := self.reviews[r.slug]) is not None and review.overdue
        ]

    # Pages ---------------------------------------------------------------------------

    def pages(self) -> list[Page]:
        """Every page of the site."""
        return [
            self.home_page(),
            *(self.regulation_page(r) for r in self.regulations),
            self.faq_page(),
            self.errors_page(),
            self.templates_page(),
            self.planned_page(),
            self.tags_page(),
        ]

    def nav(self) -> list[dict]:
        """The site navigation: titles → ``src_uri``s, regulations grouped by department."""
        return [
            {"Главная": self.HOME_URI},
            {
                "Регламенты": [
                    {department: [{plain(r.title): f"regulations/{r.slug}.md"} for r in group]}
                    for department, group in self.departments()
                ]
            },
            {
                "Справочник": [
                    {"Часто задаваемые вопросы": self.FAQ_URI},
                    {"Типичные ошибки": self.ERRORS_URI},
                    {"Шаблоны": self.TEMPLATES_URI},
                    {"Планируемые материалы": self.PLANNED_URI},
                    {"Теги": self.TAGS_URI},
                ]
            },
        ]

    def departments(self) -> list[tuple[str, list[Regulation]]]:
        groups: dict[str, list[Regulation]] = {}
        for regulation in self.regulations:
            groups.setdefault(regulation.meta.get("department") or "Без отдела", []).append(
                regulation
            )
        return sorted(groups.items(), key=lambda item: item[0].casefold())

    def regulation_page(self, regulation: Regulation) -> Page:
        html = self._render_html("regulation.html", **self.regulation_context(regulation))
        return Page(
            f"regulations/{regulation.slug}.md",
            self.url_of(regulation),
            plain(regulation.title),
            html,
            headings_of(html),
            list(regulation.meta.get("tags", [])),
            search_html=search_copy(html),
        )

    def regulation_context(self, regulation: Regulation) -> dict:
        """What ``regulation.html`` needs to render one regulation."""
        url = self.url_of(regulation)

        def link(item: dict) -> str | None:
            """Where a related material points: its regulation's page, or an outside web page."""
            if target := self.resolve(item):
                return relative_url(self.url_of(target), url)
            outside = item.get("link") or ""
            return outside if outside.startswith(("https://", "http://")) else None

        return {
            "reg": regulation.data,
            "slug": regulation.slug,
            "link": link,
            "review": self.reviews[regulation.slug],
            "planned": self.is_planned,
            "planned_url": relative_url(self.PLANNED_URI.removesuffix(".md") + "/", url),
        }

    def home_page(self) -> Page:
        return self._kb_page(
            self.HOME_URI,
            "home.html",
            "База знаний технической поддержки",
            departments=self.departments(),
            count=len(self.regulations),
            planned=len(self._planned()),
            overdue=self.overdue(),
        )

    def faq_page(self) -> Page:
        return self._kb_page(
            self.FAQ_URI,
            "faq.html",
            "Часто задаваемые вопросы",
            groups=self._groups("faq", "faq"),
        )

    def errors_page(self) -> Page:
        return self._kb_page(
            self.ERRORS_URI,
            "errors.html",
            "Типичные ошибки",
            groups=self._groups("errors", "error"),
        )

    def templates_page(self) -> Page:
        return self._kb_page(
            self.TEMPLATES_URI,
            "templates.html",
            "Шаблоны",
            groups=self._groups("templates", "template"),
        )

    def planned_page(self) -> Page:
        return self._kb_page(
            self.PLANNED_URI,
            "planned.html",
            "Планируемые материалы",
            planned=self._planned(),
        )

    def tags_page(self) -> Page:
        """The tags index: Markdown with the tags plugin's listing marker, rendered by MkDocs."""
        count = len({tag for r in self.regulations for tag in r.meta.get("tags", [])})
        markdown = self._render("tags.html", count=count)
        url = self.url_of_page(self.TAGS_URI)
        meta = {"search": {"exclude": True}}
        return Page(self.TAGS_URI, url, "Теги", "", [], markdown=markdown, meta=meta)

    # Helpers -------------------------------------------------------------------------

    def _kb_page(self, src_uri: str, template: str, title: str, **context) -> Page:
        """A page made from the whole KB. It stays out of the search index: everything it
        lists is found on its regulation's page, and a search should lead there."""
        url = self.url_of_page(src_uri)
        html = self._render_html(
            template,
            page_url=lambda target: relative_url(self.url_of_page(target), url),
            url_of=lambda r, anchor="": (
                relative_url(self.url_of(r), url) + (f"#{anchor}" if anchor else "")
            ),
            tag_url=self._tag_url(url),
            reviews=self.reviews,
            kb=self,
            **context,
        )
        meta = {"search": {"exclude": True}}
        return Page(src_uri, url, title, html, headings_of(html), meta=meta)

    def _tag_url(self, start: str) -> Callable[[str], str] | None:
        if self.tag_anchor is None:
            return None
        tags = relative_url(self.url_of_page(self.TAGS_URI), start)
        return lambda tag: f"{tags}#{self.tag_anchor(tag)}"

    def _groups(self, section: str, prefix: str) -> list[Group]:
        """Entries of ``section`` from every regulation that has some, with their anchors."""
        return [
            Group(r, [Entry(item, f"{prefix}-{item['id']}") for item in r.data[section]])
            for r in self.regulations
            if r.data.get(section)
        ]

    def _planned(self) -> list[Planned]:
        """Related materials without a page yet, each with the regulations that cite it."""
        if self._planned_cache is None:
            self._planned_cache = self._find_planned()
        return self._planned_cache

    def _find_planned(self) -> list[Planned]:
        found: dict[str, Planned] = {}
        for regulation in self.regulations:
            for group in regulation.data.get("related", []):
                for item in group["items"]:
                    if not self.is_planned(item):
                        continue
                    name = self.link_stem(item) or item["title"]
                    planned = found.setdefault(
                        name.casefold(), Planned(name, plain(item["title"]), [])
                    )
                    if regulation not in planned.cited_by:
                        planned.cited_by.append(regulation)
        return sorted(found.values(), key=lambda p: p.name.casefold())

    def _render(self, name: str, **context) -> str:
        return self.env.get_template(name).render(**context)

    def _render_html(self, name: str, **context) -> str:
        return compact(self._render(name, **context))


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


@dataclass
class Planned:
    name: str
    """The planned material's name: the linked file name, or the title if there is no link."""
    title: str
    """The title it was first cited under."""
    cited_by: list[Regulation]
