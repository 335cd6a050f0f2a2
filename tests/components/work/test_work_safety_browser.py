"""The work page's data safety in Debian's Chromium (issue 17, items 6–8): a ticket in and out as
JSON, its record printed alone, the storage's alarms (blocked, full, a corrupted ticket), one
ticket in two tabs, and «Очистить» in a template."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from components.conftest import STORAGE_DENIED
from components.work.test_work_browser import SEED, run_of, stored, work

SLUG = "escalation-to-development"
ALARM = "[data-kb-alarm]"
NOTIFY = "[data-kb-step=notify-client]"
TECH = "[data-kb-step=prepare-documentation]"

# setItem throws QuotaExceededError while window.kbFull is true (set by the test).
STORAGE_FILLS = """
const setItem = Storage.prototype.setItem;
Storage.prototype.setItem = function (key, value) {
  if (window.kbFull) throw new DOMException('full', 'QuotaExceededError');
  return setItem.call(this, key, value);
};
"""
# Counts the calls of navigator.storage.persist().
PERSIST_COUNTED = """
window.kbPersisted = 0;
if (navigator.storage) navigator.storage.persist = () => (window.kbPersisted++, Promise.resolve(true));
"""


def everything(page) -> dict:
    return page.evaluate("Object.fromEntries(Object.entries(localStorage))")


def upload(page, name: str, text: str):
    page.set_input_files(
        "[data-kb-import]",
        files=[{"name": name, "mimeType": "application/json", "buffer": text.encode()}],
    )


def exported(page) -> str:
    with page.expect_download() as download:
        page.click("[data-kb-do=export]")
    return download.value.path().read_text("utf-8")


def filled_ticket(tab):
    page = work(tab)
    page.check("#w-term-product-bug")
    page.fill("[data-kb-note=confirm-escalation]", "Проверено")
    return page


V1_BAD_ACTIONS = {
    "format": "kb.ticket.v1",
    "id": "48213",
    "created": "2026-12-01T09:00:00.000Z",
    "updated": "2026-12-01T09:00:00.000Z",
    "runs": {
        SLUG: {
            "ticks": {},
            "na": {},
            "notes": {},
            "cases": {},
            "criteria": {},
            "decision": None,
            "checklist": {},
            "log": [],
            "actions": "x",
        }
    },
}


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("{не json", "это не JSON"),
        ('{"format": "kb.other", "id": "48213"}', "поле format"),
        (json.dumps(V1_BAD_ACTIONS), f"поле runs.{SLUG}.actions: ожидается объект"),
        ("ticks", f"поле runs.{SLUG}.ticks: ожидается объект"),
    ],
    ids=["not-json", "wrong-format", "v1-actions-x", "v2-ticks-x"],
)
def test_a_bad_file_is_refused_naming_the_field_and_nothing_changes(tab, text, said):
    page = filled_ticket(tab)
    if text == "ticks":  # the ticket's own export with one inner type wrong
        ticket = json.loads(exported(page))
        ticket["runs"][SLUG]["ticks"] = "x"
        text = json.dumps(ticket)
    before = everything(page)
    upload(page, "плохой.json", text)
    expect(page.locator(ALARM)).to_contain_text("Файл «плохой.json» не загружен")
    expect(page.locator(ALARM)).to_contain_text(said)
    expect(page.locator(ALARM)).to_contain_text("Ничего не изменено")
    assert everything(page) == before
    expect(page.locator("[data-kb-ask]")).to_be_hidden()
    expect(page.locator("[data-kb-note=confirm-escalation]")).to_have_value("Проверено")


def test_importing_a_ticket_here_asks_and_keep_both_keeps_the_number_in_texts(tab):
    page = filled_ticket(tab)
    text = exported(page)
    upload(page, "48213.json", text)
    ask = page.locator("[data-kb-ask]")
    expect(ask).to_contain_text("Обращение 48213 уже есть")
    expect(page.locator("[data-kb-do=import-keep]")).to_be_focused()
    before = everything(page)
    page.click("[data-kb-do=import-cancel]")
    expect(ask).to_be_hidden()
    assert everything(page) == before

    upload(page, "48213.json", text)
    page.click("[data-kb-do=import-keep]")
    expect(page.locator("[data-kb-current]")).to_contain_text("Обращение 48213 · Анна Сергеевна")
    assert "ticket=48213%20(" in page.url
    copy = stored(page, "48213 (копия)")
    assert copy["number"] == "48213"
    letter = page.locator(f"{NOTIFY} [data-preview]").text_content()
    assert "По обращению 48213" in letter and "копия" not in letter
    page.fill("[data-kb-note=confirm-escalation]", "правка копии")

    # The same file again: asked again, and the copy is never overwritten.
    upload(page, "48213.json", text)
    expect(ask).to_be_visible()
    page.click("[data-kb-do=import-keep]")
    expect(page.locator(ALARM)).to_contain_text("Загружено обращение 48213 (копия 2)")
    assert run_of(page, "48213 (копия)")["notes"]["confirm-escalation"] == "правка копии"
    assert run_of(page, "48213 (копия 2)")["notes"]["confirm-escalation"] == "Проверено"

    # «Заменить» writes the file over the ticket of its id.
    upload(page, "48213.json", text.replace("Проверено", "из файла"))
    page.click("[data-kb-do=import-replace]")
    expect(page.locator("[data-kb-note=confirm-escalation]")).to_have_value("из файла")
    assert run_of(page)["notes"]["confirm-escalation"] == "из файла"


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
def test_printing_shows_the_record_alone(tab, closed):
    page = work(tab, client="Анна <img src=x onerror=alert(1)>")
    page.check("#w-term-product-bug")
    if closed:
        page.click("[data-kb-do=not-needed]")
        expect(page.locator("[data-kb-do=reopen]")).to_be_visible()
    page.emulate_media(media="print")
    shown = page.locator("body").inner_text()
    record = page.locator("[data-kb-print]")
    expect(record).to_be_visible()
    assert shown.strip() == record.inner_text().strip()
    assert shown.startswith("Обращение 48213 — ")
    assert "Анна <img src=x onerror=alert(1)>" in shown  # the value as text, escaped
    assert page.locator("[data-kb-work] img").count() == 0
    for control in ("Шаг выполнен", "Читать регламент", "Скачать JSON"):
        assert control not in shown
    if closed:
        assert "эскалация не потребовалась" in shown
    page.emulate_media(media="screen")
    expect(record).to_be_hidden()


def test_the_print_button_prints(tab):
    tab.page.add_init_script(
        "window.print = () => (window.kbPrinted = (window.kbPrinted || 0) + 1)"
    )
    page = work(tab)
    page.click("[data-kb-do=print]")
    assert page.evaluate("window.kbPrinted") == 1


def test_persistent_storage_is_asked_for_once(tab):
    tab.page.add_init_script(PERSIST_COUNTED)
    page = work(tab, ticket="1")
    page.wait_for_function("window.kbPersisted === 1")
    page.evaluate(
        "history.pushState(null, '', '?ticket=2'); dispatchEvent(new PopStateEvent('popstate'))"
    )
    expect(page.locator("[data-kb-current]")).to_contain_text("Обращение 2")
    assert page.evaluate("window.kbPersisted") == 1


def test_blocked_storage_says_the_ticket_lives_in_this_tab_and_work_goes_on(tab):
    tab.page.add_init_script(STORAGE_DENIED)
    page = work(tab)
    expect(page.locator(ALARM)).to_contain_text("только в этой вкладке")
    page.check("#w-term-product-bug")
    page.fill("[data-kb-note=confirm-escalation]", "набрано")
    page.click("[data-kb-step=confirm-escalation] [data-kb-do=step-done]")
    expect(page.locator("[data-kb-rail=confirm-escalation] [data-kb-state]")).to_have_text(
        "выполнен"
    )
    page.click("[data-kb-rail=confirm-escalation]")
    expect(page.locator("[data-kb-note=confirm-escalation]")).to_have_value("набрано")
    expect(page.locator("#w-term-product-bug")).to_be_checked()
    expect(page.locator(ALARM)).to_contain_text("только в этой вкладке")


def test_full_storage_names_what_is_unsaved_loses_nothing_and_saves_when_room_returns(tab):
    tab.page.add_init_script(STORAGE_FILLS)
    page = work(tab)
    page.check("#w-action-check-known-solutions")
    page.evaluate("window.kbFull = true")
    page.fill("[data-kb-note=confirm-escalation]", "набрано при полном хранилище")
    page.check("#w-term-product-bug")
    alarm = page.locator(ALARM)
    expect(alarm).to_contain_text("Не сохранено")
    expect(alarm).to_contain_text("заметки к шагам")
    expect(alarm).to_contain_text("критерии")
    # Nothing on screen is lost: the note typed and the tick before it stay.
    expect(page.locator("[data-kb-note=confirm-escalation]")).to_have_value(
        "набрано при полном хранилище"
    )
    expect(page.locator("#w-action-check-known-solutions")).to_be_checked()
    assert "product-bug" not in run_of(page)["criteria"]
    # The JSON export is what is on screen, not the stale stored copy.
    run = json.loads(exported(page))["runs"][SLUG]
    assert run["notes"]["confirm-escalation"] == "набрано при полном хранилище"
    assert "product-bug" in run["criteria"]

    page.evaluate("window.kbFull = false")
    page.check("#w-term-feature-change")
    expect(alarm).to_be_empty()
    page.reload()
    expect(page.locator("[data-kb-note=confirm-escalation]")).to_have_value(
        "набрано при полном хранилище"
    )
    for box in ("#w-action-check-known-solutions", "#w-term-product-bug"):
        expect(page.locator(box)).to_be_checked()


def test_a_corrupted_ticket_is_reported_and_the_others_open(tab):
    page = work(tab)
    page.evaluate("localStorage.setItem('kb.ticket.v2.666', '{испорчено')")
    page.goto(tab.base + SEED + "?ticket=666")
    expect(page.locator(ALARM)).to_contain_text("Обращение 666 в этом браузере повреждено")
    expect(page.locator(ALARM)).to_contain_text("это не JSON")
    assert page.evaluate("localStorage.getItem('kb.ticket.v2.666')") == "{испорчено"
    page.fill("[data-kb-open-number]", "48213")
    page.click("[data-kb-open] [type=submit]")
    expect(page.locator("[data-kb-current]")).to_contain_text("Обращение 48213 · Анна Сергеевна")


def sees(page, text: str, ticket="48213"):
    """Wait until `page` reads `text` in the stored ticket: tabs may live in two processes,
    whose copies of localStorage meet a moment later."""
    page.wait_for_function(
        "([id, text]) => (localStorage.getItem('kb.ticket.v2.' + id) || '').includes(text)",
        arg=[ticket, json.dumps(text, ensure_ascii=False)[1:-1]],
    )


def test_one_ticket_in_two_tabs_keeps_what_both_typed(tab):
    first = work(tab)
    second = tab.context.new_page()
    second.on("pageerror", lambda error: tab.errors.append(str(error)))
    second.goto(tab.base + SEED + "?ticket=48213")
    expect(second.locator("[data-kb-current]")).to_contain_text("48213")

    # Notes of two steps, one in each tab: both kept.
    first.fill("[data-kb-note=confirm-escalation]", "первая вкладка")
    sees(second, "первая вкладка")
    second.click("[data-kb-rail=describe-problem]")
    second.fill("[data-kb-note=describe-problem]", "вторая вкладка")
    sees(first, "вторая вкладка")
    notes = run_of(first)["notes"]
    assert notes == {"confirm-escalation": "первая вкладка", "describe-problem": "вторая вкладка"}

    # One text typed in both at once: both versions kept, and the alarm says so.
    first.click("[data-kb-rail=describe-problem]")
    first.focus("[data-kb-field=problem-summary]")
    second.focus("[data-kb-field=problem-summary]")
    first.keyboard.insert_text("Шлагбаум")
    sees(second, "Шлагбаум")
    second.keyboard.insert_text("Турникет")
    assert stored(second)["fields"]["problem-summary"] == "Шлагбаум / Турникет"
    expect(second.locator(ALARM)).to_contain_text("изменили и в другой вкладке")
    expect(second.locator(ALARM)).to_contain_text("Проблема")
    expect(second.locator("[data-kb-field=problem-summary]")).to_have_value("Шлагбаум / Турникет")

    # The same for a step's note.
    first.focus("[data-kb-note=describe-problem]")
    second.focus("[data-kb-note=describe-problem]")
    first.keyboard.insert_text(" и первая")
    sees(second, "вторая вкладка и первая")
    second.keyboard.insert_text(" и ещё вторая")
    note = run_of(second)["notes"]["describe-problem"]
    assert note == "вторая вкладка и первая\nвторая вкладка и ещё вторая", note
    expect(second.locator(ALARM)).to_contain_text("Заметка к шагу")
    sees(first, "и ещё вторая")


def test_clear_in_the_client_notification_keeps_shared_values_and_undo_restores(tab):
    page = work(tab)
    page.click("[data-kb-rail=notify-client]")
    page.fill(f"{NOTIFY} textarea[name=problem-description]", "Не работает QR")
    page.fill(f"{NOTIFY} textarea[name=workaround]", "Проход по карте")
    page.fill(f"{NOTIFY} input[name=specialist-name]", "Иван Петров")
    page.click(f"{NOTIFY} [data-action=clear]")
    fields = stored(page)["fields"]
    assert fields["problem-description"] == "" and fields["specialist-name"] == ""
    assert fields["workaround"] == "Проход по карте"  # the tech doc uses it
    assert stored(page)["client"] == "Анна Сергеевна"
    notice = page.locator(f"{NOTIFY} .kb-work__undo")
    expect(notice).to_contain_text("Очищено: Описание проблемы, Имя специалиста")
    expect(notice).to_contain_text("Оставлено")
    for kept in ("Номер обращения (ID)", "Имя клиента", "Временное решение"):
        expect(notice).to_contain_text(kept)
    # The form shows what was kept; the texts keep the number.
    expect(page.locator(f"{NOTIFY} input[name=ticket-id]")).to_have_value("48213")
    expect(page.locator(f"{NOTIFY} textarea[name=workaround]")).to_have_value("Проход по карте")
    expect(page.locator(f"{NOTIFY} [data-preview]")).to_contain_text("48213")

    page.click(f"{NOTIFY} [data-kb-do=undo-clear]")
    fields = stored(page)["fields"]
    assert fields["problem-description"] == "Не работает QR"
    assert fields["specialist-name"] == "Иван Петров"
    expect(page.locator(f"{NOTIFY} textarea[name=problem-description]")).to_have_value(
        "Не работает QR"
    )
    expect(notice).to_be_hidden()


def test_clear_in_the_tech_doc_keeps_the_priority_and_its_case_and_the_criteria(tab):
    page = work(tab)
    page.check("#w-term-product-bug")
    page.click("[data-kb-rail=prepare-documentation]")
    page.click(f"{TECH} [id$=-priority_1]")
    page.fill(f"{TECH} textarea[name=impact]", "Клиенты не проходят")
    page.click(f"{TECH} [data-action=clear]")
    fields = stored(page)["fields"]
    assert fields["impact"] == "" and fields["priority"] == "Критический"
    assert "critical-error" in run_of(page)["cases"]
    assert "product-bug" in run_of(page)["criteria"]
    expect(page.locator(f"{TECH} [id$=-priority_1]")).to_be_checked()
    expect(page.locator(f"{TECH} [data-preview]")).to_contain_text("Ошибка программного продукта")
    # A value that applied a case, emptied: the case goes with it.
    page.evaluate(
        """form => form.dispatchEvent(new CustomEvent('kb-change', {bubbles: true,
            detail: {field: 'priority', values: {priority: ''}}}))""",
        page.locator(f"{TECH} form.kb-gen").element_handle(),
    )
    assert "critical-error" not in run_of(page)["cases"]
