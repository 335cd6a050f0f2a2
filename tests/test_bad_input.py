"""Every kind of broken regulation stops `mkdocs build` with a located Russian message.

Each fixture in ``fixtures/invalid`` is named after the rule it breaks and states the
expected message on its first line (``# expect: LINE: message``; several joined by `` | ``).
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES, build, make_project, soup

from kb.load.regulation import problems_of

INVALID = sorted((FIXTURES / "invalid").glob("*.yml"))
VALID = sorted((FIXTURES / "valid").glob("*.yml"))
SEED_YAML = (
    FIXTURES.parents[1] / "docs" / "regulations" / "escalation-to-development.yml"
).read_text()

GENERATED = {
    "empty": (b"", "1: файл пуст — в нём нет ни одного поля"),
    "only-comments": (
        b"# yaml-language-server: $schema=x\n\n# TODO\n",
        "1: файл пуст — в нём нет ни одного поля",
    ),
    "windows-1251": (
        "format: 1\ntitle: Проверка\n".encode("cp1251"),
        "2: файл не в кодировке UTF-8 — сохраните его как UTF-8",
    ),
}


def expectation(path) -> list[str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} has no expectation line"
    return first.removeprefix("# expect: ").split(" | ")


def cases():
    for path in INVALID:
        yield pytest.param(path.read_bytes(), expectation(path), id=path.stem)
    for name, (content, expected) in GENERATED.items():
        yield pytest.param(content, [expected], id=name)


@pytest.mark.parametrize(("content", "expected"), cases())
def test_broken_file_fails_the_build_with_a_located_message(tmp_path, content, expected):
    project = make_project(
        tmp_path, {"escalation-to-development.yml": SEED_YAML, "broken.yml": content}
    )
    result = build(project, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in output
    count = len(expected)
    word = "ошибка" if count == 1 else "ошибки"
    reported = [line for line in output.splitlines() if line.startswith("docs/regulations/")]
    assert f"Сборка остановлена: {count} {word} в регламентах." in output
    assert reported == [f"docs/regulations/broken.yml:{message}" for message in expected]


@pytest.mark.parametrize(
    "path",
    VALID + [FIXTURES.parents[1] / "docs/regulations/escalation-to-development.yml"],
    ids=lambda p: p.stem,
)
def test_valid_fixtures_pass(path):
    regulation, problems = problems_of(path)
    assert problems == []
    assert regulation.slug == path.stem


def test_failed_build_keeps_the_last_good_site(tmp_path):
    """Nothing is published from a broken file: the previous site stays as it was."""
    project = make_project(tmp_path / "project", {"escalation-to-development.yml": SEED_YAML})
    site = tmp_path / "site"
    assert build(project, site).returncode == 0
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}

    (project / "docs" / "regulations" / "broken.yml").write_text("title: [", encoding="utf-8")
    assert build(project, site).returncode == 1

    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not (site / "regulations" / "broken").exists()
    assert soup(site / "index.html").select("li.kb-card h3")[0].get_text(strip=True) == (
        "Эскалация в отдел разработки"
    )


def test_file_name_must_be_a_slug(tmp_path):
    project = make_project(tmp_path, {"Эскалация.yml": SEED_YAML})
    result = build(project, tmp_path / "site")
    assert result.returncode == 1
    assert "docs/regulations/Эскалация.yml: имя файла — адрес страницы" in result.stderr


def test_broken_schema_fails_with_a_located_message(tmp_path):
    project = make_project(tmp_path, {"escalation-to-development.yml": SEED_YAML})
    schema = project / "schema" / "regulation.schema.json"
    text = schema.read_text(encoding="utf-8")
    broken_at = text.index('"type": "object",') + len('"type": "object"')
    schema.write_text(text[:broken_at] + text[broken_at + 1 :], encoding="utf-8")
    # JSON reports the token where the comma was expected: the next key, on the next line.
    next_token = len(text) - len(text[broken_at + 1 :].lstrip())
    line = text.count("\n", 0, next_token) + 1
    result = build(project, tmp_path / "site")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    expected = (
        f"schema/regulation.schema.json:{line}: ошибка синтаксиса JSON (Expecting ',' delimiter)"
    )
    assert expected in result.stderr.splitlines()
