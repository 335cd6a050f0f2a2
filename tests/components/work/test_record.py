"""The ticket record (overrides/kb/components/work/record.mjs), beyond its golden cases
(tests/golden/work-records/): no typed value makes structure, in Markdown rendered by
Python-Markdown or in plain text; every word comes from the words passed in.

Python-Markdown runs with ``fenced_code`` only: its core has no fences, which CommonMark and
every ticket system's Markdown have; nothing else (no tables, no attribute lists) is switched on.
"""

from __future__ import annotations

import copy
import re

import markdown
import pytest
from bs4 import BeautifulSoup
from golden import GOLDEN, read
from hypothesis import given, settings
from hypothesis import strategies as st

from .records import WORDS, record

HOSTILE = read(GOLDEN / "work-records" / "hostile.yml")
SEED = read(GOLDEN / "work-records" / "seed.yml")

STRUCTURE = {"h1", "h2", "ul", "ol", "li", "p", "pre", "code"}
"""Every element the writer's own Markdown makes (a fence is pre > code)."""

SECTIONS = {
    WORDS[key]
    for key in (
        "record_steps",
        "cases",
        "fields",
        "record_copied",
        "log",
        "checklist",
    )
}

# Characters that make Markdown structure, line breaks of every kind, and any other character
# but controls (a browser's text field drops them; Python-Markdown uses STX/ETX itself) and the
# byte-order mark (JavaScript's trim() takes it for a space, Python's split() does not).
SPECIAL = "#-+*_`[]()<>!|&\\~=.:;'\" \t\n\r\u20281{}"
CHARS = st.one_of(
    st.sampled_from(SPECIAL),
    st.sampled_from("абвгдеж"),
    st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\ufeff"),
)
VALUE = st.text(CHARS, max_size=30)


def _words(text: str) -> str:
    return " ".join(text.split())


def _hostile_ticket(values: dict) -> tuple[dict, dict]:
    """The hostile golden case with each drawn value put where a value goes."""
    model, ticket = copy.deepcopy(HOSTILE["model"]), copy.deepcopy(HOSTILE["records"]["hostile.md"])
    model["steps"][0]["title"] = values["title"]
    model["fields"]["summary"]["label"] = values["label"]
    ticket.update(number=values["number"], client=values["client"])
    ticket["fields"] = {
        "summary": values["summary"],
        "details": values["details"],
        "items": values["items"],
    }
    ticket["copied"][0]["text"] = values["copied"]
    run = ticket["runs"]["hostile"]
    run["notes"]["first"] = values["note"]
    run["na"]["second"]["reason"] = values["reason"]
    run["log"][0].update(status=values["status"], note=values["log"])
    return model, ticket


HOSTILE_VALUES = st.fixed_dictionaries(
    {
        key: VALUE
        for key in ("title", "label", "number", "client", "summary", "details", "copied")
        + ("note", "reason", "status", "log")
    }
    | {"items": st.lists(VALUE, max_size=4)}
)


def _drawn(values: dict) -> list[str]:
    """The drawn values the record shows: all but a label whose field is empty."""
    shown = {**values, "label": values["label"] if values["summary"].strip() else ""}
    return [v for key, value in shown.items() for v in (value if key == "items" else [value])]


@settings(max_examples=150)
@given(HOSTILE_VALUES)
def test_no_value_makes_markdown_structure_and_every_value_is_shown(values):
    model, ticket = _hostile_ticket(values)
    html = markdown.markdown(record(model, ticket, "md"), extensions=["fenced_code"])
    page = BeautifulSoup(html, "html.parser")
    assert {tag.name for tag in page.find_all(True)} <= STRUCTURE
    assert all(code.parent.name == "pre" for code in page.find_all("code"))
    assert len(page.find_all("h1")) == 1
    assert {h2.get_text() for h2 in page.find_all("h2")} <= SECTIONS
    shown = _words(page.get_text(" "))
    assert [v for v in _drawn(values) if _words(v) not in shown] == []


def _margin(text: str) -> list[str]:
    """The lines at the left margin: the title, sections, the writer's items (values are on an
    item's line or indented under it)."""
    return [line for line in text.split("\n") if line and not line.startswith("    ")]


def _neutral(values: dict) -> dict:
    """The same ticket with every value that is shown replaced by a plain one-line «x»."""
    plain = lambda value: "x" if value.strip() else value  # noqa: E731
    return {k: [*map(plain, v)] if k == "items" else plain(v) for k, v in values.items()}


@settings(max_examples=150)
@given(HOSTILE_VALUES)
def test_no_value_makes_a_line_of_the_plain_text_record(values):
    drawn = _margin(record(*_hostile_ticket(values), "text"))
    plain = _margin(record(*_hostile_ticket(_neutral(values)), "text"))
    assert len(drawn) == len(plain)
    assert [line for line in drawn if line in SECTIONS] == [s for s in plain if s in SECTIONS]


def test_fence_is_longer_than_any_backtick_run_inside():
    """Lines of backticks alone, shorter and longer than three, stay inside the value's block."""
    model, ticket = _hostile_ticket(
        {key: "x" for key in ("title", "label", "number", "client", "summary", "details")}
        | {
            "note": "a\n``````\n```",
            "reason": "",
            "status": "",
            "log": "",
            "copied": "",
            "items": [],
        }
    )
    html = markdown.markdown(record(model, ticket, "md"), extensions=["fenced_code"])
    (pre,) = BeautifulSoup(html, "html.parser").find_all("pre")
    assert pre.get_text() == "a\n``````\n```\n"


def test_every_word_of_the_record_comes_from_the_words():
    """With every word replaced by a marker, what is left of the text record once the model's
    and the ticket's own texts are taken out has no letter: no word is spelled in the writer."""

    def marker(key, value):
        if isinstance(value, list):
            return [f"⟦{key}.{i}⟧" for i in range(len(value))]
        if isinstance(value, dict):
            return {k: f"⟦{key}.{k}⟧" for k in value}
        return f"⟦{key}⟧" + "".join(re.findall(r"\{\w+\}", value))

    words = {key: marker(key, value) for key, value in WORDS.items()}
    texts = sorted(_strings([SEED["model"], SEED["tickets"]]), key=len, reverse=True)
    for name in ("done", "partly", "not-needed"):
        left = record(SEED["model"], SEED["tickets"][name], "text", words)
        for text in texts:
            left = left.replace(text, "")
        assert re.findall(r"[^\W\d_]+", re.sub(r"⟦[^⟧]*⟧", "", left)) == [], name


def _strings(value) -> set[str]:
    if isinstance(value, dict):
        return set().union(*map(_strings, value.values()), {str(k) for k in value})
    if isinstance(value, list):
        return set().union(set(), *map(_strings, value))
    # A line of a text, and an action's text without the colon that introduces its items.
    lines = [line for line in str(value).split("\n") if line.strip()]
    return {*lines, *(line.rstrip(":") for line in lines)}


def test_a_missing_word_is_named():
    words = {key: value for key, value in WORDS.items() if key != "step_done"}
    with pytest.raises(AssertionError, match="нет слова «step_done»"):
        record(SEED["model"], SEED["tickets"]["done"], "md", words)
