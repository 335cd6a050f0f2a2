"""ES modules in publishing, without MkDocs: imports found as V8 finds them, refused with one
line, hashed leaves first and rewritten; their HTML references; minified modules stay modules."""

from __future__ import annotations

import json
import subprocess

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, tool

from kb.publish.fingerprint import Fingerprints, hashed_name
from kb.publish.minify import minify
from kb.publish.modules import ModuleError, imports

MODULES = FIXTURES / "modules"
"""A module graph laid out as in the theme (site paths under it): main imports store and the
words from the folder above, store imports the words too, main loads late by import()."""
MAIN = "kb/components/probe/main.mjs"
STORE = "kb/components/probe/store.mjs"
LATE = "kb/components/probe/late.mjs"
WORDS = "kb/components/probe-words.mjs"


def fixture_modules() -> dict[str, bytes]:
    return {p.relative_to(MODULES).as_posix(): p.read_bytes() for p in MODULES.rglob("*.mjs")}


# --- finding the imports ------------------------------------------------------------------------

# name → (module source, its static specifiers, its import() specifiers), in source order.
IMPORTS = {
    "every static form": (
        'import a from "./a.mjs";\n'
        'import * as b from "./b.mjs";\n'
        'import c, { d as e } from "./c.mjs";\n'
        'import "./side.mjs";\n'
        'export * from "./f.mjs";\n'
        'export * as g from "./g.mjs";\n'
        'export { h, i as j } from "../h.mjs";\n',
        ["./a.mjs", "./b.mjs", "./c.mjs", "./side.mjs", "./f.mjs", "./g.mjs", "../h.mjs"],
        [],
    ),
    "a clause over several lines, single quotes, no semicolon": (
        "import {\n  one,\n  two as three,\n} from './x.mjs'\nexport const y = 1\n",
        ["./x.mjs"],
        [],
    ),
    "a string name in braces is not the specifier": (
        'export { "a-b" as ab } from "./ab.mjs";\nimport { "c-d" as cd } from "./cd.mjs";\n',
        ["./ab.mjs", "./cd.mjs"],
        [],
    ),
    "local exports import nothing": (
        'const z = 1;\nexport { z };\nexport default "./not.mjs";\nexport function f() {}\n',
        [],
        [],
    ),
    "dynamic imports, also inside a template's ${}": (
        'const late = await import("./late.mjs");\n'
        "const t = `${(await import('./t.mjs')).x} import(\"./no.mjs\")`;\n"
        'import("./opts.mjs", { with: {} });\n',
        [],
        ["./late.mjs", "./t.mjs", "./opts.mjs"],
    ),
    "text that only looks like an import": (
        'import real from "./real.mjs";\n'
        "const s = \"import './no1.mjs'\";\n"
        "// import './no2.mjs'\n"
        '/* export * from "./no3.mjs" */\n'
        'const t = `\nimport "./no4.mjs"\n`;\n'
        'const r = /import "\\/no5.mjs"/g, half = 4 / 2 / 1, q = "/";\n'
        "const c = /[`'\"]/.test(s) ? 1 : 2;\n"
        "const o = { import: 1 }; o.import; console.log(import.meta.url, o?.import);\n",
        ["./real.mjs"],
        [],
    ),
}


@pytest.mark.parametrize("case", list(IMPORTS))
def test_imports_are_found_in_source_order(case):
    source, static, dynamic = IMPORTS[case]
    found = [at.specifier for at in imports(source, "a.mjs")]
    assert sorted(found) == sorted(static + dynamic)
    assert [s for s in found if s in static] == static
    for at in imports(source, "a.mjs"):
        assert source[at.start : at.start + len(at.specifier)] == at.specifier


def test_static_imports_are_those_v8_finds():
    """V8's own parser (node's vm.SourceTextModule) lists the static imports of each case."""
    node = tool("node", "nodejs")
    script = (
        "const vm = require('vm'); let all = '';"
        "process.stdin.on('data', d => all += d).on('end', () => console.log(JSON.stringify("
        "JSON.parse(all).map(s => new vm.SourceTextModule(s).dependencySpecifiers))));"
    )
    sources = [source for source, _, _ in IMPORTS.values()]
    result = subprocess.run(
        [node, "--experimental-vm-modules", "--no-warnings", "-e", script],
        input=json.dumps(sources),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    v8 = json.loads(result.stdout)
    assert v8 == [static for _, static, _ in IMPORTS.values()]


# --- refused imports ----------------------------------------------------------------------------

# name → (modules: site path → source, the one line the build stops with)
REFUSED = {
    "bare name": (
        {"kb/a.mjs": 'import x from "lodash";\n'},
        "kb/a.mjs:1: import «lodash»: модуль по имени браузер не найдёт (import map нет): "
        "укажите путь к файлу .mjs темы — «./…» или «../…»",
    ),
    "path from the root": (
        {"kb/a.mjs": '\nimport "/kb/b.mjs";\n', "kb/b.mjs": ""},
        "kb/a.mjs:2: import «/kb/b.mjs»: нужен относительный путь «./…» или «../…»: путь от "
        "корня зависит от адреса сайта, модуль с другого хоста не пропустит CSP",
    ),
    "another host": (
        {"kb/a.mjs": 'import "https://cdn.example.org/x.mjs";\n'},
        "kb/a.mjs:1: import «https://cdn.example.org/x.mjs»: нужен относительный путь «./…» или "
        "«../…»: путь от корня зависит от адреса сайта, модуль с другого хоста не пропустит CSP",
    ),
    "not a module": (
        {"kb/a.mjs": 'import "./kb.js";\n'},
        "kb/a.mjs:1: import «./kb.js»: модуль импортирует только модули темы — файлы .mjs",
    ),
    "missing module": (
        {"kb/w/a.mjs": 'import { x } from "../gone.mjs";\n'},
        "kb/w/a.mjs:1: import «../gone.mjs»: такого модуля в теме нет (kb/gone.mjs)",
    ),
    "computed import()": (
        {"kb/a.mjs": 'const name = "b";\nawait import(`./${name}.mjs`);\n'},
        "kb/a.mjs:2: import «`./${name}.mjs`»: адрес в import() — не одна строка: вычисленному "
        "адресу сборка не даст имя с хэшем — напишите путь строкой, «./…»",
    ),
    "import() of a string and more": (
        {"kb/a.mjs": 'await import("./b" + ".mjs");\n'},
        'kb/a.mjs:1: import «"./b" + ".mjs"»: адрес в import() — не одна строка: вычисленному '
        "адресу сборка не даст имя с хэшем — напишите путь строкой, «./…»",
    ),
    "cycle": (
        {
            "kb/w/a.mjs": 'import "./b.mjs";\n',
            "kb/w/b.mjs": '// b\nimport "./c.mjs";\n',
            "kb/w/c.mjs": 'import "./b.mjs";\n',
        },
        "kb/w/c.mjs:1: import «./b.mjs»: модули импортируют друг друга по кругу "
        "(b.mjs → c.mjs → b.mjs): имя с хэшем модуля зависит от имён тех, что он импортирует, "
        "у круга его не вычислить — вынесите общее в отдельный модуль",
    ),
    "a module importing itself": (
        {"kb/a.mjs": 'export const x = 1;\nimport "./a.mjs";\n'},
        "kb/a.mjs:2: import «./a.mjs»: модули импортируют друг друга по кругу (a.mjs → a.mjs): "
        "имя с хэшем модуля зависит от имён тех, что он импортирует, у круга его не вычислить "
        "— вынесите общее в отдельный модуль",
    ),
    "unclosed string": (
        {"kb/a.mjs": 'import x from "./b.mjs";\nconst s = "open;\n'},
        "kb/a.mjs:2: import «…»: не разобрать исходный текст (незакрытая строка)",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_refused_import_names_the_file_the_line_and_the_rule(case):
    sources, message = REFUSED[case]
    with pytest.raises(ModuleError) as refused:
        Fingerprints.of((path, text.encode()) for path, text in sources.items())
    assert str(refused.value) == message


# --- hashing leaves first -----------------------------------------------------------------------


def test_imports_point_at_the_hashed_names_and_each_name_covers_the_rewritten_text():
    prints = Fingerprints.of(fixture_modules().items())
    names, contents = prints.names, prints.contents
    assert set(names) == set(contents) == {MAIN, STORE, LATE, WORDS}
    for path in names:
        assert names[path] == hashed_name(path, contents[path])
    main = contents[MAIN].decode()
    found = [at.specifier for at in imports(main, MAIN)]
    base = {path: names[path].rpartition("/")[2] for path in names}
    assert found == [
        f"./{base[STORE]}",
        f"../{base[WORDS]}",
        f"../{base[WORDS]}",
        f"./{base[LATE]}",
    ]
    assert contents[WORDS] == (MODULES / WORDS).read_bytes()  # a leaf is served as it is


def test_a_changed_leaf_renames_every_module_that_imports_it_and_no_other():
    before = Fingerprints.of(fixture_modules().items()).names
    changed = fixture_modules()
    changed[WORDS] = changed[WORDS].replace("готово".encode(), "сделано".encode())
    after = Fingerprints.of(changed.items()).names
    renamed = {path for path in before if before[path] != after[path]}
    assert renamed == {WORDS, STORE, MAIN}  # main directly and through store; late not at all


def test_query_and_fragment_of_a_specifier_are_kept():
    prints = Fingerprints.of([("kb/a.mjs", b'import "./b.mjs?v=1#x";\n'), ("kb/b.mjs", b"")])
    b = prints.names["kb/b.mjs"].rpartition("/")[2]
    assert prints.contents["kb/a.mjs"] == f'import "./{b}?v=1#x";\n'.encode()


def test_module_scripts_and_preloads_in_pages_point_at_the_hashed_names():
    prints = Fingerprints.of(fixture_modules().items())
    page = (
        '<link rel="modulepreload" href="../../kb/components/probe/main.mjs">'
        "<script type=module src='../../kb/components/probe/main.mjs'></script>"
        '<script type="module" src="/kb/components/probe-words.mjs"></script>'
    )
    html = BeautifulSoup(prints.rewrite(page, "regulations/a/index.html"), "html.parser")
    main = "../../" + prints.names[MAIN]
    assert html.select_one("link[rel=modulepreload]")["href"] == main
    scripts = [tag["src"] for tag in html.select("script[type=module]")]
    assert scripts == [main, "/" + prints.names[WORDS]]


# --- minified modules -------------------------------------------------------------------------


def test_minify_keeps_the_lines_of_template_literals_and_strings_as_text():
    source = (
        'import { x } from "./x.mjs";\n'
        "export const poem = `first\n"
        "  // not a comment\n"
        "    /* nor this */\n"
        "  ${x}`;\n"
        '    const joined = "a\\\n'
        '    b";\n'
        "  // a comment\n"
        "export { joined };\n"
    )
    assert minify(source, "kb/a.mjs") == (
        'import { x } from "./x.mjs";\n'
        "export const poem = `first\n"
        "  // not a comment\n"
        "    /* nor this */\n"
        "  ${x}`;\n"
        'const joined = "a\\\n'
        '    b";\n'
        "export { joined };\n"
    )


def test_minified_modules_parse_as_modules_and_keep_their_values():
    """Node imports each fixture module minified, as the build serves it, and reads its
    template literal: the same as the source's."""
    node = tool("node", "nodejs")
    source = (MODULES / WORDS).read_text("utf-8")
    script = "const m = await import('data:text/javascript,' + encodeURIComponent({})); "
    script += "console.log(JSON.stringify(m.POEM));"
    values = []
    for text in (source, minify(source, WORDS)):
        result = subprocess.run(
            [node, "--input-type=module", "-e", script.format(json.dumps(text))],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 0, result.stderr
        values.append(json.loads(result.stdout))
    assert values[0] == values[1] == "первая\n  // не комментарий\n    /* и не этот */"
    for path, data in fixture_modules().items():
        result = subprocess.run(
            [node, "--input-type=module", "--check", "-"],
            input=minify(data.decode(), path),
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 0, (path, result.stderr)
