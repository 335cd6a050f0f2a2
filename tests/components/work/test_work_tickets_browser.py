"""The entries to the work page, in Debian's Chromium on the components' test site: the reading
page's link and the forward of its old ticket link (components/workspace), and «Мои обращения»
on the home page (work/home.mjs through tickets.mjs), drawn from the tickets' store: open and
closed, overdue first, keep days, tickets written by the retired reading-page run (kb.ticket.v1).
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

from bs4 import BeautifulSoup
from chromium import axe_violations
from conftest import ROOT
from playwright.sync_api import expect

from components.conftest import STORAGE_DENIED
from kb.vocabulary import TICKETS_WORDS, WORK

READING = "main/regulations/escalation-to-development/"
WORK_PAGE = READING + "work/"
HOME = "main/"
LIST = "#my-tickets ~ .kb-tickets [data-kb-tickets]"


def work(page, base, ticket, client=""):
    query = f"?ticket={quote(ticket)}" + (f"&client={quote(client)}" if client else "")
    page.goto(base + WORK_PAGE + query)
    expect(page.locator("[data-kb-current]")).to_contain_text(ticket)


def at(page, minute: int):
    """The clock at 10:0<minute> on the test's day: each ticket changed at a time of its own."""
    page.clock.set_fixed_time(f"2026-12-05T10:{minute:02d}:00+03:00")


def key(page, name: str):
    return page.evaluate("name => localStorage.getItem(name)", name)


def entries(page) -> list[str]:
    """Each line of the list, as read: its title lines and tickets, buttons left out."""
    return page.eval_on_selector_all(
        f"{LIST} > p, {LIST} li",
        """els => els.map(e => [...e.childNodes]
             .filter(n => n.nodeName !== 'BUTTON').map(n => n.textContent).join('').trim())""",
    )


# --- the reading page ----------------------------------------------------------------------------


def test_the_reading_page_has_one_entry_a_link_to_its_work_page(tools_site):
    html = (tools_site.www / READING / "index.html").read_text("utf-8")
    page = BeautifulSoup(html, "html.parser")
    links = page.select(".kb-work-entry a")
    assert [(a["href"], a.get_text()) for a in links] == [("work/", WORK["start"])]
    assert "md-button" in links[0]["class"]
    # Where the bar was: at the end of «Кратко», after its steps at a glance.
    entry = links[0].find_parent("p")
    assert entry.find_parent("section")["aria-labelledby"] == "brief"
    assert entry.find_next_sibling() is None and entry.find_previous_sibling("ol")
    assert (tools_site.www / WORK_PAGE / "index.html").is_file()
    assert page.select("[data-kb-tool=workspace], .kb-ws") == []
    assert not list(tools_site.www.rglob("run.*")), "the old run and its data are not published"


def test_the_old_ticket_link_forwards_to_the_work_page_in_one_history_entry(tab):
    page = tab.page
    page.goto(tab.base + HOME)
    seen: list[str] = []
    page.on("framenavigated", lambda frame: seen.append(frame.url))
    query = "?ticket=48213&client=" + quote("Анна Сергеевна")
    page.goto(tab.base + READING + query + "#step-describe-problem")
    expect(page.locator(".kb-work--live")).to_be_visible()
    expect(page.locator("[data-kb-current]")).to_contain_text("48213 · Анна Сергеевна")
    assert page.url == tab.base + WORK_PAGE + "?ticket=48213#step-describe-problem"
    expect(page.locator("[data-kb-step=describe-problem]")).to_be_visible()
    assert seen[:2] == [
        tab.base + READING + query + "#step-describe-problem",
        tab.base + WORK_PAGE + query + "#step-describe-problem",
    ]
    page.go_back()  # the reading page replaced itself: Back leads where the link was followed from
    expect(page).to_have_url(tab.base + HOME)


def test_the_reading_page_without_a_ticket_stays_and_its_generators_keep_drafts(tab):
    page = tab.open(READING)
    assert page.evaluate("window.kb.ticket") is None
    page.fill("#g_2-problem-summary", "Не сохраняются пропуска")
    page.reload()
    expect(page.locator("#g_2-problem-summary")).to_have_value("Не сохраняются пропуска")
    assert page.url == tab.base + READING
    page.get_by_role("link", name=WORK["start"]).click()
    expect(page.locator(".kb-work--live")).to_be_visible()
    assert page.evaluate("window.kb.ticket") == "work"  # the work page's own (main.mjs)


# --- «Мои обращения» on the home page ------------------------------------------------------------


def test_home_lists_open_and_closed_overdue_first_and_resumes_on_the_work_page(tab):
    page = tab.page
    at(page, 1)
    work(page, tab.base, "21", "Свежее")
    page.check("#w-action-check-known-solutions")
    at(page, 2)
    work(page, tab.base, "22", "Просроченное")
    page.click("[data-kb-rail=monitor-status]")
    page.fill("[data-kb-step=monitor-status] [data-kb-log-next]", "2026-11-30")
    page.click("[data-kb-step=monitor-status] [data-kb-do=log-add]")
    at(page, 3)
    work(page, tab.base, "23")
    page.check("#w-action-check-known-solutions")
    page.click("[data-kb-rail=final]")
    page.click("#w-outcome-solved")
    page.click("[data-kb-do=close]")
    expect(page.locator("[data-kb-current]")).to_contain_text("решено")
    with page.expect_download():
        page.click("[data-kb-do=record-md]")  # exported: not marked
    at(page, 4)
    work(page, tab.base, "24", "Ещё")
    page.click("[data-kb-do=step-done]")  # the newest change, yet after the overdue one

    page.goto(tab.base + HOME)
    title = "Эскалация в отдел разработки"
    expect(page.locator(LIST + " li")).to_have_count(4)
    assert entries(page) == [
        "Открытые (3)",
        f"22 · Просроченное — проверка 30 нояб. 2026 просрочена; {title}; запись не сохранена",
        f"24 · Ещё — {title}; запись не сохранена",
        f"21 · Свежее — {title}; запись не сохранена",
        "Закрытые (1)",
        f"23 — {title}; решено",
    ]
    hrefs = page.eval_on_selector_all(
        LIST + " li > a", "links => links.map(a => a.getAttribute('href'))"
    )
    assert hrefs == [
        f"./regulations/escalation-to-development/work/?ticket={n}" for n in (22, 24, 21, 23)
    ]
    expect(page.locator("#my-tickets ~ .kb-tickets .kb-tickets__keep")).to_have_text(
        "Данные хранятся только в этом браузере; закрытые обращения удаляются через 30 дней."
    )
    assert axe_violations(page) == []
    page.get_by_role("link", name="21 · Свежее").click()
    expect(page.locator("[data-kb-current]")).to_contain_text("21 · Свежее")
    expect(page.locator("#w-action-check-known-solutions")).to_be_checked()


def test_a_ticket_opened_and_not_yet_worked_links_to_its_work_page(tab):
    page = tab.page
    work(page, tab.base, "31", "Только открыт")
    page.goto(tab.base + HOME)
    link = page.get_by_role("link", name="31 · Только открыт")
    expect(link).to_have_attribute(
        "href", "./regulations/escalation-to-development/work/?ticket=31"
    )


def test_home_deletes_a_ticket_only_after_confirmation(tab):
    page = tab.page
    work(page, tab.base, "31")
    page.check("#w-action-check-known-solutions")
    page.goto(tab.base + HOME)
    delete = page.get_by_role("button", name="Удалить обращение 31")
    tab.confirm = False
    delete.click()
    assert tab.dialogs == [
        ("confirm", "Удалить обращение 31 из этого браузера? Это нельзя отменить.")
    ]
    expect(page.locator(LIST + " li")).to_have_count(1)
    assert key(page, "kb.ticket.v2.31") is not None
    tab.confirm = True
    delete.click()
    expect(page.locator(LIST)).to_have_text("Открытых обращений нет.")
    assert key(page, "kb.ticket.v2.31") is None
    expect(page.locator(LIST)).to_be_focused()


def test_home_without_tickets_says_so(tab):
    page = tab.open(HOME)
    expect(page.locator(LIST)).to_have_text("Открытых обращений нет.")
    assert axe_violations(page) == []


def test_home_names_unreadable_tickets_and_lists_the_others(tab):
    page = tab.page
    work(page, tab.base, "41")
    page.check("#w-action-check-known-solutions")
    page.evaluate("localStorage.setItem('kb.ticket.v2.broken', '{not json')")
    page.goto(tab.base + HOME)
    expect(page.locator(LIST + " li")).to_have_count(1)
    assert entries(page)[-1] == "Не прочитаны повреждённые записи: broken"
    assert key(page, "kb.ticket.v2.broken") == "{not json"  # never removed nor overwritten


def test_home_with_storage_denied_says_the_tickets_cannot_be_read(tab):
    tab.page.add_init_script(STORAGE_DENIED)
    page = tab.open(HOME)
    expect(page.locator(LIST)).to_have_text(
        "Хранилище браузера недоступно: сохранённые обращения не прочитаны."
    )


def test_home_without_javascript_says_the_list_needs_it(browser, base):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + HOME)
    expect(page.locator(LIST)).to_have_text(
        "Список обращений этого браузера показывается только с JavaScript."
    )
    context.close()


CLOSED_10_DAYS_AGO = """localStorage.setItem('kb.ticket.v2.old', JSON.stringify({
  format: 'kb.ticket.v2', id: 'old', number: 'old', client: '', created: '2026-11-20T00:00:00Z',
  updated: '2026-11-25T00:00:00Z', closed: {at: '2026-11-25T00:00:00Z', outcome: 'unsolved'},
  events: [], exported: null, fields: {}, copied: [], drafts: {}, runs: {}}))"""


def test_keep_days_of_closed_tickets_come_from_mkdocs_yml(tab):
    page = tab.open(HOME)  # extra.kb.keep_closed_days: 30
    page.evaluate(CLOSED_10_DAYS_AGO)
    page.reload()
    expect(page.locator(LIST)).to_contain_text("Закрытые (1)")
    assert key(page, "kb.ticket.v2.old") is not None
    page.goto(tab.base + "edited/")  # the same browser storage; keep_closed_days: 7
    expect(page.locator(LIST)).to_have_text("Открытых обращений нет.")
    expect(page.locator(".kb-tickets__keep")).to_contain_text("удаляются через 7 дней.")
    assert key(page, "kb.ticket.v2.old") is None


def test_the_work_page_also_removes_closed_tickets_past_the_keep_days(tab):
    page = tab.open(HOME)
    page.evaluate(CLOSED_10_DAYS_AGO)
    page.goto(tab.base + WORK_PAGE)  # keep_closed_days: 30
    expect(page.locator(".kb-work--live")).to_be_visible()
    assert key(page, "kb.ticket.v2.old") is not None
    page.goto(tab.base + "edited/regulations/escalation-to-development/work/")  # 7 days
    expect(page.locator(".kb-work--live")).to_be_visible()
    assert key(page, "kb.ticket.v2.old") is None


# Two tickets as the retired reading-page run (run.js) stored them.
V1_RUN = {
    "title": "Эскалация в отдел разработки",
    "version": "1.0",
    "started": "2026-11-20T09:00:00Z",
    "fingerprint": "1a2b3c",
    "actions": {"check-known-solutions": "9f8e"},
    "ticks": {"check-known-solutions": "2026-11-20T09:01:00Z"},
    "notes": {"confirm-escalation": "Проверено"},
    "na": {},
    "cases": {},
    "criteria": {},
    "decision": None,
    "checklist": {},
    "log": [
        {"at": "2026-11-21T09:00:00Z", "status": "in-progress", "note": "", "next": "2026-12-01"}
    ],
}
V1_TICKETS = {
    "48213": {
        "format": "kb.ticket.v1",
        "id": "48213",
        "number": "48213",
        "client": "Анна Сергеевна",
        "created": "2026-11-20T09:00:00Z",
        "updated": "2026-11-21T09:00:00Z",
        "closed": None,
        "fields": {"ticket-id": "48213", "client-name": "Анна Сергеевна"},
        "runs": {"escalation-to-development": V1_RUN},
        "copied": {},
    },
    "48100": {
        "format": "kb.ticket.v1",
        "id": "48100",
        "number": "48100",
        "client": "",
        "created": "2026-11-30T09:00:00Z",
        "updated": "2026-12-01T09:00:00Z",
        "closed": {
            "at": "2026-12-01T09:00:00Z",
            "outcome": "эскалация не потребовалась",
            "unticked": [],
        },
        "fields": {},
        "runs": {"escalation-to-development": {**V1_RUN, "log": []}},
        "copied": {},
    },
}


def test_tickets_stored_by_the_old_run_are_listed_migrated_and_resume(tab):
    page = tab.open(HOME)
    page.evaluate(
        "tickets => { for (const [id, t] of Object.entries(tickets)) "
        "localStorage.setItem('kb.ticket.v1.' + id, JSON.stringify(t)) }",
        V1_TICKETS,
    )
    page.reload()
    title = "Эскалация в отдел разработки"
    expect(page.locator(LIST + " li")).to_have_count(2)
    assert entries(page) == [
        "Открытые (1)",
        f"48213 · Анна Сергеевна — проверка 1 дек. 2026 просрочена; {title}; запись не сохранена",
        "Закрытые (1)",
        f"48100 — {title}; эскалация не потребовалась; запись не сохранена",
    ]
    for number in V1_TICKETS:
        assert key(page, "kb.ticket.v1." + number) is None
        assert json.loads(key(page, "kb.ticket.v2." + number))["format"] == "kb.ticket.v2"
    page.get_by_role("link", name="48213 · Анна Сергеевна").click()
    expect(page.locator("#w-action-check-known-solutions")).to_be_checked()


def test_a_ticket_changed_in_another_tab_shows_in_the_home_list(tab):
    page = tab.open(HOME)
    other = tab.context.new_page()
    work(other, tab.base, "77")
    other.check("#w-action-check-known-solutions")
    expect(page.locator(LIST + " li")).to_have_count(1)
    assert entries(page) == [
        "Открытые (1)",
        "77 — Эскалация в отдел разработки; запись не сохранена",
    ]


# --- one home for the words ----------------------------------------------------------------------


def test_every_word_the_home_list_uses_is_handed_to_it():
    """The home page has no model: its macro hands the list TICKETS_WORDS, so every word the
    list's modules read must be among them (and be WORK's)."""
    work = ROOT / "overrides" / "kb" / "components" / "work"
    used = {
        word
        for name in ("home.mjs", "tickets.mjs", "when.mjs")
        for word in re.findall(r"\bwords\.(\w+)", (work / name).read_text("utf-8"))
    }
    assert used and used <= set(TICKETS_WORDS)
    assert all(TICKETS_WORDS[word] == WORK[word] for word in TICKETS_WORDS)
