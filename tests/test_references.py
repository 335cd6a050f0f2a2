"""Regulations that name each other: every reference is checked, and export works in any tree.

Each case is a throw-away project holding the seed and the regulations it needs (fixture
copies), checked the way maintainers do: ``python -m kb validate`` (every file, or one file —
checked with its folder) and the build.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES, SEED_YAML, build, make_project, soup
from test_cli import kb

from kb.load.yaml_exact import load_yaml
from kb.markdown.read import import_markdown
from kb.markdown.write import export_markdown

SEED_TEXT = SEED_YAML.read_text(encoding="utf-8")
SEED_FILE = f"docs/regulations/{SEED_YAML.name}"
COMMUNICATION = (FIXTURES / "kb" / "client-communication.yml").read_text(encoding="utf-8")
VALID = {path.name: path.read_text(encoding="utf-8") for path in (FIXTURES / "valid").glob("*.yml")}
# The seed's related[1].items[0]: a link to a regulation by its title and file name.
ITEM = "      - title: Коммуникация с клиентом\n        link: ./Коммуникация с клиентом.md\n"


def seed_with(item: str) -> str:
    """The seed with its related[1].items[0] written as ``item``."""
    assert SEED_TEXT.count(ITEM) == 1
    return SEED_TEXT.replace(ITEM, item)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    ("slug", "meant"),
    [("escalaton", "escalation-to-development"), ("client-comunication", "client-communication")],
)
def test_misspelled_regulation_is_a_located_error_with_a_suggestion(tmp_path, slug, meant):
    """Was: the build published the item as plain text and `validate` found nothing."""
    seed = seed_with(ITEM + f"        regulation: {slug}\n")
    files = {SEED_YAML.name: seed, "client-communication.yml": COMMUNICATION}
    project = make_project(tmp_path / "project", files)
    expected = (
        f"{SEED_FILE}:{line_of(seed, f'regulation: {slug}')}: поле "
        f"related[1].items[0].regulation: регламента «{slug}» нет — возможно, имелось в виду "
        f"«{meant}»"
    )
    for files in ([], [SEED_FILE]):  # one file is checked with the others of its folder
        result = kb(project, "validate", *files)
        assert (result.returncode, result.stderr) == (1, expected + "\n")
    result = build(project, tmp_path / "site")
    assert result.returncode == 1
    assert expected in result.stderr.splitlines()
    assert not (tmp_path / "site").exists()


def test_planned_regulation_is_shown_planned_and_listed(tmp_path):
    """A slug of a regulation not written yet is fine when the item says ``planned: true``."""
    planned = (
        "      - title: Обработка возвратов\n"
        "        regulation: obrabotka-vozvratov\n"
        "        planned: true\n"
    )
    project = make_project(tmp_path / "project", {SEED_YAML.name: seed_with(ITEM + planned)})
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = soup(tmp_path / "site" / "regulations" / SEED_YAML.stem / "index.html")
    item = page.find(id="related").find_parent("section").select("ul.kb-related")[1].select("li")[1]
    assert item.get_text(" ", strip=True) == "Обработка возвратов планируется"
    assert item["class"] == ["kb-planned"]
    assert item.a["href"] == "../../planned/"
    listed = soup(tmp_path / "site" / "planned" / "index.html")
    (section,) = [s for s in listed.select("section.kb-planned-item") if "возвратов" in s.h2.text]
    assert section.h2.get_text(strip=True).replace("¶", "") == "Обработка возвратов"
    assert [a["href"] for a in section.select(".kb-planned-item__cited a")] == [
        f"../regulations/{SEED_YAML.stem}/#related"
    ]


def test_two_regulations_with_one_title_are_an_error_naming_both(tmp_path):
    """Was: accepted, and a link by that title went to either of them."""
    other = VALID["minimal.yml"].replace(
        "title: Проверка пропуска на КПП", "title: Эскалация в  отдел РАЗРАБОТКИ"
    )
    files = {SEED_YAML.name: SEED_TEXT, "minimal.yml": other}
    project = make_project(tmp_path / "project", files)
    expected = [
        f"{SEED_FILE}:{line_of(SEED_TEXT, 'title:')}: поле title: такое же название у "
        "docs/regulations/minimal.yml",
        f"docs/regulations/minimal.yml:{line_of(other, 'title:')}: поле title: такое же "
        f"название у {SEED_FILE}",
    ]
    result = kb(project, "validate")
    assert (result.returncode, result.stderr.splitlines()) == (1, expected)
    result = kb(project, "validate", SEED_FILE)
    assert (result.returncode, result.stderr.splitlines()) == (1, expected[:1])
    result = build(project, tmp_path / "site")
    assert result.returncode == 1
    assert set(expected) <= set(result.stderr.splitlines())


def test_name_matching_more_than_one_regulation_is_an_error(tmp_path):
    """The item's title names one regulation and its link's file name another."""
    link = "      - title: Коммуникация с клиентом\n        link: ./Проверка пропуска на КПП.md\n"
    files = {
        SEED_YAML.name: seed_with(link),
        "client-communication.yml": COMMUNICATION,
        "minimal.yml": VALID["minimal.yml"],
    }
    project = make_project(tmp_path / "project", files)
    result = kb(project, "validate")
    assert (result.returncode, result.stderr) == (
        1,
        f"{SEED_FILE}:{line_of(files[SEED_YAML.name], link)}: поле related[1].items[0]: название "
        "и ссылка подходят к нескольким регламентам: docs/regulations/client-communication.yml, "
        "docs/regulations/minimal.yml — укажите нужный в поле regulation (имя файла без .yml)\n",
    )
    # Naming the regulation settles it.
    (project / SEED_FILE).write_text(seed_with(link + "        regulation: minimal\n"), "utf-8")
    result = kb(project, "validate")
    assert (result.returncode, result.stderr) == (0, "")


def test_export_works_in_a_tree_of_several_regulations(tmp_path):
    """Was: once the seed's related materials named another regulation, its export failed
    («Markdown не передаёт поля related[1].items[0].regulation») — a field the file does not
    have, filled in by link matching. Every file exports, and importing the Markdown gives
    the file's data back."""
    files = {SEED_YAML.name: SEED_TEXT, "client-communication.yml": COMMUNICATION, **VALID}
    project = make_project(tmp_path / "project", files)
    for name, text in files.items():
        stem = name.removesuffix(".yml")
        result = kb(project, "export", f"docs/regulations/{name}", "-o", f"{stem}.md")
        assert (result.returncode, result.stderr) == (0, ""), name
        result = kb(project, "import", f"{stem}.md", "-o", f"{stem}.yml")
        assert (result.returncode, result.stderr) == (0, ""), name
        again = load_yaml((project / f"{stem}.yml").read_bytes(), name).data
        assert again == load_yaml(text.encode(), name).data, name


def test_planned_mark_travels_through_markdown():
    item = {"title": "Обработка возвратов", "regulation": "obrabotka-vozvratov", "planned": True}
    data = load_yaml(SEED_TEXT.encode(), "seed").data
    data["related"][1]["items"] += [item, {"title": "Шлагбаум", "planned": False}]
    markdown = export_markdown(data).splitlines()
    assert "- Обработка возвратов <!-- regulation: obrabotka-vozvratov; planned: true -->" in (
        markdown
    )
    assert "- Шлагбаум <!-- planned: false -->" in markdown
    assert import_markdown("\n".join(markdown))[0] == data


STATUS = {p.name: p.read_text(encoding="utf-8") for p in (FIXTURES / "status").glob("*.yml")}


@pytest.mark.parametrize(
    ("replacement", "message"),
    [
        (
            "new-entry-ordr",
            "регламента «new-entry-ordr» нет — возможно, имелось в виду «new-entry-order»",
        ),
        (
            "old-entry-order",
            "регламент не может заменять сам себя — укажите регламент, который действует",
        ),
    ],
    ids=["misspelt", "itself"],
)
def test_replacement_of_an_obsolete_regulation_is_checked(tmp_path, replacement, message):
    obsolete = STATUS["old-entry-order.yml"].replace(
        "replaced_by: new-entry-order", f"replaced_by: {replacement}"
    )
    files = {**STATUS, "old-entry-order.yml": obsolete}
    project = make_project(tmp_path / "project", files)
    expected = (
        f"docs/regulations/old-entry-order.yml:{line_of(obsolete, 'replaced_by:')}: поле "
        f"meta.replaced_by: {message}"
    )
    result = kb(project, "validate")
    assert (result.returncode, result.stderr) == (1, expected + "\n")
    result = build(project, tmp_path / "site")
    assert result.returncode == 1
    assert expected in result.stderr.splitlines()
