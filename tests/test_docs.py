"""The edits maintainers make every day, checked as a maintainer would: after each one every
regulation validates and the site builds with ``--strict``. Tried on a copy of the fixture seed
and glossary, never on ``docs/``: the tests own their data (a maintainer checks ``docs/`` with
`make validate` and `make build`).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES, GLOSSARY, SEED_YAML, build, kb, make_project

from kb.load.yaml_exact import load_yaml
from kb.scaffold import to_yaml


def check_docs(project: Path, site: Path) -> None:
    """What a maintainer runs: `make validate`, then a strict build."""
    validated = kb(project, "validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    built = build(project, site)
    assert built.returncode == 0, built.stderr


def seed_project(where: Path) -> Path:
    """The site's machinery with the fixture seed and glossary, as ``docs/`` holds them."""
    return make_project(
        where,
        {SEED_YAML.name: SEED_YAML.read_bytes()},
        glossary=GLOSSARY.read_bytes(),
    )


# --- Maintainers' edits, each on parsed YAML written back as the CLI writes it -------------


def edit_seed(folder: Path, change: Callable[[dict], None]) -> None:
    """Apply ``change`` to the seed and write it back."""
    path = folder / SEED_YAML.name
    data = load_yaml(path.read_bytes(), path.name).data
    change(data)
    schema = folder.parents[1] / "schema" / "regulation.schema.json"
    path.write_text(to_yaml(data, path, schema), encoding="utf-8")


def new_id(taken: list[dict], stem: str) -> str:
    ids = {item["id"] for item in taken}
    return next(f"{stem}-{n}" for n in range(1, len(ids) + 2) if f"{stem}-{n}" not in ids)


def add_checklist_item(folder: Path) -> None:
    def change(data: dict) -> None:
        items = data["checklist"]
        items.append({"id": new_id(items, "added"), "text": "Новый пункт чек-листа"})

    edit_seed(folder, change)


def add_step_with_two_actions(folder: Path) -> None:
    def change(data: dict) -> None:
        steps = data["steps"]
        actions = [a for step in steps for a in step["actions"]]
        first = new_id(actions, "added-action")
        second = new_id([*actions, {"id": first}], "added-action")
        steps.append(
            {
                "id": new_id(steps, "added-step"),
                "title": "Новый шаг",
                "actions": [
                    {"id": first, "text": "Первое действие"},
                    {"id": second, "text": "Второе действие", "items": ["Подробность"]},
                ],
                "where": "Система обработки обращений",
                "result": "Шаг выполнен",
            }
        )

    edit_seed(folder, change)


def delete_faq_entry(folder: Path) -> None:
    edit_seed(folder, lambda data: data["faq"].pop(0))


def reword_template(folder: Path) -> None:
    """New wording of a template's body, its fields' labels and its placeholders, kept in step."""

    def change(data: dict) -> None:
        template = next((t for t in data["templates"] if t.get("fields")), data["templates"][0])
        template["body"] = "Добрый день!\n\n" + template["body"]
        for field in template.get("fields", []):
            field["label"] = f"{field['label']} (уточнено)"
            old = field.get("placeholder")
            if isinstance(old, str):
                new = f"{old}, новая формулировка"
                template["body"] = template["body"].replace(f"[{old}]", f"[{new}]")
                for other in template["fields"]:  # fields sharing a placeholder by occurrence
                    if other.get("placeholder") == old:
                        other["placeholder"] = new

    edit_seed(folder, change)


def add_second_regulation(folder: Path) -> None:
    fixture = FIXTURES / "valid" / "guest-pass.yml"
    shutil.copy(fixture, folder / fixture.name)


EDITS: dict[str, Callable[[Path], None] | None] = {
    "as-is": None,
    "add-checklist-item": add_checklist_item,
    "add-step-with-two-actions": add_step_with_two_actions,
    "delete-faq-entry": delete_faq_entry,
    "reword-template": reword_template,
    "add-second-regulation": add_second_regulation,
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_edits_pass_the_maintainers_check(tmp_path, edit):
    project = seed_project(tmp_path / "project")
    folder = project / "docs" / "regulations"
    before = {p.name: p.read_bytes() for p in folder.glob("*.yml")}
    if edit:
        edit(folder)
        assert {p.name: p.read_bytes() for p in folder.glob("*.yml")} != before
    check_docs(project, tmp_path / "site")
