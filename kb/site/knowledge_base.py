"""Turn loaded regulations into pages: HTML rendered through Jinja2, plus headings for a TOC.

The pieces live beside this file: the URL scheme (``urls``), the page table of the KB-wide
pages (``pages``), planned materials (``planned``), the Jinja2 set-up (``render``); which
regulation a link names is ``kb.links``, review dates are ``kb.check.freshness``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin

from kb import links, status, step_refs, vocabulary
from kb.changes import Version, changes_json, recent, version_kept, versions_of
from kb.check.freshness import Review, history_problems, overdue_note, review_of
from kb.load.history import FileHistory
from kb.load.regulation import Regulation
from kb.parallel import mapped
from kb.search import RANKED_LAST_BOOST
from kb.site import urls
from kb.site.html import Heading, compact, headings_of, search_copy
from kb.site.pages import HOME, PAGES, PLANNED, REFERENCE, REFERENCE_LABEL, TAGS, PageSpec
from kb.site.planned import Planned, find_planned
from kb.site.render import COMPONENTS, Renderer
from kb.site.urls import relative_url
from kb.site.work import (
    MODEL,
    model_json,
    model_path,
    reading_links,
    typed_before,
    work_src,
    work_url,
)
from kb.text import plain

__all__ = ["Heading", "KnowledgeBase", "Page", "compact", "headings_of", "relative_url"]

# KB-wide pages stay out of the search index: everything they list is found on its
# regulation's page, and a search should lead there.
_NOT_SEARCHED = {"search": {"exclude": True}}
# A regulation whose status ranks it last (kb.status) weighs less in the index, and the search
# worker puts it after every other page (kb.search.RANKED_LAST_BOOST).
_SEARCHED_LAST = {"search": {"boost": RANKED_LAST_BOOST}}


@dataclass(frozen=True)
class Settings:
    """The site's own settings (``extra.kb`` in ``mkdocs.yml``); every one is optional."""

    review_every_months: int | None = None
    """Review period of a regulation whose ``meta.review`` sets none."""
    feedback_url: str | None = None
    """Where «Сообщить об ошибке» leads: ``{title}``, ``{url}`` and ``{version}`` are
    replaced by the page's, URL-encoded (e.g. a Bitrix24 task form)."""
    site_url: str | None = None
    """The site's address: pages tell their full address (feedback; print, when it is a public
    one: ``urls.published_url``)."""
    keep_closed_days: int = 30
    """How many days a closed ticket stays in the browser («Мои обращения» on the home page)."""

    @classmethod
    def of(cls, extra: dict | None, site_url: str | None = None) -> Settings:
        """From ``extra.kb``; an unknown key or a wrong type raises ``ValueError``."""
        extra = dict(extra or {})
        known = {"review_every_months": int, "feedback_url": str, "keep_closed_days": int}
        for key, value in extra.items():
            if key not in known:
                raise ValueError(
                    f"mkdocs.yml: extra.kb.{key}: неизвестная настройка; есть: " + ", ".join(known)
                )
            if not isinstance(value, known[key]) or isinstance(value, bool):
                raise ValueError(f"mkdocs.yml: extra.kb.{key}: неверное значение {value!r}")
        for key in ("review_every_months", "keep_closed_days"):
            if extra.get(key, 1) < 1:
                raise ValueError(f"mkdocs.yml: extra.kb.{key}: ожидается число ≥ 1")
        return cls(**extra, site_url=site_url)


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
    edit_src: str | None = None
    """The file a maintainer edits for this page, relative to ``docs/`` (a regulation's YAML)."""


def fields_by_step(
    templates: list[dict], steps: list[str], wanted: Callable[[dict], bool] = lambda f: True
) -> dict[str, list[dict]]:
    """Each step's template fields (``step:`` on the field) that are ``wanted``, in order: one
    field id is one value on the page, so a field shared by templates comes once."""
    at: dict[str, list[dict]] = {step: [] for step in steps}
    for template in templates:
        for asked in template.get("fields", []):
            found = at.get(asked.get("step"))
            if found is not None and wanted(asked) and all(f["id"] != asked["id"] for f in found):
                found.append(asked)
    return at


class KnowledgeBase:
    """All regulations of the site and the pages made from them."""

    def __init__(
        self,
        regulations: list[Regulation],
        components: Path = COMPONENTS,
        today: date | None = None,
        tag_anchor: Callable[[str], str] | None = None,
        settings: Settings | None = None,
        drafts: bool = False,
        history: dict[str, FileHistory] | None = None,
        workers: int = 1,
    ):
        """``today`` decides which regulations are overdue for review; ``tag_anchor`` maps a tag
        to its fragment on the tags page (``None``: tags are not linked); ``settings`` are the
        site's own (``extra.kb`` in ``mkdocs.yml``); ``drafts``: the site shows the regulations
        `make build` does not publish (`make serve` does, kb.status); ``history``: each
        regulation's versions (kb.load.history; ``None``: not read, no change lists);
        ``workers``: processes rendering the regulations' pages (kb.parallel)."""
        # Decided once, here: every page, list, link and file below is made from
        # ``self.regulations``; what is left out is known only to say «планируется».
        self.checked = regulations
        """Every regulation loaded: the build's notes and warnings are about all of them."""
        self.regulations = [r for r in regulations if status.shown(r.meta, drafts)]
        self.unpublished = [r for r in regulations if not status.shown(r.meta, drafts)]
        self.today = today or date.today()
        self.tag_anchor = tag_anchor
        self.settings = settings or Settings()
        self.workers = workers
        # The Jinja2 environment of every page (filters and policies: kb.site.render); its
        # globals, e.g. the section vocabulary, are set here.
        self.renderer = Renderer(components)
        self.env = self.renderer.env
        self.env.globals.update(vocabulary.JINJA_GLOBALS)
        # «Мои обращения» on the home page (components/workspace) reads both: the keep days of a
        # closed ticket and a work page's address with «{slug}» to fill in (its tickets' links).
        self.env.globals["keep_closed_days"] = self.settings.keep_closed_days
        self.env.globals["work_page"] = work_url("{slug}")
        self.names = links.names_of((r.slug, r.title) for r in self.regulations)
        self._unpublished_names = links.names_of((r.slug, r.title) for r in self.unpublished)
        self._by_slug = {r.slug: r for r in self.regulations}
        self._targets: dict[str, step_refs.Targets] = {}
        self.history = history or {}
        self.versions: dict[str, list[Version]] = {
            slug: versions_of(h) for slug, h in self.history.items()
        }
        self.reviews: dict[str, Review | None] = {
            r.slug: review_of(r.meta, self.today, self.settings.review_every_months)
            for r in regulations
        }

    @staticmethod
    def url_of(regulation: Regulation) -> str:
        return urls.regulation_url(regulation.slug)

    def resolve(self, item: dict) -> Regulation | None:
        """The regulation a related-material item points to, if it exists yet."""
        return self._by_slug.get(links.find_item(self.names, item) or "")

    def is_planned(self, item: dict) -> bool:
        """A related material that links to a regulation not written yet, or not published
        (shown «планируется»)."""
        if links.is_planned(self.names, item):
            return True
        unpublished = links.find_item(self._unpublished_names, item)
        return unpublished is not None and self.resolve(item) is None

    def shown(self, regulation: Regulation, value, page_url: str):
        """``value`` (a part of ``regulation``'s data) as the page at ``page_url`` shows it: its
        step and special-case references read with the current numbers and lead to the
        regulation's page (``kb.step_refs``)."""
        targets = self._targets.get(regulation.slug)
        if targets is None:
            targets = self._targets[regulation.slug] = step_refs.Targets.of(regulation.data)
        own = self.url_of(regulation)
        page = "" if page_url == own else relative_url(own, page_url)
        return step_refs.resolved(value, targets, page)

    @cached_property
    def planned(self) -> list[Planned]:
        """Related materials without a page yet, each with the regulations that cite it."""
        return find_planned(self.regulations, self.is_planned)

    def overdue(self) -> list[tuple[Regulation, Review]]:
        """Regulations past their review date, in title order."""
        return [
            (r, review)
            for r in self.regulations
            if (review := self.reviews[r.slug]) is not None and review.overdue
        ]

    def listed(self) -> list[Regulation]:
        """The regulations with a card on the home page (kb.status: not the obsolete ones)."""
        return [r for r in self.regulations if status.STATUSES[r.meta["status"]].listed]

    def departments(self, regulations: list[Regulation] | None = None):
        """``regulations`` (all of the site's by default) by department, in name order."""
        groups: dict[str, list[Regulation]] = {}
        for regulation in self.regulations if regulations is None else regulations:
            groups.setdefault(regulation.meta.get("department") or "Без отдела", []).append(
                regulation
            )
        return sorted(groups.items(), key=lambda item: item[0].casefold())

    def notes(self) -> list[str]:
        """What a build tells the maintainer about the knowledge base, one line each."""
        notes = [f"Регламентов в базе знаний: {len(self.regulations)}"]
        if self.unpublished:
            notes.append(
                f"Не опубликованы ({len(self.unpublished)}, статус "
                + " или ".join(f"«{word}»" for word in status.UNPUBLISHED)
                + "; их показывает make serve): "
                + ", ".join(r.source for r in self.unpublished)
            )
        if overdue := self.overdue():
            notes.append(overdue_note(overdue))
        notes += [note for r in self.checked for note in history_problems(r)[0]]
        notes += [str(note) for r in self.checked for note in r.step_notes]
        if unsorted := [r for r in self.checked if r.data.get("unmapped")]:
            notes.append(
                "Есть текст, не разложенный по разделам при импорте (поле unmapped, показан в "
                "конце страницы): "
                + "; ".join(f"{r.source} ({len(r.data['unmapped'])})" for r in unsorted)
            )
        return notes

    def warnings(self) -> list[str]:
        """What a build warns about (``--strict`` fails on any), one line each."""
        warnings = [warning for r in self.checked for warning in history_problems(r)[1]]
        for r in self.checked:
            if r.slug in self.history and (number := version_kept(self.history[r.slug])):
                warnings.append(vocabulary.CHANGES["kept"].format(source=r.source, version=number))
        return warnings

    def recent_changes(self) -> list[tuple[Regulation, Version]]:
        """The published regulations' versions of the last days (``CHANGES["recent_days"]``),
        newest first: the home page lists them."""
        days = vocabulary.CHANGES["recent_days"]
        found = [
            (r, v)
            for r in self.regulations
            for v in recent(self.versions.get(r.slug, []), self.today, days)
        ]
        return sorted(found, key=lambda pair: pair[1].date, reverse=True)

    def search_keywords(self) -> dict[str, list[str]]:
        """Each regulation page's address → the search keywords its regulation lists."""
        return {self.url_of(r): list(r.data.get("keywords", [])) for r in self.regulations}

    # Pages ---------------------------------------------------------------------------

    def pages(self, then: Callable[[Page], Any] | None = None) -> list:
        """Every page of the site, in the order of the navigation; with ``then``, what
        ``then`` makes of each page instead, worked out by the process that made the page
        (kb.parallel: the page need not travel twice)."""
        then = then or (lambda page: page)
        made = mapped(
            lambda job: [then(page) for page in job()],
            [
                *(partial(self._one, spec) for spec in PAGES),
                *(partial(self._both, r) for r in self.regulations),
            ],
            self.workers,
        )
        (home, *reference), both = [one for (one,) in made[: len(PAGES)]], made[len(PAGES) :]
        return [home, *(page for page, _ in both), *reference, *(work for _, work in both)]

    def _one(self, spec: PageSpec) -> list[Page]:
        return [self.page(spec)]

    def _both(self, regulation: Regulation) -> list[Page]:
        return [self.regulation_page(regulation), self.work_page(regulation)]

    def nav(self) -> list[dict]:
        """The site navigation: titles → ``src_uri``s, regulations grouped by department."""
        return [
            {HOME.label: HOME.src_uri},
            {
                "Регламенты": [
                    {department: [{plain(r.title): urls.regulation_src(r.slug)} for r in group]}
                    for department, group in self.departments()
                ]
            },
            {REFERENCE_LABEL: [{spec.label: spec.src_uri} for spec in REFERENCE]},
        ]

    def data_files(self) -> dict[str, str]:
        """Site path → content of each regulation's files beside its pages: the work page's
        model (work.json) and the change list (changes.json)."""
        models = {model_path(r.slug): model_json(r.slug, r.data) for r in self.regulations}
        changes = {
            urls.changes_path(slug): changes_json(versions)
            for slug, versions in self.versions.items()
            if versions and slug in self._by_slug
        }
        return models | changes

    def work_page(self, regulation: Regulation) -> Page:
        """The regulation's work page (kb.site.work): not in the navigation, not searched."""
        context = self.work_context(regulation)
        html = reading_links(compact(self.render("work.html", **context)), context["reading_url"])
        title = f"{vocabulary.WORK['page_title']}: {plain(regulation.title)}"
        meta = {**_NOT_SEARCHED, "hide": ["navigation", "toc"]}
        return Page(
            work_src(regulation.slug), work_url(regulation.slug), title, html, [], meta=meta
        )

    def work_context(self, regulation: Regulation) -> dict:
        """What ``work.html`` needs: the regulation's parts grouped by the step they belong to."""
        url = work_url(regulation.slug)
        data = self.shown(regulation, regulation.data, url)
        steps = [step["id"] for step in data["steps"]]
        templates = data.get("templates", [])
        cases = data.get("special_cases", [])
        fields_at = fields_by_step(templates, steps)
        terms = {
            section["id"]: [t for block in section["blocks"] for t in block.get("terms", [])]
            for section in data.get("content", [])
        }
        return {
            "reg": data,
            "slug": regulation.slug,
            "model": MODEL,
            "work_page": work_url("{slug}"),
            "reading_url": relative_url(self.url_of(regulation), url),
            "site_root": urls.site_root(url),
            "criteria": {s["id"]: terms[s["criteria"]] for s in data["steps"] if "criteria" in s},
            "fields_at": fields_at,
            "templates_at": {
                sid: [t for t in templates if t.get("step") == sid] for sid in [*steps, None]
            },
            "template_position": {t["id"]: n for n, t in enumerate(templates, 1)},
            "cases_at": {sid: [c for c in cases if c.get("step") == sid] for sid in steps},
            "cases": cases,
            "typed_before": typed_before(data),
        }

    def regulation_page(self, regulation: Regulation) -> Page:
        html = compact(self.render("regulation.html", **self.regulation_context(regulation)))
        return Page(
            urls.regulation_src(regulation.slug),
            self.url_of(regulation),
            plain(regulation.title),
            html,
            headings_of(html),
            list(regulation.meta.get("tags", [])),
            meta=_SEARCHED_LAST if status.STATUSES[regulation.meta["status"]].ranked_last else {},
            search_html=search_copy(html),
            edit_src=urls.regulation_yaml(regulation.slug),
        )

    def regulation_context(self, regulation: Regulation) -> dict:
        """What ``regulation.html`` needs to render one regulation."""
        url = self.url_of(regulation)
        data = self.shown(regulation, regulation.data, url)
        # A material named again by title alone («Связанные процессы») is the one linked above.
        linked = {
            links.key(item["title"]): item
            for group in data.get("related", [])
            for item in group["items"]
            if item.get("link") or item.get("regulation")
        }

        def twin(item: dict) -> dict:
            if item.get("link") or item.get("regulation"):
                return item
            return linked.get(links.key(item["title"]), item)

        def link(item: dict) -> str | None:
            """Where a related material points: its regulation's page, or an outside web page."""
            item = twin(item)
            if target := self.resolve(item):
                return relative_url(self.url_of(target), url)
            return links.outside_href(item.get("link"))

        steps = {step["id"]: (n, step) for n, step in enumerate(data["steps"], 1)}
        cases_at = {step: [] for step in steps}
        for case in data.get("special_cases", []):
            if case.get("step"):
                cases_at[case["step"]].append(case)
        checks_at = {step: [] for step in steps}
        for item in data.get("checklist", []):
            if item.get("step"):
                checks_at[item["step"]].append(item)
        asked_at = fields_by_step(
            data.get("templates", []), steps, lambda f: bool(f.get("options"))
        )
        address = self.settings.site_url and urljoin(self.settings.site_url, url)
        published = urls.published_url(self.settings.site_url)
        return {
            "reg": data,
            "slug": regulation.slug,
            "status": status.STATUSES[regulation.meta["status"]],
            "replacement": self._replacement(regulation, url),
            "link": link,
            "review": self.reviews[regulation.slug],
            "planned": lambda item: self.is_planned(twin(item)),
            "planned_url": relative_url(urls.page_url(PLANNED.src_uri), url),
            "steps": steps,
            "cases_at": cases_at,
            "checks_at": checks_at,
            "asked_at": asked_at,
            "print_address": published and urljoin(published, url),
            "feedback_url": self._feedback_url(regulation, address or url),
            "site_root": urls.site_root(url),
            "versions": self.versions.get(regulation.slug, []),
        }

    def _replacement(self, regulation: Regulation, page_url: str) -> dict | None:
        """What replaces an obsolete regulation (``meta.replaced_by``): its title, and its
        address from ``page_url`` when it is on the site (else it is shown «планируется»)."""
        slug = regulation.meta.get("replaced_by")
        if slug is None:
            return None
        if target := self._by_slug.get(slug):
            return {"title": target.title, "href": relative_url(self.url_of(target), page_url)}
        # Not published (a draft): named, not linked. Not loaded at all (a page rendered
        # alone, as the tests do): not named.
        target = next((r for r in self.unpublished if r.slug == slug), None)
        return target and {"title": target.title, "href": None}

    def _feedback_url(self, regulation: Regulation, address: str) -> str | None:
        """``extra.kb.feedback_url`` with the page's title, address and version filled in."""
        template = self.settings.feedback_url
        if not template:
            return None
        values = {
            "title": plain(regulation.title),
            "url": address,
            "version": regulation.meta["version"],
        }
        for name, value in values.items():
            template = template.replace("{" + name + "}", quote(value, safe=""))
        return template

    def page(self, spec: PageSpec) -> Page:
        """A row of the page table, rendered: a page made from the whole knowledge base."""
        url = urls.page_url(spec.src_uri)
        text = self.render(
            spec.template,
            page_url=lambda target: relative_url(urls.page_url(target), url),
            url_of=lambda r, anchor="": (
                relative_url(self.url_of(r), url) + (f"#{anchor}" if anchor else "")
            ),
            tag_url=self._tag_url(url),
            reviews=self.reviews,
            shown=lambda r, value: self.shown(r, value, url),
            site_root=urls.site_root(url),
            **spec.context(self),
        )
        if spec.markdown:
            return Page(spec.src_uri, url, spec.title, "", [], markdown=text, meta=_NOT_SEARCHED)
        html = compact(text)
        return Page(spec.src_uri, url, spec.title, html, headings_of(html), meta=_NOT_SEARCHED)

    def render(self, name: str, **context) -> str:
        return self.renderer.render(name, **context)

    def _tag_url(self, start: str) -> Callable[[str], str] | None:
        if self.tag_anchor is None:
            return None
        tags = relative_url(urls.page_url(TAGS.src_uri), start)
        return lambda tag: f"{tags}#{self.tag_anchor(tag)}"
