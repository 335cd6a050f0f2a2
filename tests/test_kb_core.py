"""The knowledge-base core without MkDocs: review dates, "today", link resolution, navigation."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import FIXTURES

from kb.check.freshness import Review, add_months, due_date, review_of, today_from
from kb.load.regulation import load_regulations
from kb.site.knowledge_base import KnowledgeBase

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
    ]
    assert [r.slug for r, review in kb.overdue()] == ["diagnostics"]
