"""A page's ES module graph as production serves it: built, nginx with deploy/nginx/kb.conf,
Chromium with the Content-Security-Policy in force.

The fixture site is the seed regulation with the fixture module graph (tests/fixtures/modules:
main imports a sibling and the words from the folder above, loads one more by import()) in the
theme, and every page loading it by ``<script type="module">`` and ``<link rel=modulepreload>``.
The graph runs only if every import was rewritten to a hashed name that nginx serves as
JavaScript (Chromium refuses a module of another MIME type).
"""

from __future__ import annotations

import gzip
import re
import shutil
import sys
from urllib.parse import urlsplit

import pytest
from conftest import FIXTURES, ROOT, make_project, publish, soup
from playwright.sync_api import expect
from test_publish_site import HASHED, MISSING, YEAR, Watched, get

from kb.publish.nginx import Nginx, free_port

sys.path.insert(0, str(ROOT / "bench"))
from tools_size import gzipped, own_assets, own_gzipped  # noqa: E402

SEED = "regulations/escalation-to-development/"
ENTRY = "kb/components/probe/main.mjs"
GRAPH = {
    "kb/components/probe/main.mjs",
    "kb/components/probe/store.mjs",
    "kb/components/probe/late.mjs",
    "kb/components/probe-words.mjs",
}
WORDS = "kb/components/probe-words.mjs"
RAN = "готово поздно"
"""What the graph writes into <html data-kb-probe> once every module has run."""
LOADS = (
    f'<link rel="modulepreload" href="{{{{ "{ENTRY}" | url }}}}">'
    f'<script type="module" src="{{{{ "{ENTRY}" | url }}}}"></script>'
)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(site folder, base URL) of the fixture site with the module graph, under nginx."""
    where = tmp_path_factory.mktemp("modules")
    seed = FIXTURES / "seed" / "escalation-to-development.yml"
    project = make_project(where / "project", {seed.name: seed.read_bytes()})
    shutil.copytree(FIXTURES / "modules", project / "overrides", dirs_exist_ok=True)
    main = project / "overrides" / "main.html"
    extra = f"{{% block extrahead %}}{{{{ super() }}}}{LOADS}{{% endblock %}}\n"
    main.write_text(main.read_text(encoding="utf-8") + extra, encoding="utf-8")
    port = free_port()
    result = publish(project, KB_SITE_URL=f"http://127.0.0.1:{port}/")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    with Nginx(ROOT, site, where / "run", port) as nginx:
        yield site, nginx.url


FIXTURE_MODULES = {
    p.relative_to(FIXTURES / "modules").as_posix() for p in (FIXTURES / "modules").rglob("*.mjs")
}
"""The fixture's modules (the site also ships the work page's, which these pages do not load)."""


WORK_MODULES = "kb/components/work/"
"""Where the work page's modules are (the home page's «Мои обращения» loads some of them)."""


def built_modules(site) -> dict[str, str]:
    """Source site path → built (hashed) site path of every module of the fixture."""
    found = {}
    for path in site.rglob("*.mjs"):
        built = path.relative_to(site).as_posix()
        found[re.sub(r"\.[0-9a-f]{8}\.mjs$", ".mjs", built)] = built
    return {source: built for source, built in found.items() if source in FIXTURE_MODULES}


@pytest.mark.parametrize("where", ["", SEED, MISSING])
def test_the_module_graph_runs_under_the_policy(browser, served, where):
    """Home, a page two folders deep and the 404 page (absolute URLs): every module of the
    graph is loaded by its hashed name as JavaScript and runs; no CSP violation, no console
    error (Watched)."""
    site, url = served
    tab = Watched(browser, url)
    modules: dict[str, str] = {}
    tab.page.on(
        "response",
        lambda r: (
            modules.__setitem__(urlsplit(r.url).path.lstrip("/"), r.headers["content-type"])
            if r.url.endswith(".mjs")
            else None
        ),
    )
    page = tab.open(where)
    expect(page.locator("html")).to_have_attribute("data-kb-probe", RAN)
    tab.page.close()
    tab.context.close()
    assert tab.violations == [] and tab.console == []
    # The home page also runs «Мои обращения» (the work page's modules, tested with it).
    ours = {name for name in modules if name.startswith(WORK_MODULES)}
    assert set(modules) - ours == set(built_modules(site).values())
    assert all(HASHED.search(name) for name in modules), modules
    assert set(modules.values()) == {"text/javascript; charset=utf-8"}


def test_modules_are_cached_for_a_year_and_gzipped(served):
    """As JavaScript, a year, and gzipped from nginx's gzip_min_length on (512 B: the words)."""
    site, url = served
    modules = built_modules(site)
    assert set(modules) == GRAPH
    large = {path for path, built in modules.items() if (site / built).stat().st_size >= 512}
    assert large == {WORDS}
    for path, built in modules.items():
        status, headers, body = get(url + built, **{"Accept-Encoding": "gzip"})
        assert (status, headers["Cache-Control"]) == (200, YEAR), built
        assert headers["Content-Type"] == "text/javascript; charset=utf-8"
        packed = headers.get("Content-Encoding") == "gzip"
        assert packed == (path in large), built
        assert (gzip.decompress(body) if packed else body) == (site / built).read_bytes()


def test_pages_load_the_hashed_entry_module(served):
    site, _ = served
    entry = built_modules(site)[ENTRY]
    for page, prefix in (("index.html", ""), (SEED + "index.html", "../../"), ("404.html", "/")):
        html = soup(site / page)
        assert html.select_one("script[type=module]")["src"] == prefix + entry, page
        assert html.select_one("link[rel=modulepreload]")["href"] == prefix + entry, page


def test_own_assets_of_a_page_include_its_whole_module_graph(served):
    """bench/tools_size.own_assets follows the imports of the built modules, import() too."""
    site, _ = served
    for page in ("index.html", SEED + "index.html", "404.html"):
        assets = own_assets(site, page)
        paths = [f.relative_to(site).as_posix() for f in assets]
        assert len(paths) == len(set(paths))
        fixture = {p for p in paths if p.endswith(".mjs") and not p.startswith(WORK_MODULES)}
        assert fixture == set(built_modules(site).values())
        stylesheets = soup(site / page).select("link[rel=stylesheet][href*='kb/']")
        assert sum(p.endswith(".css") for p in paths) == len(stylesheets) >= 1
        assert own_gzipped(site, page) == gzipped(assets)
        print(f"{page}: own JS + CSS {gzipped(assets) / 1024:.2f} KB")
