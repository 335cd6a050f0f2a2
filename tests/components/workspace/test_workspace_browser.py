"""The ticket workspace in Debian's Chromium, on the components' test site (fixtures only).

Time is fixed (page.clock) and the zone is Moscow where a test compares stamps or records.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from chromium import axe_violations
from golden import GOLDEN, check
from playwright.sync_api import expect

from components.conftest import (
    STORAGE_DENIED,
    STORAGE_FULL,
    Tab,
    example,
    examples,
    open_tab,
    page_of,
)

SEED = "main/regulations/escalation-to-development/"
BARRIER = "main/regulations/barrier-offline/"
STATE = ".kb-ws__state"
NOTICE = ".kb-ws__notice"
ALARM = ".kb-ws__alarm[role=alert]:not([hidden])"
NOW = "2026-12-02T14:05:00+03:00"
KEY = "kb.ticket.v1."


@pytest.fixture
def tab(browser, base):
    with open_tab(browser, base, NOW) as tab:
        yield tab


def ticket_on(page):
    expect(page.locator(".kb-ws.kb-ws--ticket")).to_be_visible()


def start(page, number, client=""):
    page.get_by_role("button", name="Работать по обращению").click()
    page.fill("#ws-number", number)
    page.fill("#ws-client", client)
    page.get_by_role("button", name="Начать работу").click()
    ticket_on(page)


def stored(page, number):
    return page.evaluate(f"JSON.parse(localStorage.getItem('{KEY}{number}'))")


def run_of(page, number, slug="escalation-to-development"):
    return stored(page, number)["runs"][slug]


def ticked(page) -> list[str]:
    return page.eval_on_selector_all(
        "[data-tick]", "boxes => boxes.filter(b => b.checked).map(b => b.dataset.tick)"
    )


# --- ticket mode -------------------------------------------------------------------------------


def test_without_a_ticket_the_bar_says_draft_and_the_run_is_not_loaded(tab):
    page = tab.open(SEED)
    expect(page.locator(STATE)).to_have_text("Черновик без обращения")
    assert page.locator("script[src*='workspace/run.']").count() == 0
    assert page.locator("[data-tick]").count() == 0


def test_a_ticket_needs_a_number_and_is_restored_with_a_notice(tab):
    page = tab.open(SEED)
    page.get_by_role("button", name="Работать по обращению").click()
    page.get_by_role("button", name="Начать работу").click()
    expect(page.locator("#ws-number-error")).to_have_text("Укажите номер обращения")
    expect(page.locator("#ws-number")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#ws-number")).to_be_focused()
    page.fill("#ws-number", "48213")
    page.fill("#ws-client", "ООО Ромашка")
    page.get_by_role("button", name="Начать работу").click()
    expect(page.locator(STATE)).to_have_text("Обращение 48213 · ООО Ромашка")
    expect(page.locator(NOTICE)).to_have_text("Начата работа по обращению 48213")
    page.check("[data-tick=check-known-solutions]")
    expect(page.locator(".kb-step").first.locator(".kb-run__at").nth(4)).to_have_text(
        " (2 дек. 14:05)"
    )
    page.reload()
    ticket_on(page)
    expect(page.locator(NOTICE)).to_have_text(
        "Восстановлено обращение 48213, изменено 2 дек. 14:05"
    )
    assert ticked(page) == ["check-known-solutions"]
    assert run_of(page, "48213")["ticks"] == {"check-known-solutions": "2026-12-02T11:05:00.000Z"}


def test_a_new_tab_does_not_silently_show_the_last_ticket(tab):
    page = tab.open(SEED)
    start(page, "1001", "Клиент А")
    page.check(".kb-checklist input[name=handed-over]")
    other = tab.context.new_page()
    other.goto(tab.base + SEED)
    expect(other.locator(STATE)).to_have_text("Черновик без обращения")
    assert other.eval_on_selector_all(".kb-checklist input:checked", "b => b.length") == 0
    other.close()


def test_url_prefill_starts_the_ticket_and_values_are_text_only(tab):
    client = "<b>ООО «Ромашка»</b> & <img src=x onerror=alert(1)>"
    page = tab.page
    page.goto(tab.base + SEED + "?ticket=48213&client=" + client.replace("&", "%26"))
    ticket_on(page)
    expect(page.locator(STATE)).to_have_text("Обращение 48213 · " + client)
    assert page.locator(".kb-ws b, .kb-ws img").count() == 0
    assert "ticket=" not in page.url  # a reload resumes this tab's ticket, not the link's
    assert stored(page, "48213")["client"] == client
    assert stored(page, "48213")["fields"] == {"ticket-id": "48213", "client-name": client}
    page.reload()
    expect(page.locator(NOTICE)).to_have_text(
        "Восстановлено обращение 48213, изменено 2 дек. 14:05"
    )


def test_two_tickets_in_two_tabs_never_cross(tab):
    a = tab.open(SEED)
    start(a, "1001", "Клиент А")
    b = tab.context.new_page()
    b.goto(tab.base + SEED)
    start(b, "1002", "Клиент Б")
    a.check("[data-tick=check-known-solutions]")
    b.check("[data-tick=document-attempts]")
    a.check(".kb-checklist input[name=handed-over]")
    b.reload()
    a.reload()
    expect(a.locator(STATE)).to_have_text("Обращение 1001 · Клиент А")
    expect(b.locator(STATE)).to_have_text("Обращение 1002 · Клиент Б")
    assert ticked(a) == ["check-known-solutions"]
    assert ticked(b) == ["document-attempts"]
    assert b.eval_on_selector_all(".kb-checklist input:checked", "b => b.length") == 0
    assert list(run_of(a, "1001")["checklist"]) == ["handed-over"]
    assert run_of(a, "1002")["checklist"] == {}


def test_two_tabs_on_one_ticket_keep_each_others_changes(tab):
    a = tab.open(SEED)
    start(a, "7")
    b = tab.context.new_page()
    b.goto(tab.base + SEED + "?ticket=7")
    ticket_on(b)
    a.check("[data-tick=check-known-solutions]")
    expect(b.locator("[data-tick=check-known-solutions]")).to_be_checked()  # storage event
    b.check("[data-tick=document-attempts]")
    expect(a.locator("[data-tick=document-attempts]")).to_be_checked()
    a.fill("#run-note-confirm-escalation", "Клиент прислал логи")
    expect(b.locator("#run-note-confirm-escalation")).to_have_value("Клиент прислал логи")
    assert sorted(run_of(a, "7")["ticks"]) == ["check-known-solutions", "document-attempts"]


def test_new_ticket_starts_clean_and_switching_switches_every_tool(tab):
    page = tab.open(SEED)
    start(page, "1", "Первый")
    page.check("[data-tick=check-known-solutions]")
    page.check(".kb-checklist input[name=handed-over]")
    page.get_by_role("button", name="Новое обращение").click()
    page.fill("#ws-number", "2")
    page.get_by_role("button", name="Начать работу").click()
    expect(page.locator(STATE)).to_have_text("Обращение 2")
    assert ticked(page) == []
    expect(page.locator(".kb-checklist__progress")).to_have_text("Выполнено: 0 из 9")
    page.get_by_role("button", name="Мои обращения").click()
    page.get_by_role("button", name="Открыть обращение 1").click()
    expect(page.locator(STATE)).to_have_text("Обращение 1 · Первый")
    assert ticked(page) == ["check-known-solutions"]
    expect(page.locator(".kb-checklist__progress")).to_have_text("Выполнено: 1 из 9")


# --- today's drafts ----------------------------------------------------------------------------


@pytest.mark.parametrize("attach", [True, False], ids=["attached", "kept-as-draft"])
def test_old_checklist_ticks_are_offered_to_the_ticket(tab, attach):
    page = tab.open(SEED)
    page.evaluate(
        """localStorage.setItem('kb.checklist.escalation-to-development',
             JSON.stringify({'need-confirmed': true, 'handed-over': true}))"""
    )
    page.reload()
    expect(page.locator(".kb-checklist__progress")).to_have_text("Выполнено: 2 из 9")
    page.get_by_role("button", name="Работать по обращению").click()
    migrate = page.get_by_label("Перенести в это обращение черновик без обращения", exact=False)
    expect(migrate).not_to_be_checked()
    if attach:
        migrate.check()
    page.fill("#ws-number", "5")
    page.get_by_role("button", name="Начать работу").click()
    ticket_on(page)
    old = page.evaluate("localStorage.getItem('kb.checklist.escalation-to-development')")
    if attach:
        expect(page.locator(".kb-checklist__progress")).to_have_text("Выполнено: 2 из 9")
        assert sorted(run_of(page, "5")["checklist"]) == ["handed-over", "need-confirmed"]
        assert old is None
    else:
        expect(page.locator(".kb-checklist__progress")).to_have_text("Выполнено: 0 из 9")
        assert run_of(page, "5")["checklist"] == {}
        assert json.loads(old) == {"need-confirmed": True, "handed-over": True}


# --- the run -----------------------------------------------------------------------------------


def test_steps_get_ticks_notes_and_not_applicable_with_a_reason(tab):
    page = tab.open(SEED)
    start(page, "9")
    step = page.locator("li.kb-step").nth(1)
    expect(step.locator(".kb-run__progress")).to_have_text("Шаг 2: выполнено 0 из 9")
    step.locator("[data-tick=write-description]").check()
    step.locator("[data-tick='write-description.1']").check()
    expect(step.locator(".kb-run__progress")).to_have_text("Шаг 2: выполнено 2 из 9")
    step.get_by_role("button", name="Не применимо").click()
    step.get_by_role("button", name="Сохранить").click()
    expect(step.locator(".kb-run__error")).to_be_visible()
    step.get_by_label("Почему шаг 2 не применим (обязательно)").fill("Описание уже в обращении")
    step.get_by_role("button", name="Сохранить").click()
    expect(step.locator(".kb-run__na-text")).to_have_text("Не применимо: Описание уже в обращении")
    expect(step.locator(".kb-run__progress")).to_have_text("Шаг не применим")
    expect(page.locator(".kb-ws__progress")).to_have_text(
        "Выполнено шагов: 1 из 7, действий: 9 из 55"
    )
    step.get_by_label("Заметка к шагу 2").fill("Созвонились с клиентом")
    page.reload()
    ticket_on(page)
    expect(step.locator(".kb-run__na-text")).to_have_text("Не применимо: Описание уже в обращении")
    expect(step.get_by_label("Заметка к шагу 2")).to_have_value("Созвонились с клиентом")
    step.get_by_role("button", name="Вернуть шаг").click()
    expect(step.locator(".kb-run__progress")).to_have_text("Шаг 2: выполнено 2 из 9")
    assert run_of(page, "9")["na"] == {}


def test_criteria_none_applies_so_escalation_is_not_warranted(tab):
    page = tab.open(SEED)
    start(page, "11")
    step = page.locator("li.kb-step").first
    criteria = step.locator("fieldset.kb-run__criteria")
    expect(criteria.locator("legend")).to_have_text("Критерии эскалации: что подходит к обращению")
    expect(criteria.locator("label")).to_have_text(
        [
            "Ошибка программного продукта",
            "Требуется изменение функционала",
            "Глубокая техническая экспертиза",
            "Выпуск обновления",
        ]
    )
    step.get_by_role("button", name="Ни один не подходит").click()
    verdict = step.locator(".kb-run__verdict")
    expect(verdict.locator(".kb-run__stop")).to_have_text(
        "Процесс не требуется: ни один критерий не подходит (2 дек. 14:05)."
    )
    expect(verdict.locator("a")).to_have_count(0)  # the seed's related items are all planned
    assert run_of(page, "11")["decision"] == {"at": "2026-12-02T11:05:00.000Z", "warranted": False}
    criteria.get_by_label("Ошибка программного продукта").check()
    expect(verdict).to_have_text("")
    assert run_of(page, "11")["decision"]["warranted"] is True


def test_special_case_is_listed_in_its_step_and_applied(tab):
    page = tab.open(SEED)
    start(page, "12")
    step = page.locator("li.kb-step").nth(4)
    case = step.locator("[data-case=critical-error]")
    expect(case.locator("p").first).to_have_text(
        "Особый случай: Критическая ошибка требует срочного исправления — не применяется"
    )
    expect(case.locator("ol")).to_be_hidden()
    expect(page.locator("#case-critical-error + .kb-run__where")).to_have_text(
        "Применяется на шаге 5: Шаг 5: Эскалация в отдел разработки"
    )
    case.get_by_role("button", name="Применить").click()
    expect(case.locator("ol")).to_be_visible()
    expect(step.locator(".kb-run__progress")).to_have_text("Шаг 5: выполнено 0 из 12")
    case.locator("[data-tick=set-critical-priority]").check()
    case.get_by_role("button", name="Не применять").click()
    expect(step.locator(".kb-run__progress")).to_have_text("Шаг 5: выполнено 0 из 7")
    case.get_by_role("button", name="Применить").click()
    expect(case.locator("[data-tick=set-critical-priority]")).to_be_checked()  # ticks kept
    assert page.locator("[id=action-set-critical-priority]").count() == 1


def test_status_log_with_default_next_check_and_its_case(tab):
    page = tab.open(SEED)
    start(page, "13")
    log = page.locator("fieldset.kb-run__log")
    expect(log.get_by_label("Статус", exact=True).locator("option")).to_have_text(
        [
            "Передано в разработку",
            "В работе",
            "Ожидает клиента",
            "Исправлено в обновлении",
            "Обновление не помогло",
            "Закрыто",
        ]
    )
    expect(log.get_by_label("Следующая проверка")).to_have_value("2026-12-05")
    log.get_by_label("Комментарий").fill("Задача DEV-1")
    log.get_by_role("button", name="Добавить в журнал").click()
    log.get_by_label("Статус", exact=True).select_option(label="Обновление не помогло")
    log.get_by_role("button", name="Добавить в журнал").click()
    expect(log.locator(".kb-run__entries li")).to_have_text(
        [
            "2 дек. 14:05 — Передано в разработку — Задача DEV-1 — следующая проверка 05.12.2026",
            "2 дек. 14:05 — Обновление не помогло — следующая проверка 05.12.2026",
        ]
    )
    case = page.locator("[data-case=update-does-not-help]")
    expect(case).to_have_class("kb-run__case kb-run__case--on")
    expect(case.locator("p").first).to_contain_text("применяется (выбран вариант статус")
    log.get_by_label("Статус", exact=True).select_option(label="Закрыто")
    expect(log.get_by_label("Следующая проверка")).to_have_value("")
    expect(log.locator(".kb-run__reminder")).to_contain_text(
        "Напоминание: Информировать клиента о прогрессе (если применимо)"
    )


def test_the_status_log_reminds_of_the_actions_its_yaml_names(tab):
    """monitoring.remind, not the words: «Ответить клиенту» is not named, «Назвать срок…» is."""
    page = tab.open(page_of("workspace", example("workspace", "criteria-case-template")))
    start(page, "14")
    reminder = page.locator("fieldset.kb-run__log .kb-run__reminder")
    expect(reminder).to_have_text("Напоминание: Назвать срок исправления")
    page.check("[data-tick=eta]")
    expect(reminder).to_have_text("")
    page.uncheck("[data-tick=eta]")
    page.check("[data-tick=reply]")
    expect(reminder).to_have_text("Напоминание: Назвать срок исправления")


def test_my_tickets_lists_the_overdue_first_and_deletes_with_confirmation(tab):
    page = tab.open(SEED)
    start(page, "21", "Свежее")
    start_new = page.get_by_role("button", name="Новое обращение")
    start_new.click()
    page.fill("#ws-number", "22")
    page.fill("#ws-client", "Просроченное")
    page.get_by_role("button", name="Начать работу").click()
    log = page.locator("fieldset.kb-run__log")
    log.get_by_label("Следующая проверка").fill("2026-11-30")
    log.get_by_role("button", name="Добавить в журнал").click()
    page.evaluate("localStorage.setItem('kb.ticket.v1.broken', '{not json')")
    page.get_by_role("button", name="Мои обращения").click()
    rows = page.locator(".kb-ws__tickets tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("td").nth(0)).to_have_text("22 · Просроченное")
    expect(rows.nth(0).locator("td").nth(5)).to_have_text("30.11.2026 — просрочено")
    expect(rows.nth(1).locator("td").nth(0)).to_have_text("21 · Свежее")
    expect(page.locator(".kb-ws__list .kb-ws__alarm")).to_have_text(
        "Не прочитаны повреждённые записи: broken"
    )
    expect(page.locator(".kb-ws__list")).to_contain_text("Данные хранятся только в этом браузере")
    assert axe_violations(page) == []
    tab.confirm = False
    page.get_by_role("button", name="Удалить обращение 21").click()
    expect(rows).to_have_count(2)
    tab.confirm = True
    page.get_by_role("button", name="Удалить обращение 21").click()
    expect(rows).to_have_count(1)
    assert tab.dialogs[-1] == (
        "confirm",
        "Удалить обращение 21 из этого браузера? Это нельзя отменить.",
    )
    assert stored(page, "21") is None


def test_closing_with_unticked_checklist_items_asks_and_records_them(tab):
    page = tab.open(SEED)
    start(page, "31")
    for name in ["need-confirmed", "description-ready", "diagnostics-collected"]:
        page.check(f".kb-checklist input[name={name}]")
    page.get_by_role("button", name="Закрыть обращение").click()
    page.get_by_label("решено", exact=True).check()
    tab.confirm = False
    page.get_by_role("button", name="Закрыть", exact=True).click()
    ticket_on(page)
    kind, message = tab.dialogs[-1]
    assert message.startswith(
        "Не отмечены пункты чек-листа:\nПодготовлена техническая документация\n"
    )
    assert message.endswith("Клиент информирован о прогрессе (если применимо)\nЗакрыть обращение?")
    tab.confirm = True
    page.get_by_role("button", name="Закрыть", exact=True).click()
    expect(page.locator(STATE)).to_have_text("Черновик без обращения")
    closed = stored(page, "31")["closed"]
    assert closed["outcome"] == "решено"
    assert closed["unticked"] == [
        "documentation-ready",
        "handed-over",
        "client-notified",
        "workaround-offered",
        "monitoring-set-up",
        "client-informed",
    ]


def test_closed_tickets_are_purged_after_the_keep_days(tab):
    page = tab.open(SEED)
    page.evaluate(
        """localStorage.setItem('kb.ticket.v1.old', JSON.stringify({format: 'kb.ticket.v1',
             id: 'old', created: '2026-10-01T00:00:00Z', updated: '2026-10-01T00:00:00Z',
             closed: {at: '2026-10-01T00:00:00Z', outcome: 'решено', unticked: []},
             fields: {}, runs: {}, copied: {}}))"""
    )
    page.get_by_role("button", name="Мои обращения").click()
    expect(page.locator(".kb-ws__list")).to_contain_text("Открытых обращений нет.")
    assert stored(page, "old") is None


def test_a_changed_regulation_lists_added_changed_and_removed_actions(tab):
    page = tab.open(SEED)
    start(page, "41")
    page.check("[data-tick=check-known-solutions]")
    page.evaluate(
        """() => {
          const t = JSON.parse(localStorage.getItem('kb.ticket.v1.41'));
          const run = t.runs['escalation-to-development'];
          delete run.actions['record-solution'];
          run.actions['check-known-solutions'] = 'old';
          run.actions['gone-action'] = 'x';
          run.version = '0.9';
          run.fingerprint = 'old';
          localStorage.setItem('kb.ticket.v1.41', JSON.stringify(t));
        }"""
    )
    page.reload()
    ticket_on(page)
    expect(page.locator(".kb-ws__alarm").first).to_have_text(
        "Регламент изменился с начала работы (версия 0.9 → 1.0): добавлены: record-solution;"
        " изменены: check-known-solutions; удалены: gone-action."
        " Отметки неизменённых действий сохранены."
    )
    assert ticked(page) == ["check-known-solutions"]


# --- the record ----------------------------------------------------------------------------------

RECORD = GOLDEN / "records" / "round-trip.yml"
"""The whole Markdown record of the round-trip test, a golden case (tests/golden.py)."""


def record(page) -> str:
    with page.expect_download() as download:
        page.get_by_role("button", name="Скачать запись .md").click()
    return Path(download.value.path()).read_text("utf-8")


@pytest.mark.golden
def test_markdown_record_and_json_round_trip_to_a_fresh_profile(tab, browser):
    page = tab.open(SEED + "?ticket=48213&client=ООО Ромашка")
    ticket_on(page)
    page.check("[data-tick=check-escalation-needed]")
    page.get_by_label("Ошибка программного продукта").check()
    page.fill("#run-note-confirm-escalation", "Клиент прислал логи")
    page.locator("li.kb-step").nth(1).get_by_role("button", name="Не применимо").click()
    page.get_by_label("Почему шаг 2 не применим (обязательно)").fill("Уже описано")
    page.locator("li.kb-step").nth(1).get_by_role("button", name="Сохранить").click()
    page.locator("[data-case=critical-error]").get_by_role("button", name="Применить").click()
    page.get_by_label("Статус", exact=True).select_option(label="В работе")
    page.get_by_role("button", name="Добавить в журнал").click()
    text = record(page)
    check(RECORD, {"record.md": text})
    # The print view reads as the record does, line by line (checkboxes as ☑/☐).
    page.evaluate(PRINTS)
    page.get_by_role("button", name="Печать записи обращения").click()
    page.emulate_media(media="print")
    expect(page.locator("body > .kb-record")).to_be_visible()
    marks = {"- [x] ": "☑ ", "- [ ] ": "☐ ", "- ": ""}
    lines = [re.sub(r"^#+ ", "", line.strip()) for line in text.splitlines() if line.strip()]
    lines = [
        next((marks[m] + line[len(m) :] for m in marks if line.startswith(m)), line)
        for line in lines
    ]
    assert "\n".join(printed(page)).split("\n") == lines
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_role("button", name="Скачать .json").click()
    path = download.value.path()
    data = json.loads(Path(path).read_text("utf-8"))
    assert (
        data["format"] == "kb.ticket.v1"
        and data["runs"]["escalation-to-development"]["version"] == "1.0"
    )

    colleague = Tab(browser, tab.base, timezone_id="Europe/Moscow", locale="ru-RU")
    colleague.page.clock.set_fixed_time(NOW)
    other = colleague.open(SEED)
    other.get_by_role("button", name="Мои обращения").click()
    expect(other.locator(".kb-ws__list")).to_contain_text("Открытых обращений нет.")
    with other.expect_file_chooser() as chooser:
        other.get_by_role("button", name="Загрузить .json").click()
    chooser.value.set_files(path)
    ticket_on(other)
    expect(other.locator(NOTICE)).to_have_text("Загружено обращение 48213")
    assert record(other) == text
    assert axe_violations(other) == []
    colleague.context.close()
    assert colleague.errors == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{broken", "Файл «t.json» не прочитан: это не JSON. Ничего не изменено."),
        ('{"hello": 1}', "Файл «t.json» — не запись обращения. Ничего не изменено."),
        (
            '{"format": "kb.ticket.v2", "id": "1"}',
            "Файл «t.json» сохранён более новой версией сайта. Ничего не изменено.",
        ),
    ],
    ids=["malformed", "foreign", "newer"],
)
def test_a_bad_import_changes_nothing(tab, tmp_path, content, message):
    page = tab.open(SEED)
    start(page, "50")
    before = page.evaluate("JSON.stringify(localStorage)")
    (tmp_path / "t.json").write_text(content, "utf-8")
    page.get_by_role("button", name="Загрузить .json").click()
    page.locator(".kb-ws input[type=file]").set_input_files(tmp_path / "t.json")
    expect(page.locator(ALARM)).to_have_text(message)
    assert page.evaluate("JSON.stringify(localStorage)") == before
    expect(page.locator(STATE)).to_have_text("Обращение 50")


def test_importing_an_existing_ticket_asks_to_replace_or_keep_both(tab, tmp_path):
    page = tab.open(SEED)
    start(page, "60")
    page.check("[data-tick=check-known-solutions]")
    data = stored(page, "60")
    data["client"] = "Из файла"
    (tmp_path / "t.json").write_text(json.dumps(data), "utf-8")
    tab.confirm = False  # keep both
    page.get_by_role("button", name="Загрузить .json").click()
    page.locator(".kb-ws input[type=file]").set_input_files(tmp_path / "t.json")
    expect(page.locator(STATE)).to_have_text("Обращение 60 (копия) · Из файла")
    assert stored(page, "60")["client"] == ""
    tab.confirm = True  # replace
    page.locator(".kb-ws input[type=file]").set_input_files(tmp_path / "t.json")
    expect(page.locator(STATE)).to_have_text("Обращение 60 · Из файла")
    assert stored(page, "60")["client"] == "Из файла"


def test_an_imported_ticket_with_any_field_ids_gives_its_record(tab, tmp_path):
    """A file's field ids are anyone's words: a quote or «constructor» breaks nothing."""
    page = tab.open(SEED)
    start(page, "80")
    data = stored(page, "80")
    data["id"] = "81"
    data["fields"].update({'a"b': "кавычка", "constructor": "конструктор"})
    (tmp_path / "t.json").write_text(json.dumps(data), "utf-8")
    page.get_by_role("button", name="Загрузить .json").click()
    page.locator(".kb-ws input[type=file]").set_input_files(tmp_path / "t.json")
    expect(page.locator(STATE)).to_have_text("Обращение 81")
    lines = record(page).split("\n")
    assert '- a"b: кавычка' in lines
    assert "- constructor: конструктор" in lines


# --- storage that fails --------------------------------------------------------------------------


def test_blocked_storage_is_reported_and_the_run_still_works(tab):
    tab.page.add_init_script(STORAGE_DENIED)
    page = tab.page
    page.goto(tab.base + SEED + "?ticket=70")
    ticket_on(page)
    expect(page.locator(ALARM)).to_have_text(
        "Изменения не сохраняются: хранилище браузера недоступно или переполнено."
        " Введённое остаётся на странице."
    )
    page.check("[data-tick=check-known-solutions]")
    expect(page.locator(".kb-step").first.locator(".kb-run__progress")).to_have_text(
        "Шаг 1: выполнено 1 из 6"
    )
    page.get_by_role("button", name="Мои обращения").click()
    expect(page.locator(".kb-ws__list")).to_contain_text("Хранилище браузера недоступно")
    # Material's own scripts read localStorage unguarded and throw; ours never do.
    tab.errors = [error for error in tab.errors if "/kb/" in error]


def test_full_storage_is_reported_and_what_was_typed_stays(tab):
    page = tab.open(SEED)
    start(page, "71")
    page.evaluate(
        """() => {
          Storage.prototype.setItem = function () {
            throw new DOMException('full', 'QuotaExceededError');
          };
        }"""
    )
    page.fill("#run-note-confirm-escalation", "Важная заметка")
    expect(page.locator(ALARM)).to_contain_text("Изменения не сохраняются")
    expect(page.locator("#run-note-confirm-escalation")).to_have_value("Важная заметка")
    page.check("[data-tick=check-known-solutions]")
    expect(page.locator("[data-tick=check-known-solutions]")).to_be_checked()


def test_a_corrupted_ticket_is_reported_and_others_still_open(tab):
    page = tab.open(SEED)
    start(page, "80")
    page.evaluate("localStorage.setItem('kb.ticket.v1.81', '[1, 2')")
    page.goto(tab.base + SEED + "?ticket=81")
    expect(page.locator(ALARM)).to_have_text("Сохранённое обращение 81 повреждено и не открыто.")
    page.get_by_role("button", name="Мои обращения").click()
    page.get_by_role("button", name="Открыть обращение 80").click()
    expect(page.locator(STATE)).to_have_text("Обращение 80")


def test_storage_full_from_the_start(tab):
    tab.page.add_init_script(STORAGE_FULL)
    page = tab.page
    page.goto(tab.base + SEED + "?ticket=72")
    ticket_on(page)
    expect(page.locator(ALARM)).to_contain_text("Изменения не сохраняются")


# --- keyboard, instant navigation, genericity, axe ---------------------------------------------


def test_keyboard_only_run(tab):
    page = tab.open(SEED)
    page.locator(".kb-ws [data-action=start]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#ws-number")).to_be_focused()
    page.keyboard.type("90")
    page.keyboard.press("Enter")
    ticket_on(page)
    page.locator("[data-tick=check-escalation-needed]").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.locator("[data-tick='check-escalation-needed.1']")).to_be_focused()
    page.keyboard.press("Space")
    assert ticked(page) == ["check-escalation-needed", "check-escalation-needed.1"]
    na = page.locator("li.kb-step").first.get_by_role("button", name="Не применимо")
    na.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Почему шаг 1 не применим (обязательно)")).to_be_focused()
    page.keyboard.type("Повтор")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("li.kb-step").first.locator(".kb-run__na-text")).to_have_text(
        "Не применимо: Повтор"
    )


def test_the_ticket_survives_instant_navigation(tab):
    page = tab.open(SEED)
    start(page, "95")
    page.evaluate("window.kbTestMarker = 1")
    page.click("a.md-header__button.md-logo")
    page.click("h3.kb-card__title a >> text=Шлагбаум не на связи")
    ticket_on(page)
    assert page.evaluate("window.kbTestMarker") == 1
    expect(page.locator(STATE)).to_have_text("Обращение 95")
    expect(page.locator("li.kb-step")).to_have_count(3)
    # The remounted generator is the ticket's, in its step.
    expect(page.locator("li.kb-step").nth(1).locator("#g_1-ticket-id")).to_have_value("95")


def test_the_fixture_regulation_gets_its_run_from_its_yaml_alone(tab):
    page = tab.open(BARRIER)
    start(page, "100", "ТСЖ")
    steps = page.locator("li.kb-step")
    expect(steps).to_have_count(3)
    expect(page.locator(".kb-run__criteria")).to_have_count(0)
    expect(steps.nth(0).locator(".kb-run__progress")).to_have_text("Шаг 1: выполнено 0 из 4")
    log = steps.nth(2).locator("fieldset.kb-run__log")
    expect(log.get_by_label("Статус", exact=True).locator("option")).to_have_text(
        ["Выезд назначен", "Инженер не попал на объект", "Контроллер на связи"]
    )
    expect(log.get_by_label("Следующая проверка")).to_have_value("2026-12-03")
    log.get_by_label("Статус", exact=True).select_option(label="Инженер не попал на объект")
    log.get_by_role("button", name="Добавить в журнал").click()
    expect(steps.nth(0).locator("[data-case=no-access]")).to_have_class(
        "kb-run__case kb-run__case--on"
    )
    expect(steps.nth(0).locator(".kb-run__progress")).to_have_text("Шаг 1: выполнено 0 из 5")
    assert run_of(page, "100", "barrier-offline")["version"] == "2.1"
    assert axe_violations(page) == []


@pytest.mark.parametrize("item", examples("workspace"), ids=lambda e: e["name"])
def test_every_example_runs_and_passes_axe(tab, item):
    tab.page.set_viewport_size({"width": 375, "height": 900})  # a phone: the narrowest layout
    page = tab.open(page_of("workspace", item))
    assert axe_violations(page) == []
    start(page, "1")
    steps = item["regulation"]["steps"]
    expect(page.locator("li.kb-step .kb-run__progress")).to_have_count(len(steps))
    assert axe_violations(page) == []
    page.get_by_role("button", name="Мои обращения").click()
    assert axe_violations(page) == []


def test_axe_on_the_seed_in_every_state(tab):
    page = tab.open(SEED)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Работать по обращению").click()
    page.get_by_role("button", name="Начать работу").click()  # the number's error
    assert axe_violations(page) == []
    page.fill("#ws-number", "1")
    page.get_by_role("button", name="Начать работу").click()
    ticket_on(page)
    page.get_by_role("button", name="Ни один не подходит").click()
    page.locator("[data-case=critical-error]").get_by_role("button", name="Применить").click()
    page.get_by_role("button", name="Добавить в журнал").click()
    page.get_by_role("button", name="Закрыть обращение").click()
    assert axe_violations(page) == []


# --- the generators in the run ---------------------------------------------------------------

N = "#g_1"  # the seed's templates, in their order
D = "#g_2"


def test_from_the_ticket_link_to_the_notification_on_the_clipboard_in_one_click(tab):
    """Ticket number and client are never typed again; clicks besides the notification's own
    fields are counted (the limit is three)."""
    page = tab.page
    page.goto(tab.base + SEED + "?ticket=48213&client=Анна Сергеевна")
    ticket_on(page)
    clicks = []
    page.expose_function("kbClick", lambda: clicks.append(1))
    page.evaluate("document.addEventListener('click', () => window.kbClick(), true)")
    step = page.locator("li.kb-step").nth(5)
    form = step.locator(N)
    expect(form).to_be_visible()  # the notification sits in step 6
    expect(page.locator(f"{N}-ticket-id")).to_have_value("48213")
    expect(page.locator(f"{N}-client-name")).to_have_value("Анна Сергеевна")
    page.fill(f"{N}-problem-description", "Не сохраняются пропуска")
    page.fill(f"{N}-specialist-name", "Иван")
    form.get_by_role("button", name="Копировать").click()
    expect(form.locator(".kb-gen__status")).to_have_text("Текст скопирован в буфер обмена.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Здравствуйте, Анна Сергеевна!\n\nПо обращению 48213 мы провели")
    assert "Не сохраняются пропуска" in copied and copied.endswith(
        "Иван\nСлужба технической поддержки PASS24.online"
    )
    assert len(clicks) == 1 <= 3
    assert stored(page, "48213")["copied"] == {"client-notification": "2026-12-02T11:05:00.000Z"}


def test_fields_are_the_tickets_typed_once_and_drafts_stay_apart(tab):
    page = tab.open(SEED)
    page.fill(f"{N}-problem-description", "Черновик без обращения")
    start(page, "200", "Клиент")
    expect(page.locator(f"{N}-problem-description")).to_have_value("")
    expect(page.locator(f"{D}-ticket-id")).to_have_value("200")
    expect(page.locator(f"{D}-client-name")).to_have_value("Клиент")
    page.fill(f"{D}-workaround", "Перезапуск")
    expect(page.locator(f"{N}-workaround")).to_have_value("Перезапуск")
    assert stored(page, "200")["fields"]["workaround"] == "Перезапуск"
    draft = page.evaluate(
        "JSON.parse(localStorage.getItem('kb.draft.escalation-to-development.client-notification'))"
    )
    assert draft["values"]["problem-description"] == "Черновик без обращения"
    assert "workaround" not in draft["values"] or draft["values"]["workaround"] == ""
    page.reload()
    ticket_on(page)
    expect(page.locator(f"{N}-workaround")).to_have_value("Перезапуск")
    page.get_by_role("button", name="Закрыть обращение").click()
    page.get_by_label("не решено", exact=True).check()
    page.get_by_role("button", name="Закрыть", exact=True).click()
    expect(page.locator(STATE)).to_have_text("Черновик без обращения")
    expect(page.locator(f"{N}-problem-description")).to_have_value("Черновик без обращения")
    expect(page.locator(f"{N}-workaround")).to_have_value("")


def test_old_drafts_are_offered_to_the_ticket(tab):
    page = tab.open(SEED)
    page.fill(f"{N}-problem-description", "Из старого черновика")
    page.reload()
    page.get_by_role("button", name="Работать по обращению").click()
    page.locator("#ws-migrate").check()
    page.fill("#ws-number", "201")
    page.get_by_role("button", name="Начать работу").click()
    ticket_on(page)
    expect(page.locator(f"{N}-problem-description")).to_have_value("Из старого черновика")
    expect(page.locator(f"{N}-ticket-id")).to_have_value("201")
    assert stored(page, "201")["fields"]["problem-description"] == "Из старого черновика"
    assert (
        page.evaluate(
            "localStorage.getItem('kb.draft.escalation-to-development.client-notification')"
        )
        is None
    )


def test_fields_named_like_object_members_are_offered_stored_and_recorded(tab):
    """Field ids such as id or constructor (the generator's example «reserved-names»)."""
    page = tab.open(page_of("generator", example("generator", "reserved-names")))
    page.fill(f"{N}-id", "48213")
    page.fill(f"{N}-constructor_1", "строка один")
    page.reload()
    page.get_by_role("button", name="Работать по обращению").click()
    page.locator("#ws-migrate").check()
    page.fill("#ws-number", "7")
    page.get_by_role("button", name="Начать работу").click()
    ticket_on(page)
    expect(page.locator(f"{N}-constructor_1")).to_have_value("строка один")
    fields = stored(page, "7")["fields"]
    assert (fields["id"], fields["constructor"]) == ("48213", ["строка один", ""])
    lines = record(page).split("\n")
    assert "- Номер: 48213" in lines
    assert "- Строки: строка один" in lines


def test_priority_critical_applies_its_case_and_undoing_removes_it(tab):
    page = tab.open(SEED)
    start(page, "300")
    doc = page.locator("li.kb-step").nth(3).locator(D)
    expect(doc).to_be_visible()  # the tech doc sits in step 4
    case = page.locator("[data-case=critical-error]")
    doc.get_by_label("Критический").check()
    expect(case).to_have_class("kb-run__case kb-run__case--on")
    expect(case.locator("p").first).to_have_text(
        "Особый случай: Критическая ошибка требует срочного исправления"
        " — применяется (выбран вариант «Критический»)"
    )
    case.locator("[data-tick=set-critical-priority]").check()
    doc.get_by_label("Высокий").check()
    expect(case).to_have_class("kb-run__case")
    doc.get_by_label("Критический").check()
    expect(case.locator("[data-tick=set-critical-priority]")).to_be_checked()  # ticks kept
    assert stored(page, "300")["fields"]["priority"] == "Критический"


def test_the_criteria_chosen_at_step_1_are_in_the_tech_doc_at_step_4(tab):
    page = tab.open(SEED)
    doc = page.locator("form.kb-gen[data-template=developer-documentation]")
    preview = doc.locator("[data-preview]")
    expect(preview).to_contain_text("Дата обнаружения:")
    assert "Критерии эскалации" not in preview.inner_text()  # no ticket: an empty, dropped line
    start(page, "301")
    criteria = page.locator("li.kb-step").first.locator("fieldset.kb-run__criteria")
    criteria.get_by_label("Ошибка программного продукта").check()
    criteria.get_by_label("Выпуск обновления").check()
    expect(
        page.locator("li.kb-step")
        .nth(3)
        .locator("form.kb-gen[data-template=developer-documentation]")
    ).to_be_visible()
    field = doc.get_by_label("Критерии эскалации")
    expect(field).to_have_value("Ошибка программного продукта; Выпуск обновления")
    lines = preview.inner_text().split("\n")
    assert lines[:5] == [
        "Проблема: [Краткое описание]",
        "Приоритет: [Критический/Высокий/Средний/Низкий]",
        "Версия продукта: [Версия]",
        "Дата обнаружения: 02.12.2026",
        "Критерии эскалации: Ошибка программного продукта; Выпуск обновления",
    ]
    assert stored(page, "301")["fields"]["chosen-criteria"] == (
        "Ошибка программного продукта; Выпуск обновления"
    )
    criteria.get_by_label("Ошибка программного продукта").uncheck()
    expect(field).to_have_value("Выпуск обновления")
    page.get_by_role("button", name="Ни один не подходит").click()
    expect(field).to_have_value("")
    expect(preview).not_to_contain_text("Критерии эскалации")
    page.reload()
    ticket_on(page)
    expect(field).to_have_value("")


def test_generators_go_back_home_without_a_ticket_and_the_raw_template_is_folded(tab):
    page = tab.open(SEED)
    home = page.locator("#tpl-client-notification")
    expect(home.locator(N)).to_be_visible()
    raw = home.locator("pre.kb-template__body")
    expect(raw).to_be_hidden()
    home.get_by_role("button", name="Исходный текст шаблона").click()
    expect(raw).to_be_visible()
    start(page, "400")
    expect(page.locator("li.kb-step").nth(5).locator(N)).to_be_visible()
    expect(home.locator(N)).to_have_count(0)
    page.get_by_role("button", name="Закрыть обращение").click()
    page.get_by_label("решено", exact=True).check()
    page.get_by_role("button", name="Закрыть", exact=True).click()
    expect(home.locator(N)).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("#tpl-developer-documentation pre.kb-template__body")).to_be_visible()


def test_wide_screens_put_the_preview_beside_the_fields(tab):
    page = tab.open(SEED)
    fields = page.locator(f"{D}-problem-summary").bounding_box()
    preview = page.locator(f"{D} [data-preview]").bounding_box()
    assert preview["x"] > fields["x"] + fields["width"] - 1
    page.set_viewport_size({"width": 390, "height": 800})
    fields = page.locator(f"{D}-problem-summary").bounding_box()
    preview = page.locator(f"{D} [data-preview]").bounding_box()
    assert preview["y"] > fields["y"]


def test_a_reload_in_the_middle_of_each_step_keeps_everything_done(tab):
    """Through the seed step by step, with a reload after each piece of work: every tick,
    note, criterion, typed field and status entry done before is still there."""
    page = tab.open(SEED)
    start(page, "77", "ООО Ромашка")
    steps = page.locator("li.kb-step")
    kept = []  # what must hold after every later reload

    def reload_and_check(check):
        kept.append(check)
        page.reload()
        ticket_on(page)
        for each in kept:
            each()

    criteria = steps.nth(0).locator("fieldset.kb-run__criteria")
    criteria.get_by_label("Ошибка программного продукта").check()
    reload_and_check(
        lambda: expect(criteria.get_by_label("Ошибка программного продукта")).to_be_checked()
    )
    for n in range(7):
        step = steps.nth(n)
        tick = step.locator("[data-tick]").first
        tick.check()
        reload_and_check(lambda tick=tick: expect(tick).to_be_checked())
        note = step.get_by_label(f"Заметка к шагу {n + 1}")
        note.fill(f"Шаг {n + 1}: сделано")
        reload_and_check(lambda note=note, n=n: expect(note).to_have_value(f"Шаг {n + 1}: сделано"))
        if n == 3:  # the technical documentation is written in its step
            field = step.locator(
                "form.kb-gen[data-template=developer-documentation] [name=problem-summary]"
            )
            field.fill("Не сохраняются пропуска")
            reload_and_check(
                lambda field=field: expect(field).to_have_value("Не сохраняются пропуска")
            )
        if n == 6:  # monitoring: a status entry
            log = step.locator("fieldset.kb-run__log")
            log.get_by_label("Комментарий").fill("Задача DEV-7")
            log.get_by_role("button", name="Добавить в журнал").click()
            reload_and_check(
                lambda log=log: expect(log.locator(".kb-run__entries li")).to_have_text(
                    [
                        "2 дек. 14:05 — Передано в разработку — Задача DEV-7 — следующая проверка 05.12.2026"
                    ]
                )
            )
    notification = steps.nth(5).locator("form.kb-gen[data-template=client-notification]")
    expect(notification.locator("[name=client-name]")).to_have_value("ООО Ромашка")
    expect(notification.locator("[name=ticket-id]")).to_have_value("77")
    expect(page.locator(".kb-ws__progress")).to_have_text(
        "Выполнено шагов: 0 из 7, действий: 7 из 55"
    )


# --- «Мои обращения» on the home page, keep-days of closed tickets ---------------------------

HOME = "main/"
CLOSED_10_DAYS_AGO = """localStorage.setItem('kb.ticket.v1.old', JSON.stringify({
  format: 'kb.ticket.v1', id: 'old', created: '2026-11-20T00:00:00Z',
  updated: '2026-11-22T00:00:00Z', fields: {}, runs: {}, copied: {},
  closed: {at: '2026-11-22T00:00:00Z', outcome: 'решено', unticked: []}}))"""


def test_home_lists_open_tickets_overdue_first_and_resumes_them_on_their_page(tab):
    page = tab.open(SEED)
    start(page, "21", "Свежее")
    page.get_by_role("button", name="Новое обращение").click()
    page.fill("#ws-number", "22")
    page.fill("#ws-client", "Просроченное")
    page.get_by_role("button", name="Начать работу").click()
    page.check("[data-tick=check-known-solutions]")
    log = page.locator("fieldset.kb-run__log")
    log.get_by_label("Следующая проверка").fill("2026-11-30")
    log.get_by_role("button", name="Добавить в журнал").click()
    page.get_by_role("button", name="Новое обращение").click()
    page.fill("#ws-number", "23")
    page.get_by_role("button", name="Начать работу").click()
    page.get_by_role("button", name="Закрыть обращение").click()
    page.get_by_label("решено", exact=True).check()
    page.get_by_role("button", name="Закрыть", exact=True).click()
    expect(page.locator(STATE)).to_have_text("Черновик без обращения")

    page.goto(tab.base + HOME)
    box = page.locator("#my-tickets + .kb-ws")
    rows = box.locator(".kb-ws__tickets tbody tr")
    expect(rows).to_have_count(2)  # the closed one is not listed
    cells = [rows.nth(i).locator("td").all_inner_texts() for i in range(2)]
    assert cells == [
        [
            "22 · Просроченное",
            "Эскалация в отдел разработки",
            "",
            "отмечено действий: 1",
            "2 дек. 14:05",
            "30.11.2026 — просрочено",
            "ОткрытьУдалить",
        ],
        [
            "21 · Свежее",
            "Эскалация в отдел разработки",
            "",
            "отмечено действий: 0",
            "2 дек. 14:05",
            "",
            "ОткрытьУдалить",
        ],
    ]
    links = box.locator(".kb-ws__tickets a")
    assert [links.nth(i).get_attribute("href") for i in range(2)] == [
        "./regulations/escalation-to-development/?ticket=22",
        "./regulations/escalation-to-development/?ticket=21",
    ]
    expect(box.locator(".kb-ws__list > p")).to_have_text(
        ["Данные хранятся только в этом браузере; закрытые обращения удаляются через 30 дней."]
    )
    assert axe_violations(page) == []
    box.get_by_role("button", name="Удалить обращение 21").click()
    expect(rows).to_have_count(1)
    assert stored(page, "21") is None
    box.get_by_role("link", name="Открыть обращение 22").click()
    ticket_on(page)
    expect(page.locator(STATE)).to_have_text("Обращение 22 · Просроченное")
    assert ticked(page) == ["check-known-solutions"]


def test_home_without_tickets_says_so_and_loads_no_run(tab):
    page = tab.open(HOME)
    box = page.locator("#my-tickets + .kb-ws")
    expect(box).to_have_text("Открытых обращений нет.")
    assert page.locator("script[src*='workspace/run.']").count() == 0
    page.evaluate(CLOSED_10_DAYS_AGO)  # closed only: the list is loaded, and still empty
    page.reload()
    expect(box.locator(".kb-ws__list")).to_contain_text("Открытых обращений нет.")
    assert page.locator("script[src*='workspace/run.']").count() == 1
    assert stored(page, "old") is not None  # 10 days: kept (30 by default)


def test_home_without_javascript_says_the_list_needs_it(browser, base):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + HOME)
    expect(page.locator("#my-tickets + .kb-ws")).to_have_text(
        "Список обращений этого браузера показывается только с JavaScript."
    )
    context.close()


def test_keep_days_of_closed_tickets_come_from_mkdocs_yml(tab):
    page = tab.open("edited/")  # extra.kb.keep_closed_days: 7
    page.evaluate(CLOSED_10_DAYS_AGO)
    page.reload()
    box = page.locator("#my-tickets + .kb-ws .kb-ws__list")
    expect(box).to_contain_text("закрытые обращения удаляются через 7 дней.")
    assert stored(page, "old") is None
    page.evaluate(CLOSED_10_DAYS_AGO)
    page.goto(tab.base + "edited/regulations/escalation-to-development/")
    page.get_by_role("button", name="Мои обращения").click()
    expect(page.locator(".kb-ws__list")).to_contain_text("удаляются через 7 дней.")
    assert stored(page, "old") is None


# --- the print view of the record --------------------------------------------------------------

PRINTS = "window.kbPrints = 0; window.print = () => { window.kbPrints += 1; };"


def printed(page) -> list[str]:
    """The print view as read on paper: each visible block of the record, in order."""
    return page.eval_on_selector_all(
        "body > .kb-record > *", "nodes => nodes.map(n => n.innerText.trim())"
    )


def test_print_shows_the_record_alone_even_after_closing(tab):
    tab.page.add_init_script(PRINTS)
    page = tab.page
    page.goto(tab.base + BARRIER + "?ticket=500&client=ТСЖ Берёзка")
    ticket_on(page)
    page.check("[data-tick=ask-indicator]")
    page.check("[data-tick='ask-reboot.1']")
    page.fill("#run-note-check-power", "Индикатор мигает")
    page.locator("li.kb-step").nth(1).get_by_role("button", name="Не применимо").click()
    page.get_by_label("Почему шаг 2 не применим (обязательно)").fill("Инженер уже на объекте")
    page.locator("li.kb-step").nth(1).get_by_role("button", name="Сохранить").click()
    log = page.locator("fieldset.kb-run__log")
    log.get_by_label("Статус", exact=True).select_option(label="Контроллер на связи")
    log.get_by_label("Комментарий").fill("Связь есть")
    log.get_by_role("button", name="Добавить в журнал").click()
    page.get_by_role("button", name="Печать записи обращения").click()
    assert page.evaluate("window.kbPrints") == 1
    expect(page.locator("body > .kb-record")).to_be_hidden()  # on screen: the page as it was
    page.get_by_role("button", name="Закрыть обращение").click()
    page.get_by_label("решено", exact=True).check()
    page.get_by_role("button", name="Закрыть", exact=True).click()
    expect(page.locator(STATE)).to_have_text("Черновик без обращения")
    page.locator(NOTICE).get_by_role("button", name="Печать записи").click()
    assert page.evaluate("window.kbPrints") == 2

    page.emulate_media(media="print")
    expect(page.locator("body > .kb-record")).to_be_visible()
    for other in ["header.md-header", "article.kb-regulation", ".md-sidebar--primary"]:
        expect(page.locator(other).first).to_be_hidden()
    assert printed(page) == [
        "Обращение 500 — ТСЖ Берёзка",
        "Регламент: Шлагбаум не на связи (версия 2.1)\nНачато: 2 дек. 14:05\nИзменено: 2 дек. 14:05\n"
        "Итог: решено (закрыто 2 дек. 14:05)",
        "Поля",
        "Номер заявки: 500\nКлиент: ТСЖ Берёзка",
        "Шаги",
        "Шаг 1: Проверить питание — 2 из 4",
        "☑ Попросить клиента посмотреть на индикатор контроллера (2 дек. 14:05)\n"
        "☐ Попросить перезагрузить контроллер:\n"
        "☑ Выключить питание на 10 секунд (2 дек. 14:05)\n"
        "☐ Включить и подождать минуту",
        "Заметка: Индикатор мигает",
        "Шаг 2: Вызвать инженера — не применимо: Инженер уже на объекте",
        "Шаг 3: Проверить результат выезда — 0 из 1",
        "☐ Позвонить клиенту после выезда",
        "Журнал статусов",
        "2 дек. 14:05 — Контроллер на связи — Связь есть",
        "Контрольный чек-лист",
        "☐ Питание проверено\n☐ Инженер вызван",
        "Закрыто с неотмеченными пунктами: Питание проверено; Инженер вызван",
    ]
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    expect(page.locator("body > .kb-record")).to_be_hidden()
    expect(page.locator("article.kb-regulation")).to_be_visible()  # the page's own print view


# --- a phone ---------------------------------------------------------------------------------

CONTROLS = ", ".join(
    [
        ".kb-ws button",
        ".kb-ws input:not([type=file])",
        ".kb-ws a",
        "ol.kb-steps [data-tick]",
        ".kb-run__step button",
        ".kb-run__step input",
        ".kb-run__step textarea",
        ".kb-run__step select",
        ".kb-run__step a",
    ]
)
# Every visible control, scrolled into view: inside the viewport's width, the topmost element at
# its centre (nothing covers it, e.g. the sticky bar), focusable and focused by focus(); and no
# box of the bar or the steps that scrolls sideways.
FIT = """(selector) => {
  const width = document.documentElement.clientWidth, bad = [];
  const controls = [...document.querySelectorAll(selector)].filter(n => n.checkVisibility());
  for (const n of controls) {
    const name = n.tagName + ' ' + (n.id || n.dataset.run || n.dataset.tick || n.textContent.trim());
    n.scrollIntoView({block: 'center', inline: 'nearest'});
    const r = n.getBoundingClientRect(), first = n.getClientRects()[0];  // a wrapped link: line 1
    if (r.left < 0 || r.right > width) bad.push(name + ': ' + r.left + '..' + r.right);
    const hit = document.elementFromPoint(first.left + first.width / 2, first.top + first.height / 2);
    const labels = n.labels ? [...n.labels] : [];
    if (!hit || !(n.contains(hit) || labels.some(l => l.contains(hit)))) bad.push(name + ': covered');
    n.focus();
    if (document.activeElement !== n || n.tabIndex < 0) bad.push(name + ': no focus');
  }
  // (A text field scrolls its own long value: that is not the layout's.)
  for (const n of document.querySelectorAll('.kb-ws *, ol.kb-steps *')) {
    if (n.matches('input, textarea, select')) continue;
    if (getComputedStyle(n).overflowX !== 'visible' && n.scrollWidth > n.clientWidth + 1)
      bad.push(n.tagName + '.' + n.className + ': scrolls sideways');
  }
  return {count: controls.length, bad: bad};
}"""


def test_on_a_phone_every_control_of_the_run_fits_and_works_by_keyboard(tab):
    tab.page.set_viewport_size({"width": 375, "height": 812})
    page = tab.open(SEED)
    start(page, "600", "ООО «Ромашка и партнёры», филиал на Ленинградском проспекте")
    # The sticky bar leaves the steps most of the screen.
    bar = page.locator(".kb-ws").bounding_box()
    page.locator("#step-describe-problem").scroll_into_view_if_needed()
    page.mouse.wheel(0, 400)
    top = page.evaluate("document.querySelector('.kb-ws').getBoundingClientRect().top")
    assert top + bar["height"] <= 812 / 2, (top, bar["height"])
    # Everything that opens, opened: «Не применимо» forms, a case, the list, the close form.
    for step in page.locator("li.kb-step").all():
        step.get_by_role("button", name="Не применимо").click()
    page.locator("[data-case=critical-error]").get_by_role("button", name="Применить").click()
    page.get_by_role("button", name="Мои обращения").click()
    page.get_by_role("button", name="Закрыть обращение").click()
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths == [375, 375]
    found = page.evaluate(FIT, CONTROLS)
    assert found["bad"] == []
    assert found["count"] > 100
    # The generator in its step, too.
    doc = page.locator("form.kb-gen[data-template=developer-documentation]")
    found = page.evaluate(
        FIT,
        "form.kb-gen[data-template=developer-documentation] :is(input, textarea, select, button)",
    )
    assert found["bad"] == [] and found["count"] > 10
    expect(page.locator("li.kb-step").nth(3).locator("form.kb-gen")).to_have_count(1)
    # By keyboard: a tick, the bar's buttons in order, print.
    page.locator("[data-tick=check-known-solutions]").focus()
    page.keyboard.press("Space")
    assert ticked(page) == ["check-known-solutions"]
    page.locator(".kb-ws [data-run=tickets]").focus()
    names = []
    for _ in range(5):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.textContent"))
    assert names == [
        "Закрыть обращение",
        "Скачать запись .md",
        "Печать",
        "Скачать .json",
        "Загрузить .json",
    ]
    assert doc.count() == 1


# --- nothing crosses tickets, nothing is lost (issue 17) ---------------------------------------


def test_text_typed_for_one_ticket_and_not_added_never_reaches_another(tab):
    """A status comment, a «Не применимо» reason and a chosen outcome, typed for one ticket and
    not added: a switch to another ticket (resumed or new) leaves none of them in a field, and
    adding there saves none of them."""
    page = tab.open(SEED)
    log = page.locator("fieldset.kb-run__log")
    step = page.locator("li.kb-step").nth(1)
    reason = page.get_by_label("Почему шаг 2 не применим (обязательно)")
    outcomes = page.locator("input[name=ws-outcome]:checked")

    def type_without_adding(text):
        log.get_by_label("Комментарий").fill(text)
        step.get_by_role("button", name="Не применимо").click()
        reason.fill(text)
        page.get_by_role("button", name="Закрыть обращение").click()
        page.get_by_label("решено", exact=True).check()

    def nothing_typed():
        expect(log.get_by_label("Комментарий")).to_have_value("")
        expect(reason).to_be_hidden()
        expect(page.locator(".kb-ws__close")).to_be_hidden()
        expect(outcomes).to_have_count(0)

    start(page, "1")
    type_without_adding("Для первого")
    page.get_by_role("button", name="Новое обращение").click()  # a new ticket
    page.fill("#ws-number", "2")
    page.get_by_role("button", name="Начать работу").click()
    expect(page.locator(STATE)).to_have_text("Обращение 2")
    nothing_typed()
    type_without_adding("Для второго")
    page.get_by_role("button", name="Мои обращения").click()
    page.get_by_role("button", name="Открыть обращение 1").click()  # a resumed one
    expect(page.locator(STATE)).to_have_text("Обращение 1")
    nothing_typed()
    log.get_by_role("button", name="Добавить в журнал").click()
    step.get_by_role("button", name="Не применимо").click()
    expect(reason).to_have_value("")
    step.get_by_role("button", name="Сохранить").click()
    expect(step.locator(".kb-run__error")).to_be_visible()
    assert [e["note"] for e in run_of(page, "1")["log"]] == [""]
    assert run_of(page, "1")["na"] == run_of(page, "2")["na"] == {}
    assert run_of(page, "2")["log"] == []
    assert stored(page, "1")["closed"] is None and stored(page, "2")["closed"] is None


def test_keeping_both_on_import_keeps_the_ticket_number_and_never_overwrites_a_copy(tab, tmp_path):
    """The copy differs only by its name in the list; its texts say the ticket's own number,
    and the same file imported again asks again and makes a second copy."""
    page = tab.open(SEED)
    start(page, "60")
    data = stored(page, "60")
    data["client"] = data["fields"]["client-name"] = "Из файла"
    (tmp_path / "t.json").write_text(json.dumps(data), "utf-8")
    tab.confirm = False  # keep both
    page.get_by_role("button", name="Загрузить .json").click()
    page.locator(".kb-ws input[type=file]").set_input_files(tmp_path / "t.json")
    expect(page.locator(STATE)).to_have_text("Обращение 60 (копия) · Из файла")
    expect(page.locator(f"{N}-ticket-id")).to_have_value("60")
    text = record(page)
    assert text.startswith("# Обращение 60 — Из файла\n")
    assert "- Номер обращения (ID): 60" in text.split("\n")
    page.check("[data-tick=check-known-solutions]")  # work on the copy
    page.locator(".kb-ws input[type=file]").set_input_files(tmp_path / "t.json")
    expect(page.locator(STATE)).to_have_text("Обращение 60 (копия 2) · Из файла")
    assert [kind for kind, _ in tab.dialogs] == ["confirm", "confirm"]
    assert list(run_of(page, "60 (копия)")["ticks"]) == ["check-known-solutions"]
    assert run_of(page, "60 (копия 2)")["ticks"] == {}
    assert stored(page, "60 (копия 2)")["fields"]["ticket-id"] == "60"
    assert stored(page, "60")["client"] == ""


def test_a_double_click_on_add_to_the_log_adds_one_entry(tab):
    page = tab.open(SEED)
    start(page, "13")
    log = page.locator("fieldset.kb-run__log")
    entries = log.locator(".kb-run__entries li")
    log.get_by_label("Комментарий").fill("Задача DEV-1")
    log.get_by_role("button", name="Добавить в журнал").dblclick()
    expect(entries).to_have_text(
        ["2 дек. 14:05 — Передано в разработку — Задача DEV-1 — следующая проверка 05.12.2026"]
    )
    assert len(run_of(page, "13")["log"]) == 1
    # The same status again a minute later is a new entry.
    page.clock.set_fixed_time("2026-12-02T14:06:00+03:00")
    log.get_by_role("button", name="Добавить в журнал").click()
    expect(entries).to_have_count(2)
    expect(entries.nth(1)).to_have_text(
        "2 дек. 14:06 — Передано в разработку — следующая проверка 05.12.2026"
    )


FAKE_NUMBER = "48213\n- [x] Клиент информирован"
FAKE_CLIENT = "ООО Ромашка\r\n<img src=x onerror=alert(1)>\u2028# Заголовок"


@pytest.mark.parametrize("source", ["url", "import"])
def test_ticket_number_and_client_are_one_line_and_make_no_lines_in_the_record(
    tab, tmp_path, source
):
    """Control characters become a space, so the bar, the list, the record and its print view
    show one line each; and the record escapes what would be Markdown or HTML."""
    tab.page.add_init_script(PRINTS)
    page = tab.page
    if source == "url":
        query = urlencode({"ticket": FAKE_NUMBER, "client": FAKE_CLIENT})
        page.goto(tab.base + SEED + "?" + query)
    else:
        page.goto(tab.base + SEED + "?ticket=1")
        ticket_on(page)
        data = stored(page, "1")
        data["id"] = data["number"] = data["fields"]["ticket-id"] = FAKE_NUMBER
        data["client"] = data["fields"]["client-name"] = FAKE_CLIENT
        (tmp_path / "t.json").write_text(json.dumps(data), "utf-8")
        page.get_by_role("button", name="Загрузить .json").click()
        page.locator(".kb-ws input[type=file]").set_input_files(tmp_path / "t.json")
    number = "48213 - [x] Клиент информирован"
    client = "ООО Ромашка <img src=x onerror=alert(1)> # Заголовок"
    expect(page.locator(STATE)).to_have_text(f"Обращение {number} · {client}")
    ticket = stored(page, number)
    assert (ticket["id"], ticket["client"]) == (number, client)
    assert (ticket["fields"]["ticket-id"], ticket["fields"]["client-name"]) == (number, client)
    lines = record(page).split("\n")
    assert lines[0] == (
        r"# Обращение 48213 - \[x\] Клиент информирован"
        r" — ООО Ромашка &lt;img src=x onerror=alert(1)&gt; # Заголовок"
    )
    assert r"- Номер обращения (ID): 48213 - \[x\] Клиент информирован" in lines
    assert not [line for line in lines if line.startswith("- [x]") or "<" in line]
    page.get_by_role("button", name="Печать записи обращения").click()
    page.emulate_media(media="print")
    expect(page.locator("body > .kb-record")).to_be_visible()
    assert printed(page)[0] == f"Обращение {number} — {client}"
    assert page.locator("body > .kb-record img").count() == 0
    assert "☑" not in "\n".join(printed(page))


def test_no_value_in_the_record_can_start_a_line_or_carry_markdown_or_html(tab, tmp_path):
    page = tab.open(SEED)
    start(page, "95")
    data = stored(page, "95")
    data["id"] = data["number"] = "96"
    run = data["runs"]["escalation-to-development"]
    run["notes"]["confirm-escalation"] = "Строка\n# Заголовок\n- [x] Пункт\n<b>жирно</b>"
    run["na"]["describe-problem"] = {"reason": "Уже\n\n## Итог", "at": "2026-12-02T11:05:00.000Z"}
    run["log"] = [
        {
            "at": "2026-12-02T11:05:00.000Z",
            "status": "in-progress",
            "note": "*важно* [ссылка](http://x) `код` & <i>",
            "next": "",
        }
    ]
    data["fields"]["- [x] поле\n# поле"] = "значение\n- [x] ещё"
    (tmp_path / "t.json").write_text(json.dumps(data), "utf-8")
    page.get_by_role("button", name="Загрузить .json").click()
    page.locator(".kb-ws input[type=file]").set_input_files(tmp_path / "t.json")
    expect(page.locator(STATE)).to_have_text("Обращение 96")
    lines = record(page).split("\n")
    assert r"Заметка: Строка # Заголовок - \[x\] Пункт &lt;b&gt;жирно&lt;/b&gt;" in lines
    assert "### Шаг 2: Подготовка описания проблемы — не применимо: Уже ## Итог" in lines
    assert (
        r"- 2 дек. 14:05 — В работе — \*важно\* \[ссылка\](http://x) \`код\` &amp; &lt;i&gt;"
        in lines
    )
    assert r"- - \[x\] поле # поле: значение - \[x\] ещё" in lines
    assert not [line for line in lines if line.startswith(("- [x]", "# З", "## И", "<"))]


SLUG = "escalation-to-development"


@pytest.mark.parametrize(
    ("path", "value", "field", "problem"),
    [
        (
            ["runs", SLUG, "actions"],
            "x",
            f"runs.{SLUG}.actions",
            "ожидается объект, а в файле строка «x»",
        ),
        (["fields"], ["a"], "fields", "ожидается объект, а в файле список"),
        (
            ["runs", SLUG, "ticks", "check-known-solutions"],
            5,
            f"runs.{SLUG}.ticks.check-known-solutions",
            "ожидается время (строка), а в файле число",
        ),
        (
            ["runs", SLUG, "log"],
            [{"at": "2026-12-02T11:05:00.000Z", "status": 1, "note": "", "next": ""}],
            f"runs.{SLUG}.log.0.status",
            "ожидается строка, а в файле число",
        ),
        (
            ["closed"],
            {"outcome": "решено", "unticked": []},
            "closed.at",
            "ожидается время (строка), а в файле его нет",
        ),
        (
            ["fields", "ticket-id"],
            {"a": 1},
            "fields.ticket-id",
            "ожидается строка или список строк, а в файле объект",
        ),
    ],
    ids=[
        "actions-a-string",
        "fields-a-list",
        "tick-time-a-number",
        "log-status-a-number",
        "closed-without-time",
        "field-an-object",
    ],
)
def test_an_import_with_wrong_inner_types_names_the_field_and_changes_nothing(
    tab, tmp_path, path, value, field, problem
):
    """Checked field by field before anything is written: not even «replace?» is asked."""
    page = tab.open(SEED)
    start(page, "50")
    page.check("[data-tick=check-known-solutions]")
    data = stored(page, "50")
    inner = data
    for key in path[:-1]:
        inner = inner[key]
    inner[path[-1]] = value
    (tmp_path / "t.json").write_text(json.dumps(data), "utf-8")
    before = page.evaluate("JSON.stringify(localStorage)")
    page.get_by_role("button", name="Загрузить .json").click()
    page.locator(".kb-ws input[type=file]").set_input_files(tmp_path / "t.json")
    expect(page.locator(ALARM)).to_have_text(
        f"Файл «t.json» не загружен: поле {field}: {problem}. Ничего не изменено."
    )
    assert page.evaluate("JSON.stringify(localStorage)") == before
    assert tab.dialogs == []
    expect(page.locator(STATE)).to_have_text("Обращение 50")


def test_a_second_close_asks_before_changing_the_outcome(tab):
    page = tab.open(SEED)
    start(page, "33")
    page.get_by_role("button", name="Закрыть обращение").click()
    page.get_by_label("решено", exact=True).check()
    page.get_by_role("button", name="Закрыть", exact=True).click()  # unticked items: accepted
    expect(page.locator(STATE)).to_have_text("Черновик без обращения")
    page.goto(tab.base + SEED + "?ticket=33")  # a closed ticket opened again
    expect(page.locator(STATE)).to_have_text("Обращение 33 · закрыто: решено")
    page.get_by_role("button", name="Закрыть обращение").click()
    page.get_by_label("не решено", exact=True).check()
    tab.confirm = False
    page.get_by_role("button", name="Закрыть", exact=True).click()
    assert tab.dialogs[-1] == (
        "confirm",
        "Обращение 33 уже закрыто 2 дек. 14:05 с итогом «решено». Изменить итог на «не решено»?",
    )
    assert stored(page, "33")["closed"]["outcome"] == "решено"
    expect(page.locator(STATE)).to_have_text("Обращение 33 · закрыто: решено")
    tab.confirm = True
    page.get_by_role("button", name="Закрыть", exact=True).click()
    expect(page.locator(STATE)).to_have_text("Черновик без обращения")
    assert stored(page, "33")["closed"]["outcome"] == "не решено"
