"""The knowledge-base core without MkDocs: review dates, "today", link resolution, navigation."""

from __future__ import annotations

import ast
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, ROOT

from kb.check.freshness import Review, add_months, due_date, review_of, today_from
from kb.load.regulation import load_regulations
from kb.site import urls
from kb.site.knowledge_base import KnowledgeBase
from kb.site.pages import HOME, PAGES, REFERENCE_LABEL

META = {"updated": "2024-08-31", "owner": "Иван Петров"}


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2024, 8, 31), 18, date(2026, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2024, 12, 19), 1, date(2025, 1, 19)),
        (date(2024, 1, 15), 60, date(2029, 1, 15)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_due_date_by_fixed_date_or_period_or_none():
    assert due_date({**META, "review": {"by": "2025-01-10"}}) == date(2025, 1, 10)
    assert due_date({**META, "review": {"every_months": 3}}) == date(2024, 11, 30)
    assert due_date(META) is None


def test_overdue_only_after_the_due_date():
    meta = {**META, "review": {"by": "2025-01-10"}}
    assert review_of(meta, date(2025, 1, 10)) == Review(date(2025, 1, 10), False, "Иван Петров")
    assert review_of(meta, date(2025, 1, 11)) == Review(date(2025, 1, 10), True, "Иван Петров")
    assert review_of(META, date(2099, 1, 1)) is None


def test_today_comes_from_kb_today_or_the_clock():
    assert today_from({"KB_TODAY": "2025-03-01"}) == date(2025, 3, 1)
    assert today_from({"KB_TODAY": " "}) == date.today()
    assert today_from({}) == date.today()
    with pytest.raises(ValueError, match=r"^KB_TODAY='завтра': ожидается дата в формате"):
        today_from({"KB_TODAY": "завтра"})


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase(load_regulations(FIXTURES / "kb"), today=date(2025, 3, 1))


@pytest.mark.parametrize(
    ("item", "slug"),
    [
        ({"title": "диагностика ПРОБЛЕМ"}, "diagnostics"),
        ({"title": "Иное", "regulation": "escalation"}, "escalation"),
        (
            {"title": "Иное", "link": "../x/Коммуникация%20с%20клиентом.md#top"},
            "client-communication",
        ),
        ({"title": "Иное", "link": "./Диагностика проблем.md"}, "diagnostics"),
        ({"title": "Иное", "link": "./Иное.md"}, None),
        ({"title": "Иное"}, None),
    ],
)
def test_resolve_by_slug_title_or_link_file_name(kb, item, slug):
    found = kb.resolve(item)
    assert (found.slug if found else None) == slug


def test_planned_means_a_link_without_a_regulation(kb):
    assert kb.is_planned({"title": "Иное", "link": "./Иное.md"})
    assert not kb.is_planned({"title": "Иное"})
    assert not kb.is_planned({"title": "Диагностика проблем", "link": "./x.md"})
    assert not kb.is_planned({"title": "Сайт", "link": "https://pass24.online/help.md"})
    assert not kb.is_planned({"title": "Почта", "link": "mailto:support@pass24.online"})


def test_nav_groups_regulations_by_department(kb):
    assert kb.nav() == [
        {"Главная": "index.md"},
        {
            "Регламенты": [
                {
                    "Отдел по работе с клиентами": [
                        {"Коммуникация с клиентом": "regulations/client-communication.md"}
                    ]
                },
                {
                    "Тех. поддержка": [
                        {"Диагностика проблем": "regulations/diagnostics.md"},
                        {"Эскалация в отдел разработки": "regulations/escalation.md"},
                    ]
                },
            ]
        },
        {
            "Справочник": [
                {"Часто задаваемые вопросы": "faq.md"},
                {"Типичные ошибки": "errors.md"},
                {"Шаблоны": "templates.md"},
                {"Планируемые материалы": "planned.md"},
                {"Теги": "tags.md"},
            ]
        },
    ]


def test_pages_cover_home_regulations_and_reference(kb):
    assert [(page.src_uri, page.url, page.title) for page in kb.pages()] == [
        ("index.md", "", "База знаний технической поддержки"),
        ("regulations/diagnostics.md", "regulations/diagnostics/", "Диагностика проблем"),
        (
            "regulations/client-communication.md",
            "regulations/client-communication/",
            "Коммуникация с клиентом",
        ),
        ("regulations/escalation.md", "regulations/escalation/", "Эскалация в отдел разработки"),
        ("faq.md", "faq/", "Часто задаваемые вопросы"),
        ("errors.md", "errors/", "Типичные ошибки"),
        ("templates.md", "templates/", "Шаблоны"),
        ("planned.md", "planned/", "Планируемые материалы"),
        ("tags.md", "tags/", "Теги"),
        *(
            (
                f"regulations/{slug}/work.md",
                f"regulations/{slug}/work/",
                f"Работа по обращению: {title}",
            )
            for slug, title in (
                ("diagnostics", "Диагностика проблем"),
                ("client-communication", "Коммуникация с клиентом"),
                ("escalation", "Эскалация в отдел разработки"),
            )
        ),
    ]
    assert [r.slug for r, review in kb.overdue()] == ["diagnostics"]


# --- The page table, the URL scheme, the build's notes ---------------------------------------


def test_every_row_of_the_page_table_is_a_page(kb):
    pages = {page.src_uri: page for page in kb.pages()}
    for spec in PAGES:
        page = pages[spec.src_uri]
        assert (page.url, page.title, page.meta) == (
            urls.page_url(spec.src_uri),
            spec.title,
            {"search": {"exclude": True}},
        )
        assert (page.markdown is not None) is spec.markdown
        if not spec.markdown:
            h1 = BeautifulSoup(page.html, "html.parser").h1
            assert h1.get_text() == (
                spec.title if spec is not HOME else f"{spec.title} PASS24.online"
            )


def test_home_lists_the_reference_pages_with_their_nav_labels(kb):
    home = next(page for page in kb.pages() if page.src_uri == HOME.src_uri)
    nav = BeautifulSoup(home.html, "html.parser").select_one("nav.kb-home__reference")
    (reference,) = [entry for entry in kb.nav() if REFERENCE_LABEL in entry]
    # Not «Справочник» alone: Material's navigation has a nav of that name (landmark-unique).
    assert nav["aria-label"] == "Разделы справочника" != REFERENCE_LABEL
    assert [(a.get_text(), a["href"]) for a in nav.select("a")] == [
        (label, urls.page_url(src_uri)) for item in reference[REFERENCE_LABEL]
        for label, src_uri in item.items()
    ]  # fmt: skip
    assert [li.get_text() for li in nav.select("li")][3] == "Планируемые материалы (2)"


@pytest.mark.parametrize(
    ("target", "start", "expected"),
    [
        ("regulations/x/", "regulations/y/", "../x/"),
        ("regulations/x/", "", "regulations/x/"),
        ("faq/", "faq/", "./"),
        ("planned/", "regulations/x/", "../../planned/"),
    ],
)
def test_relative_url(target, start, expected):
    assert urls.relative_url(target, start) == expected


@pytest.mark.parametrize(
    ("site_url", "public"),
    [
        (None, None),
        ("http://127.0.0.1:8000/", None),  # mkdocs.yml's fallback
        ("http://127.0.0.1:8123/", None),  # `mkdocs serve -a 127.0.0.1:8123`
        ("http://localhost:8000/", None),
        ("http://[::1]:8000/", None),
        ("http://0.0.0.0:8000/", None),
        ("https://kb.example.ru/", "https://kb.example.ru/"),
        ("http://10.1.2.3/kb/", "http://10.1.2.3/kb/"),  # a company network's address
    ],
)
def test_only_an_address_other_machines_reach_is_public(site_url, public):
    assert urls.published_url(site_url) == public
    assert (urls.unpublished_note(site_url) is None) == (public is not None)


def test_url_scheme():
    assert urls.regulation_src("x") == "regulations/x.md"
    assert urls.regulation_url("x") == "regulations/x/"
    assert [urls.page_url(uri) for uri in ("index.md", "faq.md", "a/index.md")] == [
        "",
        "faq/",
        "a/",
    ]


def test_notes_count_overdue_and_unmapped_text():
    regulations = load_regulations(FIXTURES / "kb")
    diagnostics = next(r for r in regulations if r.slug == "diagnostics")
    unsorted = [{"section": "Прочее", "text": "a"}, {"text": "b"}]
    regulations[regulations.index(diagnostics)] = replace(
        diagnostics, data={**diagnostics.data, "unmapped": unsorted}
    )
    notes = KnowledgeBase(regulations, today=date(2025, 3, 1)).notes()
    assert notes == [
        "Регламентов в базе знаний: 3",
        f"Требуют актуализации (1): {diagnostics.source} «Диагностика проблем» — срок "
        "2025-02-28, ответственный: Старший специалист поддержки",
        "Есть текст, не разложенный по разделам при импорте (поле unmapped, показан в конце "
        f"страницы): {diagnostics.source} (2)",
    ]
    escalation = [r for r in regulations if r.slug == "escalation"]
    assert KnowledgeBase(escalation, today=date(2024, 1, 1)).notes() == [
        "Регламентов в базе знаний: 1"
    ]


def test_search_keywords_by_page_address():
    regulations = load_regulations(FIXTURES / "search")
    keywords = KnowledgeBase(regulations, today=date(2025, 3, 1)).search_keywords()
    assert keywords == {
        f"regulations/{r.slug}/": (
            ["брелок", "пульт ДУ"] if r.slug == "barrier-not-opening" else []
        )
        for r in regulations
    }
    assert len(keywords) > 1


def test_planned_materials_with_who_cites_them(kb):
    assert [(p.name, p.title, [r.slug for r in p.cited_by]) for p in kb.planned] == [
        (
            "Обработка экстренных обращений (SLA высокий приоритет)",
            "Обработка экстренных обращений (SLA высокий приоритет)",
            ["diagnostics", "escalation"],
        ),
        ("Работа с журналом событий СКУД", "Работа с журналом событий СКУД", ["diagnostics"]),
    ]


# --- The core stays free of MkDocs -------------------------------------------------------------


def _imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_the_core_never_imports_mkdocs():
    core = sorted((ROOT / "kb").rglob("*.py"))
    assert len(core) > 10
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name for name in names if name.split(".")[0] == "mkdocs"
        )
        for path in core
        if (names := _imported_modules(path))
    }
    assert {path: names for path, names in offenders.items() if names} == {}
    assert "mkdocs.plugins" in _imported_modules(ROOT / "hooks" / "kb_hooks.py")  # it can fail
