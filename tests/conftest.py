"""Shared helpers: fixtures, throw-away copies of the project, `mkdocs build` runs, a server."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from chromium import Browser
from hypothesis import HealthCheck, settings
from project import ROOT, make_project  # noqa: F401 (re-exported for the tests)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The seed regulation as written in Markdown (a copy of shared/seeds/000_bc0764cd31cc156b.txt),
# its YAML and the search glossary: fixture copies, so that maintainers' edits of docs/ never
# change what the tests see (the real docs/ is checked by test_docs.py alone).
SEED = FIXTURES / "seed" / "escalation-to-development.md"
SEED_YAML = FIXTURES / "seed" / "escalation-to-development.yml"
GLOSSARY = FIXTURES / "seed" / "glossary.yml"
# A line the YAML adds to a template body of the seed text on purpose (issue 9, item 3: the
# tech doc carries the criteria chosen in a ticket, a field with ``source: criteria``).
SEED_BODY_ADDED = "Критерии эскалации: [Критерии эскалации]\n"


def as_in_seed(body: str) -> str:
    """A template body of the seed YAML as the seed text has it (without ``SEED_BODY_ADDED``)."""
    return body.replace(SEED_BODY_ADDED, "", 1)


def tool(name: str, package: str) -> str:
    """The program ``name`` on PATH; a test that needs a missing one fails, never skips."""
    found = shutil.which(name)
    if found is None:
        pytest.fail(
            f"{name} не найден в PATH: `make test` ставит его (Debian: apt-get install {package})",
            pytrace=False,
        )
    return found


# Property tests draw the same examples on every run and machine (derandomize), and never fail
# for time: on a loaded machine drawing a large regulation took 30 s (HealthCheck.too_slow),
# which says nothing about the code under test. Bounds: each test's max_examples.
settings.register_profile(
    "kb", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("kb")


BUILD_ENV = {"NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1764633600"}
"""Every test build: no MkDocs 2 banner, and one build time (kb.publish.stamp), so that two
builds of the same sources are byte-identical."""


def mkdocs(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`mkdocs <args>` in ``project``, with more environment if given."""
    env = {**os.environ, **BUILD_ENV, **env}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def kb(project: Path, *args: str, **run) -> subprocess.CompletedProcess:
    """A maintainer's command, `python -m kb <args>`, in ``project`` (more ``subprocess.run``
    arguments if given)."""
    return subprocess.run(
        [sys.executable, "-m", "kb", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        **run,
    )


def publish(project: Path, **env: str) -> subprocess.CompletedProcess:
    """What `make build` runs (kb.publish: the atomic build), with more environment if given."""
    return subprocess.run(
        [sys.executable, "-m", "kb.publish", "build"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
        capture_output=True,
        text=True,
        timeout=180,
    )


def build(project: Path, site: Path, **env: str) -> subprocess.CompletedProcess:
    return mkdocs(project, "build", "--strict", "-d", str(site), **env)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The fixture copy of the seed regulation and the glossary, built once."""
    where = tmp_path_factory.mktemp("site")
    project = make_project(
        where / "project", {SEED_YAML.name: SEED_YAML.read_bytes()}, GLOSSARY.read_bytes()
    )
    result = build(project, where / "site")
    assert result.returncode == 0, result.stderr
    return where / "site"


def wait_for(condition, what: str, timeout: float = 60):
    """The first true value of ``condition()``, polled; the test fails after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.2)  # polling a condition, not a fixed sleep
    pytest.fail(f"timed out waiting for {what}")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def theme_script_hashes(bases: tuple[str, ...] = ("/", ".", "..", "../..", "../../..")) -> set[str]:
    """The CSP hashes of the theme's inline scripts (kb.publish.csp.THEME_SCRIPTS), rendered
    as MkDocs renders them — our overrides first, then Material — for pages whose way to the
    site root is one of ``bases``: a fixture site's home, pages one, two and three folders deep (a work page), and
    404.html, which reaches the root by the site's path."""
    import material
    from jinja2 import Environment, FileSystemLoader

    from kb.publish.csp import THEME_SCRIPTS, script_hash

    themes = [ROOT / "overrides", Path(material.__file__).parent / "templates"]
    env = Environment(loader=FileSystemLoader(themes))
    return {
        script_hash(body)
        for name in THEME_SCRIPTS
        for base in bases
        for body in re.findall(
            r"<script>(.*?)</script>",
            env.get_template(name).render(config={"extra": {}}, base_url=base, features=[]),
            re.S,
        )
    }


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(site):
    """Serve the built site on 127.0.0.1; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=tool("chromium", "chromium"),
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
        )
        yield Browser(chromium)  # every context settled: tests/chromium.py
        chromium.close()
