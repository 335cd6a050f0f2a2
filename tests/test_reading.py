"""Reading a regulation in Chromium: the first screen, tables, print, deep links, storage
blocked, accessibility of every page. Built from the fixture seed (the ``site`` fixture)."""

from __future__ import annotations

import re
import zlib
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from chromium import axe_violations
from components.conftest import STORAGE_DENIED
from conftest import ROOT, SEED_YAML, build, make_project, soup
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


def test_the_first_regulation_card_is_on_the_home_pages_first_screen_at_1280x800(context, server):
    page, errors = open_page(context, server)
    card = box(page, ".kb-card")
    title = box(page, ".kb-card__title a")
    print(f"home: the first card's top at y={card['y']:.0f} px of 800")
    assert card["y"] < 800 and title["y"] + title["height"] <= 800, (card, title)
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


# Each word of a cell that lies on more than one line (Range rects of its letters).
_SPLIT_WORDS = """table => { const split = [], range = document.createRange();
  const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode()); ) {
    for (const match of node.data.matchAll(/\\S+/g)) {
      const tops = new Set();
      for (let i = match.index; i < match.index + match[0].length; i++) {
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (rect) tops.add(Math.round(rect.top));
      }
      if (tops.size > 1) split.push(match[0]);
    }
  }
  return split }"""

# Whether this Chromium hyphenates Russian: a long word in a narrow box with hyphens: auto.
_HYPHENATES_RU = """() => { const probe = document.createElement('div');
  probe.lang = 'ru'; probe.style.cssText = 'width: 3em; overflow-wrap: normal; hyphens: manual';
  probe.textContent = 'документация'; document.body.append(probe);
  const unbroken = probe.offsetHeight; probe.style.hyphens = 'auto';
  const hyphenated = probe.offsetHeight > unbroken; probe.remove(); return hyphenated }"""


def test_table_cells_at_390_break_words_only_at_hyphens_or_between_words(context, server):
    """«документа|ция»: a cell broke a word anywhere, without a hyphen. Cells hyphenate
    (``hyphens: auto``, the page is ``lang="ru"``) where the browser has the dictionary;
    otherwise they break between words only (Debian's Chromium has none: no word may split)."""
    page, _ = open_page(context, server + PAGE, viewport={"width": 390, "height": 844})
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    assert page.evaluate("() => document.documentElement.lang") == "ru"
    hyphenates = page.evaluate(_HYPHENATES_RU)
    print(f"this Chromium hyphenates Russian: {hyphenates}")
    tables = page.locator(".md-typeset table:not([class])")
    assert tables.count() == 3  # metadata, errors, history
    if not hyphenates:
        assert [word for table in tables.all() for word in table.evaluate(_SPLIT_WORDS)] == []
    cells = tables.locator("th, td").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c).hyphens)"
    )
    assert set(cells) == {"auto"}, cells


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


_NUMBER = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)")
_TOKEN = re.compile(
    rb"<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\)|\[[^\]]*\]|/[^\s/\[\]<>()]+|[^\s/\[\]<>()]+"
)


def _times(a: list[float], b: list[float]) -> list[float]:
    """The product of two PDF matrices ``[a b c d e f]``: ``a`` applied first."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def last_line_colours(content: bytes) -> set[tuple[float, ...]]:
    """The fill colours of the text on a page's lowest line (a content stream of pdf_pages).

    Follows what places text in Chromium's PDF: the graphics state stack (q, Q), its matrix
    (cm), the text matrix (BT, Tm, Td) and the fill colour (rg) of each string shown (Tj, TJ).
    """
    matrix, stack, fill, text, args = [1.0, 0, 0, 1, 0, 0], [], (), [1.0, 0, 0, 1, 0, 0], []
    runs: list[tuple[float, tuple[float, ...]]] = []
    for token in _TOKEN.findall(content):
        if _NUMBER.fullmatch(token):
            args.append(float(token))
            continue
        if token == b"q":
            stack.append((matrix, fill))
        elif token == b"Q":
            matrix, fill = stack.pop()
        elif token == b"cm":
            matrix = _times(args[-6:], matrix)
        elif token == b"rg":
            fill = tuple(args[-3:])
        elif token == b"BT":
            text = [1.0, 0, 0, 1, 0, 0]
        elif token == b"Tm":
            text = args[-6:]
        elif token == b"Td":
            text = _times([1.0, 0, 0, 1, *args[-2:]], text)
        elif token in (b"Tj", b"TJ"):
            runs.append((round(_times(text, matrix)[5], 1), fill))  # y: up from the bottom
        if token[:1] not in b"<([/":  # an operator: its operands are used up
            args = []
    lowest = min(y for y, _ in runs)
    return {colour for y, colour in runs if y == lowest}


# Paints the headings and the label lines («Текст уведомления:» — a paragraph that is one bold
# text ending with a colon) in a colour of their own; a colour leaves the layout as it is.
_MARK_HEADINGS = """colour => {
  const marked = [];
  for (const el of document.querySelectorAll('.md-typeset :is(h1, h2, h3, h4, p)')) {
    const text = el.textContent.replace('¶', '').trim();
    const bold = el.querySelector(':scope > strong');
    if (el.tagName === 'P' && !(bold && bold.textContent.trim() === text && text.endsWith(':')))
      continue;
    for (const node of [el, ...el.querySelectorAll('*')])
      node.style.setProperty('color', colour, 'important');
    marked.push(text);
  }
  return marked }"""
MARKED = (1.0, 0.0, 1.0)  # rgb(255, 0, 255) as the PDF writes it
MARGIN = {side: "10mm" for side in ("top", "right", "bottom", "left")}
"""Margins as Chrome's print dialog sets them (its own header and footer go there)."""


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_print_never_leaves_a_heading_as_the_last_line_of_a_sheet(context, server, paper):
    """«Текст уведомления:» and «Часто задаваемые вопросы (FAQ)» were printed at the foot of a
    sheet, their text on the next one."""
    page, _ = open_page(context, server + PAGE)
    page.emulate_media(media="print")
    marked = page.evaluate(_MARK_HEADINGS, "rgb(255, 0, 255)")
    assert {"Текст уведомления:", "Часто задаваемые вопросы (FAQ)"} <= set(marked), marked
    sheets = pdf_pages(page.pdf(format=paper, margin=MARGIN))
    stranded = [n for n, sheet in enumerate(sheets, 1) if MARKED in last_line_colours(sheet)]
    print(f"print, {paper}: {len(sheets)} sheets, a heading last on sheets {stranded}")
    assert len(sheets) > 1 and stranded == []


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
    # The fixture has no public address (site_url is mkdocs.yml's http://127.0.0.1:8000/):
    # the page's address in the browser is printed.
    assert header == f"{server}{PAGE} · Версия 1.0 · Напечатано {today}"
    pages = pdf_pages(page.pdf(format="A4", margin=MARGIN))
    print(f"print: {len(pages)} A4 pages")
    assert 1 < len(pages) <= 10  # 13 with these margins before the print styles
    blank = [n for n, content in enumerate(pages, 1) if not re.search(rb"T[jJ]", content)]
    assert blank == []


UNPUBLISHED = "Адрес сайта не задан"


def print_header(site) -> BeautifulSoup:
    return soup(site / PAGE / "index.html").select_one("p.kb-print")


def test_a_build_without_a_public_address_says_so_and_prints_the_browsers(site, tmp_path):
    """mkdocs.yml's fallback site_url (http://127.0.0.1:8000/) was printed as the page's
    address. The page now prints its address in the browser (kb.js fills the slot; see
    test_print_opens_folded_parts…), and the build says that the site has no public address:
    an INFO line, which --strict lets pass (a build for this machine rightly has none)."""
    header = print_header(site)
    assert [el["data-kb-tool"] for el in header.select("[data-kb-tool]")] == [
        "print-address",
        "print-date",
    ]
    assert "127.0.0.1" not in header.get_text()
    project = make_project(tmp_path / "project", {SEED_YAML.name: SEED_YAML.read_bytes()})
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if UNPUBLISHED in line]
    assert len(notes) == 1 and notes[0].startswith("INFO"), notes


def test_print_shows_the_public_address_when_the_site_has_one(tmp_path):
    project = make_project(tmp_path / "project", {SEED_YAML.name: SEED_YAML.read_bytes()})
    result = build(project, tmp_path / "site", KB_SITE_URL="https://kb.example.ru/")
    assert result.returncode == 0, result.stderr
    assert UNPUBLISHED not in result.stderr
    header = print_header(tmp_path / "site")
    assert header.select("[data-kb-tool=print-address]") == []
    text = " ".join(header.get_text().split())
    assert text == f"https://kb.example.ru/{PAGE} · Версия 1.0 · Напечатано"


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


def test_no_two_regions_of_a_page_share_a_name(site):
    # axe's landmark-unique, on the markup as built: before the scripts hide the other steps of
    # a work page (and without JavaScript) every step's generator shows its result region.
    pages = {p.relative_to(site).as_posix(): soup(p) for p in site.rglob("*.html")}
    shared = {
        path: names
        for path, page in pages.items()
        if len(names := [r.get("aria-label") for r in page.select("[role=region]")])
        != len(set(names))
    }
    assert sum(len(p.select("[role=region]")) for p in pages.values()) > 1
    assert shared == {}


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
