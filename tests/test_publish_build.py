"""`make build` is atomic: a failure of any kind leaves the published site byte-identical."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, SEED_YAML, make_project, publish, soup

SEED = FIXTURES / "seed" / "escalation-to-development.yml"
PAGE = "regulations/escalation-to-development/index.html"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site-"))


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A project copy with the seed regulation, built once; yields (project, site snapshot)."""
    project = make_project(
        tmp_path_factory.mktemp("atomic") / "project",
        {"escalation-to-development.yml": SEED.read_bytes()},
    )
    result = publish(project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "Сайт опубликован в site/."
    return project, snapshot(project / "site")


def test_a_build_publishes_the_site_with_its_stamp(published):
    project, files = published
    assert PAGE in files and "build.json" in files and "nginx-csp.conf" in files
    stamp = json.loads(files["build.json"])
    assert set(stamp) == {"built", "commit", "dirty"}
    assert stamp["commit"] is None  # a copy outside git, like an unpacked tarball
    footer = soup(project / "site" / PAGE).select_one(".md-footer .kb-build")
    when = stamp["built"].replace("T", " ").removesuffix("Z")
    assert footer.get_text(strip=True) == f"Сборка {when} UTC, коммит неизвестно"
    assert leftovers(project) == []


def _theme_adds(project: Path, html: str) -> None:
    """An override template that puts ``html`` into every page's head."""
    main = project / "overrides" / "main.html"
    extra = f"{{% block extrahead %}}{html}{{% endblock %}}\n"
    main.write_text(main.read_text(encoding="utf-8") + extra, encoding="utf-8")


def _theme_modules(project: Path, sources: dict[str, str]) -> None:
    """ES modules (site path → source) added to the theme."""
    for path, source in sources.items():
        target = project / "overrides" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source, encoding="utf-8")


BREAKAGES = {
    "yaml": (
        lambda p: (p / "docs/regulations/broken.yml").write_bytes(
            (FIXTURES / "invalid" / "syntax-unclosed-quote.yml").read_bytes()
        ),
        "broken.yml:",
    ),
    "schema": (
        lambda p: (p / "docs/regulations/broken.yml").write_bytes(
            (FIXTURES / "invalid" / "additional-properties-at-root.yml").read_bytes()
        ),
        "broken.yml:",
    ),
    "template": (
        lambda p: (p / "overrides/main.html").write_text(
            (p / "overrides/main.html").read_text(encoding="utf-8") + "\n{% block broken %}\n",
            encoding="utf-8",
        ),
        "main.html",
    ),
    "inline script not from the theme": (
        lambda p: _theme_adds(p, "<script>alert(1)</script>"),
        "404.html: встроенный скрипт не из шаблонов темы (kb/publish/csp.py) — CSP заблокирует "
        "такой код: «<script>alert(1)</script>»",
    ),
    "event handler": (
        lambda p: _theme_adds(p, '<img src="x" onerror="alert(2)">'),
        '404.html: обработчик события — CSP заблокирует такой код: «<img onerror="alert(2)">»',
    ),
    "module import cycle": (
        lambda p: _theme_modules(
            p,
            {
                "kb/components/w/a.mjs": 'import "./b.mjs";\n',
                "kb/components/w/b.mjs": 'export const b = 1;\nimport "./a.mjs";\n',
            },
        ),
        "overrides/kb/components/w/b.mjs:2: import «./a.mjs»: модули импортируют друг друга по "
        "кругу (a.mjs → b.mjs → a.mjs)",
    ),
    "strict warning": (
        lambda p: (p / "docs/extra.md").write_text(
            "# Ещё\n\n[нет такой](missing.md)\n", encoding="utf-8"
        ),
        "missing.md",
    ),
}


@pytest.mark.parametrize("kind", list(BREAKAGES))
def test_a_failed_build_leaves_the_site_byte_identical_and_says_why(published, kind, tmp_path):
    project, before = published
    broken = make_project(tmp_path / "project")
    # the same project, already published: the previous site is in place
    for name in ("docs", "site"):
        subprocess.run(["cp", "-a", str(project / name), str(broken)], check=True)
    breakage, reason = BREAKAGES[kind]
    breakage(broken)
    result = publish(broken)
    assert result.returncode != 0
    assert reason in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        f"Сборка не удалась (код {result.returncode}), причина — в сообщениях выше; "
        "опубликованный сайт site/ не изменён."
    )
    assert snapshot(broken / "site") == before
    assert leftovers(broken) == []


def test_a_second_build_replaces_the_site_whole(published, tmp_path):
    project, before = published
    copy = make_project(tmp_path / "project")
    for name in ("docs", "site"):
        subprocess.run(["cp", "-a", str(project / name), str(copy)], check=True)
    (copy / "site" / "stale.html").write_text("from an older build")
    (copy / "docs/regulations/guest-pass.yml").write_bytes(
        (FIXTURES / "valid" / "guest-pass.yml").read_bytes()
    )
    result = publish(copy)
    assert result.returncode == 0, result.stderr
    after = snapshot(copy / "site")
    assert "stale.html" not in after
    assert "regulations/guest-pass/index.html" in after
    assert after[PAGE] != b"" and set(before) - set(after) <= {"stale.html"}
    assert leftovers(copy) == []


def copy_of(project: Path, where: Path, *parts: str) -> Path:
    """A project copy with ``parts`` of the published ``project`` (its docs/, site/) copied."""
    copy = make_project(where)
    for name in parts:
        subprocess.run(["cp", "-a", str(project / name), str(copy)], check=True)
    return copy


def test_a_build_removes_what_killed_builds_left_but_not_a_running_builds_folder(
    published, tmp_path
):
    project, _ = published
    copy = copy_of(project, tmp_path / "project", "docs", "site")
    killed = copy / ".site-new-killed"  # a build killed half-way leaves its folder behind
    (killed / "assets").mkdir(parents=True)
    (killed / "assets" / "bundle.js").write_bytes(b"x" * 1_000_000)
    running = copy / ".site-new-running"
    running.mkdir()
    (running / "index.html").write_text("half-built", encoding="utf-8")
    lock = os.open(running, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(lock, fcntl.LOCK_EX)  # as a build that is running now holds its folder
    try:
        result = publish(copy)
    finally:
        os.close(lock)
    assert result.returncode == 0, result.stderr
    assert leftovers(copy) == [".site-new-running"]
    assert (running / "index.html").read_text(encoding="utf-8") == "half-built"


@pytest.mark.parametrize("absolute", [False, True], ids=["relative link", "absolute link"])
def test_a_site_that_is_a_symlink_is_pointed_at_a_new_release_and_the_old_one_kept(
    published, tmp_path, absolute
):
    project, before = published
    copy = copy_of(project, tmp_path / "project", "docs")
    releases = copy / "releases"
    releases.mkdir()
    subprocess.run(["cp", "-a", str(project / "site"), str(releases / "v1")], check=True)
    (copy / "site").symlink_to(releases / "v1" if absolute else Path("releases/v1"))
    result = publish(copy)
    assert result.returncode == 0, result.stderr
    target = Path(os.readlink(copy / "site"))
    release = target if absolute else copy / target
    assert release.parent == releases and release.name.startswith("site-")
    assert result.stdout.strip().splitlines()[-1] == (
        f"Сайт опубликован в site/ (ссылка на releases/{release.name}/); "
        "прежняя сборка осталась в releases/v1/."
    )
    assert set(snapshot(release)) == set(before)  # complete: every file of a build
    assert release.stat().st_mode & 0o777 == 0o755
    assert snapshot(releases / "v1") == before
    assert sorted(p.name for p in releases.iterdir()) == sorted(["v1", release.name])
    assert sorted(p.name for p in copy.iterdir() if p.name.startswith(".")) == []


def test_a_site_link_to_nothing_is_refused_and_nothing_changes(tmp_path):
    project = make_project(tmp_path / "project", {SEED_YAML.name: SEED_YAML.read_bytes()})
    (project / "site").symlink_to("releases/v1")
    names = sorted(p.name for p in project.iterdir())
    result = publish(project)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "site — ссылка на releases/v1, а такой папки нет: исправьте или удалите ссылку; "
        "ничего не собрано."
    )
    assert os.readlink(project / "site") == "releases/v1"
    assert sorted(p.name for p in project.iterdir()) == names
