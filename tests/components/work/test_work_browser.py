"""The work page in Debian's Chromium, on the components' test site (fixtures only): the seed,
barrier-offline (other steps, no criteria, other statuses) and a page per component example
(field ids such as ``id``, ``name``, ``constructor``)."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from chromium import axe_violations, settle
from playwright.sync_api import expect

from components.conftest import main_regulations, open_tab

SEED = "main/regulations/escalation-to-development/work/"
NOW = "2026-12-05T10:05:00+03:00"


@pytest.fixture
def tab(browser, base):
    with open_tab(browser, base, NOW) as tab:
        yield tab


class Counter:
    """Clicks and keystrokes of a scenario, as a specialist makes them."""

    def __init__(self, page):
        self.page, self.clicks, self.keys = page, 0, 0

    def click(self, selector: str):
        self.clicks += 1
        self.page.locator(selector).locator("visible=true").first.click()

    def type(self, *texts: str):
        """Texts into the focused field and the ones after it (Tab between them)."""
        for n, text in enumerate(texts):
            if n:
                self.page.keyboard.press("Tab")
                self.keys += 1
            self.page.keyboard.insert_text(text)
            self.keys += len(text)


def work(tab, path=SEED, ticket="48213", client="Анна Сергеевна"):
    query = f"?ticket={quote(ticket)}" + (f"&client={quote(client)}" if client else "")
    page = tab.page
    page.goto(tab.base + path + query)  # not tab.open: forms of the closed steps are hidden
    expect(page.locator(".kb-work--live")).to_be_visible()
    expect(page.locator("[data-kb-current]")).to_contain_text(ticket)
    return page


def stored(page, ticket="48213") -> dict:
    return page.evaluate("id => JSON.parse(localStorage.getItem('kb.ticket.v2.' + id))", ticket)


def run_of(page, ticket="48213") -> dict:
    return stored(page, ticket)["runs"]["escalation-to-development"]


def open_steps(page) -> list[str]:
    return page.eval_on_selector_all(
        "[data-kb-step]:not([hidden])", "els => els.map(e => e.getAttribute('data-kb-step'))"
    )


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["wide", "phone"])
def test_critical_bug_scenario_in_few_clicks_and_typed_once(tab, viewport):
    tab.page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page = work(tab)
    user = Counter(page)
    assert open_steps(page) == ["confirm-escalation"]
    user.click("#w-term-product-bug")
    user.click("[data-kb-do=step-done]")
    assert open_steps(page) == ["describe-problem"]
    user.click("[data-kb-field=problem-summary]")
    user.type(
        "Турникет не открывается по QR",
        "С 5 декабря проход по QR не срабатывает.\nНа всех турникетах.",
        "Открыть приложение\nПоказать QR",
        "Турникет открывается",
        "Ничего не происходит",
    )
    user.click("[data-kb-do=step-done]")
    user.click("[data-kb-field=product-version]")
    user.type("3.2.1", "logs.zip", "shot.png", "Android 14")
    user.click("[data-kb-do=step-done]")
    # Step 4: the description typed at step 2 is in the tech doc, not typed again.
    preview = page.locator("[data-kb-step=prepare-documentation] [data-preview]")
    expect(preview).to_contain_text("С 5 декабря проход по QR не срабатывает.")
    expect(preview).to_contain_text("Ошибка программного продукта")  # the criterion ticked
    user.click("[data-kb-step=prepare-documentation] [id$=-priority_1]")
    user.click("[data-kb-step=prepare-documentation] textarea[name=impact]")
    user.type("Клиенты не проходят")
    user.click("[data-kb-step=prepare-documentation] [data-action=copy]")
    user.click("[data-kb-do=step-done]")
    assert open_steps(page) == ["escalate"]  # the priority is chosen already
    assert "critical-error" in run_of(page)["cases"]
    user.click("[data-kb-do=step-done]")
    user.click("[data-kb-step=notify-client] textarea[name=problem-description]")
    user.type("Турникет не открывается по QR", "", "Иван Петров")
    user.click("[data-kb-step=notify-client] [data-action=copy]")
    to_notification = user.clicks
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "По обращению 48213" in copied and "Иван Петров" in copied
    user.click("[data-kb-do=step-done]")
    for _ in range(6):
        user.click("[data-kb-step=monitor-status] [data-kb-do=log-add]")
    user.click("[data-kb-step=monitor-status] [data-kb-do=step-done]")
    user.click("#w-outcome-solved")
    user.click("[data-kb-do=close]")
    ticket = stored(page)
    run = run_of(page)
    steps = page.evaluate("fetch('work.json').then(r => r.json())")["steps"]
    assert all(a["id"] in run["ticks"] for s in steps for a in s["actions"])
    assert [c["template"] for c in ticket["copied"]] == [
        "developer-documentation",
        "client-notification",
    ]
    assert ticket["copied"][1]["text"] == copied  # the text sent, whole, for the record
    assert len(run["log"]) == 6
    assert ticket["closed"]["outcome"] == "solved"
    assert to_notification <= 20, to_notification
    assert user.clicks <= 40, user.clicks
    print(f"\n{viewport}: {user.clicks} clicks, {to_notification} to the notification")


def test_text_typed_for_one_ticket_never_shows_in_another(tab):
    page = work(tab, ticket="1001", client="")
    page.click("[data-kb-rail=monitor-status]")
    page.fill("[data-kb-step=monitor-status] [data-kb-draft]", "набрано, не добавлено")
    page.fill("[data-kb-note=monitor-status]", "заметка 1001")
    page.evaluate(
        "history.pushState(null, '', '?ticket=1002'); dispatchEvent(new PopStateEvent('popstate'))"
    )
    expect(page.locator("[data-kb-current]")).to_contain_text("1002")
    page.click("[data-kb-rail=monitor-status]")
    expect(page.locator("[data-kb-step=monitor-status] [data-kb-draft]")).to_have_value("")
    expect(page.locator("[data-kb-note=monitor-status]")).to_have_value("")
    assert "1001" not in json.dumps(stored(page, "1002"), ensure_ascii=False)
    page.go_back()
    expect(page.locator("[data-kb-current]")).to_contain_text("1001")
    expect(page.locator("[data-kb-step=monitor-status] [data-kb-draft]")).to_have_value(
        "набрано, не добавлено"
    )


def test_address_carries_the_ticket_and_back_returns_to_the_previous_one(tab):
    page = work(tab, ticket="A-1", client="")
    assert "ticket=A-1" in page.url
    page.evaluate(
        "history.pushState(null, '', '?ticket=B-2'); dispatchEvent(new PopStateEvent('popstate'))"
    )
    expect(page.locator("[data-kb-current]")).to_contain_text("B-2")
    page.go_back()
    expect(page.locator("[data-kb-current]")).to_contain_text("A-1")
    assert "ticket=A-1" in page.url


def test_a_double_click_adds_one_log_entry(tab):
    page = work(tab)
    page.click("[data-kb-rail=monitor-status]")
    page.dblclick("[data-kb-step=monitor-status] [data-kb-do=log-add]")
    expect(page.locator("[data-kb-step=monitor-status] [data-kb-entries] li")).to_have_count(1)
    assert len(run_of(page)["log"]) == 1


def test_client_from_the_link_is_one_line_and_text_only(tab):
    page = work(tab, client="Анна\n<img src=x onerror=alert(1)>")
    assert stored(page)["client"] == "Анна <img src=x onerror=alert(1)>"
    expect(page.locator("[data-kb-current]")).to_contain_text("<img src=x")
    assert page.locator("[data-kb-work] img").count() == 0


def test_a_priority_applies_its_case_and_another_value_removes_it(tab):
    page = work(tab)
    page.click("[data-kb-rail=prepare-documentation]")
    page.click("[data-kb-step=prepare-documentation] [id$=-priority_1]")
    assert run_of(page)["cases"]["critical-error"]["by"] == "priority=Критический"
    expect(page.locator("[data-kb-rail=escalate] [data-kb-state]")).to_have_text("особый случай")
    page.click("[data-kb-step=prepare-documentation] [id$=-priority_2]")
    assert "critical-error" not in run_of(page)["cases"]


def test_a_closed_ticket_reads_only_and_a_second_close_asks(tab):
    page = work(tab)
    page.click("[data-kb-rail=final]")
    page.click("#w-outcome-unsolved")
    page.click("[data-kb-do=close]")
    expect(page.locator("[data-kb-current]")).to_contain_text("не решено")
    page.click("[data-kb-rail=confirm-escalation]")
    expect(page.locator("#w-action-check-known-solutions")).to_be_disabled()
    page.click("[data-kb-rail=final]")
    tab.confirm = False
    page.click("#w-outcome-solved")
    page.click("[data-kb-do=close]")
    assert tab.dialogs[-1][0] == "confirm"
    assert stored(page)["closed"]["outcome"] == "unsolved"
    page.click("[data-kb-do=reopen]")
    page.click("[data-kb-rail=confirm-escalation]")
    expect(page.locator("#w-action-check-known-solutions")).to_be_enabled()
    assert [e["kind"] for e in stored(page)["events"]] == ["closed", "reopened"]


def test_none_of_the_criteria_closes_as_not_needed_in_one_click(tab):
    page = work(tab)
    page.click("[data-kb-do=not-needed]")
    ticket = stored(page)
    assert ticket["closed"]["outcome"] == "not-needed"
    assert run_of(page)["decision"]["warranted"] is False
    expect(page.locator("[data-kb-do=reopen]")).to_be_visible()


@pytest.mark.parametrize("slug", sorted(main_regulations()))
def test_every_fixture_runs_with_no_page_error(tab, slug):
    page = work(tab, path=f"main/regulations/{slug}/work/", ticket="7", client="")
    for _ in page.locator("[data-kb-step]").all():
        step = open_steps(page)
        if not step:
            break
        page.locator(f"[data-kb-step='{step[0]}'] [data-kb-do=step-done]").click()
    expect(page.locator("[data-kb-final]")).to_be_visible()
    run = stored(page, "7")["runs"][slug]
    model = page.evaluate("fetch('work.json').then(r => r.json())")
    assert sorted(run["ticks"]) == sorted(a["id"] for s in model["steps"] for a in s["actions"])


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["wide", "phone"])
@pytest.mark.parametrize("state", ["no-ticket", "open", "closed"])
def test_axe_finds_nothing(tab, viewport, state):
    tab.page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    if state == "no-ticket":
        page = tab.page
        page.goto(tab.base + SEED)
        expect(page.locator("[data-kb-open]")).to_be_visible()
    else:
        page = work(tab)
        if state == "closed":
            page.click("[data-kb-do=not-needed]")
            expect(page.locator("[data-kb-do=reopen]")).to_be_visible()
    settle(page)
    assert axe_violations(page) == []
