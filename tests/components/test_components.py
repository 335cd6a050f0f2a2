"""What every component shares: its folder's shape, its markup in the page, unpublished
examples. (Each example's markup is a golden case: tests/golden/components/.)"""

from __future__ import annotations

import re

import pytest

from components.conftest import COMPONENTS, MACROS, examples, render, slug_of
from kb.site.html import compact

MODULES = {
    "work": "tests/components/work/",
    "workspace": "tests/components/work/",
    "since": "tests/test_changes.py",
}
"""Components tested on built sites rather than on examples, and their tests: the ES modules of
the work page (kb/site/templates/work.html) and of the entries to it (the reading page's link,
«Мои обращения» on the home page); «С вашего прошлого визита», which needs a git history."""


def test_every_component_folder_holds_template_script_style_and_examples():
    folders = sorted(p.name for p in COMPONENTS.iterdir() if p.is_dir())
    assert folders == sorted([*MACROS, *MODULES]), "a component without tests"
    for tool in sorted(MACROS):
        names = {p.name for p in (COMPONENTS / tool).iterdir()}
        assert {f"{tool}.html", f"{tool}.js", f"{tool}.css", "examples.yml"} <= names, tool
        named = [item["name"] for item in examples(tool)]
        assert len(named) == len(set(named)) >= 3, tool


WORK_MODULES = (
    "files",
    "home",
    "main",
    "record",
    "shape",
    "store",
    "text",
    "tickets",
    "view",
    "when",
)


def test_examples_are_not_published(tools_site):
    built = [p.relative_to(tools_site.www).as_posix() for p in tools_site.www.rglob("*")]
    shipped = sorted(
        re.sub(r"\.[0-9a-f]{8}\.", ".", name)  # kb.publish's content-hashed names
        for name in built
        if name.startswith("main/kb/components/")
        and name.endswith((".js", ".mjs", ".css", ".html"))
    )
    assert shipped == [
        "main/kb/components/checklist/checklist.css",
        "main/kb/components/checklist/checklist.js",
        "main/kb/components/generator/generator.css",
        "main/kb/components/generator/generator.js",
        "main/kb/components/kb.js",
        "main/kb/components/since/since.js",
        *(f"main/kb/components/work/{name}.mjs" for name in WORK_MODULES),
        "main/kb/components/work/work.css",
        "main/kb/components/workspace/workspace.js",
    ]
    assert [name for name in built if name.endswith(("examples.yml", "README.md"))] == []


# The page's own JS + CSS budget: tests/test_publish_budgets.py (bench/tools_size.py prints it).


EXAMPLES = pytest.mark.parametrize(
    ("tool", "item"),
    [(tool, item) for tool in MACROS for item in examples(tool)],
    ids=[f"{tool}-{item['name']}" for tool in MACROS for item in examples(tool)],
)


@EXAMPLES
def test_the_example_page_shows_the_golden_markup(tools_site, tool, item):
    """The golden cases are the markup of the real page, not of a rendering of their own."""
    page = tools_site.www / "main" / "regulations" / slug_of(tool, item) / "index.html"
    # kb.publish's content-hashed asset names.
    html = re.sub(r"\.[0-9a-f]{8}\.(js|css)\b", r".\1", page.read_text("utf-8"))
    for part in compact(render(tool, item)).strip().split("\n\n"):
        assert part.strip() in html
