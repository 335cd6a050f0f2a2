"""Reading a regulation in Chromium: the first screen, tables, print, deep links, storage
blocked, accessibility of every page. Built from the fixture seed (the ``site`` fixture)."""

from __future__ import annotations

import re
import zlib
from urllib.parse import quote

import pytest
from chromium import axe_violations
from components.conftest import STORAGE_DENIED
from conftest import ROOT, build, make_project, soup
from mkdocs.utils.yaml import yaml_load

PAGE = "regulations/escalation-to-development/"
HEADER = 48  # Material's sticky header, px (2.4rem at 20 px)


@pytest.fixture
def context(browser):
    made = []

    def open_context(**options):
        options.setdefault("viewport", {"width": 1280, "height": 800})
        made.append(browser.new_context(**options))
        return made[-1]

    yield open_context
    for context in made:
        context.close()


def open_page(context, url: str, **options):
    page = context(**options).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_load_state("load")
    return page, errors


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


# --- 1. The first screen -----------------------------------------------------------------


def test_step_1_is_on_the_first_screen_at_1280x800(context, server):
    page, errors = open_page(context, server + PAGE)
    first = box(page, "ol.kb-overview > li:first-child > a")
    assert first["y"] + first["height"] <= 800, first
    for selector in ("h1", ".kb-meta__line", ".kb-meta summary", "#summary"):
        assert box(page, selector)["y"] < first["y"], selector
    assert page.locator(".kb-meta table").is_hidden()  # the metadata table waits folded
    print(f"first screen: step 1 in the overview at y={first['y']:.0f} px of 800")
    # Following the overview lands on step 1, its heading below the sticky header.
    page.locator("ol.kb-overview > li:first-child > a").click()
    page.wait_for_function("() => location.hash === '#step-confirm-escalation'")
    page.wait_for_function(
        "h => { const t = document.getElementById('step-confirm-escalation')"
        ".getBoundingClientRect().top; return t >= h && t < h + 100 }",
        arg=HEADER,
    )
    assert errors == []


@pytest.mark.parametrize("anchor", ["faq-fix-duration", "step-notify-client"])
def test_deep_links_land_below_the_sticky_header(context, server, anchor):
    page, _ = open_page(context, f"{server}{PAGE}#{anchor}")
    page.wait_for_function(
        "([id, h]) => { const t = document.getElementById(id).getBoundingClientRect().top;"
        " return t >= h && t < h + 100 }",
        arg=[anchor, HEADER],
    )


def test_an_faq_entry_opened_by_its_link_shows_its_question_below_the_header(context, server):
    """Material opens the entry and scrolls the <details> into view (what a search result or
    a link does); its question must not hide under the sticky header."""
    page, errors = open_page(context, server + PAGE)
    page.evaluate(
        "() => { scrollTo(0, document.body.scrollHeight); location.hash = '#faq-fix-duration' }"
    )
    page.wait_for_function(
        "() => document.getElementById('faq-fix-duration').closest('details').open"
    )
    page.wait_for_function(
        "h => { const t = document.getElementById('faq-fix-duration').getBoundingClientRect().top;"
        " return t >= h && t < h + 100 }",
        arg=HEADER,
    )
    assert errors == []


# --- 2. Tables ---------------------------------------------------------------------------

_CELL_STYLE = """el => { const s = getComputedStyle(el); return {
  align: s.textAlign, rule: s.borderTopStyle, padding: parseFloat(s.paddingLeft) }}"""


@pytest.mark.parametrize("section", ["errors", "history", "metadata"])
def test_tables_have_material_styling(context, server, section):
    page, _ = open_page(context, server + PAGE)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    table = page.locator(f"section[aria-labelledby={section}] table")
    header = table.locator("th").first.evaluate(_CELL_STYLE)
    assert header["align"] in ("left", "start"), header
    cells = table.locator("td").evaluate_all(f"cells => cells.map({_CELL_STYLE})")
    assert cells and all(c["padding"] >= 10 for c in cells), cells  # cells apart
    assert all(c["rule"] == "solid" for c in cells), cells  # row rules
    frame = table.evaluate("t => getComputedStyle(t).borderTopStyle")
    assert frame == "solid"


@pytest.mark.parametrize("width", [390, 320])
def test_errors_table_fits_its_frame_on_a_phone(context, server, width):
    """Cells narrow down and wrap; the frame would scroll, never the page (and an overflowing
    frame is a scroll region that a keyboard cannot reach: axe scrollable-region-focusable)."""
    page, _ = open_page(context, server + PAGE, viewport={"width": width, "height": 844})
    table = page.locator("section[aria-labelledby=errors] table")
    frame = table.evaluate(
        "t => { const w = t.closest('.md-typeset__scrollwrap') || t;"
        " return { overflow: getComputedStyle(w).overflowX, right: w.getBoundingClientRect().right } }"
    )
    assert frame["overflow"] == "auto" and frame["right"] <= width, frame
    fits = table.evaluate(
        "t => { const w = t.closest('.md-typeset__scrollwrap') || t;"
        " return w.scrollWidth <= w.clientWidth }"
    )
    assert fits
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


# --- 6. Print ----------------------------------------------------------------------------


def pdf_pages(pdf: bytes) -> list[bytes]:
    """Each page's content stream, decompressed (Chromium writes one stream per page)."""
    objects = {int(m[1]): m[2] for m in re.finditer(rb"(?s)(\d+) 0 obj(.*?)endobj", pdf)}
    pages = []
    for body in objects.values():
        if re.search(rb"/Type\s*/Page\b(?!s)", body):
            ref = re.search(rb"/Contents\s+(\d+) 0 R", body)
            stream = objects[int(ref[1])] if ref else b""
            raw = re.search(rb"(?s)stream\r?\n(.*?)\r?\nendstream", stream)
            data = raw[1] if raw else b""
            pages.append(zlib.decompress(data) if b"FlateDecode" in stream else data)
    return pages


def test_print_opens_folded_parts_hides_tools_and_fits_few_pages(context, server):
    page, _ = open_page(context, server + PAGE)
    page.emulate_media(media="print")
    for selector in (
        "details.kb-faq > p",  # FAQ answers
        ".kb-meta table",  # the folded metadata
        ".kb-template__body",  # templates in full
        ".kb-print",  # URL, version and print date
    ):
        assert page.locator(selector).first.is_visible(), selector
    answers = page.locator("details.kb-faq li").all()
    assert answers and all(li.is_visible() for li in answers)
    assert page.locator("form.kb-gen").first.is_hidden()
    assert page.locator(".kb-checklist__actions").is_hidden()
    clipped = page.evaluate(
        "() => [...document.querySelectorAll('.kb-template__body code')]"
        ".filter(c => c.scrollWidth > c.clientWidth + 1).length"
    )
    assert clipped == 0
    header = " ".join(page.locator(".kb-print").inner_text().split())
    today = page.evaluate("() => new Date().toLocaleDateString('ru-RU', {dateStyle: 'long'})")
    assert header == f"http://127.0.0.1:8000/{PAGE} · Версия 1.0 · Напечатано {today}"
    # Margins as Chrome's print dialog sets them (its own header and footer go there).
    margin = {side: "10mm" for side in ("top", "right", "bottom", "left")}
    pages = pdf_pages(page.pdf(format="A4", margin=margin))
    print(f"print: {len(pages)} A4 pages")
    assert 1 < len(pages) <= 10  # 13 with these margins before the print styles
    blank = [n for n, content in enumerate(pages, 1) if not re.search(rb"T[jJ]", content)]
    assert blank == []


# --- 8. Storage blocked, axe on every page, the invalid border, templates without JS ---------


def test_search_works_with_storage_blocked(context, server):
    ctx = context()
    ctx.add_init_script(STORAGE_DENIED)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server + PAGE)
    page.locator(".md-search__input").focus()
    page.locator(".md-search__input").press_sequentially("эскалац")
    page.locator(".md-search__input").dispatch_event("keyup")
    results = page.locator(".md-search-result__item")
    results.first.wait_for()
    assert results.count() > 0
    assert "Инициализация" not in page.locator(".md-search-result__meta").inner_text()
    assert errors == []


def test_every_page_works_with_storage_blocked(context, server, site):
    ctx = context()
    ctx.add_init_script(STORAGE_DENIED)
    page = ctx.new_page()
    errors: list[tuple[str, str]] = []
    page.on("pageerror", lambda error: errors.append((page.url, str(error))))
    pages = site_pages(site)
    for path in pages:
        page.goto(server + ("" if path == "./" else path))
        page.wait_for_load_state("load")
    assert len(pages) > 5 and errors == []


def site_pages(site) -> list[str]:
    return sorted(
        str(p.relative_to(site).parent) + "/" if p.name == "index.html" else p.name
        for p in site.rglob("*.html")
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_every_page_passes_axe(context, server, site, width):
    pages = site_pages(site)
    assert {"./", PAGE, "faq/", "tags/", "404.html"} <= set(pages)
    page = context(viewport={"width": width, "height": 900}).new_page()
    found = {}
    for path in pages:
        page.goto(server + ("" if path == "./" else path))
        if violations := axe_violations(page):
            found[path] = violations
    assert found == {}


def test_hovered_links_and_buttons_keep_their_contrast(context, server):
    """Material's accent colour (a hovered link's text, a hovered button's background under
    white text) is the page's too: axe reads it with the mouse over each."""
    page, errors = open_page(context, server + PAGE)
    for target in (
        page.locator(".kb-overview a").first,
        page.locator("form.kb-gen [data-action=clear]").first,
        page.locator(".kb-checklist-tool .md-button").first,
    ):
        target.hover()
        assert axe_violations(page) == [], target
    assert errors == []


def test_an_invalid_field_has_a_red_border(context, server):
    page, _ = open_page(context, server + PAGE)
    field = page.locator("form.kb-gen input[type=text]").first
    field.wait_for()
    field.evaluate("el => el.setAttribute('aria-invalid', 'true')")
    assert field.evaluate("el => getComputedStyle(el).borderTopColor") == "rgb(183, 28, 28)"


def test_templates_wrap_without_javascript(context, server):
    page, _ = open_page(
        context, server + PAGE, java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    codes = page.locator(".kb-template__body code")
    assert codes.count() == 2
    for code in codes.all():
        assert code.is_visible()
        assert code.evaluate("c => c.scrollWidth <= c.clientWidth + 1")


# --- 7. Links out: feedback, edit --------------------------------------------------------


def test_feedback_link_is_filled_from_mkdocs_yml(site):
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    template = config["extra"]["kb"]["feedback_url"]
    link = soup(site / PAGE / "index.html").select("a.kb-feedback__link")
    assert [a.get_text() for a in link] == ["Сообщить об ошибке или предложить улучшение"]
    url = quote(f"http://127.0.0.1:8000/{PAGE}", safe="")
    expected = (
        template.replace("{title}", quote("Эскалация в отдел разработки", safe=""))
        .replace("{url}", url)
        .replace("{version}", "1.0")
    )
    assert link[0]["href"] == expected
    assert "{" not in expected and url in expected


def test_edit_button_opens_the_yaml_only_when_a_repository_is_set(site, tmp_path):
    from conftest import SEED_YAML

    assert soup(site / PAGE / "index.html").select("a[rel=edit]") == []
    project = make_project(tmp_path / "project", {SEED_YAML.name: SEED_YAML.read_bytes()})
    config = project / "mkdocs.yml"
    config.write_text(
        "repo_url: https://git.example.ru/support/kb\nedit_uri: edit/main/docs/\n"
        + config.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    edit = soup(tmp_path / "site" / PAGE / "index.html").select("a[rel=edit]")
    assert [a["href"] for a in edit] == [
        "https://git.example.ru/support/kb/edit/main/docs/regulations/escalation-to-development.yml"
    ]
    assert soup(tmp_path / "site" / "index.html").select("a[rel=edit]") == []
