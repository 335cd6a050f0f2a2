"""A knowledge base, not a page: cross-links, planned materials, KB-wide pages, tags, freshness.

The project is built from ``fixtures/kb`` (three regulations that cite each other and two
materials nobody has written yet) with "today" pinned through ``KB_TODAY``. One real build
serves what needs MkDocs (navigation, tags, search, the build's log); variations (another
"today", fewer regulations) render the core's pages alone (``rendered``), without MkDocs.
"""

from __future__ import annotations

import json
import posixpath
from datetime import date
from pathlib import Path

import pytest
from conftest import FIXTURES, build, make_project, soup

from kb.load.regulation import display_name, load_regulations
from kb.site.knowledge_base import KnowledgeBase

KB = FIXTURES / "kb"
ESCALATION = "regulations/escalation/index.html"
DIAGNOSTICS = "regulations/diagnostics/index.html"
COMMUNICATION = "regulations/client-communication/index.html"
INFO_OVERDUE = "INFO    -  kb: Требуют актуализации"


def regulations(*names: str) -> dict[str, str]:
    return {f"{name}.yml": (KB / f"{name}.yml").read_text(encoding="utf-8") for name in names}


ALL = ("escalation", "diagnostics", "client-communication")


def built(tmp_path_factory, today: str, names=ALL):
    """Build a throw-away project with ``KB_TODAY=today``; return (site, mkdocs result)."""
    project = make_project(tmp_path_factory.mktemp("project"), regulations(*names))
    site = tmp_path_factory.mktemp("site")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KB_TODAY", today)
        result = build(project, site)
    assert result.returncode == 0, result.stderr
    return site, result


def rendered(where: Path, today: str, names=ALL) -> tuple[Path, KnowledgeBase]:
    """The core's pages for ``names`` written where a build puts them (``<url>index.html``:
    only the page content, no theme); and the knowledge base they came from."""
    chosen = [r for r in load_regulations(KB) if r.slug in names]
    kb = KnowledgeBase(chosen, today=date.fromisoformat(today))
    for page in kb.pages():
        if page.markdown is None:
            target = where / page.url / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.html, encoding="utf-8")
    return where, kb


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    return built(tmp_path_factory, "2025-03-01")


@pytest.fixture(scope="module")
def kb_site(kb) -> Path:
    return kb[0]


def text(tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).replace("¶", "").split())


def links(tags) -> list[tuple[str, str]]:
    return [(text(a), a["href"]) for a in tags]


def target_of(site: Path, page: str, href: str):
    """The element (or page) a relative link on ``page`` points to; fails if it is missing."""
    path, _, fragment = href.partition("#")
    folder = posixpath.dirname(page)
    target = posixpath.normpath(posixpath.join(folder, path)) if path else page
    if not target.endswith(".html"):
        target = posixpath.join(target, "index.html")
    document = soup(site / target)
    if not fragment:
        return document
    element = document.find(id=fragment)
    assert element is not None, f"{page}: {href} — нет элемента #{fragment} в {target}"
    return element


def related(site: Path, page: str):
    section = soup(site / page).find(id="related").find_parent("section")
    planned = [text(span) for span in section.select(".kb-planned")]
    marks = section.select(".kb-planned a")
    assert [(text(a), a["href"]) for a in marks] == [("планируется", "../../planned/")] * len(
        planned
    )
    return links(section.select(".kb-related li:not(.kb-planned) > a")), planned


# Related materials ----------------------------------------------------------------------


def test_related_links_resolve_by_file_name_title_and_slug(kb_site):
    assert related(kb_site, ESCALATION) == (
        [
            ("Диагностика", "../diagnostics/"),
            ("Коммуникация с клиентом", "../client-communication/"),
            ("Диагностика проблем", "../diagnostics/"),
        ],
        ["Обработка экстренных обращений планируется"],
    )
    assert related(kb_site, DIAGNOSTICS) == (
        [("Эскалация", "../escalation/")],
        [
            "Обработка экстренных обращений (SLA высокий приоритет) планируется",
            "Работа с журналом событий СКУД планируется",
        ],
    )
    assert related(kb_site, COMMUNICATION) == (
        [("Эскалация в отдел разработки", "../escalation/")],
        [],
    )
    for page in (ESCALATION, DIAGNOSTICS, COMMUNICATION):
        for _, href in related(kb_site, page)[0]:
            assert target_of(kb_site, page, href).select_one("article.kb-regulation")


def planned_page(site: Path):
    page = soup(site / "planned/index.html")
    return [
        (
            text(section.h2),
            [text(p) for p in section.select(".kb-planned-item__alias")],
            links(section.select(".kb-planned-item__cited a")),
        )
        for section in page.select("section.kb-planned-item")
    ]


def test_planned_page_lists_each_missing_material_with_who_cites_it(kb_site):
    assert planned_page(kb_site) == [
        (
            "Обработка экстренных обращений (SLA высокий приоритет)",
            [],
            [
                ("Диагностика проблем", "../regulations/diagnostics/#related"),
                ("Эскалация в отдел разработки", "../regulations/escalation/#related"),
            ],
        ),
        (
            "Работа с журналом событий СКУД",
            [],
            [("Диагностика проблем", "../regulations/diagnostics/#related")],
        ),
    ]
    lead = soup(kb_site / "planned/index.html").select_one(".kb-index__lead")
    assert text(lead).startswith("Материалы, на которые ссылаются регламенты, но которых ещё нет")
    assert "ещё нет в базе знаний: 2." in text(lead)


def test_adding_a_regulation_turns_planned_links_into_pages(tmp_path):
    site, _ = rendered(tmp_path, "2025-03-01", names=("escalation",))
    assert related(site, ESCALATION) == (
        [],
        [
            "Диагностика планируется",
            "Коммуникация с клиентом планируется",
            "Обработка экстренных обращений планируется",
        ],
    )
    assert planned_page(site) == [
        ("Диагностика проблем", ["В ссылках: «Диагностика»"], [
            ("Эскалация в отдел разработки", "../regulations/escalation/#related")
        ]),
        ("Коммуникация с клиентом", [], [
            ("Эскалация в отдел разработки", "../regulations/escalation/#related")
        ]),
        ("Обработка экстренных обращений (SLA высокий приоритет)", ["В ссылках: «Обработка экстренных обращений»"], [
            ("Эскалация в отдел разработки", "../regulations/escalation/#related")
        ]),
    ]  # fmt: skip
    faq = soup(site / "faq/index.html")
    assert [text(h2) for h2 in faq.select("article.kb-index h2")] == [
        "Эскалация в отдел разработки"
    ]


# KB-wide pages ------------------------------------------------------------------------


def index_page(site: Path, page: str):
    """Each regulation group of a KB page: (heading, source link, [(entry text, href)])."""
    document = soup(site / page)
    return [
        (
            text(section.h2),
            links(section.select(".kb-index__source a")),
            links(section.select(".kb-index__entry a")),
        )
        for section in document.select("section.kb-index__group")
    ]


def test_faq_page_lists_every_question_with_a_link_to_its_answer(kb_site):
    assert index_page(kb_site, "faq/index.html") == [
        (
            "Диагностика проблем",
            [("Диагностика проблем", "../regulations/diagnostics/")],
            [
                (
                    "Что делать, если у клиента нет логов?",
                    "../regulations/diagnostics/#faq-no-logs",
                )
            ],
        ),
        (
            "Эскалация в отдел разработки",
            [("Эскалация в отдел разработки", "../regulations/escalation/")],
            [
                (
                    "Как определить, что проблема требует эскалации?",
                    "../regulations/escalation/#faq-when-to-escalate",
                ),
                (
                    "Как долго может занять исправление ошибки?",
                    "../regulations/escalation/#faq-fix-duration",
                ),
            ],
        ),
    ]
    answers = soup(kb_site / "faq/index.html").select(".kb-index__entry")
    assert [[text(li) for li in entry.select("ul li")] for entry in answers] == [
        ["Попросить скриншоты и точное время ошибки"],
        ["Проблема является ошибкой программного продукта"],
        [
            "Сроки зависят от сложности ошибки и приоритета",
            "Конкретные сроки можно уточнить у отдела разработки",
        ],
    ]


def test_errors_page_lists_every_typical_error(kb_site):
    assert index_page(kb_site, "errors/index.html") == [
        (
            "Диагностика проблем",
            [("Диагностика проблем", "../regulations/diagnostics/")],
            [
                ("Не воспроизвели проблему", "../regulations/diagnostics/#error-no-reproduction"),
                ("Решение наугад", "../regulations/diagnostics/#error-guessing"),
            ],
        ),
        (
            "Коммуникация с клиентом",
            [("Коммуникация с клиентом", "../regulations/client-communication/")],
            [("Клиент не получил ответ", "../regulations/client-communication/#error-no-answer")],
        ),
        (
            "Эскалация в отдел разработки",
            [("Эскалация в отдел разработки", "../regulations/escalation/")],
            [
                (
                    "Неполная документация",
                    "../regulations/escalation/#error-incomplete-documentation",
                )
            ],
        ),
    ]
    rows = soup(kb_site / "errors/index.html").select("tr.kb-index__entry")
    assert [[text(td) for td in row.find_all("td")] for row in rows][1] == [
        "Решение наугад",
        "Не собраны логи",
        "Сначала собрать логи",
    ]


def test_templates_page_lists_every_template(kb_site):
    assert index_page(kb_site, "templates/index.html") == [
        (
            "Диагностика проблем",
            [("Диагностика проблем", "../regulations/diagnostics/")],
            [("Запрос логов у клиента", "../regulations/diagnostics/#template-logs-request")],
        ),
        (
            "Эскалация в отдел разработки",
            [("Эскалация в отдел разработки", "../regulations/escalation/")],
            [
                (
                    "Шаблон уведомления клиента об эскалации",
                    "../regulations/escalation/#template-client-notification",
                )
            ],
        ),
    ]


@pytest.mark.parametrize(
    ("page", "tag"),
    [("faq/index.html", "h3"), ("errors/index.html", "tr"), ("templates/index.html", "h3")],
)
def test_kb_page_links_land_on_the_entry(kb_site, page, tag):
    entries = soup(kb_site / page).select(".kb-index__entry a")
    assert entries
    for a in entries:
        target = target_of(kb_site, page, a["href"])
        assert target.name == tag
        assert text(a) in text(target)


def test_search_indexes_regulations_but_not_forms_or_kb_pages(kb_site):
    index = json.loads((kb_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"]: doc for doc in index["docs"]}
    template = locations["regulations/escalation/#template-client-notification"]
    assert "Мы передали ваш вопрос в отдел разработки." in template["text"]
    assert not [doc["location"] for doc in index["docs"] if "Анна Сергеевна" in doc["text"]]
    form = soup(kb_site / ESCALATION).select_one("form[data-kb-tool=generator]")
    assert "Как обращаться к клиенту, например «Анна Сергеевна»" in text(form)
    pages = {location.partition("#")[0] for location in locations}
    assert pages == {
        "regulations/client-communication/",
        "regulations/diagnostics/",
        "regulations/escalation/",
    }


# Navigation and home --------------------------------------------------------------------


def nav_outline(site: Path, page: str) -> list[str]:
    """Section labels and page links of the primary navigation, in order."""
    nav = soup(site / page).select_one("nav.md-nav--primary > ul.md-nav__list")
    found = []
    for item in nav.select("li.md-nav__item"):
        if item.find_parent("nav", class_="md-nav--secondary"):
            continue  # the current page's table of contents
        label = item.find(["a", "label"], class_="md-nav__link", recursive=False)
        if label is not None:
            found.append(text(label))
    return found


def test_navigation_makes_the_site_one_knowledge_base(kb_site):
    assert nav_outline(kb_site, "faq/index.html") == [
        "Главная",
        "Регламенты",
        "Отдел по работе с клиентами",
        "Коммуникация с клиентом",
        "Тех. поддержка",
        "Диагностика проблем",
        "Эскалация в отдел разработки",
        "Справочник",
        "Часто задаваемые вопросы",
        "Типичные ошибки",
        "Шаблоны",
        "Планируемые материалы",
        "Теги",
    ]


def test_home_page_groups_by_department_and_marks_overdue(kb_site):
    home = soup(kb_site / "index.html").select_one("article.kb-home")
    groups = [
        (
            text(section.h2),
            text(section.select_one(".kb-home__count")),
            [text(card.h3) for card in section.select("li.kb-card")],
            [text(card.h3) for card in section.select("li.kb-card--overdue")],
        )
        for section in home.select("section[aria-labelledby^=dept-]")
    ]
    # Before the departments: this browser's tickets (filled by the ticket workspace).
    assert [s["aria-labelledby"] for s in home.find_all("section")][0] == "my-tickets"
    assert groups == [
        (
            "Отдел по работе с клиентами",
            "Регламентов в отделе: 1",
            ["Коммуникация с клиентом"],
            [],
        ),
        (
            "Тех. поддержка",
            "Регламентов в отделе: 2",
            ["Диагностика проблем", "Эскалация в отдел разработки"],
            ["Диагностика проблем"],
        ),
    ]
    assert links(home.select(".kb-home__reference a")) == [
        ("Часто задаваемые вопросы", "faq/"),
        ("Типичные ошибки", "errors/"),
        ("Шаблоны", "templates/"),
        ("Планируемые материалы", "planned/"),
        ("Теги", "tags/"),
    ]
    assert text(home.select_one(".kb-card--overdue .kb-card__review")) == (
        "Требует актуализации с 28 февраля 2025 г."
    )
    assert links(home.select(".kb-review a")) == [
        ("Диагностика проблем", "regulations/diagnostics/")
    ]


# Tags -----------------------------------------------------------------------------------


def test_tags_page_lists_every_tag_with_its_regulations(kb_site):
    article = soup(kb_site / "tags/index.html").select_one("article.md-content__inner")
    assert text(article.h1) == "Теги"
    listing = {
        h2["id"]: (text(h2), links(h2.find_next_sibling("ul").select("a")))
        for h2 in article.find_all("h2")
    }
    assert listing == {
        "tag:диагностика": (
            "диагностика",
            [("Диагностика проблем", "../regulations/diagnostics/")],
        ),
        "tag:коммуникация": (
            "коммуникация",
            [("Коммуникация с клиентом", "../regulations/client-communication/")],
        ),
        "tag:ошибка-продукта": (
            "ошибка продукта",
            [
                ("Диагностика проблем", "../regulations/diagnostics/"),
                ("Эскалация в отдел разработки", "../regulations/escalation/"),
            ],
        ),
        "tag:эскалация": (
            "эскалация",
            [("Эскалация в отдел разработки", "../regulations/escalation/")],
        ),
    }


def test_tag_chips_link_to_the_tags_page(kb_site):
    chips = links(soup(kb_site / DIAGNOSTICS).select("nav.md-tags a.md-tag"))
    assert chips == [
        ("диагностика", "../../tags/#tag:диагностика"),
        ("ошибка продукта", "../../tags/#tag:ошибка-продукта"),
    ]
    home_chips = links(soup(kb_site / "index.html").select(".kb-card .kb-tags a"))
    assert home_chips == [
        ("коммуникация", "tags/#tag:коммуникация"),
        ("диагностика", "tags/#tag:диагностика"),
        ("ошибка продукта", "tags/#tag:ошибка-продукта"),
        ("эскалация", "tags/#tag:эскалация"),
        ("ошибка продукта", "tags/#tag:ошибка-продукта"),
    ]
    for page, chip_list in ((DIAGNOSTICS, chips), ("index.html", home_chips)):
        for name, href in chip_list:
            assert text(target_of(kb_site, page, href)) == name


# Freshness ------------------------------------------------------------------------------


def banners(site: Path) -> dict[str, str]:
    """Overdue pages → their status badge and expiry note (the line under the title)."""
    found = {}
    for page in (ESCALATION, DIAGNOSTICS, COMMUNICATION):
        article = soup(site / page).select_one("article.kb-regulation")
        line = article.select_one(".kb-meta__line")
        badge = text(line.select_one(".kb-status"))
        review = line.select_one(".kb-review")
        if review is None:
            assert badge != "Требует актуализации"
            continue
        assert line.find_parent("section").find_previous_sibling() is article.h1
        found[page] = f"{badge}: {text(review)}"
    return found


def overdue_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith(INFO_OVERDUE)]


def test_overdue_regulation_shows_banner_and_build_lists_it(kb):
    site, result = kb
    assert banners(site) == {
        DIAGNOSTICS: "Требует актуализации: срок пересмотра истёк 28 февраля 2025 г."
    }
    assert overdue_lines(result) == [
        "INFO    -  kb: Требуют актуализации (1): docs/regulations/diagnostics.yml "
        "«Диагностика проблем» — срок 2025-02-28, ответственный: Старший специалист поддержки"
    ]
    assert "WARNING" not in result.stderr


def overdue_notes(kb: KnowledgeBase) -> list[str]:
    return [note for note in kb.notes() if note.startswith("Требуют актуализации")]


def test_review_period_counts_from_the_last_update(tmp_path):
    site, kb = rendered(tmp_path, "2025-06-20")
    assert banners(site) == {
        ESCALATION: "Требует актуализации: срок пересмотра истёк 19 июня 2025 г.",
        DIAGNOSTICS: "Требует актуализации: срок пересмотра истёк 28 февраля 2025 г.",
    }
    assert overdue_notes(kb) == [
        f"Требуют актуализации (2): {display_name(KB / 'diagnostics.yml')} "
        "«Диагностика проблем» — срок 2025-02-28, ответственный: Старший специалист поддержки; "
        f"{display_name(KB / 'escalation.yml')} «Эскалация в отдел разработки» — срок "
        "2025-06-19, ответственный: Руководитель технической поддержки"
    ]


def test_no_banner_on_the_due_date(tmp_path):
    site, kb = rendered(tmp_path, "2025-02-28")
    assert banners(site) == {}
    assert overdue_notes(kb) == []
    assert soup(site / "index.html").select(".kb-review, .kb-card--overdue") == []


def test_bad_today_stops_the_build_with_a_clear_message(tmp_path):
    project = make_project(tmp_path / "project", regulations("escalation"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KB_TODAY", "01.03.2025")
        result = build(project, tmp_path / "site")
    assert result.returncode == 1
    assert (
        "KB_TODAY='01.03.2025': ожидается дата в формате ГГГГ-ММ-ДД (например, 2025-03-01)"
        in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_metadata_shows_the_review_due_date(kb):
    site, _ = kb

    def review_row(page: str) -> str | None:
        for row in soup(site / page).select(".kb-meta table tbody tr"):
            if text(row.th) == "Пересмотр":
                return text(row.td)
        return None

    assert review_row(DIAGNOSTICS) == "до 28 февраля 2025 г."
    assert review_row(ESCALATION) == "каждые 6 мес., до 19 июня 2025 г."
    # No meta.review: the default period of mkdocs.yml (extra.kb.review_every_months).
    assert review_row(COMMUNICATION) == "каждые 12 мес. (по умолчанию), до 15 января 2026 г."


# History against meta: version and updated ------------------------------------------------


def seed_with(**meta) -> str:
    import yaml
    from conftest import SEED_YAML

    data = yaml.safe_load(SEED_YAML.read_text(encoding="utf-8"))
    data["meta"].update(meta)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def history_messages(where: Path, **meta) -> tuple[list[str], list[str]]:
    path = where / "docs" / "regulations" / "escalation-to-development.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(seed_with(**meta), encoding="utf-8")
    kb = KnowledgeBase(load_regulations(path.parent), today=date(2025, 1, 1))
    return [n for n in kb.notes() if "истории изменений" in n], kb.warnings()


def test_history_rows_are_checked_against_version_and_updated(tmp_path):
    def name(case: str) -> str:
        return display_name(tmp_path / case / "docs/regulations/escalation-to-development.yml")

    assert history_messages(tmp_path / "same") == ([], [])  # the seed: 1.0 of 2024-12-19
    assert history_messages(tmp_path / "raised", version="1.1", updated="2025-01-10") == (
        [
            f"{name('raised')}: поле meta.version: версии «1.1» нет в истории "
            "изменений (history) — добавьте строку о том, что изменилось"
        ],
        [],
    )
    assert history_messages(tmp_path / "stale", updated="2024-12-01") == (
        [],
        [
            f"{name('stale')}: поле meta.updated: 2024-12-01 — раньше "
            "последней строки истории изменений (версия 1.0 от 2024-12-19); укажите в updated "
            "дату этого изменения"
        ],
    )


def test_build_notes_a_version_without_history_and_strict_fails_on_a_stale_date(tmp_path):
    raised = make_project(
        tmp_path / "raised",
        {"escalation-to-development.yml": seed_with(version="1.1", updated="2025-01-10")},
    )
    result = build(raised, tmp_path / "raised-site")
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if "meta.version" in line] == [
        "INFO    -  kb: docs/regulations/escalation-to-development.yml: поле meta.version: "
        "версии «1.1» нет в истории изменений (history) — добавьте строку о том, что изменилось"
    ]
    stale = make_project(
        tmp_path / "stale", {"escalation-to-development.yml": seed_with(updated="2024-12-01")}
    )
    result = build(stale, tmp_path / "stale-site")
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if "meta.updated" in line] == [
        "WARNING -  kb: docs/regulations/escalation-to-development.yml: поле meta.updated: "
        "2024-12-01 — раньше последней строки истории изменений (версия 1.0 от 2024-12-19); "
        "укажите в updated дату этого изменения"
    ]
    assert len([line for line in result.stderr.splitlines() if "WARNING" in line]) == 1


def test_site_settings_are_checked():
    from kb.site.knowledge_base import Settings

    assert Settings.of({"review_every_months": 6}) == Settings(review_every_months=6)
    assert Settings.of(None, "https://kb/") == Settings(site_url="https://kb/")
    assert Settings.of(None).keep_closed_days == 30
    assert Settings.of({"keep_closed_days": 7}) == Settings(keep_closed_days=7)
    for extra, message in (
        ({"review_every_month": 6}, "extra.kb.review_every_month: неизвестная настройка"),
        ({"review_every_months": "6"}, "extra.kb.review_every_months: неверное значение '6'"),
        ({"review_every_months": 0}, "extra.kb.review_every_months: ожидается число ≥ 1"),
        ({"keep_closed_days": "30"}, "extra.kb.keep_closed_days: неверное значение '30'"),
        ({"keep_closed_days": True}, "extra.kb.keep_closed_days: неверное значение True"),
        ({"keep_closed_days": 0}, "extra.kb.keep_closed_days: ожидается число ≥ 1"),
    ):
        with pytest.raises(ValueError, match=message):
            Settings.of(extra)


def test_a_bad_keep_closed_days_stops_the_build(tmp_path):
    project = make_project(tmp_path / "project", regulations("escalation"))
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert "    keep_closed_days: 30\n" in text
    config.write_text(text.replace("keep_closed_days: 30", "keep_closed_days: -1"), "utf-8")
    result = build(project, tmp_path / "site")
    assert result.returncode == 1
    assert "mkdocs.yml: extra.kb.keep_closed_days: ожидается число ≥ 1" in result.stderr
    assert not (tmp_path / "site").exists()
