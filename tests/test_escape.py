"""Nothing a regulation says can run: markup in any of its texts reaches every page as text.

The schema is walked for every string field (not a hand list); each field that can hold it gets
a payload with its own marker — a script, an image with an event handler, quotes — prepended to
its value. One site holds the seed regulation and ``fixtures/escape/other-forms.yml`` (the
fields and forms the seed does not use), both injected so, and what ``kb new`` and ``kb import``
make of such a title, department and tags. Every page of it (404 included) and the search index
(Material's search shows titles, texts and tags as HTML) are parsed: a marker found in a script,
an event handler or an ``<img src=x>`` names the field that leaked.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import FIXTURES, ROOT, SEED, SEED_YAML, make_project, mkdocs, theme_script_hashes
from jsonschema import Draft202012Validator, FormatChecker
from test_cli import kb

from kb.check.schema import validate
from kb.load.yaml_exact import load_yaml
from kb.placeholders import placeholders_of
from kb.problems import format_path

SCHEMA = json.loads((ROOT / "schema" / "regulation.schema.json").read_text(encoding="utf-8"))
OTHER_FORMS = FIXTURES / "escape" / "other-forms.yml"
PAYLOADS = (
    "<script>alert({n})</script><img src=x onerror=alert({n})>\"'",
    "<img src=x onerror=alert({n})>\"'",  # for a field that refuses "/" (a file name)
)
MARKER = re.compile(r"alert\((\d+)\)")
_ANY = object()


def _valid(schema: dict, value) -> bool:
    schema = {**schema, "$defs": SCHEMA["$defs"]}
    return Draft202012Validator(schema, format_checker=FormatChecker()).is_valid(value)


def string_fields(value=_ANY, node=SCHEMA, pointer="#", path=(), entered=None):
    """``(pointer, schema, path)`` of every string field of the schema (``value`` not given) or
    of every string in a regulation ``value`` (``path``: where it is, e.g. ``steps, 2, where``).

    ``pointer`` names the field as the schema places it (``#/steps/[]/where``); a list item
    that nests list items (``$defs/item``) names its nested texts as its own.
    """
    entered = entered or {}
    while "$ref" in node:
        ref = node["$ref"]
        if ref in entered:  # recursion: the same fields again
            if value is _ANY:
                return
            pointer = entered[ref]
        else:
            entered = {**entered, ref: pointer}
        node = SCHEMA["$defs"][ref.rsplit("/", 1)[1]]
    if node.get("type") == "string" or "enum" in node or "const" in node:
        yield pointer, node, path
    for i, branch in enumerate(node.get("oneOf", [])):
        if value is _ANY or _valid(branch, value):
            yield from string_fields(value, branch, f"{pointer}/oneOf/{i}", path, entered)
    for key, sub in node.get("properties", {}).items():
        if value is _ANY or key in value:
            inner = _ANY if value is _ANY else value[key]
            yield from string_fields(inner, sub, f"{pointer}/{key}", (*path, key), entered)
    if isinstance(node.get("items"), dict):
        for i, item in enumerate([_ANY] if value is _ANY else value):
            yield from string_fields(item, node["items"], f"{pointer}/[]", (*path, i), entered)


def payload_for(schema: dict) -> str | None:
    """The first payload the field's schema accepts; ``None``: its pattern, enum, format or
    type cannot hold markup (ids, dates, statuses), so there is nothing to inject."""
    return next((p for p in PAYLOADS if _valid(schema, p.format(n=0))), None)


FIELDS = {
    pointer: payload
    for pointer, schema, _ in string_fields()
    if (payload := payload_for(schema)) is not None
}
"""Every string field that can hold markup → its payload."""
LABELS = dict(enumerate(FIELDS, 1))
"""Marker → the field it was injected into; the CLI's markers follow."""
MARKERS = {pointer: n for n, pointer in LABELS.items()}
CLI = {
    "kb new: название": 901,
    "kb import: название": 902,
    "kb import: отдел": 903,
    "kb import: теги": 904,
}
LABELS.update((n, label) for label, n in CLI.items())


def _at(data, path):
    for key in path[:-1]:
        data = data[key]
    return data, path[-1]


def inject(data: dict) -> tuple[dict, set[str], set[str]]:
    """``data`` with its payload prepended to every string field that takes it; the schema
    pointers of the fields injected, and of those that kept their value because the
    regulation's own rules (``kb.check``) tie it to another (a select's default is one of its
    options, a date field's is a date) and would refuse the file."""
    hostile = copy.deepcopy(data)
    done: dict[str, str] = {}  # field path in the regulation → schema pointer
    for pointer, _, path in string_fields(data):
        if pointer in FIELDS:
            owner, key = _at(hostile, path)
            owner[key] = FIELDS[pointer].format(n=MARKERS[pointer]) + " " + owner[key]
            done[format_path(path)] = pointer
    # A placeholder is also written in its template's body, [so]: the body follows the field.
    for old, new in zip(data.get("templates", []), hostile.get("templates", []), strict=True):
        for was, field in zip(old.get("fields", []), new.get("fields", []), strict=True):
            for before, after in zip(placeholders_of(was), placeholders_of(field), strict=True):
                new["body"] = new["body"].replace(f"[{before}]", f"[{after}]")
    refused = {problem.path for problem in _problems(hostile)}
    kept = set()
    for _, _, path in string_fields(data):
        if format_path(path) in refused:
            owner, key = _at(hostile, path)
            owner[key] = _at(data, path)[0][key]
            kept.add(done.pop(format_path(path)))
    assert not _problems(hostile), [str(p) for p in _problems(hostile)]
    return hostile, set(done.values()), kept


def _problems(data: dict):
    text = yaml.safe_dump(data, allow_unicode=True)
    return validate(load_yaml(text.encode("utf-8"), "hostile.yml"), "hostile.yml")


def _yaml(path: Path) -> dict:
    return load_yaml(path.read_bytes(), path.name).data


def _cli_payload(label: str) -> str:
    return PAYLOADS[0].format(n=CLI[label])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """The site: both regulations injected in every field, ``kb new`` and ``kb import`` of
    hostile names; built once."""
    where = tmp_path_factory.mktemp("hostile")
    regulations, injected, kept = {}, set(), set()
    for source in (SEED_YAML, OTHER_FORMS):
        data, fields, unchanged = inject(_yaml(source))
        regulations[source.name] = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        injected |= fields
        kept |= unchanged
    # A field kb.check refuses markup in wherever it stands cannot hold it (as a schema rule).
    missing = sorted(set(FIELDS) - injected - kept)
    assert not missing, f"добавьте эти поля в {OTHER_FORMS.name}: {missing}"
    project = make_project(where / "project", regulations)
    assert kb(project, "new", _cli_payload("kb new: название")).returncode == 0
    # `kb new` makes a draft, which `make build` leaves out: published, as a maintainer does.
    (created,) = [
        p for p in (project / "docs" / "regulations").glob("*.yml") if p.name not in regulations
    ]
    text = created.read_text(encoding="utf-8")
    assert text.count("status: Черновик\n") == 1
    created.write_text(text.replace("status: Черновик\n", "status: Актуально\n"), "utf-8")
    markdown = SEED.read_text(encoding="utf-8")
    for label, before, after in (
        ("kb import: название", "# Эскалация", "# {} Эскалация"),
        ("kb import: отдел", "| Тех. поддержка |", "| {} Тех. поддержка |"),
        ("kb import: теги", "| эскалация,", "| {} эскалация,"),
    ):
        assert before in markdown
        markdown = markdown.replace(before, after.format(_cli_payload(label)), 1)
    (where / "hostile.md").write_text(markdown, encoding="utf-8")
    assert kb(project, "import", str(where / "hostile.md")).returncode == 0
    # Not --strict: a leak that a strict build would stop on is still built, to be named below
    # by its field; the CSP check (kb.publish.csp) stops a build on a leak either way.
    result = mkdocs(project, "build", "-d", str(where / "site"))
    assert result.returncode == 0, _named(result.stderr)
    return where / "site"


def _named(text: str) -> str:
    """``text`` with each marker followed by the field it was injected into."""
    return MARKER.sub(lambda m: f"{m[0]} [{LABELS.get(int(m[1]), '?')}]", text)


def _leaks(html: str) -> list[tuple[str, int]]:
    """(what ran, marker) for every payload that is markup rather than text in ``html``."""
    found = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        if tag.name == "script" and not tag.get("src"):
            found += [("<script>", int(n)) for n in MARKER.findall(tag.get_text())]
        for name, value in tag.attrs.items():
            if name.lower().startswith("on"):
                found += [(f"<{tag.name} {name}>", int(n)) for n in MARKER.findall(str(value))]
        if tag.name == "img" and tag.get("src") == "x":
            found += [("<img src=x>", int(n)) for n in MARKER.findall(str(tag))] or [("<img>", 0)]
    return found


def _pages(site: Path) -> dict[str, str]:
    return {
        str(path.relative_to(site)): path.read_text(encoding="utf-8")
        for path in sorted(site.rglob("*.html"))
    }


def _search_texts(site: Path) -> dict[str, str]:
    """What Material's search shows as HTML: each entry's title, text and tags."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {
        f"search_index.json {doc['location']}": " ".join(
            [doc["title"], doc["text"], *doc.get("tags", [])]
        )
        for doc in index["docs"]
    }


def _report(where: dict[str, str], markers: set[int]) -> str:
    """Every leak of these markers in ``where`` (place → HTML), one line each, naming the field."""
    return "\n".join(
        f"{place}: {what} — {LABELS.get(n, '?')}"
        for place, html in where.items()
        for what, n in _leaks(html)
        if n in markers or not n
    )


def _as_text(pages: dict[str, str]) -> set[int]:
    """The markers that the pages show as text (so the injection did reach them)."""
    text = " ".join(BeautifulSoup(html, "html.parser").get_text() for html in pages.values())
    return {int(n) for n in MARKER.findall(text)}


def test_markup_in_every_field_is_text_on_every_page(hostile):
    pages = _pages(hostile)
    assert {"404.html", "tags/index.html"} <= set(pages)
    assert _report(pages, set(MARKERS.values())) == ""
    shown = {MARKERS[field] for field in ("#/title", "#/meta/department", "#/meta/tags/[]")}
    assert shown <= _as_text(pages)


def test_markup_in_every_field_is_text_in_the_search_index(hostile):
    assert _report(_search_texts(hostile), set(LABELS)) == ""


@pytest.mark.parametrize("command", ["kb new", "kb import"])
def test_markup_in_a_name_given_to_the_cli_is_text_on_every_page(hostile, command):
    """``kb new "<script>…"``; ``kb import`` of Markdown with markup in title, department, tags."""
    markers = {n for label, n in CLI.items() if label.startswith(command + ":")}
    pages = _pages(hostile)
    assert _report(pages, markers) == ""
    assert markers <= _as_text(pages)


def test_the_policy_allows_the_theme_scripts_only(hostile):
    snippet = (hostile / "nginx-csp.conf").read_text(encoding="utf-8")
    listed = set(re.search(r'set \$kb_script_hashes "(.*)";', snippet)[1].split())
    assert listed == theme_script_hashes()
