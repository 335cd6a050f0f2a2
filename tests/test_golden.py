"""Golden tests: one section of a regulation page, rendered by the core from a small fragment.

Each ``golden/<case>.yml`` holds ``section`` (the section's heading id), ``regulation`` (top-level
fields put over ``fixtures/valid/minimal.yml``) and ``html``: the section as the page shows it,
parsed and pretty-printed. After a deliberate change of the page, regenerate the expected side:

    KB_GOLDEN_UPDATE=1 .venv/bin/pytest tests/test_golden.py

and read the diff before committing it. No MkDocs run: the core renders the page.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import FIXTURES, SEED_YAML

from kb.load.regulation import problems_of
from kb.load.yaml_exact import load_yaml
from kb.scaffold import to_yaml
from kb.site.knowledge_base import KnowledgeBase

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = sorted(GOLDEN.glob("*.yml"))
BASE = FIXTURES / "valid" / "minimal.yml"
SLUG = "golden"
TODAY = date(2025, 3, 1)
UPDATE = os.environ.get("KB_GOLDEN_UPDATE") == "1"


def normalised(html: str) -> str:
    """One tag or text per line, indented; ``pre`` and ``textarea`` kept verbatim."""
    return BeautifulSoup(html, "html.parser").prettify()


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
    return normalised(str(found[0]))


def write_expected(path: Path, html: str) -> None:
    """Replace the ``html`` key (the file's last) and keep the hand-written rest as it is."""
    text = path.read_text(encoding="utf-8")
    head = text[: text.index("\nhtml:") + 1] if "\nhtml:" in text else text.rstrip("\n") + "\n"
    block = "".join(f"  {line}\n" if line else "\n" for line in html.rstrip("\n").split("\n"))
    path.write_text(f"{head}html: |\n{block}", encoding="utf-8")


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_section_renders_as_recorded(path, tmp_path):
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    actual = render_section(case, tmp_path)
    if UPDATE:
        write_expected(path, actual)
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert "html" in case, f"{path.name}: no expected html; run with KB_GOLDEN_UPDATE=1"
    assert actual == normalised(case["html"])


@pytest.mark.parametrize("name", ["steps-html-is-text", "summary-html-is-text"])
def test_markup_in_text_stays_text(name, tmp_path):
    """Whatever the recorded side says: no tag typed by a maintainer reaches the page."""
    case = yaml.safe_load((GOLDEN / f"{name}.yml").read_text(encoding="utf-8"))
    section = BeautifulSoup(render_section(case, tmp_path), "html.parser")
    assert section.find_all(["script", "img", "b"]) == []
    assert "<script>alert(1)</script> и <b>не жирный</b>" in section.get_text()


def test_every_section_of_the_seed_page_has_a_case():
    regulation, problems = problems_of(SEED_YAML)
    page = KnowledgeBase([regulation], today=TODAY).regulation_page(regulation)
    sections = BeautifulSoup(page.html, "html.parser").select(
        "article.kb-regulation > section[aria-labelledby]"
    )
    cases = {yaml.safe_load(p.read_text(encoding="utf-8"))["section"] for p in CASES}
    assert len(sections) > 10
    assert {s["aria-labelledby"] for s in sections} - cases == set()


def test_normalised_is_stable():
    html = "<section><p>a <b>b</b>\n</p><pre><code>x\n   y</code></pre></section>"
    assert normalised(normalised(html)) == normalised(html)
    assert "<code>x\n   y</code>" in normalised(html)
