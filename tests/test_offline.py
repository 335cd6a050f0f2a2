"""In Chromium, the built site never asks any host but 127.0.0.1."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

PAGES = {
    "": "База знаний технической поддержки PASS24.online",
    "regulations/escalation-to-development/": "Эскалация в отдел разработки",
}


@pytest.mark.parametrize(("path", "title"), PAGES.items(), ids=["home", "regulation"])
def test_no_request_leaves_localhost(browser, server, path, title):
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(server + path, wait_until="networkidle")
    # The search index and worker load lazily: open search so they are requested too.
    page.keyboard.press("/")
    page.wait_for_function("() => document.querySelector('.md-search__input') !== null")
    page.wait_for_load_state("networkidle")
    hosts = {urlsplit(url).hostname for url in requested if not url.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}
    assert any(url.endswith("search/search_index.json") for url in requested)
    assert page.locator("article h1").first.inner_text() == title
    page.close()
