"""Components (``overrides/kb/components/<tool>/``) and their named examples (``examples.yml``).

Each example is rendered alone through the core's Jinja environment (a golden case:
tests/golden/components/) and as a page of one test site, built from fixtures only: the seed
regulation's fixture copy plus a page per example. A second build («edited») holds the seed with its checklist edited, on the same origin.
A new component adds its row to ``MACROS`` and a ``tests/components/<tool>/`` folder.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import FIXTURES, ROOT, build, make_project
from playwright.sync_api import expect

from kb.site.knowledge_base import KnowledgeBase

COMPONENTS = ROOT / "overrides" / "kb" / "components"
SEED_YAML = (FIXTURES / "seed" / "escalation-to-development.yml").read_text("utf-8")
# The work page's second regulation: other steps, no criteria, other statuses.
BARRIER_YAML = (FIXTURES / "valid" / "barrier-offline.yml").read_text("utf-8")
EXAMPLE_PAGE = Path(__file__).resolve().parent / "example-page.yml"

# How regulation.html calls each component's macro for a regulation: (macro module, page slug,
# regulation data) -> the macro's outputs, in page order.
MACROS = {
    "generator": lambda macros, slug, reg: [
        macros.generator(slug, template, reg.get("special_cases", []), position)
        for position, template in enumerate(reg["templates"], 1)
        if template.get("fields")
    ],
    # A regulation's page is two folders deep: regulations/<slug>/.
    "checklist": lambda macros, slug, reg: [macros.checklist(reg["checklist"], "../../")],
}


def examples(tool: str) -> list[dict]:
    data = yaml.safe_load((COMPONENTS / tool / "examples.yml").read_text("utf-8"))
    return data["examples"]


def example(tool: str, name: str) -> dict:
    return next(e for e in examples(tool) if e["name"] == name)


def slug_of(tool: str, example: dict) -> str:
    """The example's page on the test site: ``regulations/<tool>-<name>/``."""
    return f"{tool}-{example['name']}"


def page_of(tool: str, example: dict) -> str:
    return f"main/regulations/{slug_of(tool, example)}/"


def regulation_of(tool: str, example: dict) -> dict:
    data = yaml.safe_load(EXAMPLE_PAGE.read_text("utf-8"))
    # Titles name one regulation each (kb.check.references): tools share example titles.
    return {**data, "title": f"Пример «{example['title']}» ({tool})", **example["regulation"]}


@functools.cache
def _env():
    return KnowledgeBase([]).env


def render(tool: str, example: dict) -> str:
    """The component's markup for an example, as the core renders it into a page."""
    macros = _env().get_template(f"components/{tool}/{tool}.html").module
    return "".join(
        str(html) for html in MACROS[tool](macros, slug_of(tool, example), example["regulation"])
    )


def words(tag) -> str:
    """A tag's text as a reader hears it: whitespace runs as one space."""
    return " ".join(tag.get_text(" ", strip=True).split())


def edited_checklist() -> str:
    """The seed with one checklist item reworded and a new item inserted first."""
    data = yaml.safe_load(SEED_YAML)
    data["checklist"][4]["text"] = "Задача создана в системе разработки"
    data["checklist"].insert(0, {"id": "ticket-read", "text": "Обращение прочитано целиком"})
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def main_regulations() -> dict[str, str]:
    """The YAML of the test site's main build, by slug: the seed, barrier-offline and a page
    per example of every component."""
    pages = {"escalation-to-development": SEED_YAML, "barrier-offline": BARRIER_YAML}
    for tool in MACROS:
        for item in examples(tool):
            pages[slug_of(tool, item)] = dump(regulation_of(tool, item))
    return pages


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@dataclass
class ToolsSite:
    www: Path  # main/ (seed + every example) and edited/ (seed, checklist edited)
    url: str  # where www is served


@pytest.fixture(scope="session")
def tools_site(tmp_path_factory) -> ToolsSite:
    root = tmp_path_factory.mktemp("tools")
    handler = functools.partial(_Quiet, directory=str(root / "www"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    main = {f"{slug}.yml": text for slug, text in main_regulations().items()}
    sites = {"main": main, "edited": {"escalation-to-development.yml": edited_checklist()}}
    for name, regulations in sites.items():
        project = make_project(root / f"project-{name}", regulations)
        # Material's instant navigation only follows pages listed in sitemap.xml, which is
        # empty without site_url; the port must match too.
        config = project / "mkdocs.yml"
        lines = config.read_text("utf-8").splitlines()
        lines = [line for line in lines if not line.startswith("site_url:")]
        if name == "edited":  # another keep-days for closed tickets than the default 30
            lines = [line.replace("keep_closed_days: 30", "keep_closed_days: 7") for line in lines]
        config.write_text("\n".join([f"site_url: {url}{name}/", *lines]) + "\n", "utf-8")
        result = build(project, root / "www" / name)
        assert result.returncode == 0, result.stderr
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield ToolsSite(root / "www", url)
    httpd.shutdown()


@pytest.fixture(scope="session")
def base(tools_site) -> str:
    return tools_site.url


class Tab:
    """One browser context and page; records dialogs, page errors and requested hosts."""

    def __init__(self, browser, base: str, **options):
        self.base = base
        self.context = browser.new_context(
            permissions=["clipboard-read", "clipboard-write"],
            accept_downloads=True,
            viewport={"width": 1280, "height": 900},
            **options,
        )
        self.page = self.context.new_page()
        self.dialogs: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.hosts: set[str | None] = set()
        self.confirm = True
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.errors.append(error.stack or str(error)))
        self.page.on(
            "request",
            lambda r: (
                r.url.startswith(("blob:", "data:")) or self.hosts.add(urlsplit(r.url).hostname)
            ),
        )

    def _dialog(self, dialog):
        self.dialogs.append((dialog.type, dialog.message))
        if dialog.type == "confirm" and self.confirm:
            dialog.accept()
        else:
            dialog.dismiss()

    def open(self, path: str):
        self.page.goto(self.base + path)
        for form in self.page.locator("form.kb-gen").all():
            expect(form).to_be_visible()
        return self.page


@contextlib.contextmanager
def open_tab(browser, base: str, now: str | None = None, **options):
    """A Tab that must end with no page error and no request to another host; ``now`` fixes
    the clock (in Moscow, where a test compares stamps or records)."""
    if now:
        options = {"timezone_id": "Europe/Moscow", "locale": "ru-RU", **options}
    tab = Tab(browser, base, **options)
    if now:
        tab.page.clock.set_fixed_time(now)
    yield tab
    tab.context.close()
    assert tab.errors == []
    assert tab.hosts <= {"127.0.0.1"}


@pytest.fixture
def tab(browser, base):
    with open_tab(browser, base) as tab:
        yield tab


# Broken storage, installed before the page loads (tab.page.add_init_script).
STORAGE_DENIED = """
Object.defineProperty(window, 'localStorage', {
  get() { throw new DOMException('denied', 'SecurityError'); }
});
"""
STORAGE_FULL = """
Storage.prototype.setItem = function () {
  throw new DOMException('full', 'QuotaExceededError');
};
"""
