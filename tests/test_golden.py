"""Golden tests (tests/golden.py): sections of a regulation page and component examples.

``golden/sections/<case>.yml`` holds ``section`` (the section's heading id) and ``regulation``
(top-level fields put over ``fixtures/valid/minimal.yml``); ``golden/components/<tool>-<name>.yml``
names an example of ``overrides/kb/components/<tool>/examples.yml``; ``golden/work-records/*.yml``
holds a work page ``model`` and ``records`` (an output name per ticket: ``done.md``, ``done.txt``)
written by ``work/record.mjs`` in Node. Each is rendered without MkDocs and compared with its
``expected`` outputs. Regenerate after a deliberate
change: ``KB_GOLDEN_UPDATE=1 .venv/bin/pytest -m golden``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from components.conftest import MACROS, example, examples, render
from components.work.records import records_of
from conftest import FIXTURES, SEED_YAML
from golden import cases, check, pretty_html, read

from kb.load.regulation import problems_of
from kb.load.yaml_exact import load_yaml
from kb.scaffold import to_yaml
from kb.site.knowledge_base import KnowledgeBase

BASE = FIXTURES / "valid" / "minimal.yml"
SLUG = "golden"
TODAY = date(2025, 3, 1)


def render_section(case: dict, where: Path) -> str:
    """The regulation made of the base and the case's fields, rendered; its one section."""
    data = load_yaml(BASE.read_bytes(), BASE.name).data | case["regulation"]
    path = where / f"{SLUG}.yml"
    path.write_text(to_yaml(data, path), encoding="utf-8")
    regulation, problems = problems_of(path)
    assert problems == [], "the fragment must make a valid regulation"
    page = KnowledgeBase([regulation], today=TODAY).regulation_page(regulation)
    found = BeautifulSoup(page.html, "html.parser").select(
        f"article.kb-regulation > section[aria-labelledby={case['section']}]"
    )
    assert len(found) == 1, f"the page has no single section «{case['section']}»"
    return str(found[0])


def render_component(case: dict, where: Path) -> dict[str, str]:
    """The example's markup as the core puts it into the page."""
    tool, item = case["component"], example(case["component"], case["example"])
    return {"html": render(tool, item)}


RENDER = {
    "sections": lambda case, where: {"html": render_section(case, where)},
    "components": render_component,
    "work-records": lambda case, where: records_of(case),
}
"""Each kind of golden case (a folder of tests/golden/) and how its outputs are made."""

CASES = [(kind, path) for kind in RENDER for path in cases(kind)]


@pytest.mark.golden
@pytest.mark.parametrize(
    ("kind", "path"), CASES, ids=[f"{kind}/{path.stem}" for kind, path in CASES]
)
def test_renders_as_recorded(kind, path, tmp_path):
    check(path, RENDER[kind](read(path), tmp_path))


def test_every_component_example_has_its_case_and_every_case_its_example():
    named = {f"{tool}-{item['name']}" for tool in MACROS for item in examples(tool)}
    assert {path.stem for path in cases("components")} == named


@pytest.mark.parametrize("name", ["steps-html-is-text", "summary-html-is-text"])
def test_markup_in_text_stays_text(name, tmp_path):
    """Whatever the recorded side says: no tag typed by a maintainer reaches the page."""
    case = read(Path(__file__).parent / "golden" / "sections" / f"{name}.yml")
    section = BeautifulSoup(render_section(case, tmp_path), "html.parser")
    assert section.find_all(["script", "img", "b"]) == []
    assert "<script>alert(1)</script> и <b>не жирный</b>" in section.get_text()


def test_every_section_of_the_seed_page_has_a_case():
    regulation, problems = problems_of(SEED_YAML)
    page = KnowledgeBase([regulation], today=TODAY).regulation_page(regulation)
    sections = BeautifulSoup(page.html, "html.parser").select(
        "article.kb-regulation > section[aria-labelledby]"
    )
    assert len(sections) > 10
    recorded = {read(path)["section"] for path in cases("sections")}
    assert {s["aria-labelledby"] for s in sections} - recorded == set()


def test_pretty_html_is_stable():
    html = "<section><p>a <b>b</b>\n</p><pre><code>x\n   y</code></pre></section>"
    assert pretty_html(pretty_html(html)) == pretty_html(html)
    assert "<code>x\n   y</code>" in pretty_html(html)
