"""A regulation's status drives publishing (kb/status.py): a draft is shown by `make serve` and
never published by `make build`; a regulation under review or obsolete is published with a
banner; an obsolete one has no home card and ranks last in search.

The site is built from ``fixtures/status``: a current regulation, an obsolete one it replaces,
one under review and a draft (every text of the draft but its title says «заготовка», so any
trace of it can be looked for).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from conftest import (
    FIXTURES,
    GLOSSARY,
    SEED_YAML,
    build,
    kb,
    make_project,
    publish,
    soup,
    wait_for,
)
from test_search import _NODE_INDEX, _search, run_node, search_page_of, shipped_data
from test_serve import free_port

from kb.load.regulation import load_regulations, problems_of
from kb.markdown.read import import_markdown
from kb.markdown.write import export_markdown
from kb.search import RANKED_LAST_BOOST
from kb.site.knowledge_base import KnowledgeBase
from kb.status import CURRENT, DRAFT, REPLACED_BY, STATUSES

FOLDER = FIXTURES / "status"
FILES = {path.name: path.read_bytes() for path in FOLDER.glob("*.yml")}
CURRENT_PAGE = "regulations/new-entry-order/"
OBSOLETE_PAGE = "regulations/old-entry-order/"
REVIEW_PAGE = "regulations/review-entry/"
DRAFT_SLUG = "contractor-entry"
DRAFT_PAGE = f"regulations/{DRAFT_SLUG}/"
DRAFT_TITLE = "Въезд подрядчиков"
TRACE = "заготовк"
"""In every text of the draft but its title."""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    where = tmp_path_factory.mktemp("status")
    project = make_project(where / "project", FILES, GLOSSARY.read_bytes())
    result = build(project, where / "site")
    assert result.returncode == 0, result.stderr
    return where / "site", result


def texts(path: Path) -> list[str]:
    """Every text and attribute value of a page or data file of the built site, parsed."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        found: list[str] = []

        def walk(value) -> None:
            if isinstance(value, dict):
                for key, item in value.items():
                    found.append(key)
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)
            elif isinstance(value, str):
                found.append(value)

        walk(json.loads(raw))
        return found
    if path.suffix == ".xml":  # the sitemap
        return [
            text for element in ElementTree.fromstring(raw).iter() for text in element.itertext()
        ]
    page = BeautifulSoup(raw, "html.parser")
    values = [str(value) for tag in page.find_all(True) for value in tag.attrs.values()]
    return [page.get_text(" "), *values]


def test_the_status_table_is_the_schemas_enum_and_new_regulations_are_drafts():
    schema = json.loads((FIXTURES.parent.parent / "schema" / "regulation.schema.json").read_text())
    assert schema["$defs"]["meta"]["properties"]["status"]["enum"] == list(STATUSES)
    assert not STATUSES[DRAFT].published and STATUSES[CURRENT].published


# --- make build: what is published ----------------------------------------------------------


def test_a_draft_leaves_no_trace_in_the_built_site(built):
    site, _ = built
    assert not (site / DRAFT_PAGE).exists()
    files = [p for p in site.rglob("*") if p.suffix in (".html", ".json", ".xml")]
    assert site / "search" / "search_index.json" in files and site / "sitemap.xml" in files
    traces = {
        str(path.relative_to(site))
        for path in files
        for text in texts(path)
        if TRACE in text.casefold() or DRAFT_SLUG in text
    }
    assert traces == set()
    # Its title is left only where links to it read «планируется»: the current regulation's
    # related materials and the planned materials' page.
    titled = {
        str(path.relative_to(site))
        for path in files
        if path.suffix == ".html"
        for text in texts(path)
        if DRAFT_TITLE in text
    }
    assert titled == {f"{CURRENT_PAGE}index.html", "planned/index.html"}


def test_links_to_a_draft_read_planned(built):
    site, _ = built
    page = soup(site / CURRENT_PAGE / "index.html")
    items = page.select("ul.kb-related li")
    assert [item.get_text(" ", strip=True) for item in items] == [
        f"{DRAFT_TITLE} планируется",
        f"{DRAFT_TITLE} (по названию) планируется",
    ]
    assert [item["class"] for item in items] == [["kb-planned"]] * 2
    assert [item.a["href"] for item in items] == ["../../planned/"] * 2
    planned = soup(site / "planned" / "index.html").select("section.kb-planned-item h2")
    assert [h2.get_text(strip=True).replace("¶", "") for h2 in planned] == [DRAFT_TITLE]


def test_home_lists_neither_drafts_nor_obsolete_regulations(built):
    site, _ = built
    home = soup(site / "index.html")
    cards = [h3.get_text(strip=True) for h3 in home.select("li.kb-card h3")]
    assert cards == ["Въезд такси", "Порядок въезда гостей"]
    assert "Всего регламентов: 2." in home.select_one(".kb-home__lead").get_text()
    # The obsolete one is still published, and in the navigation.
    assert (site / OBSOLETE_PAGE / "index.html").is_file()
    nav = [a["href"] for a in home.select("nav.md-nav a.md-nav__link[href]")]
    assert OBSOLETE_PAGE in nav and CURRENT_PAGE in nav


def banner(site: Path, page: str):
    return soup(site / page / "index.html").select("article.kb-regulation .kb-banner")


def test_review_and_obsolete_pages_have_their_banner_and_current_none(built):
    site, _ = built
    assert banner(site, CURRENT_PAGE) == []
    (review,) = banner(site, REVIEW_PAGE)
    assert review["class"] == ["admonition", "warning", "kb-banner"]
    assert review.get_text(" ", strip=True) == STATUSES["На пересмотре"].banner
    (obsolete,) = banner(site, OBSOLETE_PAGE)
    assert obsolete["class"] == ["admonition", "danger", "kb-banner"]
    assert " ".join(obsolete.get_text().split()) == (
        f"{STATUSES['Устарело'].banner} {REPLACED_BY} «Порядок въезда гостей»."
    )
    assert obsolete.a["href"] == "../new-entry-order/"


def test_the_build_names_what_it_left_out(built):
    _, result = built
    assert (
        "INFO    -  kb: Не опубликованы (1, статус «Черновик»; их показывает make serve): "
        f"docs/regulations/{DRAFT_SLUG}.yml" in result.stderr.splitlines()
    )


# --- Search: obsolete last ------------------------------------------------------------------

_NODE_LAST = (
    _NODE_INDEX
    + r"""
const last = kbSearch.lowered(engine.docs)
const plain = kbSearch.fastQuery(lunr)
const ours = kbSearch.fastQuery(lunr, () => null, () => last)
console.log(JSON.stringify(input.queries.map(q => {
  const build = parsed(kbSearch.rewrite(q, separator, glossary, typos).query)
  const found = fast => fast.call(built, build).map(r => ({ ref: r.ref, score: r.score }))
  return { plain: found(plain), ours: found(ours), last: [...last] }
})))
"""
)


def test_obsolete_pages_rank_after_every_other(built):
    """«шлагбаум» is in the obsolete regulation's title (which weighs most) and only in the
    current one's text: lunr alone puts the obsolete one first, the worker puts all its
    sections after the others', low enough that Material's re-scoring (× at most 5) keeps them
    there."""
    site, _ = built
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    boosted = {doc["location"].split("#")[0] for doc in index["docs"] if "boost" in doc}
    assert boosted == {OBSOLETE_PAGE}
    assert {doc["boost"] for doc in index["docs"] if "boost" in doc} == {RANKED_LAST_BOOST}
    [found] = run_node(_NODE_LAST, index, ["шлагбаум"], prebuilt=shipped_data(site))
    assert found["plain"][0]["ref"].startswith(OBSOLETE_PAGE)
    pages = [r["ref"].split("#")[0] for r in found["ours"]]
    first = [i for i, page in enumerate(pages) if page != OBSOLETE_PAGE]
    last = [i for i, page in enumerate(pages) if page == OBSOLETE_PAGE]
    assert first and last and max(first) < min(last)
    scores = [r["score"] for r in found["ours"]]
    assert max(scores[i] for i in last) * 5 < min(scores[i] for i in first)
    assert sorted(r["ref"] for r in found["ours"]) == sorted(r["ref"] for r in found["plain"])


def test_search_box_shows_the_obsolete_regulation_last(built, browser):
    site, _ = built
    with search_page_of(site, browser) as page:
        groups = _search(page, "шлагбаум")
    pages = [group["links"][0].split("/regulations/")[1].split("/")[0] for group in groups]
    assert pages == ["new-entry-order", "old-entry-order"]


# --- make serve: drafts shown ---------------------------------------------------------------


def test_serving_shows_the_draft_with_its_banner_and_links_to_it():
    regulations = load_regulations(FOLDER)
    published = {page.url for page in KnowledgeBase(regulations).pages()}
    shown = {page.url: page for page in KnowledgeBase(regulations, drafts=True).pages()}
    assert set(shown) - published == {DRAFT_PAGE, DRAFT_PAGE + "work/"}
    draft = BeautifulSoup(shown[DRAFT_PAGE].html, "html.parser")
    (note,) = draft.select(".kb-banner")
    assert note.get_text(" ", strip=True) == STATUSES[DRAFT].banner
    home = BeautifulSoup(shown[""].html, "html.parser")
    assert DRAFT_TITLE in [h3.get_text(strip=True) for h3 in home.select("li.kb-card h3")]
    faq = BeautifulSoup(shown["faq/"].html, "html.parser")
    assert "Сформулируйте частый вопрос (заготовка)?" in faq.get_text()
    current = BeautifulSoup(shown[CURRENT_PAGE].html, "html.parser")
    assert [a["href"] for a in current.select("ul.kb-related a")] == [f"../{DRAFT_SLUG}/"] * 2


def test_a_replacement_not_published_yet_is_named_planned_not_linked():
    regulations = load_regulations(FOLDER)
    replacement = next(r for r in regulations if r.slug == "new-entry-order")
    replacement.meta["status"] = DRAFT
    pages = {page.url: page for page in KnowledgeBase(regulations).pages()}
    assert CURRENT_PAGE not in pages
    (note,) = BeautifulSoup(pages[OBSOLETE_PAGE].html, "html.parser").select(".kb-banner")
    assert note.a is None
    assert " ".join(note.get_text().split()) == (
        f"{STATUSES['Устарело'].banner} {REPLACED_BY} «Порядок въезда гостей» (планируется)."
    )


@contextlib.contextmanager
def serving(project: Path):
    """`mkdocs serve --strict` (what `make serve` runs) on ``project``; yields a page fetcher."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--strict", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    threading.Thread(target=lambda: list(process.stdout), daemon=True).start()

    def fetch(path: str) -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=5) as answer:
                return answer.read().decode("utf-8")
        except OSError:
            return ""

    try:
        yield fetch
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_make_build_publishes_two_and_make_serve_shows_three(tmp_path):
    """The issue's check: a copy with a second regulation and a third made by `make new`."""
    second = (FIXTURES / "valid" / "guest-pass.yml").read_bytes()
    project = make_project(
        tmp_path, {SEED_YAML.name: SEED_YAML.read_bytes(), "guest-pass.yml": second}
    )
    created = kb(project, "new", "Въезд курьеров")
    assert created.returncode == 0, created.stderr
    new, problems = problems_of(project / "docs" / "regulations" / "vezd-kurerov.yml")
    assert problems == [] and new.meta["status"] == DRAFT

    result = publish(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    pages = sorted(p.parent.name for p in (site / "regulations").glob("*/index.html"))
    assert pages == ["escalation-to-development", "guest-pass"]
    assert len(soup(site / "index.html").select("li.kb-card")) == 2

    with serving(project) as fetch:
        home = wait_for(lambda: fetch(""), "the dev server's home page")
        cards = BeautifulSoup(home, "html.parser").select("li.kb-card h3")
        assert sorted(h3.get_text(strip=True) for h3 in cards) == [
            "Въезд курьеров",
            "Оформление гостевого пропуска",
            "Эскалация в отдел разработки",
        ]
        page = BeautifulSoup(fetch("regulations/vezd-kurerov/"), "html.parser")
        assert page.select_one(".kb-banner").get_text(" ", strip=True) == STATUSES[DRAFT].banner


# --- replaced_by through Markdown ----------------------------------------------------------


def test_replacement_travels_through_markdown():
    data = next(r for r in load_regulations(FOLDER) if r.slug == "old-entry-order").data
    assert data["meta"]["replaced_by"] == "new-entry-order"
    assert import_markdown(export_markdown(data))[0] == data
