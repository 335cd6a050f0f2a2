"""kb.publish without MkDocs: hashed names, reference rewriting, CSP hashes, stamp, swap."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import subprocess

import pytest
from conftest import ROOT, tool
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.publish import atomic
from kb.publish.csp import PolicyError, check_page, nginx_snippet, script_hash, script_shapes
from kb.publish.fingerprint import Fingerprints, hashed_name
from kb.publish.minify import minifiable, minify
from kb.publish.stamp import UNKNOWN, Stamp, stamp_of

CSS = b".kb{color:red}"
JS = b"console.log(1)"
CSS_HASH = hashlib.sha256(CSS).hexdigest()[:8]
JS_HASH = hashlib.sha256(JS).hexdigest()[:8]


def test_hashed_name_carries_eight_hex_digits_of_the_content():
    assert hashed_name("kb/kb.css", CSS) == f"kb/kb.{CSS_HASH}.css"
    assert hashed_name("kb/kb.css", CSS + b" ") != hashed_name("kb/kb.css", CSS)


def test_only_scripts_and_styles_get_hashed_names():
    prints = Fingerprints.of([("kb/kb.css", CSS), ("kb/a.js", JS), ("kb/examples.yml", b"x")])
    assert prints.names == {"kb/kb.css": f"kb/kb.{CSS_HASH}.css", "kb/a.js": f"kb/a.{JS_HASH}.js"}


@pytest.fixture
def prints():
    return Fingerprints.of([("kb/kb.css", CSS), ("kb/search/worker.js", JS)])


def test_references_from_any_depth_become_hashed(prints):
    page = (
        '<link rel="stylesheet" href="../../kb/kb.css">'
        "<div data-kb-src='../../kb/search/worker.js#x'></div>"
        '<script id="__config" type="application/json">'
        '{"search": "../../kb/search/worker.js?material=search.1.min.js"}</script>'
    )
    assert prints.rewrite(page, "regulations/a/index.html") == (
        f'<link rel="stylesheet" href="../../kb/kb.{CSS_HASH}.css">'
        f"<div data-kb-src='../../kb/search/worker.{JS_HASH}.js#x'></div>"
        '<script id="__config" type="application/json">'
        f'{{"search": "../../kb/search/worker.{JS_HASH}.js?material=search.1.min.js"}}</script>'
    )
    assert prints.rewrite('<link href="kb/kb.css">', "index.html") == (
        f'<link href="kb/kb.{CSS_HASH}.css">'
    )


def test_absolute_references_under_the_site_root_become_hashed(prints):
    assert prints.rewrite('<link href="/kb/kb.css">', "404.html") == (
        f'<link href="/kb/kb.{CSS_HASH}.css">'
    )
    assert prints.rewrite('<link href="/docs/kb/kb.css">', "404.html", root="/docs/") == (
        f'<link href="/docs/kb/kb.{CSS_HASH}.css">'
    )


@pytest.mark.parametrize(
    "html",
    [
        '<link href="kb/kb.css">',  # from regulations/a/ this is regulations/a/kb/kb.css
        '<link href="https://example.org/kb/kb.css">',
        '<link href="//example.org/kb/kb.css">',
        '<link href="/elsewhere/kb/kb.css">',
        '<link href="../../kb/other.css">',
        "<p>kb/kb.css</p>",
    ],
)
def test_other_urls_are_left_alone(prints, html):
    assert prints.rewrite(html, "regulations/a/index.html", root="/") == html


_QUOTE = st.sampled_from(['"', "'"])
_REFERENCE = st.tuples(
    _QUOTE,
    st.sampled_from(
        ["", "kb/", "kb/search/", "../../kb/", "/kb/", "/kb/kb/", "//host/kb/", "x y/"]
    ),
    st.sampled_from(["kb.css", "worker.js", "other.js", "kb.css.json"]),
    st.sampled_from(["", "?x", "#y", "?a#b"]),
    _QUOTE,
).map("".join)
_PIECES = _REFERENCE | _QUOTE | st.sampled_from(["<a href=", " ", ">", "/", "a", "=", "\n", ".js"])


@settings(max_examples=500)
@given(
    st.lists(_PIECES, max_size=24).map("".join),
    st.sampled_from(["index.html", "regulations/a/index.html", "404.html"]),
    st.sampled_from(["/", "/kb/"]),
)
def test_rewriting_by_the_file_names_finds_what_the_whole_page_expression_finds(html, page, root):
    prints = Fingerprints.of([("kb/kb.css", CSS), ("kb/search/worker.js", JS)])
    assert prints.rewrite(html, page, root) == prints.rewrite_exact(html, page, root)


# A theme template as csp.THEME_SCRIPTS names them: its inline script depends on the page.
THEME = '<script>__md_scope=new URL("{{ config.extra.scope | d(base_url) }}",location)</script>'
STORAGE = '__md_scope=new URL("{}",location)'


def test_theme_scripts_are_allowed_and_hashed_for_every_page_depth():
    shapes = script_shapes("{#- a comment -#}\n" + THEME)
    page = (
        f"<script>{STORAGE.format('../..')}</script>"
        '<script src="a.js"></script>'
        '<script id="__config" type="application/json">{"a": 1}</script>'
    )
    digest = base64.b64encode(hashlib.sha256(STORAGE.format("../..").encode()).digest())
    assert check_page(page, "a/b/index.html", shapes) == {f"'sha256-{digest.decode()}'"}
    assert check_page(f"<script>{STORAGE.format('/')}</script>", "404.html", shapes) == {
        script_hash(STORAGE.format("/"))
    }
    harmless = (
        '<p title="a > b" class=button data-x="x onclick=y">onclick=text is not code</p>'
        '<a href="jobs/">j…</a><a href="&#x2F;">&</a><a href="https://example.org/">x</a>'
    )
    assert check_page(harmless, "x.html", shapes) == set()


FOREIGN = "встроенный скрипт не из шаблонов темы (kb/publish/csp.py)"
BREAKOUT = 'x"),alert(1),("'  # a "base_url" that would close the string and call
REFUSED = {
    "script from elsewhere": ("<script>alert(1)</script>", FOREIGN, "<script>alert(1)</script>"),
    "a value that leaves its string": (
        "<script>" + STORAGE.format(BREAKOUT) + "</script>",
        FOREIGN,
        '<script>__md_scope=new URL("x"),alert(1),("",location)</script>',
    ),
    "src only in a data attribute": (
        '<script data-src="a.js">alert(1)</script>',
        FOREIGN,
        '<script data-src="a.js">alert(1)</script>',
    ),
    "data type only in a data attribute": (
        '<script data-type="application/json">alert(1)</script>',
        FOREIGN,
        '<script data-type="application/json">alert(1)</script>',
    ),
    "a type that runs": (
        '<script type="text/ecmascript">alert(1)</script>',
        FOREIGN,
        '<script type="text/ecmascript">alert(1)</script>',
    ),
    "unclosed": ("<p>x</p><SCRIPT>alert(1)", "незакрытый встроенный скрипт", "<SCRIPT>alert(1)"),
    "event handler": (
        '<p title="a > b" onclick="go()">y</p>',
        "обработчик события",
        '<p onclick="go()">',
    ),
    "script with an odd attribute": (
        "<script =x>alert(1)</script>",
        FOREIGN,
        "<script =x>alert(1)</script>",
    ),
    "event handler after a slash": (
        "<svg/onload=alert(1)>",
        "обработчик события",
        "<svg onload=alert(1)>",
    ),
    "event handler right after a quoted value": (
        '<p title="x"onclick="go()">',
        "обработчик события",
        '<p onclick="go()">',
    ),
    "event handler in markup": (
        "<img src=x onerror=alert(2)>",
        "обработчик события",
        "<img onerror=alert(2)>",
    ),
    "javascript: URL": (
        '<a href="javascript:void(0)">x</a>',
        "ссылка javascript:",
        '<a href="javascript:void(0)">',
    ),
    "javascript: URL disguised": (
        '<a class=x href=" JAV&#x41;\tscript:alert(1)" href="ok">x</a>',
        "ссылка javascript:",
        '<a href=" JAV&#x41;\tscript:alert(1)">',
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_other_inline_code_stops_the_build_naming_the_page_and_the_code(case):
    page, what, code = REFUSED[case]
    with pytest.raises(PolicyError) as refused:
        check_page(f"<p>Текст</p>{page}", "regulations/x/index.html", script_shapes(THEME))
    code = " ".join(code.split())
    assert str(refused.value) == (
        f"regulations/x/index.html: {what} — CSP заблокирует такой код: «{code}»"
    )


def test_a_long_excerpt_is_shortened():
    with pytest.raises(PolicyError, match="«<script>" + "x" * 72 + "…»$"):
        check_page(f"<script>{'x' * 200}</script>", "a.html", [])


def test_snippet_sets_one_nginx_variable_with_sorted_hashes():
    text = nginx_snippet({"'sha256-b'", "'sha256-a'"})
    assert text.splitlines()[-1] == "set $kb_script_hashes \"'sha256-a' 'sha256-b'\";"
    assert all(line.startswith("#") for line in text.splitlines()[:-1])


def test_stamp_outside_git_says_unknown(tmp_path):
    stamp = stamp_of(tmp_path, {"SOURCE_DATE_EPOCH": "1764662400"})
    assert stamp == Stamp(built="2025-12-02T08:00:00Z", commit=None, dirty=False)
    assert stamp.footer == f"Сборка 2025-12-02 08:00:00 UTC, коммит {UNKNOWN}"
    assert json.loads(stamp.json()) == {
        "built": "2025-12-02T08:00:00Z",
        "commit": None,
        "dirty": False,
    }


def test_stamp_in_git_names_head_and_uncommitted_edits(tmp_path):
    def git(*args):
        return subprocess.run(
            ["git", "-C", str(tmp_path), *args], check=True, capture_output=True, text=True
        ).stdout.strip()

    git("init", "-q")
    (tmp_path / "a.txt").write_text("1")
    git("add", "a.txt")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one")
    head = git("rev-parse", "HEAD")
    clean = stamp_of(tmp_path, {"SOURCE_DATE_EPOCH": "0"})
    assert (clean.commit, clean.dirty) == (head, False)
    assert clean.footer == f"Сборка 1970-01-01 00:00:00 UTC, коммит {head[:12]}"
    (tmp_path / "a.txt").write_text("2")
    assert stamp_of(tmp_path, {"SOURCE_DATE_EPOCH": "0"}).dirty is True
    inner = tmp_path / "unpacked"
    inner.mkdir()
    assert stamp_of(inner, {}).commit is None  # a tarball inside another checkout


def test_swap_replaces_the_site_and_keeps_the_previous_one_aside(tmp_path):
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    site.mkdir()
    (site / "old.html").write_text("old")
    fresh.mkdir()
    (fresh / "new.html").write_text("new")
    atomic.swap(fresh, site)
    assert [p.name for p in site.iterdir()] == ["new.html"]
    assert [p.name for p in fresh.iterdir()] == ["old.html"]


def test_swap_into_nothing_is_a_rename(tmp_path):
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    atomic.swap(fresh, tmp_path / "site")
    assert not fresh.exists() and (tmp_path / "site").is_dir()


def test_gzip_beside_is_reproducible_and_keeps_the_mtime(tmp_path):
    from kb.publish.compress import gzip_beside

    source = tmp_path / "index.json"
    source.write_bytes(b'{"docs": []}' * 100)
    os.utime(source, (1_000_000, 1_000_000))
    first = gzip_beside(source).read_bytes()
    assert gzip.decompress(first) == source.read_bytes()
    assert gzip_beside(source).read_bytes() == first
    assert (tmp_path / "index.json.gz").stat().st_mtime == 1_000_000


# --- minified scripts and styles ---------------------------------------------------------------


def test_minify_drops_whole_line_comments_indentation_and_empty_lines_only():
    source = """/* A header comment
   over two lines. */
(function () {
  // a line comment
  var url = "http://example.com/*not a comment*/"; // a trailing comment stays
  var re = /\\/\\*/g;

  /* one line */
  return url; /* trailing */ }
)();
"""
    assert minify(source, "kb/a.js") == (
        "(function () {\n"
        'var url = "http://example.com/*not a comment*/"; // a trailing comment stays\n'
        "var re = /\\/\\*/g;\n"
        "return url; /* trailing */ }\n"
        ")();\n"
    )
    # A comment that does not end its line is code's business: kept as it is.
    assert minify("/* a */ var x = 1;\n", "kb/a.js") == "/* a */ var x = 1;\n"
    assert minify("/* never closed\nvar x;\n", "kb/a.js") == "/* never closed\nvar x;\n"


def test_every_minified_script_still_parses():
    """Classic scripts as scripts, modules (.mjs, when the theme has any) as modules."""
    node = tool("node", "nodejs")
    theme = ROOT / "overrides"
    scripts = [
        p
        for p in theme.rglob("*")
        if p.suffix in {".js", ".mjs"} and minifiable(p.relative_to(theme).as_posix())
    ]
    assert len(scripts) >= 5
    for path in scripts:
        kind = ["--input-type=module"] if path.suffix == ".mjs" else []
        result = subprocess.run(
            [node, *kind, "--check", "-"],
            input=minify(path.read_text("utf-8"), path.name),
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 0, (path, result.stderr)
    assert not minifiable("kb/search/worker.js")
