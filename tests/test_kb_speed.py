"""The build's fast paths give exactly what the careful paths give.

Fast YAML (libyaml) vs the pure-Python loader, the quick schema verdict (fastjsonschema) and
the inlined schema vs plain jsonschema, regex headings vs an HTML parser, compacted HTML
vs the template's output, the work split over forked processes vs one process; over Material
(hooks/material_speed.py): the sidebars shared by the work pages vs the theme's own, and the
search sections vs Material's parser; over MkDocs (hooks/page_loop.py): the pages built over
the cores vs its own loop.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import re
import subprocess
import sys
from datetime import date

import fastjsonschema
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import FIXTURES, ROOT, SEED_YAML, mkdocs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import FormatChecker
from material.plugins.search.plugin import Parser as SearchParser
from project import make_project
from test_bad_input import BROKEN

from kb import compiled, parallel
from kb.check.schema import validator_class
from kb.check.schema_fast import fast_verdict
from kb.check.schema_inline import inline_refs
from kb.load import yaml_exact as loader
from kb.load.narrowed import MAX_DEPTH
from kb.load.regulation import load_folder, load_regulations, problems_of
from kb.load.yaml_fast import _deepest_possible, parse_fast
from kb.parallel import cores
from kb.site import render
from kb.site.knowledge_base import KnowledgeBase, compact, headings_of

sys.path.insert(0, str(ROOT / "hooks"))  # the adapter's speed paths over Material
import page_loop  # noqa: E402
from kb_hooks import READ_AHEAD  # noqa: E402
from material_speed import EXACT_NAV, _relinker, front_matter, sections  # noqa: E402
from mkdocs.utils import get_relative_url  # noqa: E402
from mkdocs.utils.meta import get_data  # noqa: E402

SCHEMA = json.loads((ROOT / "schema" / "regulation.schema.json").read_text(encoding="utf-8"))
SEED = SEED_YAML
YAML_FILES = sorted(
    [SEED, *(FIXTURES / "valid").glob("*.yml"), *(FIXTURES / "kb").glob("*.yml")]
    + list((FIXTURES / "invalid").glob("*.yml"))
)


def slow_load(text: str):
    """The pure-Python loader alone, as before the fast path existed."""
    parser = loader._Loader(text)
    try:
        node = parser.get_single_node()
        data = parser.construct_document(node)
    finally:
        parser.dispose()
    lines: dict = {}
    loader._collect_lines(node, (), lines)
    return data, lines


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fast_yaml_matches_the_careful_loader(path):
    text = path.read_text(encoding="utf-8")
    try:
        expected = slow_load(text)
    except Exception:  # the careful loader refuses the file: the fast path must not accept it
        assert parse_fast(text) is None
        return
    fast = parse_fast(text)
    if fast is None:  # only for what the careful loader alone handles, e.g. an alias
        assert "&" in text or "<<" in text or "!!" in text
        return
    node, data = fast
    lines: dict = {}
    loader._collect_lines(node, (), lines)
    assert (data, lines) == expected


SNIPPETS = [
    "a: 0x1F\nb: 1:30\nc: yes\nd: ~\ne: [1, x, -2]\nf: 1.5\ng: 2024-01-01\nh: 1_000\n",
    "a: 'quoted: yes'\nb: \"2\"\nc: |\n  line\n    more\nd: >-\n  folded\n  text\n",
    "- {a: [], b: {}}\n- null\n- Off\n- 0o17\n- .inf\n",
    "a: &x [1]\nb: *x\n",
    "a: 1\na: 2\n",
    "<<: {a: 1}\nb: 2\n",
    "a: !!binary aGVsbG8=\n",
    "? [1]\n: 2\n",
    "[a, b]: 1\n",
    "a: " + "9" * 100 + "\n",
    "a: " + "9" * 101 + "\n",
    "[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH,  # x inside MAX_DEPTH lists: the deepest allowed
    "[" * (MAX_DEPTH + 1) + "x" + "]" * (MAX_DEPTH + 1),
    "a:\n" + "".join(" " * i + "-\n" for i in range(MAX_DEPTH + 1)),
]


@pytest.mark.parametrize("text", SNIPPETS)
def test_fast_yaml_builds_the_same_data_or_steps_aside(text):
    fast = parse_fast(text)
    try:
        expected = slow_load(text)[0]
    except Exception:
        assert fast is None
        return
    assert fast is None or fast[1] == expected


def test_fast_yaml_steps_aside_from_input_that_would_crash_libyaml():
    """libyaml's composer recursed once per nesting level until the C stack overflowed: the
    process died (exit -11), no exception. Run in a subprocess, so that a regression cannot
    take pytest down with it."""
    code = (
        "import sys; from kb.load.yaml_fast import parse_fast; print(parse_fast(sys.stdin.read()))"
    )
    for text in ("[" * 200_000, "- " * 100_000 + "x", "{a: " * 100_000):
        result = subprocess.run(
            [sys.executable, "-c", code], input=text, capture_output=True, text=True, timeout=60
        )
        assert (result.returncode, result.stdout) == (0, "None\n"), text[:10]


NESTED = st.recursive(
    st.none() | st.integers() | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(NESTED, st.sampled_from([True, False, None]))
def test_the_fast_path_bound_is_never_below_the_depth(data, flow):
    """The fast path trusts ``_deepest_possible``: it must never say less than the depth to
    which libyaml's composer recurses, in any style of writing."""
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)

    def depth(node) -> int:
        children = node.value if isinstance(node, yaml.SequenceNode) else []
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        return 1 + max(map(depth, children), default=0)

    assert depth(yaml.compose(text, yaml.SafeLoader)) <= _deepest_possible(text)


def test_fast_yaml_refuses_aliases_and_duplicate_keys():
    assert parse_fast("a: &x [1]\nb: *x\n") is None
    assert parse_fast("a: 1\na: 2\n") is None
    assert parse_fast("a: 1.0\nb: 2024-12-19\n")[1] == {"a": "1.0", "b": "2024-12-19"}


def _loaded(raw: bytes):
    """What ``load_yaml`` makes of a file: its data and lines, or its problem's line."""
    try:
        doc = loader.load_yaml(raw, "broken.yml")
    except loader.LoadProblem as exc:
        return str(exc.problem)
    return doc.data, doc.lines


@pytest.mark.parametrize(("content", "expected"), BROKEN.values(), ids=BROKEN.keys())
def test_both_paths_report_a_broken_file_alike(monkeypatch, content, expected):
    """Every broken file of the build tests (syntax mistakes included) gets the same line and
    message with the fast path as with the exact loader alone (as without ``yaml_fast.py``)."""
    with_fast_path = _loaded(content)
    monkeypatch.setattr(loader, "parse_fast", None)
    assert _loaded(content) == with_fast_path


# --- Schema: quick verdict and inlined refs vs plain jsonschema -----------------------------

REFERENCE = validator_class()(SCHEMA, format_checker=FormatChecker())
INLINED = validator_class()(inline_refs(SCHEMA), format_checker=FormatChecker())
QUICK = fast_verdict(SCHEMA)
BASE = yaml.load(SEED.read_text(encoding="utf-8"), loader._Loader)

VALUES = [None, 0, 1, -1, 61, True, "", " ", "x", "Bad Id", "ok-id", "2024-02-30", "2024-12-19"]
VALUES += ["20241219", "Актуально", [], ["x"], [""], [{"id": "a", "text": "b"}], {}, {"x": 1}]
VALUES += ["a1\n", "2024-12-19\n", "9999-12-31", "1899-12-31", "x/\n", 10**30]


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


PATHS = list(_paths(BASE))


def _mutate(data, path, action, value):
    parent = data
    for part in path[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return
    if not path:
        return
    key = path[-1]
    try:
        if action == "replace":
            parent[key] = copy.deepcopy(value)
        elif action == "delete":
            del parent[key]
        elif action == "add-key" and isinstance(parent[key], dict):
            parent[key]["unexpected"] = copy.deepcopy(value)
        elif action == "append" and isinstance(parent[key], list):
            parent[key].append(copy.deepcopy(value))
        elif action == "duplicate" and isinstance(parent[key], list) and parent[key]:
            parent[key].append(copy.deepcopy(parent[key][0]))
    except (KeyError, IndexError, TypeError):
        return


def _details(validator, data):
    return sorted(
        (list(e.absolute_path), e.validator, e.message, e.schema.get("x-message"))
        for e in validator.iter_errors(data)
    )


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(PATHS),
            st.sampled_from(["replace", "delete", "add-key", "append", "duplicate"]),
            st.sampled_from(VALUES),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_quick_verdict_and_inlined_schema_agree_with_jsonschema(mutations):
    data = copy.deepcopy(BASE)
    for path, action, value in mutations:
        _mutate(data, path, action, value)
    expected = _details(REFERENCE, data)
    assert QUICK(data) == (expected == [])
    assert _details(INLINED, data) == expected


@pytest.mark.parametrize("value", ["a1\n", "a1\n\n", "\na1"])
def test_patterns_end_where_the_text_ends(value):
    """JSON Schema's ``$`` (ECMA-262) is the end of the text, Python's also the place before
    a final newline: both checks read the id pattern as JSON Schema does, so they agree."""
    data = copy.deepcopy(BASE)
    data["steps"][0]["id"] = value
    assert QUICK(data) is False
    assert [(list(e.absolute_path), e.validator) for e in INLINED.iter_errors(data)] == [
        (["steps", 0, "id"], "pattern")
    ]


def _no_code_generation(*args, **kwargs):
    raise AssertionError("generated again instead of loaded")


def test_a_quick_verdict_kept_between_builds_is_the_one_compiled(tmp_path, monkeypatch):
    # kb.compiled keeps fastjsonschema's compiled module: a second build loads it.
    monkeypatch.setattr(compiled, "compiled_cache", lambda: compiled._Cache(str(tmp_path)))
    fresh = fast_verdict(SCHEMA)
    assert [path.name for path in tmp_path.iterdir()] == ["__jinja2_kb-schema-quick.cache"]
    monkeypatch.setattr(fastjsonschema, "compile_to_code", _no_code_generation)
    kept = fast_verdict(SCHEMA)
    assert kept is not fresh
    for data in [BASE, *(_mutated(path) for path in PATHS[::7])]:
        assert kept(data) == fresh(data) == (_details(REFERENCE, data) == [])
    edited = {**SCHEMA, "required": [*SCHEMA["required"], "extra"]}
    assert fast_verdict(edited)(BASE) is False  # not the kept one: generation fails, no verdict


def test_a_kept_module_that_cannot_be_read_is_compiled_again(tmp_path, monkeypatch):
    monkeypatch.setattr(compiled, "compiled_cache", lambda: compiled._Cache(str(tmp_path)))
    fast_verdict(SCHEMA)
    (kept,) = tmp_path.iterdir()
    kept.write_bytes(kept.read_bytes()[:200])  # cut short: a crash while writing
    assert fast_verdict(SCHEMA)(BASE) is True
    assert kept.stat().st_size > 200  # written again


def _mutated(path):
    data = copy.deepcopy(BASE)
    _mutate(data, path, "replace", "x")
    return data


def test_quick_verdict_never_changes_the_data():
    data = copy.deepcopy(BASE)
    assert QUICK(data) is True
    assert data == BASE  # no defaults filled in (e.g. a field's "required": false)


# --- HTML: headings, compaction, search copy -----------------------------------------------


@pytest.fixture(scope="module")
def kb():
    regulations = [*load_regulations(FIXTURES / "kb"), problems_of(SEED)[0]]
    return KnowledgeBase(regulations, today=date(2025, 3, 1))


@pytest.fixture(scope="module")
def pages(kb):
    return kb.pages()


def _soup_headings(html):
    found = []
    for tag in BeautifulSoup(html, "html.parser").find_all(["h2", "h3"]):
        if tag.get("id"):
            for link in tag.select("a.headerlink"):
                link.decompose()
            found.append((int(tag.name[1]), tag["id"], " ".join(tag.get_text().split())))
    return found


def test_regex_headings_match_an_html_parser(pages):
    for page in pages:
        flat = [
            (h.level, h.id, h.title) for top in headings_of(page.html) for h in [top, *top.children]
        ]
        assert flat == _soup_headings(page.html), page.src_uri


def _visible(html):
    soup = BeautifulSoup(html, "html.parser")
    verbatim = [tag.get_text() for tag in soup.find_all(["pre", "textarea"])]
    return " ".join(soup.get_text(" ").split()), verbatim, len(soup.find_all(True))


def test_compact_html_renders_the_same(kb, pages):
    sample = (
        "<ul>\n  <li>a <b>b</b>  \n    c\n  </li>\n</ul>\n<pre><code>x\n   y\n</code>\n  </pre>\n"
        "  <textarea>\n   </textarea>\n   <p>z</p>\n"
    )
    assert compact(sample) == (
        "<ul>\n<li>a <b>b</b>\nc\n</li>\n</ul>\n"
        "<pre><code>x\n   y\n</code>\n  </pre>\n<textarea>\n   </textarea>\n<p>z</p>\n"
    )
    for page in pages:
        assert page.html == compact(page.html)
    for regulation in kb.regulations:  # the template's own output, before compaction
        raw = kb.render("regulation.html", **kb.regulation_context(regulation))
        assert compact(raw) != raw
        assert _visible(compact(raw)) == _visible(raw)


def _index(html):
    parser = SearchParser()
    parser.feed(html)
    parser.close()
    return [(s.id, "".join(s.title).strip(), "".join(s.text).strip()) for s in parser.data]


def _unspaced(sections):
    return [(ident, title, "".join(text.split())) for ident, title, text in sections]


def test_search_copy_indexes_like_the_page_without_its_forms(pages):
    escalation = next(p for p in pages if p.src_uri == "regulations/escalation.md")
    full = BeautifulSoup(escalation.html, "html.parser")
    light = BeautifulSoup(escalation.search_html, "html.parser")
    assert full.select("form[data-kb-tool]") and light.select("form, section, article") == []
    for interface in full.select("form[data-kb-tool], button, .kb-print, .kb-since"):
        interface.decompose()
    # Same sections and texts; only the page entry moves from an empty preface to the h1, and
    # the copy puts spaces where the page breaks lines or cells (test_search.py checks them).
    preface, h1, *sections = _unspaced(_index(str(full)))
    assert preface == (None, "", "")
    assert _unspaced(_index(escalation.search_html)) == [(None, h1[1], h1[2]), *sections]
    assert h1[:2] == ("escalation", "Эскалация в отдел разработки")
    assert len(sections) > 10


def _files(site) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_shared_navigation_and_the_page_loop_build_the_same_site_as_mkdocs_alone(tmp_path):
    # material_speed.SharedNav renders the navigation once for each set of open sections (two
    # departments here, one with two regulations) and makes each page's from it; page_loop
    # builds the pages over the cores (the search index and the CSP hashes come back from the
    # forked copies). KB_EXACT has the theme render every page's own, in MkDocs' loop.
    names = sorted((FIXTURES / "kb").glob("*.yml"))
    project = make_project(tmp_path / "project", {p.name: p.read_bytes() for p in names})
    for name, env in (("shared", {}), ("exact", {"KB_EXACT": "1"})):
        result = mkdocs(project, "build", "--strict", "-v", "-d", str(tmp_path / name), **env)
        assert result.returncode == 0, result.stderr
        assert EXACT_NAV not in result.stderr  # no page fell back to the theme's own
        assert (page_loop.BUILT.format(2) in result.stderr) == (name == "shared" and cores() > 1)
        # every section of our pages read for the index by the process that made the page
        read_ahead = re.escape(READ_AHEAD.format("")) + r"(\d+)"
        assert int(re.search(read_ahead, result.stderr)[1]) > 10 * len(names)
    shared, exact = _files(tmp_path / "shared"), _files(tmp_path / "exact")
    assert sorted(shared) == sorted(exact)
    assert len([path for path in shared if path.endswith("/work/index.html")]) == len(names)
    for path, content in exact.items():
        assert shared[path] == content, path


def _material(html):
    parser = SearchParser()
    parser.feed(html)
    parser.close()
    return _read(parser.data)


def _read(found):
    return [(s.el.tag, s.id, s.title, s.text, s.depth, s.is_excluded()) for s in found]


def test_search_sections_of_our_pages_are_materials(pages):
    for page in pages:
        for html in (page.search_html, page.html):
            if html:
                assert _read(sections(html)) == _material(html), page.src_uri


_TEXT = st.text(alphabet=" \n\tab&;<>амп", max_size=6).map(
    lambda t: t.replace("<", "&lt;").replace(">", "&gt;")
) | st.sampled_from(["&amp;", "&nbsp;", "a < b", "&#1046;", " ", "\n"])
_OPEN = st.sampled_from(
    [
        "<p>",
        "<div>",
        "<pre>",
        "<code>",
        "<ul>",
        "<li>",
        "<span>",
        "<h1>",
        "<h2 id='x'>",
        '<h1 id="t">',
        '<h3 id="a&amp;b">',
        '<a class="headerlink" href="#x">',
        "<div data-search-exclude>",
        '<div class="linenodiv">',
        "<section>",
        "<sub>",
        "<td>",
    ]
)
_VOID = st.sampled_from(
    ["<br>", "<br/>", "<img src='x.png' alt=\"a>b\">", "<input/>", "<!-- c -->"]
)


@st.composite
def _markup(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 3 if depth < 4 else 1))
        if kind == 0:
            parts.append(draw(_TEXT))
        elif kind == 1:
            parts.append(draw(_VOID))
        elif kind == 2:
            parts.append("<script>if (a < b) x = '</p>';</script>")
        else:
            start = draw(_OPEN)
            tag = start[1:].split(">")[0].split(" ")[0]
            closed = draw(st.booleans())  # unclosed and stray end tags as well
            parts.append(start + draw(_markup(depth + 1)) + (f"</{tag}>" if closed else "</p>"))
    return "".join(parts)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(_markup())
def test_search_sections_of_any_markup_are_materials(html):
    assert _outcome(lambda: _read(sections(html))) == _outcome(lambda: _material(html))


def _outcome(read):
    """The sections read, or the error raised (Material's parser fails on some markup, e.g. a
    <p> closed after an excluded element with the same tag closed: so must its speed path)."""
    try:
        return read()
    except Exception as exc:  # noqa: BLE001 - compared, not swallowed
        return type(exc)


@pytest.fixture
def fork_always(monkeypatch):
    """kb.parallel forks for a handful of items (a site needs dozens per worker)."""
    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 1)


@pytest.mark.parametrize("folder", ["kb", "valid", "invalid"])
def test_files_read_by_forked_processes_load_as_in_one(fork_always, folder):
    forked, alone = load_folder(FIXTURES / folder, workers=3), load_folder(FIXTURES / folder)
    assert forked == alone
    # the notes each file gets, worked out by the process that read it
    assert [vars(r).get("step_notes") for r in forked[0]] == [r.step_notes for r in alone[0]]


def test_pages_rendered_by_forked_processes_are_the_same(fork_always, kb, pages):
    forked = KnowledgeBase(kb.checked, today=kb.today, workers=3)
    assert forked.pages() == pages


def test_pages_from_templates_compiled_before_are_the_same(kb, pages, tmp_path, monkeypatch):
    # kb.site.render keeps compiled templates between builds: a second build loads them.
    monkeypatch.setattr(render, "compiled_cache", lambda: compiled._Cache(str(tmp_path)))
    first = KnowledgeBase(kb.checked, today=kb.today).pages()
    assert any(tmp_path.iterdir())  # written by the first
    again = KnowledgeBase(kb.checked, today=kb.today)
    assert again.pages() == first == pages
    assert again.renderer.env.bytecode_cache.directory == str(tmp_path)


def test_work_of_forked_processes_comes_back_in_order(fork_always):
    done = parallel.mapped(lambda n: (n, os.getpid()), range(10), workers=3)
    assert [n for n, _ in done] == list(range(10))
    assert len({pid for _, pid in done} - {os.getpid()}) >= 1  # forked copies did some


def _fails_at_seven(n: int) -> int:
    if n == 7:
        raise ValueError(f"item {n}")
    return n


def test_an_exception_in_a_forked_process_is_raised_here(fork_always):
    # item 7 goes to run 1 of 3 (every third from 1): a forked copy
    with pytest.raises(ValueError, match="item 7"):
        parallel.mapped(_fails_at_seven, range(10), workers=3)
    assert parallel.mapped(_fails_at_seven, range(7), workers=3) == list(range(7))


_META_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
_META = st.dictionaries(
    _META_TEXT,
    st.one_of(_META_TEXT, st.booleans(), st.lists(_META_TEXT, max_size=3)),
    max_size=4,
)


@settings(max_examples=500)
@given(_META)
def test_front_matter_reads_back_as_the_data_given(meta):
    # MkDocs reads a generated page's front matter back (mkdocs.utils.meta); libyaml's emitter
    # (the speed path) must give it the data PyYAML's own (KB_EXACT) gives.
    assert get_data(f"---\n{front_matter(meta)}---\n")[1] == meta


_FOLDER = st.lists(st.sampled_from(["a", "b", "c", "work", "regulations"]), max_size=4).map(
    lambda parts: "".join(part + "/" for part in parts)
)


@settings(max_examples=500)
@given(_FOLDER, _FOLDER, st.lists(_FOLDER, min_size=1, max_size=6))
def test_a_link_made_again_for_another_page_is_the_one_mkdocs_writes_there(old, new, targets):
    # The navigation rendered at ``old``: each link as MkDocs writes it there (the url filter).
    html = "".join(f' href="{get_relative_url(target, old)}"' for target in targets)
    expected = "".join(f' href="{get_relative_url(target, new)}"' for target in targets)
    assert re.sub(r' (href|src)="([^"]*)"', _relinker(old, new), html) == expected


# --- The pages built over the cores (hooks/page_loop.py) ------------------------------------


@pytest.fixture
def carried(monkeypatch):
    """A list each page appends to and a set it adds to, carried back as the hooks' are."""
    state = {"list": [], "set": set()}

    def taken():
        done = state["list"][:]
        state["list"].clear()
        return done

    monkeypatch.setattr(page_loop, "CARRIED", {})
    page_loop.carry("list", taken, state["list"].extend)
    page_loop.carry("set", lambda: set(state["set"]), state["set"].update)
    return state


def _page(n: int) -> None:
    logging.getLogger("mkdocs.plugins.test").warning("страница %d из процесса %d", n, os.getpid())
    _page.state["list"].append(n)
    _page.state["set"].add(n % 3)
    if n in _page.failing:
        raise ValueError(f"страница {n}")


def test_pages_built_over_the_cores_leave_the_state_of_one_loop(fork_always, carried, caplog):
    _page.state, _page.failing = carried, ()
    carried["list"].append("before")
    page_loop.build_all(_page, range(10), workers=3)
    assert carried["list"] == ["before", *range(10)]  # in the pages' order
    assert carried["set"] == {0, 1, 2}
    logged = [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.test"]
    assert [int(m.split()[1]) for m in logged if m.endswith(str(os.getpid()))] == [0, 3, 6, 9]
    # Every page's warning is logged here once (the copies' again: --strict counts these).
    assert sorted(int(message.split()[1]) for message in logged) == list(range(10))
    assert {r.levelname for r in caplog.records if r.name == "mkdocs.plugins.test"} == {"WARNING"}


def test_the_first_page_to_fail_in_page_order_fails_the_loop(fork_always, carried):
    # pages 4 and 8: runs 1 and 2 of 3, both forked copies; 4 comes first
    _page.state, _page.failing = carried, (8, 4)
    with pytest.raises(ValueError, match="страница 4"):
        page_loop.build_all(_page, range(10), workers=3)
    assert carried["list"] == [0, 1, 2, 3, 4]  # given up to the page that failed
