"""The checklist in Debian's Chromium, on the components' test site (fixtures only)."""

from __future__ import annotations

import pytest
from chromium import axe_violations
from playwright.sync_api import expect

from components.conftest import STORAGE_DENIED, STORAGE_FULL, examples, page_of

SEED = "main/regulations/escalation-to-development/"
PROGRESS = ".kb-checklist__progress"
NOTE = ".kb-checklist__storage"


def checked(page) -> list[str]:
    return page.eval_on_selector_all(
        ".kb-checklist input", "boxes => boxes.filter(b => b.checked).map(b => b.name)"
    )


def test_checklist_progress_persists_and_resets(tab):
    page = tab.open(SEED)
    progress = page.locator(PROGRESS)
    expect(progress).to_have_text("Выполнено: 0 из 9")
    page.focus(".kb-checklist input[name=need-confirmed]")
    page.keyboard.press("Space")
    page.check(".kb-checklist input[name=handed-over]")
    page.check(".kb-checklist input[name=client-informed]")
    expect(progress).to_have_text("Выполнено: 3 из 9")
    page.uncheck(".kb-checklist input[name=client-informed]")
    page.check(".kb-checklist input[name=client-notified]")
    page.reload()
    expect(progress).to_have_text("Выполнено: 3 из 9")
    assert checked(page) == ["need-confirmed", "handed-over", "client-notified"]
    stored = page.evaluate(
        "JSON.parse(localStorage.getItem('kb.checklist.escalation-to-development'))"
    )
    assert stored == {"need-confirmed": True, "handed-over": True, "client-notified": True}

    page.click(".kb-checklist-tool [data-action=reset]")
    expect(progress).to_have_text("Выполнено: 0 из 9")
    assert checked(page) == []
    page.reload()
    expect(progress).to_have_text("Выполнено: 0 из 9")
    assert checked(page) == []


def test_checklist_is_keyed_by_item_id_not_wording_or_position(tab):
    page = tab.open(SEED)
    page.check(".kb-checklist input[name=handed-over]")
    page.check(".kb-checklist input[name=monitoring-set-up]")
    # The same regulation after an edit: an item reworded, another inserted at the top.
    page.goto(tab.base + "edited/regulations/escalation-to-development/")
    expect(page.locator(PROGRESS)).to_have_text("Выполнено: 2 из 10")
    assert checked(page) == ["handed-over", "monitoring-set-up"]
    expect(page.locator("#check-handed-over")).to_have_text("Задача создана в системе разработки")


def test_ticks_survive_instant_navigation(tab):
    page = tab.open(SEED)
    page.check(".kb-checklist input[name=handed-over]")
    page.evaluate("window.kbTestMarker = 1")
    page.click("a.md-header__button.md-logo")
    expect(page.locator("h3.kb-card__title a").first).to_be_visible()
    page.click("h3.kb-card__title a >> text=Эскалация в отдел разработки")
    expect(page.locator(PROGRESS)).to_have_text("Выполнено: 1 из 9")
    assert page.evaluate("window.kbTestMarker") == 1  # no page load happened
    assert checked(page) == ["handed-over"]
    # The remounted checklist still saves.
    page.check(".kb-checklist input[name=client-informed]")
    expect(page.locator(PROGRESS)).to_have_text("Выполнено: 2 из 9")


def test_printing_shows_every_checklist_item(tab):
    page = tab.open(SEED)
    page.check(".kb-checklist input[name=handed-over]")
    page.emulate_media(media="print")
    items = page.locator(".kb-checklist li")
    assert items.count() == 9
    for item in items.all():
        expect(item).to_be_visible()
    expect(page.locator(".kb-checklist-tool [data-action=reset]")).to_be_hidden()


def test_without_javascript_the_checkboxes_still_work(browser, base):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + SEED)
    expect(page.locator(PROGRESS)).to_be_hidden()
    box = page.locator(".kb-checklist input").first
    expect(box).to_be_visible()
    box.check()
    expect(box).to_be_checked()
    context.close()


# --- storage that fails ------------------------------------------------------------------------


def test_unavailable_storage_never_breaks_the_checklist(tab):
    tab.page.add_init_script(STORAGE_DENIED)
    page = tab.open(SEED)
    expect(page.locator(NOTE)).to_have_text(
        "Отметки не сохраняются: хранилище браузера недоступно."
    )
    page.locator(".kb-checklist input").first.check()
    expect(page.locator(PROGRESS)).to_have_text("Выполнено: 1 из 9")
    # Material's own scripts read localStorage unguarded and throw; ours never do.
    tab.errors = [error for error in tab.errors if "/kb/" in error]


def test_full_storage_is_reported_and_the_checklist_keeps_working(tab):
    tab.page.add_init_script(STORAGE_FULL)
    page = tab.open(SEED)
    expect(page.locator(PROGRESS)).to_have_text("Выполнено: 0 из 9")
    expect(page.locator(NOTE)).to_have_text("")
    page.locator(".kb-checklist input").first.check()
    expect(page.locator(NOTE)).to_have_text(
        "Отметки не сохраняются: хранилище браузера недоступно или переполнено."
    )
    expect(page.locator(PROGRESS)).to_have_text("Выполнено: 1 из 9")


@pytest.mark.parametrize("junk", ["{not json", '{"values": 5}', "[1, 2]", "null", '"text"'])
def test_corrupted_ticks_are_discarded(tab, junk):
    page = tab.open(SEED)
    page.evaluate(
        "junk => localStorage.setItem('kb.checklist.escalation-to-development', junk)", junk
    )
    page.reload()
    expect(page.locator(PROGRESS)).to_have_text("Выполнено: 0 из 9")
    assert checked(page) == []
    page.check(".kb-checklist input[name=handed-over]")
    page.reload()
    expect(page.locator(PROGRESS)).to_have_text("Выполнено: 1 из 9")
    assert checked(page) == ["handed-over"]


# --- every example -------------------------------------------------------------------------


@pytest.mark.parametrize("item", examples("checklist"), ids=lambda e: e["name"])
def test_every_example_counts_ticks_and_passes_axe(tab, item):
    tab.page.set_viewport_size({"width": 375, "height": 900})  # a phone: the narrowest layout
    page = tab.open(page_of("checklist", item))
    ids = [entry["id"] for entry in item["regulation"]["checklist"]]
    total = len(ids)
    expect(page.locator(PROGRESS)).to_have_text(f"Выполнено: 0 из {total}")
    assert axe_violations(page) == []
    for done, name in enumerate(ids, start=1):
        page.check(f".kb-checklist input[name={name}]")
        expect(page.locator(PROGRESS)).to_have_text(f"Выполнено: {done} из {total}")
    assert checked(page) == ids
    assert axe_violations(page) == []
    assert tab.dialogs == []


def test_axe_finds_no_violations_on_the_seed_with_ticks(tab):
    page = tab.open(SEED)
    page.check(".kb-checklist input[name=handed-over]")
    expect(page.locator(PROGRESS)).to_have_text("Выполнено: 1 из 9")
    assert axe_violations(page) == []
