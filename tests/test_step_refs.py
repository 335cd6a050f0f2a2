"""References to steps and special cases in prose (``[шагу](#step:escalate)``, kb.step_refs).

The page shows the step's current number and links to it; Markdown export and import keep the
reference as written; a step number written by hand is a note of ``validate`` and the build,
never a reason for ``--strict`` to fail. Unknown ids: ``fixtures/invalid/unknown-*-in-text-
reference.yml`` (test_bad_input).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, build, kb, make_project

from kb.check.step_refs import reference_problems
from kb.load.regulation import Regulation, problems_of
from kb.load.yaml_exact import load_yaml
from kb.markdown.read import import_markdown
from kb.markdown.write import export_markdown
from kb.scaffold import to_yaml
from kb.site.knowledge_base import KnowledgeBase

BASE = FIXTURES / "valid" / "minimal.yml"
TODAY = date(2025, 3, 1)


def step(ident: str, title: str, text: str = "Сделать") -> dict:
    return {"id": ident, "title": title, "actions": [{"id": f"{ident}-do", "text": text}]}


def regulation(where: Path, text: str, steps: list[dict] | None = None, **fields) -> Regulation:
    """The minimal regulation whose first step's action says ``text``, then «Эскалация»
    (step 2 unless ``steps`` puts more before it); valid, or the test fails."""
    data = load_yaml(BASE.read_bytes(), BASE.name).data
    first = step("check-pass", "Проверить пропуск", text)
    data |= {"steps": [first, *(steps or []), step("escalate", "Эскалация")], **fields}
    path = where / "refs.yml"
    path.write_text(to_yaml(data, path), encoding="utf-8")
    loaded, problems = problems_of(path)
    assert problems == [], "the case must make a valid regulation"
    return loaded


def page(reg: Regulation) -> BeautifulSoup:
    html = KnowledgeBase([reg], today=TODAY).regulation_page(reg).html
    return BeautifulSoup(html, "html.parser")


def action(soup: BeautifulSoup, ident: str = "check-pass-do"):
    found = soup.select_one(f"#action-{ident}")
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("label", "reads"),
    [
        ("шаг", "шаг 2"),
        ("шага", "шага 2"),
        ("шагу", "шагу 2"),
        ("шагом", "шагом 2"),
        ("шаге", "шаге 2"),
        ("Шагу", "Шагу 2"),
        ("передаче вопроса", "передаче вопроса (шаг 2)"),
    ],
)
def test_step_reference_reads_its_number_and_links_to_the_step(tmp_path, label, reads):
    soup = page(regulation(tmp_path, f"Если пропуска нет, перейти к [{label}](#step:escalate)."))
    link = action(soup).a
    assert (link["href"], link.get_text()) == ("#step-escalate", reads)
    assert action(soup).get_text().strip() == f"Если пропуска нет, перейти к {reads}."
    assert soup.select_one("#step-escalate") is not None  # the anchor the link leads to


@pytest.mark.parametrize(
    ("label", "step", "reads"),
    [
        ("особый случай", "escalate", "особый случай «Пропуск утерян» (шаг 2)"),
        ("особом случае", "escalate", "особом случае «Пропуск утерян» (шаг 2)"),
        ("потере пропуска", "escalate", "потере пропуска (шаг 2)"),
        ("особый случай", None, "особый случай «Пропуск утерян»"),
    ],
)
def test_case_reference_reads_its_title_and_step(tmp_path, label, step, reads):
    case = {"id": "lost", "title": "Пропуск *утерян*", "actions": [{"id": "block", "text": "Б"}]}
    if step:
        case["step"] = step
    reg = regulation(tmp_path, f"См. [{label}](#case:lost).", special_cases=[case])
    link = action(page(reg)).a
    assert (link["href"], link.get_text()) == ("#case-lost", reads)


def test_a_step_inserted_before_the_referenced_one_changes_the_number(tmp_path):
    text = "Перейти к [шагу](#step:escalate)"
    before = action(page(regulation(tmp_path, text))).a
    inserted = [step("call-client", "Позвонить клиенту")]
    after = action(page(regulation(tmp_path, text, steps=inserted))).a
    assert [before.get_text(), after.get_text()] == ["шагу 2", "шагу 3"]
    assert before["href"] == after["href"] == "#step-escalate"


def test_a_reference_in_code_stays_as_written(tmp_path):
    soup = page(regulation(tmp_path, "Пишите `[шагу](#step:escalate)` в тексте"))
    assert action(soup).a is None
    assert action(soup).code.get_text() == "[шагу](#step:escalate)"


def test_index_pages_link_a_reference_to_the_regulation_page(tmp_path):
    faq = [{"id": "when", "question": "Когда?", "answer": ["На [шаге](#step:escalate)"]}]
    reg = regulation(tmp_path, "Сделать", faq=faq)
    pages = {p.src_uri: p for p in KnowledgeBase([reg], today=TODAY).pages()}
    link = BeautifulSoup(pages["faq.md"].html, "html.parser").select_one(
        ".kb-index__entry a[href*=step]"
    )
    assert (link["href"], link.get_text()) == ("../regulations/refs/#step-escalate", "шаге 2")


def test_markdown_export_and_import_keep_the_reference_as_written(tmp_path):
    text = "Перейти к [шагу](#step:escalate), *см. [особый случай](#case:lost)*"
    case = {"id": "lost", "title": "Пропуск утерян", "actions": [{"id": "block", "text": "Б"}]}
    data = regulation(tmp_path, text, special_cases=[case]).data
    markdown = export_markdown(data)
    assert text in markdown
    again, notes = import_markdown(markdown)
    assert (again, notes) == (data, [])


# A step number written by hand twice (one too large for the regulation), and where a number
# is right as written: in a reference's target, in the history of changes.
BY_HAND = "Если пропуска нет — к шагу 2, затем [шагу](#step:escalate) и шаге 9"
HISTORY = [{"version": "0.1", "date": "2025-01-10", "changes": "Добавлен шаг 2"}]


def by_hand_project(where: Path) -> Path:
    reg = regulation(where, BY_HAND, history=HISTORY)
    return make_project(where / "project", {"refs.yml": Path(reg.source).read_bytes()})


def notes_of(project: Path) -> list[str]:
    """The notes of :func:`by_hand_project`'s regulation, at the line of the action's text."""
    where = "docs/regulations/refs.yml:{}: поле steps[0].actions[0].text: "
    text = (project / "docs/regulations/refs.yml").read_text("utf-8")
    number = text[: text.index("Если пропуска нет")].count("\n") + 1
    return [
        where.format(number) + "«шагу 2» написано числом — если это шаг «Эскалация», напишите "
        "[шагу](#step:escalate), и номер будет меняться вместе с шагами",
        where.format(number) + "«шаге 9» написано числом, а шагов в регламенте 2 — напишите "
        "ссылку [шаге](#step:id-шага), и номер будет меняться вместе с шагами",
    ]


def test_validate_notes_a_step_number_written_by_hand(tmp_path):
    project = by_hand_project(tmp_path)
    result = kb(project, "validate")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        *(f"INFO - {note}" for note in notes_of(project)),
        "Проверено регламентов: 1, ошибок нет.",
    ]


def test_a_step_number_written_by_hand_does_not_fail_a_strict_build(tmp_path):
    project = by_hand_project(tmp_path)
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    logged = [line for line in result.stderr.splitlines() if "написано числом" in line]
    assert logged == [f"INFO    -  kb: {note}" for note in notes_of(project)]


def test_a_case_reference_in_a_regulation_without_cases_says_there_are_none():
    data = load_yaml(BASE.read_bytes(), BASE.name).data
    data["summary"] = "См. [особый случай](#case:lost)"
    assert list(reference_problems(data)) == [
        (
            ("summary",),
            "ссылка [особый случай](#case:lost): особого случая «lost» нет; особых случаев "
            "(special_cases) в регламенте нет",
        )
    ]
