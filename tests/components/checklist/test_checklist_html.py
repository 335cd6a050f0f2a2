"""The checklist's markup, rendered at build time (golden HTML: tests/components/test_components.py)."""

from __future__ import annotations

import yaml
from conftest import soup

from components.conftest import SEED_YAML, example, slug_of, words

SEED_PAGE = "main/regulations/escalation-to-development/index.html"


def test_checklist_is_rendered_for_the_script(tools_site):
    tool = soup(tools_site.www / SEED_PAGE).select_one('[data-kb-tool="checklist"]')
    seed = yaml.safe_load(SEED_YAML)
    assert [box["name"] for box in tool.select("ul.kb-checklist input[type=checkbox]")] == [
        item["id"] for item in seed["checklist"]
    ]
    assert tool.select_one(".kb-checklist__progress").has_attr("hidden")
    assert tool.select_one(".kb-checklist__progress")["role"] == "status"
    assert words(tool.select_one("button[data-action=reset]")) == "Сбросить"


def test_item_text_is_inline_markdown_and_never_markup(tools_site):
    item = example("checklist", "literal-markup")
    path = tools_site.www / "main" / "regulations" / slug_of("checklist", item) / "index.html"
    tool = soup(path).select_one('[data-kb-tool="checklist"]')
    hostile, markdown = tool.select("ul.kb-checklist li")
    assert tool.select("script, img") == []
    assert words(hostile) == item["regulation"]["checklist"][0]["text"]
    assert [(tag.name, words(tag)) for tag in markdown.label.find_all(recursive=False)] == [
        ("input", ""),
        ("strong", "Важно:"),
        ("code", "config.yml"),
        ("a", "инструкцию"),
    ]
    assert markdown.a["href"] == "https://example.com/guide"
