"""The published site as production serves it: nginx with deploy/nginx/kb.conf.

One fixture site (the seed regulation, a second valid fixture and the fixture glossary) is
built by the atomic builder and served by Debian's nginx on 127.0.0.1. The tests check the
headers and caching, that every internal link and anchor resolves, and drive Chromium through
every page, search, both generators and the checklist with the Content-Security-Policy in
force: no violation, no console error, no request to another host.
"""

from __future__ import annotations

import gzip
import json
import posixpath
import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import FIXTURES, ROOT, make_project, publish, soup, theme_script_hashes
from playwright.sync_api import expect

from kb.publish.csp import script_hash
from kb.publish.fingerprint import DIGITS
from kb.publish.nginx import Nginx, free_port
from kb.vocabulary import WORK

SEED = "regulations/escalation-to-development/"
REGULATIONS = {
    "escalation-to-development.yml": FIXTURES / "seed" / "escalation-to-development.yml",
    "guest-pass.yml": FIXTURES / "valid" / "guest-pass.yml",
}
HASHED = re.compile(rf"\.[0-9a-f]{{{DIGITS}}}(\.min)?\.(css|m?js)$")
MISSING = "no/such/page/"
YEAR = "public, max-age=31536000, immutable"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(site folder, base URL) of the fixture site under nginx."""
    where = tmp_path_factory.mktemp("prod")
    project = make_project(
        where / "project", {name: path.read_bytes() for name, path in REGULATIONS.items()}
    )
    (project / "docs" / "glossary.yml").write_bytes(
        (FIXTURES / "seed" / "glossary.yml").read_bytes()
    )
    port = free_port()
    # Instant navigation follows only pages listed in sitemap.xml, made from site_url.
    result = publish(project, KB_SITE_URL=f"http://127.0.0.1:{port}/")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    nginx = Nginx(ROOT, site, where / "run", port)
    nginx.check()
    with nginx:
        yield site, nginx.url


def get(url: str, **headers) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def pages(site: Path) -> list[str]:
    """Site paths of every HTML file."""
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))


# --- headers and caching ----------------------------------------------------------------------

CSP_DIRECTIVES = [
    "default-src 'none'",
    "script-src 'self' {hashes}",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
]


def expected_csp(site: Path) -> str:
    snippet = (site / "nginx-csp.conf").read_text(encoding="utf-8")
    hashes = re.search(r'set \$kb_script_hashes "(.*)";', snippet)[1]
    return "; ".join(CSP_DIRECTIVES).format(hashes=hashes)


def test_html_is_revalidated_and_carries_the_security_headers(served):
    site, url = served
    status, headers, body = get(url + SEED)
    assert status == 200
    assert body == (site / SEED / "index.html").read_bytes()
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-cache"
    assert headers["Content-Security-Policy"] == expected_csp(site)
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "ETag" in headers and "Server" in headers and headers["Server"] == "nginx"


def test_the_policy_allows_exactly_the_theme_scripts_in_the_pages(served):
    site, _ = served
    allowed = set(expected_csp(site).split("script-src 'self' ")[1].split(";")[0].split())
    found = {
        script_hash(script.string or "")
        for page in pages(site)
        for script in soup(site / page).select("script:not([src])")
        if script.get("type") != "application/json"
    }
    assert found == allowed == theme_script_hashes()


def test_hashed_assets_are_cached_for_a_year_and_the_rest_revalidated(served):
    site, url = served
    page = soup(site / SEED / "index.html")
    own = [
        *(link["href"] for link in page.select("link[rel=stylesheet]")),
        *(script["src"] for script in page.select("script[src]")),
    ]
    assert own and all(HASHED.search(urlsplit(ref).path) for ref in own), own
    for ref in own:
        status, headers, _ = get(url + posixpath.normpath(posixpath.join(SEED, ref)))
        assert (status, headers["Cache-Control"]) == (200, YEAR), ref
    for path in ("search/search_index.json", "build.json", "assets/images/favicon.png", ""):
        status, headers, _ = get(url + path)
        assert (status, headers["Cache-Control"]) == (200, "no-cache"), path


def test_text_is_gzipped(served):
    site, url = served
    css = next((site / "kb").glob("kb.*.css"))
    for path, file in (
        (SEED, site / SEED / "index.html"),
        ("search/search_index.json", site / "search" / "search_index.json"),
        (str(css.relative_to(site)), css),
    ):
        status, headers, body = get(url + path, **{"Accept-Encoding": "gzip"})
        assert (status, headers.get("Content-Encoding")) == (200, "gzip"), path
        assert gzip.decompress(body) == file.read_bytes()


def test_missing_page_gets_the_404_page_uncached(served):
    site, url = served
    status, headers, body = get(url + MISSING)
    assert status == 404
    assert body == (site / "404.html").read_bytes()
    assert headers["Cache-Control"] == "no-cache"
    assert headers["Content-Security-Policy"] == expected_csp(site)


def test_the_generated_policy_file_is_not_served(served):
    _, url = served
    status, _, body = get(url + "nginx-csp.conf")
    assert status == 404 and b"kb_script_hashes" not in body


def test_build_json_names_the_build(served):
    site, url = served
    status, _, body = get(url + "build.json")
    stamp = json.loads(body)
    assert status == 200 and set(stamp) == {"built", "commit", "dirty"}
    footer = soup(site / "index.html").select_one(".md-footer .kb-build").get_text(strip=True)
    assert footer.startswith(f"Сборка {stamp['built'][:10]} ") and footer.endswith("неизвестно")


def test_every_own_asset_a_page_references_is_hashed(served):
    site, _ = served
    for path in pages(site):
        page = soup(site / path)
        refs = [
            *(t["href"] for t in page.select("link[href]") if t["href"].endswith(".css")),
            *(t["src"] for t in page.select("script[src]")),
            *(t["data-kb-src"] for t in page.select("[data-kb-src]")),
        ]
        config = page.select_one("script#__config")
        if config:
            refs.append(json.loads(config.string)["search"])
        for ref in refs:
            assert HASHED.search(urlsplit(ref).path), (path, ref)
    names = [
        str(p.relative_to(site))
        for p in (site / "kb").rglob("*")
        if p.suffix in {".js", ".mjs", ".css"}
    ]
    assert names and all(HASHED.search(name) for name in names), names


# --- link integrity ----------------------------------------------------------------------------

LINKING = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src"}


def broken_links(site: Path, base: str) -> tuple[list[tuple[str, str]], int]:
    """(page, reference) for every internal link, asset or anchor that does not resolve,
    and how many references were checked."""
    root = urlsplit(base)
    ids: dict[str, set[str]] = {}

    def anchors(path: str) -> set[str]:
        if path not in ids:
            page = soup(site / path)
            ids[path] = {t["id"] for t in page.select("[id]")}
            ids[path] |= {t["name"] for t in page.select("a[name]")}
        return ids[path]

    broken, checked = [], 0
    for path in pages(site):
        page = soup(site / path)
        refs = [t[attr] for tag, attr in LINKING.items() for t in page.select(f"{tag}[{attr}]")]
        refs += [t["data-kb-src"] for t in page.select("[data-kb-src]")]
        for ref in refs:
            parts = urlsplit(ref)
            if parts.scheme in {"mailto", "tel"} or (parts.netloc and parts.netloc != root.netloc):
                continue  # another host: not ours to check
            checked += 1
            target = unquote(parts.path)
            if parts.scheme not in {"", root.scheme}:
                broken.append((path, ref))
                continue
            if parts.netloc or target.startswith("/"):
                target = target.removeprefix(root.path)
            elif target:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            else:
                target = path
            target = "" if target == "." else target
            if (site / target).is_dir():
                target = posixpath.join(target, "index.html")
            missing_anchor = (
                parts.fragment
                and target.endswith(".html")
                and unquote(parts.fragment) not in anchors(target)
            )
            if not (site / target).is_file() or missing_anchor:
                broken.append((path, ref))
    return broken, checked


def test_every_internal_link_and_anchor_resolves(served):
    site, url = served
    broken, checked = broken_links(site, url)
    assert broken == []
    assert checked >= 10 * len(pages(site))  # the walk really saw the pages' links
    generated = {"faq/index.html", "errors/index.html", "templates/index.html", "tags/index.html"}
    assert generated <= set(pages(site))


def test_the_link_walk_finds_broken_links(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a id="top" href="a/">a</a><a href="#top">ok</a><a href="#gone">1</a>'
        '<a href="https://example.org/x">other host</a><img src="missing.png">'
    )
    (tmp_path / "a" / "index.html").write_text(
        '<a href="../#top">ok</a><a href="/index.html#nope">2</a><a href="../b/">3</a>'
        '<script src="/kb/x.js"></script>'
    )
    broken, checked = broken_links(tmp_path, "http://127.0.0.1:1/")
    assert broken == [
        ("a/index.html", "/index.html#nope"),
        ("a/index.html", "../b/"),
        ("a/index.html", "/kb/x.js"),
        ("index.html", "#gone"),
        ("index.html", "missing.png"),
    ]
    assert checked == 8


# --- in the browser, with the policy in force -------------------------------------------------

WATCH = """
document.addEventListener("securitypolicyviolation", event => window.__kbViolation(
  [event.violatedDirective, event.blockedURI, event.sourceFile, event.sample].join(" | ")
));
"""


class Watched:
    """A page that records CSP violations, console errors, page errors and requested hosts."""

    def __init__(self, browser, base: str):
        self.base = base
        self.context = browser.new_context(
            accept_downloads=True, permissions=["clipboard-read", "clipboard-write"]
        )
        self.violations: list[str] = []
        self.console: list[str] = []
        self.hosts: set[str] = set()
        self.context.expose_binding("__kbViolation", lambda _, text: self.violations.append(text))
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))
        self.page.on("request", lambda r: self.hosts.add(urlsplit(r.url).netloc or r.url[:5]))

    def _console(self, message):
        if message.location.get("url") == self.base + MISSING:
            return  # the 404 status of the missing page itself, asked for on purpose
        if message.type in {"error", "warning"}:
            self.console.append(f"{message.type}: {message.text}")

    def open(self, path: str):
        self.page.goto(self.base + path, wait_until="load")
        return self.page


@pytest.fixture
def watched(browser, served):
    _, url = served
    tab = Watched(browser, url)
    yield tab
    tab.page.close()
    tab.context.close()
    assert tab.violations == []
    assert tab.console == []
    assert tab.hosts <= {urlsplit(url).netloc, "blob:"}


def test_every_page_loads_without_violations(watched, served):
    site, _ = served
    visited = 0
    for path in pages(site):
        if path == "404.html":
            page = watched.open(MISSING)
        else:
            page = watched.open(path.removesuffix("index.html"))
        # Material's own script ran (it names the document's components) ...
        page.wait_for_function("() => typeof window.document$ === 'object'")
        visited += 1
    assert visited == len(pages(site)) >= 8


def test_search_finds_a_russian_word(watched):
    page = watched.open("")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator(".md-search__input")
    box.fill("эскалации")
    # Material listens to keyup; Playwright's fill sends none.
    box.dispatch_event("keyup", {"key": "и"})
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    assert "/regulations/escalation-to-development/" in results.first.locator(
        "a"
    ).first.get_attribute("href")


def test_generators_and_checklist_work_under_the_policy(watched):
    page = watched.open("")
    # instant navigation: Material fetches the page and re-creates its scripts
    page.locator(f'.md-content a[href$="{SEED}"]').first.click()
    page.wait_for_url(f"**/{SEED}")
    notification = page.locator("#g_1")
    expect(notification).to_be_visible()
    for field, value in {
        "client-name": "Анна Сергеевна",
        "ticket-id": "T-42",
        "problem-description": "Ошибка 500 при сохранении пропуска.",
        "specialist-name": "Иван Петров",
    }.items():
        page.fill(f"#g_1-{field}", value)
    expect(notification.locator("[data-preview]")).to_contain_text("Здравствуйте, Анна Сергеевна!")
    notification.locator("[data-action=copy]").click()
    expect(notification.locator(".kb-gen__status")).to_have_text("Текст скопирован в буфер обмена.")
    with page.expect_download() as download:
        notification.locator("[data-action=download][data-format=txt]").click()
    assert download.value.suggested_filename == "notification-T-42.txt"
    documentation = page.locator("#g_2")
    page.fill("#g_2-problem-summary", "Не сохраняются пропуска")
    expect(documentation.locator("[data-preview]")).to_contain_text(
        "Проблема: Не сохраняются пропуска"
    )
    boxes = page.locator(".kb-checklist input")
    boxes.first.check()
    expect(page.locator(".kb-checklist__progress")).to_have_text(f"Выполнено: 1 из {boxes.count()}")


def test_the_old_ticket_link_and_the_home_list_work_under_the_policy(watched):
    """A reading page's old ticket link forwards to the work page, whose modules and model load
    under the policy; the home page's «Мои обращения» (a module reading its words from a data
    attribute) lists the ticket and leads back to it."""
    page = watched.open(SEED + "?ticket=48213&client=Анна")
    expect(page.locator(".kb-work--live [data-kb-current]")).to_contain_text("48213 · Анна")
    assert urlsplit(page.url).path == "/" + SEED + "work/"
    page.locator("#w-action-check-known-solutions").check()
    page.goto(watched.base, wait_until="load")
    link = page.locator("[data-kb-tickets] a")
    expect(link).to_have_text("48213 · Анна")
    link.click()
    expect(page.locator("#w-action-check-known-solutions")).to_be_checked()


def test_the_work_page_works_under_the_policy(watched):
    """Every kind of thing the work page does, under the production policy: a step done, a field
    typed at its step and filled into a generator at a later one, a text and the record copied,
    the ticket as JSON out and back in, the print view, «Мои обращения»."""
    page = watched.open(SEED + "work/?ticket=48213&client=Анна")
    expect(page.locator(".kb-work--live [data-kb-current]")).to_contain_text("48213 · Анна")
    assert page.locator("link[href*='work/work.']").count() == 1
    page.click("#w-term-product-bug")
    page.click("[data-kb-step=confirm-escalation] [data-kb-do=step-done]")
    page.fill("[data-kb-field=problem-summary]", "Турникет не открывается")
    page.click("[data-kb-rail=notify-client]")
    notify = page.locator("[data-kb-step=notify-client]")
    notify.locator("[name=problem-description]").fill("Турникет не открывается")
    notify.locator("[name=specialist-name]").fill("Иван Петров")
    notify.locator("[data-action=copy]").click()
    expect(notify.locator(".kb-gen__status")).to_have_text("Текст скопирован в буфер обмена.")
    assert "По обращению 48213" in page.evaluate("navigator.clipboard.readText()")
    page.click("[data-kb-do=record-copy]")
    expect(page.locator("[data-kb-alarm]")).to_have_text(WORK["copied_record"])
    assert page.evaluate("navigator.clipboard.readText()").startswith("# Обращение 48213 — ")
    with page.expect_download() as download:
        page.click("[data-kb-do=export]")
    exported = download.value.path().read_text(encoding="utf-8")
    page.set_input_files(
        "[data-kb-import]",
        files=[{"name": "t.json", "mimeType": "application/json", "buffer": exported.encode()}],
    )
    expect(page.locator("[data-kb-ask]")).to_be_visible()
    page.click("[data-kb-do=import-cancel]")
    page.emulate_media(media="print")
    expect(page.locator("[data-kb-print]")).to_contain_text("48213")
    page.emulate_media(media="screen")
    page.click("[data-kb-do=tickets]")
    expect(page.locator("[data-kb-tickets] a")).to_have_text("48213 · Анна")
