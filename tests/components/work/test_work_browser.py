"""The work page in Debian's Chromium, on the components' test site (fixtures only): the seed,
barrier-offline (other steps, no criteria, other statuses) and a page per component example
(field ids such as ``id``, ``name``, ``constructor``)."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from chromium import axe_violations, settle
from playwright.sync_api import expect

from components.conftest import main_regulations

SEED = "main/regulations/escalation-to-development/work/"


# The farthest control of the open step: every visible enabled control's top, from the step's
# top (getBoundingClientRect: the page's layout as the specialist sees it).
FARTHEST = """() => {
  const step = document.querySelector('[data-kb-step]:not([hidden]), [data-kb-final]:not([hidden])');
  const top = step.getBoundingClientRect().top;
  const controls = [...step.querySelectorAll('input, textarea, select, button, a[href], summary')]
    .filter((c) => !c.disabled && c.checkVisibility({ visibilityProperty: true }));
  const far = controls.map((c) => [Math.round(c.getBoundingClientRect().top - top),
    c.id || c.getAttribute('data-kb-do') || c.getAttribute('data-action') || c.tagName.toLowerCase()]);
  return far.reduce((a, b) => (b[0] > a[0] ? b : a), [0, '']);
}"""


def farthest(page) -> tuple[int, str]:
    """The open step's farthest control: (its top, px below the step's top; its name)."""
    settle(page)
    top, name = page.evaluate(FARTHEST)
    return top, name


def within_reach(reach: dict, height: int) -> None:
    """Every step's farthest control within 1.5 screens of its top (issue 17, item 2)."""
    over = {step: far for step, far in reach.items() if far[0] > 1.5 * height}
    assert not over, f"farther than {1.5 * height:.0f} px from the step's top: {over}; all: {reach}"


class Counter:
    """Clicks, keystrokes and scrolling of a scenario, as a specialist makes them: before each
    click the page scrolls as little as brings its target into view (what the page scrolls by
    itself, e.g. to the next step's top, is not counted)."""

    def __init__(self, page):
        self.page, self.clicks, self.keys, self.scrolled = page, 0, 0, 0

    def click(self, selector: str):
        self.clicks += 1
        target = self.page.locator(selector).locator("visible=true").first
        before = self.page.evaluate("scrollY")
        target.scroll_into_view_if_needed()
        self.scrolled += abs(self.page.evaluate("scrollY") - before)
        target.click()

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


def not_applicable(page, ticket="48213") -> dict:
    """The ticket's steps marked not applicable (none before its run begins)."""
    return stored(page, ticket)["runs"].get("escalation-to-development", {}).get("na", {})


def open_steps(page) -> list[str]:
    return page.eval_on_selector_all(
        "[data-kb-step]:not([hidden])", "els => els.map(e => e.getAttribute('data-kb-step'))"
    )


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["wide", "phone"])
def test_critical_bug_scenario_in_few_clicks_and_typed_once(tab, viewport):
    tab.page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page = work(tab)
    user = Counter(page)
    reach = {}  # each step's farthest control once its work is done, before leaving it

    def done(selector="[data-kb-do=step-done]"):
        reach[(open_steps(page) or ["final"])[0]] = farthest(page)
        user.click(selector)

    assert open_steps(page) == ["confirm-escalation"]
    user.click("#w-term-product-bug")
    done()
    assert open_steps(page) == ["describe-problem"]
    user.click("[data-kb-field=problem-summary]")
    user.type(
        "Турникет не открывается по QR",
        "С 5 декабря проход по QR не срабатывает.\nНа всех турникетах.",
        "Открыть приложение\nПоказать QR",
        "Турникет открывается",
        "Ничего не происходит",
    )
    done()
    user.click("[data-kb-field=product-version]")
    user.type("3.2.1", "logs.zip", "shot.png", "Android 14")
    done()
    # Step 4: the description typed at step 2 is in the tech doc, not typed again.
    preview = page.locator("[data-kb-step=prepare-documentation] [data-preview]")
    expect(preview).to_contain_text("С 5 декабря проход по QR не срабатывает.")
    expect(preview).to_contain_text("Ошибка программного продукта")  # the criterion ticked
    user.click("[data-kb-step=prepare-documentation] [id$=-priority_1]")
    user.click("[data-kb-step=prepare-documentation] textarea[name=impact]")
    user.type("Клиенты не проходят")
    user.click("[data-kb-step=prepare-documentation] [data-action=copy]")
    done()
    assert open_steps(page) == ["escalate"]  # the priority is chosen already
    assert "critical-error" in run_of(page)["cases"]
    done()
    user.click("[data-kb-step=notify-client] textarea[name=problem-description]")
    user.type("Турникет не открывается по QR", "", "Иван Петров")
    user.click("[data-kb-step=notify-client] [data-action=copy]")
    to_notification = user.clicks
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "По обращению 48213" in copied and "Иван Петров" in copied
    done()
    for _ in range(6):
        user.click("[data-kb-step=monitor-status] [data-kb-do=log-add]")
    done("[data-kb-step=monitor-status] [data-kb-do=step-done]")
    user.click("#w-outcome-solved")
    done("[data-kb-do=close]")
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
    assert len(reach) == len(steps) + 1, reach
    within_reach(reach, viewport[1])
    print(
        f"\n{viewport}: {user.clicks} clicks, {to_notification} to the notification, "
        f"{user.keys} keys, {user.scrolled:.0f} px scrolled"
    )


def test_text_typed_for_one_ticket_never_shows_in_another(tab):
    page = work(tab, ticket="1001", client="")
    page.click("[data-kb-rail=monitor-status]")
    page.fill("[data-kb-step=monitor-status] [data-kb-draft=log-note]", "набрано, не добавлено")
    page.fill("[data-kb-note=monitor-status]", "заметка 1001")
    page.evaluate(
        "history.pushState(null, '', '?ticket=1002'); dispatchEvent(new PopStateEvent('popstate'))"
    )
    expect(page.locator("[data-kb-current]")).to_contain_text("1002")
    page.click("[data-kb-rail=monitor-status]")
    expect(page.locator("[data-kb-step=monitor-status] [data-kb-draft=log-note]")).to_have_value("")
    expect(page.locator("[data-kb-note=monitor-status]")).to_have_value("")
    assert "1001" not in json.dumps(stored(page, "1002"), ensure_ascii=False)
    page.go_back()
    expect(page.locator("[data-kb-current]")).to_contain_text("1001")
    expect(page.locator("[data-kb-step=monitor-status] [data-kb-draft=log-note]")).to_have_value(
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
        page.locator(f"[data-kb-step='{step[0]}'] [data-kb-do=step-done]").first.click()
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


# Shifts of the layout so far (CLS's unit: the share of the viewport that moved, times the
# distance), read once the page has drawn two more frames; each with what moved, from where
# to where (its element, the top and height before and after).
LAYOUT_SHIFT = """() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => {
  const observer = new PerformanceObserver(() => {});
  observer.observe({ type: "layout-shift", buffered: true });
  const named = (node) => !node ? "?" : node.nodeType !== 1 ? node.nodeName
    : node.tagName.toLowerCase() + (node.id ? "#" + node.id : "")
      + [...node.classList].map((name) => "." + name).join("");
  done(observer.takeRecords().filter((e) => !e.hadRecentInput).map((e) => [e.value,
    e.sources.map((s) => [named(s.node), s.previousRect.y, s.previousRect.height,
                          s.currentRect.y, s.currentRect.height])]));
})))"""


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["wide", "phone"])
def test_nothing_moves_when_the_scripts_mount(tab, viewport):
    # Drawn at build as the scripts leave it with no ticket: its style before the content, the
    # ticket bar, the rail as a column or a strip, the first step current (Lighthouse: CLS).
    tab.page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page = tab.page
    page.goto(tab.base + SEED)
    expect(page.locator(".kb-work--live")).to_be_visible()
    assert page.evaluate(LAYOUT_SHIFT) == []


def test_without_javascript_the_page_says_so_and_links_the_reading_page(browser, base):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + SEED)
    line = page.locator(".kb-work__noscript")
    expect(line).to_contain_text("включите JavaScript")
    line.get_by_role("link").click()
    expect(page).to_have_url(base + SEED.removesuffix("work/"))
    context.close()


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["wide", "phone"])
def test_every_control_of_the_open_step_within_one_and_a_half_screens(tab, viewport):
    width, height = viewport
    tab.page.set_viewport_size({"width": width, "height": height})
    page = work(tab)
    rails = page.eval_on_selector_all(
        "[data-kb-rail]", "els => els.map(e => e.getAttribute('data-kb-rail'))"
    )
    worst = {}
    for rail in rails:
        page.locator(f"[data-kb-rail='{rail}']").locator("visible=true").click()
        opened = "[data-kb-final]" if rail == "final" else f"[data-kb-step='{rail}']"
        expect(page.locator(opened)).to_be_visible()
        worst[rail] = farthest(page)
    print(f"\n{viewport}: " + ", ".join(f"{k} {v[0]}" for k, v in worst.items()))
    within_reach(worst, height)


def test_not_applicable_asks_its_reason_in_the_step_and_no_dialog(tab):
    page = work(tab)
    page.click("[data-kb-rail=collect-diagnostics]")
    step = page.locator("[data-kb-step=collect-diagnostics]")
    reason = step.locator("[data-kb-na] input")
    expect(reason).to_be_hidden()
    step.locator("[data-kb-do=step-na][data-kb-na-toggle]").click()
    expect(reason).to_be_focused()
    page.keyboard.press("Enter")  # no reason: nothing marked, the field says so
    expect(reason).to_have_attribute("aria-invalid", "true")
    assert "collect-diagnostics" not in not_applicable(page)
    # One click, one entry: the button takes the next one once its change is shown.
    page.wait_for_function("!document.querySelector('#w-na-collect-diagnostics button').kbBusy")
    page.keyboard.insert_text("Логи уже приложены клиентом")
    page.keyboard.press("Enter")
    assert not_applicable(page)["collect-diagnostics"]["reason"] == "Логи уже приложены клиентом"
    expect(page.locator("[data-kb-rail=collect-diagnostics] [data-kb-state]")).to_have_text(
        "не применимо"
    )
    expect(reason).to_be_hidden()
    back = step.locator("[data-kb-na-toggle]")
    expect(back).to_have_text("Вернуть шаг в работу")
    page.click("[data-kb-rail=confirm-escalation]")
    page.click("#w-action-check-known-solutions")  # another render: the step stays as it is
    page.click("[data-kb-rail=collect-diagnostics]")
    back.click()
    assert "collect-diagnostics" not in not_applicable(page)
    expect(back).to_have_text("Не применимо")
    assert tab.dialogs == []


def test_a_reason_typed_for_one_ticket_stays_with_it(tab):
    page = work(tab, ticket="2001", client="")
    page.click("[data-kb-rail=escalate]")
    page.click("[data-kb-step=escalate] [data-kb-na-toggle]")
    page.keyboard.insert_text("набрано для 2001")
    page.evaluate(
        "history.pushState(null, '', '?ticket=2002'); dispatchEvent(new PopStateEvent('popstate'))"
    )
    expect(page.locator("[data-kb-current]")).to_contain_text("2002")
    page.click("[data-kb-rail=escalate]")
    expect(page.locator("[data-kb-step=escalate] [data-kb-na]")).to_be_hidden()
    page.click("[data-kb-step=escalate] [data-kb-na-toggle]")
    expect(page.locator("[data-kb-step=escalate] [data-kb-na] input")).to_have_value("")
    page.keyboard.insert_text("для 2002")
    page.keyboard.press("Enter")
    assert not_applicable(page, "2002")["escalate"]["reason"] == "для 2002"
    assert "2001" not in json.dumps(stored(page, "2002"), ensure_ascii=False)
    page.go_back()
    expect(page.locator("[data-kb-current]")).to_contain_text("2001")
    expect(page.locator("[data-kb-step=escalate] [data-kb-na] input")).to_have_value(
        "набрано для 2001"
    )
    assert "escalate" not in not_applicable(page, "2001")


def test_fields_typed_before_are_folded_in_the_later_template_and_still_editable(tab):
    page = work(tab)
    page.click("[data-kb-rail=describe-problem]")
    page.fill("[data-kb-step=describe-problem] [data-kb-field=problem-summary]", "Не открывается")
    page.click("[data-kb-rail=prepare-documentation]")
    form = page.locator("[data-kb-step=prepare-documentation] form.kb-gen")
    fold = form.locator("details.kb-gen__folded")
    # «шаги 1–3» is kept on one line (no-break space, word joiners around the dash).
    summary_text = fold.locator("summary").text_content().replace("\u2060", "")
    assert " ".join(summary_text.split()) == "Заполнено (12): обращение, шаги 1–3"
    folded = fold.locator("[data-field]").evaluate_all(
        "els => els.map(e => e.getAttribute('data-field'))"
    )
    assert folded == [
        *["ticket-id", "client-name", "problem-summary", "chosen-criteria", "product-version"],
        *["problem-details", "reproduction-steps", "expected-behaviour", "actual-behaviour"],
        *["logs", "screenshots", "configuration"],
    ]
    # What is new at step 4 stays in view; the rest waits behind one click.
    expect(form.locator("[data-field=impact] textarea")).to_be_visible()
    summary = form.locator("[name=problem-summary]")
    expect(summary).to_be_hidden()
    fold.locator("summary").click()
    expect(summary).to_have_value("Не открывается")
    summary.fill("Турникет не открывается")
    assert stored(page)["fields"]["problem-summary"] == "Турникет не открывается"
    page.click("[data-kb-rail=describe-problem]")
    expect(page.locator("[data-kb-field=problem-summary]")).to_have_value("Турникет не открывается")


def test_a_folded_field_that_fails_its_check_shows_itself(tab):
    page = work(tab)
    page.click("[data-kb-rail=prepare-documentation]")
    form = page.locator("[data-kb-step=prepare-documentation] form.kb-gen")
    details = form.locator("[name=problem-details]")
    expect(details).to_be_hidden()
    form.locator("[data-action=copy]").click()
    form.locator(".kb-gen__summary a[href$='-problem-details']").click()
    expect(details).to_be_visible()
    expect(details).to_be_focused()


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["wide", "phone"])
def test_the_result_text_beside_the_fields_or_folded_below_them(tab, viewport):
    tab.page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page = work(tab)
    page.click("[data-kb-rail=notify-client]")
    form = page.locator("[data-kb-step=notify-client] form.kb-gen")
    preview, copy = form.locator("[data-preview]"), form.locator("[data-action=copy]")
    peek = form.locator("details.kb-gen__peek")
    if viewport[0] >= 1200:
        expect(peek).to_be_hidden()
        expect(preview).to_be_visible()
        assert preview.bounding_box()["x"] > form.locator("[name=workaround]").bounding_box()["x"]
        return
    expect(preview).to_be_hidden()
    # «Копировать» right after the fields: the text waits behind its summary.
    field = form.locator("[name=specialist-name]").bounding_box()
    assert 0 < copy.bounding_box()["y"] - field["y"] < 200
    peek.locator("summary").click()
    expect(preview).to_be_visible()
    assert peek.bounding_box()["y"] < preview.bounding_box()["y"] < copy.bounding_box()["y"]
