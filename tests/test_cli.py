"""`python -m kb`: import, export, validate, new — exit codes and one-line messages.

Every command runs in a throw-away copy of the project (``make_project``), as maintainers run
it: from the project folder, on ``docs/regulations``.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, SEED, build, make_project, soup
from conftest import kb as kb_command
from test_bad_input import INVALID, expectation

from kb.load.yaml_exact import load_yaml
from kb.markdown.read import import_markdown
from kb.markdown.write import export_markdown

SEED_YAML = (FIXTURES / "seed" / "escalation-to-development.yml").read_text(encoding="utf-8")
MARKDOWN = FIXTURES / "markdown"
HEADER = "# yaml-language-server: $schema=../../schema/regulation.schema.json\n"


def kb(project: Path, *args: str) -> subprocess.CompletedProcess:
    result = kb_command(project, *args)
    assert "Traceback" not in result.stdout + result.stderr
    return result


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project", {"escalation-to-development.yml": SEED_YAML})


@pytest.fixture
def empty(tmp_path) -> Path:
    return make_project(tmp_path / "empty")


def test_import_writes_yaml_with_the_schema_header(empty):
    project = empty
    result = kb(project, "import", str(SEED))
    target = project / "docs" / "regulations" / "eskalatsiya-v-otdel-razrabotki.yml"
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"{SEED} → docs/regulations/eskalatsiya-v-otdel-razrabotki.yml\n"
    text = target.read_text(encoding="utf-8")
    assert text.startswith(HEADER + "format: 1\ntitle: Эскалация в отдел разработки\n\nmeta:\n")
    expected, _ = import_markdown(SEED.read_text(encoding="utf-8"))
    assert load_yaml(text.encode(), "x").data == expected


def test_import_links_related_materials_to_existing_regulations(project):
    result = kb(project, "import", str(MARKDOWN / "diagnostika-problem.md"))
    assert result.returncode == 0
    written = project / "docs" / "regulations" / "diagnostika-problem.yml"
    related = load_yaml(written.read_bytes(), "x").data["related"]
    assert related[0]["items"][0] == {
        "title": "Эскалация в отдел разработки",
        "link": "./Эскалация в отдел разработки.md",
        "regulation": "escalation-to-development",
    }
    assert [item.get("regulation") for group in related for item in group["items"]] == [
        "escalation-to-development",
        None,
        None,
    ]


def test_import_refuses_a_regulation_that_is_already_there(project):
    result = kb(project, "import", str(SEED))
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"{SEED}: регламент «Эскалация в отдел разработки» уже есть: "
        "docs/regulations/escalation-to-development.yml — чтобы заменить его, укажите его явно: "
        "-o docs/regulations/escalation-to-development.yml\n"
    )
    assert sorted(p.name for p in (project / "docs" / "regulations").iterdir()) == [
        "escalation-to-development.yml"
    ]


def test_import_refuses_to_overwrite_unless_told_where(empty):
    project = empty
    assert kb(project, "import", str(SEED)).returncode == 0
    again = kb(project, "import", str(SEED))
    assert again.returncode == 1
    assert again.stderr == (
        f"{SEED}: файл docs/regulations/eskalatsiya-v-otdel-razrabotki.yml уже есть — чтобы "
        "заменить его, укажите его явно: -o docs/regulations/eskalatsiya-v-otdel-razrabotki.yml\n"
    )
    forced = kb(
        project, "import", str(SEED), "-o", "docs/regulations/eskalatsiya-v-otdel-razrabotki.yml"
    )
    assert forced.returncode == 0


def test_import_of_several_files_goes_on_after_a_problem(empty):
    sources = [MARKDOWN / "messy.md", MARKDOWN / "nowhere.md", MARKDOWN / "diagnostika-problem.md"]
    result = kb(empty, "import", *map(str, sources))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{sources[0]} → docs/regulations/kommunikatsiya-s-klientom.yml",
        f"{sources[2]} → docs/regulations/diagnostika-problem.yml",
    ]
    errors = result.stderr.splitlines()
    assert len(errors) == 13
    assert errors[-1] == f"{sources[1]}: файл не найден"
    assert all(line.startswith(f"{sources[0]}:") for line in errors[:-1])


def test_import_to_another_folder_computes_the_schema_path(project):
    result = kb(project, "import", str(SEED), "-o", "drafts/deep/x.yml")
    assert result.returncode == 0
    first = (project / "drafts" / "deep" / "x.yml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schema/regulation.schema.json"


def test_import_reports_every_unmapped_fragment_and_keeps_it(project):
    source = project / "messy.md"
    source.write_bytes((MARKDOWN / "messy.md").read_bytes())
    result = kb(project, "import", "messy.md")
    _, notes = import_markdown(source.read_text(encoding="utf-8"))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"messy.md:{line}: {message}" for line, message in notes]
    assert len(notes) == 12
    written = project / "docs" / "regulations" / "kommunikatsiya-s-klientom.yml"
    data = load_yaml(written.read_bytes(), "x").data
    assert len(data["unmapped"]) == 10


def test_import_of_a_broken_document_names_the_file_and_line(project):
    (project / "cp1251.md").write_bytes(
        "# Регламент\n\n## Краткое описание\n\nТекст\n".encode("cp1251")
    )
    result = kb(project, "import", "cp1251.md")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "cp1251.md:1: файл не в кодировке UTF-8 — сохраните его как UTF-8\n"

    (project / "short.md").write_text(
        "# Черновик\n\n## Краткое описание\n\nТекст\n", encoding="utf-8"
    )
    result = kb(project, "import", "short.md")
    assert result.returncode == 1
    assert result.stderr == (
        "docs/regulations/chernovik.yml:2: нет обязательного поля «meta», «audience», «steps»\n"
    )

    missing = kb(project, "import", "nowhere.md")
    assert (missing.returncode, missing.stderr) == (1, "nowhere.md: файл не найден\n")


def test_export_writes_the_markdown_template(project):
    result = kb(project, "export", "docs/regulations/escalation-to-development.yml")
    data = load_yaml(SEED_YAML.encode(), "x").data
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == export_markdown(data, {"escalation-to-development": "escalation-to-development", "эскалация в отдел разработки": "escalation-to-development"})  # fmt: skip

    to_file = kb(
        project, "export", "docs/regulations/escalation-to-development.yml", "-o", "out/seed.md"
    )
    assert to_file.returncode == 0
    assert (project / "out" / "seed.md").read_text(encoding="utf-8") == result.stdout


def test_export_then_import_through_the_cli_keeps_the_data(project):
    assert kb(project, "export", "docs/regulations/escalation-to-development.yml", "-o", "seed.md").returncode == 0  # fmt: skip
    result = kb(project, "import", "seed.md", "-o", "docs/regulations/copy.yml")
    assert (result.returncode, result.stderr) == (0, "")
    copy = load_yaml((project / "docs/regulations/copy.yml").read_bytes(), "x").data
    assert copy == load_yaml(SEED_YAML.encode(), "x").data


def test_export_of_an_invalid_file_fails_with_the_build_message(project):
    source = FIXTURES / "invalid" / "syntax-unclosed-quote.yml"
    (project / "docs" / "regulations" / "broken.yml").write_bytes(source.read_bytes())
    result = kb(project, "export", "docs/regulations/broken.yml")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        f"docs/regulations/broken.yml:{message}" for message in expectation(source)
    ]


def test_validate_passes_valid_regulations(project):
    """Notes (the seed writes «шаге 1» by hand) come first and do not fail the check."""
    result = kb(project, "validate")
    *notes, summary = result.stdout.splitlines()
    assert (result.returncode, summary, result.stderr) == (
        0,
        "Проверено регламентов: 1, ошибок нет.",
        "",
    )
    assert all(note.startswith("INFO - ") for note in notes)


def test_validate_reports_exactly_the_build_messages(project):
    """Every broken fixture of the build tests, one line per problem, in file order."""
    folder = project / "docs" / "regulations"
    expected = []
    for path in INVALID:
        (folder / path.name).write_bytes(path.read_bytes())
        expected += [f"docs/regulations/{path.name}:{message}" for message in expectation(path)]
    everything = kb(project, "validate")
    assert (everything.returncode, everything.stdout) == (1, "")
    assert everything.stderr.splitlines() == expected

    named = kb(project, "validate", f"docs/regulations/{INVALID[0].name}")
    assert (named.returncode, named.stdout) == (1, "")
    assert named.stderr.splitlines() == [
        f"docs/regulations/{INVALID[0].name}:{message}" for message in expectation(INVALID[0])
    ]


def test_validate_names_a_missing_file(project):
    result = kb(project, "validate", "docs/regulations/escalation-to-development.yml", "nope.yml")
    assert (result.returncode, result.stderr) == (1, "nope.yml: файл не найден\n")


def test_new_scaffolds_a_valid_draft_and_refuses_to_overwrite(project):
    result = kb(project, "new", "Коммуникация с клиентом")
    target = project / "docs" / "regulations" / "kommunikatsiya-s-klientom.yml"
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        "Создан docs/regulations/kommunikatsiya-s-klientom.yml со статусом «Черновик» (виден в "
        "make serve, make build его не публикует) — заполните разделы, проверьте (make "
        "validate) и поставьте статус «Актуально»\n"
    )
    text = target.read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    # A draft: `make build` publishes none of its placeholder text (tests/test_status.py).
    assert load_yaml(text.encode(), target.name).data["meta"]["status"] == "Черновик"
    assert kb(project, "validate").returncode == 0

    again = kb(project, "new", "Коммуникация  с клиентом")
    assert again.returncode == 1
    assert again.stderr == (
        "docs/regulations/kommunikatsiya-s-klientom.yml: файл уже есть — выберите другое "
        "название или укажите файл через -o\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "python -m kb: ошибка: не хватает аргументов: КОМАНДА"),
        (("frobnicate",), "python -m kb: ошибка: неизвестная команда «frobnicate»"),
        (("import",), "python -m kb import: ошибка: не хватает аргументов: FILE.md"),
        (("export", "a.yml", "-o"), "python -m kb export: ошибка: после -o укажите значение"),
        (("validate", "--strict"), "python -m kb: ошибка: лишние аргументы: --strict"),
    ],
)
def test_usage_errors_exit_with_2(project, args, message):
    result = kb_command(project, *args)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == message
    assert result.stderr.splitlines()[0].startswith("usage: python -m kb")


def test_new_refuses_a_title_that_is_taken(project):
    result = kb(project, "new", "Эскалация в отдел разработки")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "docs/regulations/escalation-to-development.yml: регламент «Эскалация в отдел "
        "разработки» уже есть — выберите другое название\n"
    )


def test_new_with_an_empty_title_is_refused(project):
    result = kb(project, "new", "  ")
    assert (result.returncode, result.stderr) == (1, "Название регламента не может быть пустым\n")


def test_imported_fixtures_build_into_pages_with_their_tools(project, tmp_path):
    """Importing a .md is enough to get a page with its checklist, FAQ, errors and generators."""
    sources = [
        MARKDOWN / "diagnostika-problem.md",
        MARKDOWN / "obrabotka-ekstrennykh-obrashcheniy.md",
    ]
    result = kb(project, "import", *map(str, sources))
    assert (result.returncode, result.stderr) == (0, "")
    written = [line.rsplit("/", 1)[1].removesuffix(".yml") for line in result.stdout.splitlines()]
    slugs = {source.stem: slug for source, slug in zip(sources, written, strict=True)}
    assert slugs == {
        "diagnostika-problem": "diagnostika-problem",
        "obrabotka-ekstrennykh-obrashcheniy": "obrabotka-ekstrennykh-obrashcheniy-sla-vysokiy-prioritet",
    }
    site = tmp_path / "site"
    built = build(project, site)
    assert built.returncode == 0, built.stderr

    for stem, slug in slugs.items():
        data, _ = import_markdown((MARKDOWN / f"{stem}.md").read_text(encoding="utf-8"))
        page = soup(site / "regulations" / slug / "index.html")
        article = page.select_one("article.kb-regulation")
        assert article.h1.get_text(strip=True) == data["title"]
        assert [li["id"] for li in article.select(".kb-checklist li")] == [
            f"check-{item['id']}" for item in data["checklist"]
        ]
        assert len(article.select("details.kb-faq")) == len(data["faq"])
        assert [
            tr["id"] for tr in article.select("section[aria-labelledby=errors] table tbody tr")
        ] == [f"error-{error['id']}" for error in data["errors"]]
        generators = article.select("form.kb-gen")
        assert [form["data-template"] for form in generators] == [
            t["id"] for t in data["templates"]
        ]
        for form, template in zip(generators, data["templates"], strict=True):
            assert [f["data-field"] for f in form.select("[data-field]")] == [
                f["id"] for f in template["fields"]
            ]


def test_export_says_what_the_markdown_cannot_carry_and_writes_nothing(project):
    """A line break inside «Где» has no place in the template: the export says so, and
    leaves no Markdown that would lose it on import."""
    source = project / "docs" / "regulations" / "escalation-to-development.yml"
    text = source.read_text(encoding="utf-8").replace(
        "    where: Система обработки обращений\n    result: Подтверждена",
        '    where: "Система обработки обращений\\nи почта"\n    result: Подтверждена',
        1,
    )
    assert '\\nи почта"' in text
    source.write_text(text, encoding="utf-8")
    result = kb(project, "export", "docs/regulations/escalation-to-development.yml", "-o", "x.md")
    assert result.returncode == 1
    assert result.stderr == (
        "docs/regulations/escalation-to-development.yml: Markdown не передаёт поля "
        "steps[0].where — импорт этого файла их потеряет\n"
    )
    assert not (project / "x.md").exists()
    result = kb(project, "export", "docs/regulations/escalation-to-development.yml")
    assert (result.returncode, result.stdout) == (1, "")


# --- the CLI never destroys a source -----------------------------------------------------------

REGULATION = "docs/regulations/escalation-to-development.yml"
OWN_SOURCE = (
    ": -o указывает на сам экспортируемый файл — регламент был бы заменён Markdown; укажите "
    "другой файл, .md"
)


def _names_of_the_source(project: Path) -> list[str]:
    """The regulation under other names: a path through "..", a symlink, a hard link."""
    folder = project / "docs" / "regulations"
    (folder / "link.yml").symlink_to("escalation-to-development.yml")
    os.link(folder / "escalation-to-development.yml", project / "hard.md")
    return [REGULATION, "docs/../docs/regulations/escalation-to-development.yml", "docs/regulations/link.yml", "hard.md"]  # fmt: skip


def test_export_refuses_to_overwrite_its_own_source(project):
    before = (project / REGULATION).read_bytes()
    for name in _names_of_the_source(project):
        result = kb(project, "export", REGULATION, "-o", name)
        # Named as given, a path through ".." made plain (kb.problems.display_name).
        shown = name if name in ("hard.md", "docs/regulations/link.yml") else REGULATION
        assert (result.returncode, result.stdout) == (2, ""), name
        assert result.stderr == f"{shown}{OWN_SOURCE}\n"
        assert (project / REGULATION).read_bytes() == before
    assert (project / "hard.md").read_bytes() == before


@pytest.mark.parametrize("name", ["docs/regulations/other.yml", "notes.YAML"])
def test_export_refuses_a_yaml_target(project, name):
    result = kb(project, "export", REGULATION, "-o", name)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"{name}: export пишет Markdown, а файл YAML — это регламент; укажите файл .md\n"
    )
    assert not (project / name).exists()


def test_import_refuses_to_overwrite_markdown(project):
    source = project / "seed.md"
    source.write_bytes(SEED.read_bytes())
    (project / "notes.md").write_text("заметки", encoding="utf-8")
    same = kb(project, "import", "seed.md", "-o", "./seed.md")
    assert (same.returncode, same.stderr) == (
        2,
        "seed.md: -o указывает на сам импортируемый файл — Markdown был бы заменён YAML; укажите "
        "файл регламента .yml\n",
    )
    other = kb(project, "import", "seed.md", "-o", "notes.md")
    assert (other.returncode, other.stderr) == (
        2,
        "notes.md: import пишет регламент — YAML-файл с расширением .yml; укажите такой файл\n",
    )
    assert source.read_bytes() == SEED.read_bytes()
    assert (project / "notes.md").read_text(encoding="utf-8") == "заметки"
    scaffold = kb(project, "new", "Черновик", "-o", "notes.md")
    assert (scaffold.returncode, scaffold.stderr) == (
        2,
        "notes.md: new пишет регламент — YAML-файл с расширением .yml; укажите такой файл\n",
    )


def _kb_with_a_full_disk(project: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m kb`` that can write no file beyond 2 KB: writes fail midway (EFBIG)."""

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an error instead of a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

    return kb_command(project, *args, preexec_fn=limit)


def test_a_failed_write_leaves_the_target_untouched(project):
    (project / "seed.md").write_text("прежний текст", encoding="utf-8")
    exported = _kb_with_a_full_disk(project, "export", REGULATION, "-o", "seed.md")
    assert (project / "seed.md").read_text(encoding="utf-8") == "прежний текст"
    assert (exported.returncode, exported.stdout) == (1, "")
    assert exported.stderr == "seed.md: не удалось записать файл (File too large) — файл не изменён\n"  # fmt: skip

    before = (project / REGULATION).read_bytes()
    imported = _kb_with_a_full_disk(project, "import", str(SEED), "-o", REGULATION)
    assert (project / REGULATION).read_bytes() == before
    assert imported.returncode == 1
    assert imported.stderr == f"{REGULATION}: не удалось записать файл (File too large) — файл не изменён\n"  # fmt: skip

    created = _kb_with_a_full_disk(project, "new", "Черновик")
    assert created.stderr == "docs/regulations/chernovik.yml: не удалось записать файл (File too large) — файл не создан\n"  # fmt: skip
    leftovers = [p.name for p in project.rglob("*.tmp")]
    assert (created.returncode, leftovers) == (1, [])
    assert not (project / "docs" / "regulations" / "chernovik.yml").exists()
