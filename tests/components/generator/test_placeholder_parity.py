"""One placeholder rule: kb/placeholders.py and generator.js fill every case of one table alike.

The table is ``placeholder_cases.yml``; generator.js is loaded into a blank Chromium page (with
the shared runtime kb.js) and its ``kb.fill`` called directly.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from components.conftest import COMPONENTS
from kb import placeholders

CASES = yaml.safe_load((Path(__file__).with_name("placeholder_cases.yml")).read_text("utf-8"))
CASES = CASES["cases"]
# (case, markdown?) for every expected output of the table.
OUTPUTS = [(case, False) for case in CASES] + [(case, True) for case in CASES if "markdown" in case]


def expected(case: dict, markdown: bool) -> str:
    return case["markdown"] if markdown else case["text"]


def test_case_names_are_unique():
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("case", "markdown"), OUTPUTS, ids=[f"{c['name']}-{'md' if m else 'txt'}" for c, m in OUTPUTS]
)
def test_python_fill(case, markdown):
    assert placeholders.fill(case["body"], case["fields"], case["values"], markdown) == expected(
        case, markdown
    )


@pytest.fixture(scope="module")
def generator_js(browser):
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_content("<!doctype html><title>kb.fill</title>")
    for script in ("kb.js", "generator/generator.js"):
        page.add_script_tag(content=(COMPONENTS / script).read_text("utf-8"))
    # The function is reached through the one namespace; nothing else leaks into window.
    assert page.evaluate("typeof window.kb.fill") == "function"
    assert page.evaluate("typeof window.fill") == "undefined"
    yield page
    context.close()
    assert errors == []


def test_javascript_fill_gives_the_same_text(generator_js):
    outputs = generator_js.evaluate(
        "cases => cases.map(([c, md]) => window.kb.fill(c.body, c.fields, c.values, md))",
        [[case, markdown] for case, markdown in OUTPUTS],
    )
    python = [
        placeholders.fill(case["body"], case["fields"], case["values"], markdown)
        for case, markdown in OUTPUTS
    ]
    names = [f"{case['name']}-{'md' if markdown else 'txt'}" for case, markdown in OUTPUTS]
    assert dict(zip(names, outputs, strict=True)) == dict(zip(names, python, strict=True))
    assert outputs == [expected(case, markdown) for case, markdown in OUTPUTS]
