"""`mkdocs serve` (as `make serve` runs it: --strict) rebuilds when a regulation or the schema
changes, and a broken file shows its message in the browser and in the terminal."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import urllib.request

import pytest
from bs4 import BeautifulSoup
from conftest import SEED_YAML, make_project, wait_for
from playwright.sync_api import expect

SEED = SEED_YAML.read_text(encoding="utf-8")
# The line of the seed's summary: the schema edit below makes it too long.
SUMMARY_LINE = SEED.splitlines().index("summary: >-") + 1
PAGE = "regulations/escalation-to-development/"
TITLE = "Эскалация в отдел разработки"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def serve(tmp_path):
    project = make_project(tmp_path, {"escalation-to-development.yml": SEED})
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--strict", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(process.stdout), daemon=True).start()

    def fetch(path: str) -> str:
        """The page's HTML; "" when the server does not answer within 5 s (or fails)."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    fetch.url = f"http://127.0.0.1:{port}/"
    yield project, fetch, log
    process.terminate()
    process.wait(timeout=10)


def test_serve_rebuilds_on_yaml_and_schema_changes(serve):
    project, fetch, log = serve
    page = PAGE
    wait_for(lambda: TITLE in fetch(page), "the first build")

    regulation = project / "docs" / "regulations" / "escalation-to-development.yml"
    regulation.write_text(
        SEED.replace("title: Эскалация в отдел разработки", "title: Новый заголовок")
    )
    wait_for(lambda: "Новый заголовок" in fetch(page), "a rebuild after the YAML edit")

    schema_path = project / "schema" / "regulation.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["properties"]["summary"] = {"type": "string", "maxLength": 5}
    schema_path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    message = f"docs/regulations/escalation-to-development.yml:{SUMMARY_LINE}: поле summary:"
    wait_for(
        lambda: any(line.startswith(message) for line in log), "a rebuild after the schema edit"
    )


def stopped(html: str) -> tuple[str, list[str]] | None:
    """The stopped page's heading and located lines, if ``html`` is that page."""
    page = BeautifulSoup(html, "html.parser")
    article = page.select_one("article.kb-stopped")
    if article is None:
        return None
    lines = [li.get_text() for li in article.select(".kb-stopped__problems li")]
    return article.h1.get_text(), lines


def test_a_broken_yaml_answers_at_once_with_its_message_and_prints_it_on_every_rebuild(
    serve, browser
):
    """While a regulation is broken, every page answers at once with the located message
    (MkDocs held the requests until a build passed) and each failed rebuild prints it (MkDocs
    printed it once, then only «Aborted with a BuildError!»); once fixed, the browser that
    shows the message reloads into the page."""
    project, fetch, log = serve
    wait_for(lambda: TITLE in fetch(PAGE), "the first build")
    regulation = project / "docs" / "regulations" / "escalation-to-development.yml"
    where = SEED.splitlines().index("    where: Система обработки обращений") + 1
    located = f"docs/regulations/escalation-to-development.yml:{where}: поле steps[0].wehre:"
    broken = SEED.replace("    where: Система обработки обращений", "    wehre: Система", 1)
    regulation.write_text(broken, encoding="utf-8")

    def shown(path: str) -> list[str]:
        found = stopped(fetch(path))
        return found[1] if found and found[0] == "Сборка остановлена" else []

    lines = wait_for(lambda: shown(PAGE), "the stopped page in place of the regulation")
    assert any(line.startswith(located) for line in lines), lines
    assert any(line.startswith(located) for line in shown("")), "the home page too"

    def printed() -> int:
        return sum(line.startswith(located) for line in list(log))

    wait_for(lambda: printed() == 1, "the message in the terminal")
    context = browser.new_context()
    page = context.new_page()
    page.goto(fetch.url + PAGE)
    expect(page.locator("article.kb-stopped h1")).to_have_text("Сборка остановлена")
    expect(page.locator(".kb-stopped__problems li").first).to_contain_text(located)

    # The same mistake again, another line edited: MkDocs repeated no message it had logged.
    regulation.write_text(broken.replace(TITLE, "Эскалация", 1), encoding="utf-8")
    wait_for(lambda: printed() == 2, "the message on the second failed rebuild")

    regulation.write_text(SEED, encoding="utf-8")
    expect(page.locator("h1")).to_have_text(TITLE)  # live reload, no request held
    assert stopped(fetch(PAGE)) is None
    context.close()
