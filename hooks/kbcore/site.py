"""Turn loaded regulations into pages: HTML rendered through Jinja2, plus headings for a TOC."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from .regulation import Regulation
from .text import inline, plain, ru_date

TEMPLATES = Path(__file__).resolve().parents[2] / "overrides" / "kb"


@dataclass
class Heading:
    level: int
    id: str
    title: str
    children: list[Heading] = field(default_factory=list)


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


def relative_url(target: str, start: str) -> str:
    """Link from the page at ``start`` to ``target`` (both directory-style site paths)."""
    base = posixpath.dirname(start.rstrip("/")) if not start.endswith("/") else start
    rel = posixpath.relpath(target or ".", base or ".")
    return "./" if rel == "." else rel + ("/" if target.endswith("/") and rel != ".." else "")


class KnowledgeBase:
    """All regulations of the site and the pages made from them."""

    def __init__(self, regulations: list[Regulation], templates: Path = TEMPLATES):
        self.regulations = regulations
        self.env = Environment(
            loader=FileSystemLoader(templates),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(inline=inline, plain=plain, ru_date=ru_date)
        self._by_key: dict[str, Regulation] = {}
        for regulation in regulations:
            self._by_key[regulation.slug] = regulation
            self._by_key[regulation.title.casefold()] = regulation

    @staticmethod
    def url_of(regulation: Regulation) -> str:
        return f"regulations/{regulation.slug}/"

    def resolve(self, item: dict) -> Regulation | None:
        """The regulation a related-material item points to, if it exists yet."""
        keys = [item.get("regulation"), item["title"]]
        if item.get("link"):
            keys.append(posixpath.splitext(posixpath.basename(item["link"]))[0])
        for key in keys:
            if key and (found := self._by_key.get(key) or self._by_key.get(key.casefold())):
                return found
        return None

    def pages(self) -> list[Page]:
        return [self.home_page()] + [self.regulation_page(r) for r in self.regulations]

    def regulation_page(self, regulation: Regulation) -> Page:
        url = self.url_of(regulation)

        def link(item: dict) -> str | None:
            target = self.resolve(item)
            return relative_url(self.url_of(target), url) if target else None

        html = self._render("regulation.html", reg=regulation.data, slug=regulation.slug, link=link)
        return Page(
            f"regulations/{regulation.slug}.md",
            url,
            plain(regulation.title),
            html,
            headings_of(html),
            list(regulation.meta.get("tags", [])),
        )

    def home_page(self) -> Page:
        departments: dict[str, list[Regulation]] = {}
        for regulation in self.regulations:
            departments.setdefault(regulation.meta.get("department", "Без отдела"), []).append(
                regulation
            )
        html = self._render(
            "home.html",
            departments=sorted(departments.items()),
            url_of=lambda r: relative_url(self.url_of(r), ""),
            count=len(self.regulations),
        )
        return Page("index.md", "", "База знаний технической поддержки", html, headings_of(html))

    def _render(self, name: str, **context) -> str:
        return self.env.get_template(name).render(**context)


class _HeadingParser(HTMLParser):
    """Collect h2/h3 headings with ids, skipping their permalink anchors."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[int, str, str]] = []
        self._current: list | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("h2", "h3") and attrs.get("id"):
            self._current = [int(tag[1]), attrs["id"], ""]
        elif self._current is not None and "headerlink" in (attrs.get("class") or ""):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "a" and self._skip:
            self._skip -= 1
        elif tag in ("h2", "h3") and self._current is not None:
            level, ident, text = self._current
            self.found.append((level, ident, " ".join(text.split())))
            self._current = None

    def handle_data(self, data):
        if self._current is not None and not self._skip:
            self._current[2] += data


def headings_of(html: str) -> list[Heading]:
    parser = _HeadingParser()
    parser.feed(html)
    tree: list[Heading] = []
    for level, ident, title in parser.found:
        heading = Heading(level, ident, title)
        if level == 3 and tree:
            tree[-1].children.append(heading)
        else:
            tree.append(heading)
    return tree
