"""The fixture seed builds; its regulation page and the home page have the expected structure.

Single sections rendered from small fragments are golden tests (test_golden.py)."""

from __future__ import annotations

import yaml
from bs4 import BeautifulSoup
from conftest import soup

PAGE = "regulations/escalation-to-development/index.html"

SECTIONS = [
    "Метаданные документа",
    "Кратко",
    "Предварительные требования",
    "Основной контент",
    "Пошаговая инструкция",
    "Особые случаи",
    "Примеры и кейсы",
    "Скрипты и шаблоны",
    "Часто задаваемые вопросы (FAQ)",
    "Типичные ошибки и их решение",
    "Контрольный чек-лист",
    "Критерии успеха",
    "Связанные материалы",
    "История изменений",
    "Обратная связь",
]


def text(tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).replace("¶", "").split())


def article(site):
    return soup(site / PAGE).select_one("article.kb-regulation")


def test_sections_follow_the_seed_order(site):
    assert [text(h) for h in article(site).find_all("h2")] == SECTIONS


def test_page_counts(site):
    page = article(site)
    counts = {
        "steps": len(page.select("ol.kb-steps > li.kb-step")),
        "special cases": len(page.select(".kb-case")),
        "examples": len(page.select(".kb-example")),
        "templates": len(page.select(".kb-template pre code")),
        "faq": len(page.select("details.kb-faq")),
        "error rows": len(page.select("section[aria-labelledby=errors] table tbody tr")),
        "checklist": len(page.select(".kb-checklist input[type=checkbox]")),
        "success criteria": len(page.find(id="success").find_parent("section").select("li")),
        "related materials": len(page.select(".kb-related li:has(> a)")),
        "history rows": len(page.select("section[aria-labelledby=history] table tbody tr")),
    }
    assert counts == {
        "steps": 7,
        "special cases": 3,
        "examples": 2,
        "templates": 2,
        "faq": 3,
        "error rows": 4,
        "checklist": 9,
        "success criteria": 5,
        "related materials": 8,  # «Связанные процессы» name three of them again
        "history rows": 1,
    }


def test_step_cards_have_what_where_result(site):
    step = article(site).select_one("li.kb-step")
    assert text(step.h3) == "Шаг 1: Подтверждение необходимости эскалации"
    assert [text(p) for p in step.find_all("p", recursive=False)] == [
        "Что делать:",
        "Где: Система обработки обращений",
        "Результат: Подтверждена необходимость эскалации",
        "Чек-лист: Подтверждена необходимость эскалации",
    ]
    actions = step.select_one("ol.kb-actions")
    assert [text(li.contents[0]) for li in actions.find_all("li", recursive=False)] == [
        "Убедиться, что проблема действительно требует эскалации:",
        "Проверить, что проблема не решается известными способами",
        "Задокументировать попытки решения проблемы",
    ]
    assert [text(li) for li in actions.li.ul.find_all("li")] == [
        "Проблема является ошибкой программного продукта",
        "Проблема не может быть решена с использованием существующего функционала",
        "Проблема требует изменения в коде продукта",
    ]


def test_metadata_panel(site):
    """One line with status, version, date and owner; the rest folded (tags: chips only)."""
    meta = article(site).select_one("section.kb-meta")
    assert [text(span) for span in meta.select(".kb-meta__line > span")] == [
        # The site fixture builds with today's date and the default review period of
        # mkdocs.yml (12 months): the seed, updated 2024-12-19, is overdue.
        "Требует актуализации",
        "Версия 1.0",
        "Обновлено 19 декабря 2024 г.",
        "Ответственный: Руководитель технической поддержки",
        "срок пересмотра истёк 19 декабря 2025 г.",
    ]
    details = meta.find("details")
    assert details is not None and not details.has_attr("open")
    assert text(details.summary) == "Метаданные документа"
    rows = {text(tr.th): text(tr.td) for tr in details.select("table tbody tr")}
    assert rows == {
        "Версия": "1.0",
        "Дата создания": "19 декабря 2024 г.",
        "Дата последнего обновления": "19 декабря 2024 г.",
        "Автор": "Система базы знаний",
        "Ответственный за актуальность": "Руководитель технической поддержки",
        "Пересмотр": "каждые 12 мес. (по умолчанию), до 19 декабря 2025 г.",
        "Статус": "Актуально",
        "Тип документа": "Регламент",
        "Отдел": "Тех. поддержка",
    }
    page = soup(site / PAGE)
    tags = [text(a) for a in page.select("nav.md-tags a")]
    assert sorted(tags) == ["ошибка продукта", "передача вопроса", "разработка", "эскалация"]
    assert page.select(".kb-meta__badges, .kb-tags") == []  # tags once, badges replaced


def test_brief_gives_summary_audience_and_the_steps_at_a_glance(site):
    brief = article(site).find(id="brief").find_parent("section")
    assert text(brief.find(id="summary")).startswith("Данный документ описывает процесс")
    assert text(brief.find(id="audience")) == (
        "Для кого: Специалисты технической поддержки Уровень подготовки: Средний / "
        "Продвинутый Когда использовать: Когда проблема не может быть решена с использованием "
        "существующего функционала продукта и требует передачи в отдел разработки"
    )
    overview = [(text(a), a["href"]) for a in brief.select("ol.kb-overview > li > a")]
    steps = article(site).select("li.kb-step h3")
    assert overview == [(text(h3).split(": ", 1)[1], f"#{h3['id']}") for h3 in steps]
    assert [title for title, _ in overview] == [
        "Подтверждение необходимости эскалации",
        "Подготовка описания проблемы",
        "Сбор диагностической информации",
        "Подготовка технической документации",
        "Эскалация в отдел разработки",
        "Уведомление клиента",
        "Мониторинг статуса",
    ]


def test_steps_and_special_cases_point_to_each_other(site):
    page = article(site)

    def refs(step_id: str) -> list[list[tuple[str, str]]]:
        step = page.find(id=f"step-{step_id}").find_parent("li")
        return [
            [(text(a), a["href"]) for a in p.find_all("a")]
            for p in step.select(":scope > p.kb-step__refs")
        ]

    assert refs("escalate") == [
        [
            ("Критическая ошибка требует срочного исправления", "#case-critical-error"),
            ("Вопрос передан в отдел разработки", "#check-handed-over"),
        ]
    ]
    assert refs("notify-client") == [
        [
            ("Временное решение недоступно", "#case-no-workaround"),
            ("Клиент уведомлен об эскалации", "#check-client-notified"),
            ("Предложено временное решение (если применимо)", "#check-workaround-offered"),
        ]
    ]
    cases = {
        case.h3["id"]: (text(p), p.a["href"])
        for case in page.select(".kb-case")
        for p in case.select("p.kb-case__step")
    }
    assert cases == {
        "case-critical-error": (
            "Применяется на шаге 5: Эскалация в отдел разработки",
            "#step-escalate",
        ),
        "case-no-workaround": ("Применяется на шаге 6: Уведомление клиента", "#step-notify-client"),
        "case-update-does-not-help": (
            "Применяется на шаге 7: Мониторинг статуса",
            "#step-monitor-status",
        ),
    }
    for href in [href for _, href in cases.values()] + [
        a["href"] for a in page.select("p.kb-step__refs a")
    ]:
        assert page.find(id=href[1:]) is not None, href


def test_the_step_that_asks_for_a_priority_shows_the_options(site):
    """From the template field (``step: escalate``): the same words as the form's options."""
    step = article(site).find(id="step-escalate").find_parent("li")
    choices = step.select_one("ul.kb-step__choices")
    assert text(choices.find_previous_sibling("p")) == "Приоритет:"
    assert [(text(li.strong), text(li)) for li in choices.find_all("li")] == [
        (
            "Критический",
            "Критический — Система или ключевая функция не работает, обходного пути нет",
        ),
        ("Высокий", "Высокий — Важная функция работает с ошибками, обходной путь неудобен"),
        ("Средний", "Средний — Ошибка мешает работе, но есть приемлемый обходной путь"),
        ("Низкий", "Низкий — Незначительная ошибка, на работу почти не влияет"),
    ]
    assert article(site).select(".kb-step__choices") == [choices]  # once, at that step


def test_faq_entries_are_collapsible_and_deep_linkable(site):
    entries = article(site).select("details.kb-faq")
    assert [e.summary.h3["id"] for e in entries] == [
        "faq-when-to-escalate",
        "faq-client-unhappy",
        "faq-fix-duration",
    ]
    assert text(entries[2].summary) == "Вопрос 3: Как долго может занять исправление ошибки?"


def test_related_materials_without_pages_are_planned_not_links(site):
    related = article(site).find(id="related").find_parent("section")
    links = [(text(a), a["href"]) for a in related.select(".kb-related a")]
    assert links == [("планируется", "../../planned/")] * 8
    groups = [[text(li) for li in ul.find_all("li")] for ul in related.select("ul.kb-related")]
    assert groups == [
        [
            "Диагностика проблем планируется",
            "Обработка ошибок программного продукта планируется",
            "Регламент работы технической поддержки PASS24 планируется",
        ],
        [
            "Коммуникация с клиентом планируется",
            "Обработка экстренных обращений планируется",
        ],
        # Named by title alone: the same material as above, with the same mark.
        [
            "Диагностика проблем планируется",
            "Обработка ошибок программного продукта планируется",
            "Коммуникация с клиентом планируется",
        ],
    ]


def test_templates_are_copyable_code_blocks(site):
    bodies = [pre.code.get_text() for pre in article(site).select(".kb-template pre")]
    assert bodies[0].startswith("Здравствуйте, [Имя клиента]!\n\nПо обращению [ID]")
    assert bodies[1].endswith("Временные решения:\n[Описание временных решений, если применимо]")


def test_table_of_contents_lists_sections_and_steps(site):
    toc = soup(site / PAGE).select_one("nav.md-nav--secondary")
    labels = [text(a) for a in toc.select("a.md-nav__link")]
    assert labels[:2] == ["Метаданные документа", "Кратко"]
    assert "Шаг 7: Мониторинг статуса" in labels
    assert "Вопрос 1: Как определить, что проблема требует эскалации?" in labels


def test_home_page_lists_every_regulation(site):
    cards = soup(site / "index.html").select("li.kb-card")
    assert len(cards) == 1
    card = cards[0]
    assert text(card.h3) == "Эскалация в отдел разработки"
    assert card.h3.a["href"] == "regulations/escalation-to-development/"
    assert {text(d.dt): text(d.dd) for d in card.select("dl div")} == {
        "Отдел": "Тех. поддержка",
        "Статус": "Требует актуализации",  # overdue: the default period of mkdocs.yml
        "Обновлено": "19 декабря 2024 г.",
        "Пересмотр": "19 декабря 2025 г.",
    }
    assert [text(li) for li in card.select(".kb-tags li")] == [
        "эскалация",
        "разработка",
        "ошибка продукта",
        "передача вопроса",
    ]


def test_site_is_russian_and_searchable(site):
    html = soup(site / PAGE).html
    assert html["lang"] == "ru"
    assert (site / "search" / "search_index.json").exists()


def test_raw_yaml_is_not_published(site):
    assert list(site.rglob("*.yml")) == []  # neither the regulation nor the glossary


def test_text_the_importer_could_not_place_is_shown_and_listed(tmp_path, monkeypatch):
    """Rendered by the core alone; the hook logs the core's notes (test_properdocs.py sees one)."""
    import subprocess
    import sys

    from conftest import FIXTURES, make_project

    from kb.load.regulation import problems_of
    from kb.site.knowledge_base import KnowledgeBase

    monkeypatch.chdir(tmp_path)  # files are named as maintainers see them: docs/regulations/…
    target = make_project(tmp_path) / "docs" / "regulations" / "messy.yml"
    imported = subprocess.run(
        [sys.executable, "-m", "kb", "import", str(FIXTURES / "markdown" / "messy.md")]
        + ["-o", str(target)],
        capture_output=True,
        text=True,
    )
    assert imported.returncode == 1  # it reports what it kept aside, and writes the file anyway
    kept = yaml.safe_load(target.read_text(encoding="utf-8"))["unmapped"]

    regulation, problems = problems_of(target)
    assert problems == []
    kb = KnowledgeBase([regulation])
    assert [note for note in kb.notes() if "поле unmapped" in note] == [
        "Есть текст, не разложенный по разделам при импорте (поле unmapped, "
        f"показан в конце страницы): docs/regulations/messy.yml ({len(kept)})"
    ]
    page = BeautifulSoup(kb.regulation_page(regulation).html, "html.parser")
    section = page.select_one("article.kb-regulation > section.kb-unmapped")
    assert text(section.h2) == "Прочее (не разобрано при импорте)"
    assert [pre.get_text() for pre in section.select("pre")] == [piece["text"] for piece in kept]


def test_stray_files_in_the_regulations_folder_are_not_published(tmp_path):
    """Backups, *.yaml, notes and Markdown beside the regulations stay out of site/; the build
    names them once (INFO) and still passes --strict."""
    from conftest import SEED_YAML, build, make_project

    seed = SEED_YAML.read_bytes()
    stray = {
        "escalation-to-development.yml.bak": seed,
        "draft.yaml": seed,
        "notes.txt": "заметки",
        "old/escalation.yml": seed,
        "export.md": "# Черновик\n",
        ".draft.yml.swp": b"\x00",
    }
    project = make_project(tmp_path / "project", {SEED_YAML.name: seed})
    for name, content in stray.items():
        path = project / "docs" / "regulations" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    published = [p.relative_to(site).parts for p in site.rglob("*") if p.is_file()]
    # regulations/<slug>/: the page and its run data, nothing else
    assert {parts[1] for parts in published if parts[0] == "regulations"} == {SEED_YAML.stem}
    assert [line for line in result.stderr.splitlines() if "Не регламент" in line] == [
        "INFO    -  kb: Не регламент, не опубликован (docs/regulations): draft.yaml (регламенты "
        "— файлы *.yml); escalation-to-development.yml.bak; export.md (Markdown переносится в "
        "регламент командой make import); notes.txt; old/escalation.yml (регламенты — файлы "
        "*.yml прямо в docs/regulations)"
    ]
