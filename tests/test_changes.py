"""«Что изменилось» (issue 19, items 5–6): what each version of a regulation changed, by stable
id, from its file's git history — on its page, on the home page, as JSON beside the page — and
«С вашего прошлого визита» for a reader who read an older version.

The history is made here: a fixture project in a throw-away git repository, the seed committed
as version 1.0, then a version 1.1 that rewords one action, adds a FAQ entry and removes a
checklist item.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from chromium import settle
from conftest import GLOSSARY, SEED_YAML, build, make_project, soup

from kb.changes import changes_between
from kb.vocabulary import CHANGES

NAME = SEED_YAML.name
PAGE = "regulations/escalation-to-development/index.html"
ACTION_OLD = "        text: Указать критический приоритет при эскалации\n"
ACTION_NEW = "        text: Указать критический приоритет и предупредить руководителя\n"
FAQ_NEW = (
    "faq:\n  - id: new-question\n    question: Что делать ночью?\n    answer: Звонить дежурному.\n"
)
CHECK_GONE = "  - id: need-confirmed\n    text: Подтверждена необходимость эскалации\n    step: confirm-escalation\n"
HISTORY_ROW = """history:
  - version: "1.1"
    date: 2026-11-20
    author: Тест
    changes: Уточнения
"""
# The three changes of 1.1, as the page lists them (in the page's order: action, FAQ, checklist).
EXPECTED = [
    ("changed", "action", "set-critical-priority"),
    ("added", "faq", "new-question"),
    ("removed", "checklist", "need-confirmed"),
]


def version_1_1(text: str) -> str:
    for old, new in (
        ('  version: "1.0"\n', '  version: "1.1"\n'),
        ("  updated: 2024-12-19\n", "  updated: 2026-11-20\n"),
        (ACTION_OLD, ACTION_NEW),
        ("faq:\n", FAQ_NEW),
        (CHECK_GONE, ""),
        ("history:\n", HISTORY_ROW),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def git(project: Path, *args: str, when: str = "2026-11-20T12:00:00+00:00") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)


def kb_build(project: Path, site: Path) -> subprocess.CompletedProcess:
    return build(project, site, KB_TODAY="2026-12-05")


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A project whose seed has versions 1.0 (committed 2026-10-01) and 1.1 (2026-11-20); the
    site built at 1.0 and at 1.1."""
    where = tmp_path_factory.mktemp("changes")
    project = make_project(where / "project", {NAME: SEED_YAML.read_bytes()}, GLOSSARY.read_bytes())
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "1.0", when="2026-10-01T12:00:00+00:00")
    first = kb_build(project, where / "site-1.0")
    assert first.returncode == 0, first.stderr
    seed = project / "docs" / "regulations" / NAME
    seed.write_text(version_1_1(seed.read_text(encoding="utf-8")), encoding="utf-8")
    # A fix committed under the same number belongs to 1.0 (the version it was made in).
    git(project, "commit", "-q", "-am", "1.1")
    second = kb_build(project, where / "site-1.1")
    assert second.returncode == 0, second.stderr
    return project, where / "site-1.0", where / "site-1.1", second


def listed(site: Path) -> list[tuple[str, str, str, str | None]]:
    """The page's «Что изменилось»: (change word, kind word, label, link) per entry."""
    section = soup(site / PAGE).find(attrs={"data-kb-changes": True})
    assert section is not None, "no «Что изменилось» on the page"
    return [
        (li.get_text(" ", strip=True), li.a["href"] if li.a else None)
        for li in section.find_all("li")
    ]


def test_the_page_lists_exactly_what_the_new_version_changed_with_links(history):
    _, _, site, _ = history
    page = soup(site / PAGE)
    entries = listed(site)
    # «Изменено: действие «…» (текст)»: the change, the kind of element, its name.
    assert [text.split(" «")[0] for text, _ in entries] == [
        f"{CHANGES['change'][change]}: {CHANGES['kind'][kind]}" for change, kind, _ in EXPECTED
    ]
    assert entries[0][0].endswith(f"({CHANGES['parts']['text']})"), entries[0]
    # Each entry that is still on the page leads to it; a removed one is named, not linked.
    hrefs = [href for _, href in entries]
    assert hrefs[2] is None
    for href in hrefs[:2]:
        assert page.find(id=href[1:]) is not None, href
    title = page.find(attrs={"data-kb-changes": True}).find("strong").get_text()
    assert "1.1" in title and "1.0" in title and "20 ноября 2026" in title


def test_a_single_version_has_no_change_list(history):
    _, site, _, _ = history
    assert soup(site / PAGE).find(attrs={"data-kb-changes": True}) is None


def test_the_home_page_lists_the_changes_of_the_last_30_days(history):
    _, _, site, _ = history
    box = soup(site / "index.html").find(class_="kb-recent")
    assert box is not None
    title = CHANGES["recent"].format(days=CHANGES["recent_days"])
    assert box.find(class_="admonition-title").get_text() == title
    (item,) = box.find_all("li")
    assert item.a["href"].endswith("#" + CHANGES["anchor"])
    assert CHANGES["count"].format(count=3) in item.get_text()


def test_the_work_page_gets_the_change_list_as_json(history):
    _, _, site, _ = history
    data = json.loads((site / "regulations/escalation-to-development/changes.json").read_text())
    (version,) = data["versions"]
    assert (version["version"], version["previous"], version["date"]) == (
        "1.1",
        "1.0",
        "2026-11-20",
    )
    assert [(c["change"], c["kind"], c["id"]) for c in version["changes"]] == EXPECTED


def test_content_changed_without_a_new_version_fails_the_strict_build(history, tmp_path):
    project, _, _, _ = history
    seed = project / "docs" / "regulations" / NAME
    kept = seed.read_text(encoding="utf-8")
    try:
        # A comment changes no content: no warning.
        seed.write_text("# уточнение\n" + kept, encoding="utf-8")
        assert kb_build(project, tmp_path / "a").returncode == 0
        seed.write_text(kept.replace(ACTION_NEW, ACTION_OLD), encoding="utf-8")
        result = kb_build(project, tmp_path / "b")
    finally:
        seed.write_text(kept, encoding="utf-8")
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if "meta.version" in line]
    assert lines == [
        "WARNING -  kb: " + CHANGES["kept"].format(source=f"docs/regulations/{NAME}", version="1.1")
    ], result.stderr


def test_without_git_one_info_line_and_no_change_list(tmp_path):
    project = make_project(
        tmp_path / "project", {NAME: SEED_YAML.read_bytes()}, GLOSSARY.read_bytes()
    )
    result = kb_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count(CHANGES["no_git"]) == 1
    assert soup(tmp_path / "site" / PAGE).find(attrs={"data-kb-changes": True}) is None


@pytest.mark.parametrize(
    "old, new, expected",
    [
        # Steps in another order: nothing changed (ids, not positions).
        (
            {"steps": [{"id": "a", "title": "A"}, {"id": "b", "title": "B"}]},
            {"steps": [{"id": "b", "title": "B"}, {"id": "a", "title": "A"}]},
            [],
        ),
        # An action reworded is the action's change, not its step's.
        (
            {"steps": [{"id": "a", "title": "A", "actions": [{"id": "x", "text": "1"}]}]},
            {"steps": [{"id": "a", "title": "A", "actions": [{"id": "x", "text": "2"}]}]},
            [("changed", "action", "x", ("text",))],
        ),
        (
            {"templates": [{"id": "t", "title": "T", "body": "1"}]},
            {"templates": [{"id": "t", "title": "T", "body": "2", "fields": []}]},
            [("changed", "template", "t", ("body", "fields"))],
        ),
        # Old files without ids, or with junk where a list was: compared as far as they go.
        (
            {"steps": "junk", "faq": [{"question": "?"}]},
            {"faq": [{"id": "q", "question": "?"}]},
            [("added", "faq", "q", ())],
        ),
    ],
)
def test_changes_are_found_by_id(old, new, expected):
    assert [(c.change, c.kind, c.id, c.parts) for c in changes_between(old, new)] == expected


@pytest.fixture
def reader(browser, history, tmp_path):
    """A browser that reads the page served from ``tmp_path / "site"``, swapped between builds."""
    import functools
    import http.server
    import threading

    served = tmp_path / "site"

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def end_headers(self):
            # Each build is read afresh (no heuristic caching between the two builds).
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(served))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def open_built(site: Path):
        # The page served before (and its search worker, which may still be loading its
        # scripts) goes before its files do.
        page.goto("about:blank")
        if served.exists():
            shutil.rmtree(served)
        shutil.copytree(site, served)
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/{PAGE.removesuffix('index.html')}")
        page.wait_for_function("document.querySelector('[data-kb-tool=since]').kbMounted")
        settle(page)
        return page.locator("[data-kb-tool=since]")

    yield open_built
    context.close()
    httpd.shutdown()
    assert errors == []


def test_a_reader_of_the_old_version_sees_what_changed_until_dismissed(reader, history):
    _, old, new, _ = history
    notice = reader(old)
    assert notice.is_hidden()
    notice = reader(new)
    assert notice.is_visible()
    assert notice.locator(".admonition-title").inner_text() == CHANGES["since"].format(
        version="1.0"
    )
    assert notice.locator("li").count() == len(EXPECTED)
    notice.get_by_role("button", name=CHANGES["hide"]).click()
    assert notice.is_hidden()
    assert reader(new).is_hidden()


def test_a_first_visit_shows_no_notice(reader, history):
    _, _, new, _ = history
    assert reader(new).is_hidden()
