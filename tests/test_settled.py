"""The browser tests measure settled pages (tests/chromium.py), and settling hides nothing.

Material's header swaps the site title for the page title with a fade once the page scrolls;
axe read it half-faded (issue 16). These tests hold the two halves of the fix: no transition
runs in the tests' contexts, and a colour that is really too pale is still reported.
"""

from __future__ import annotations

import pytest
from chromium import axe_violations, settle
from playwright.sync_api import TimeoutError as PlaywrightTimeout

PAGE = "regulations/escalation-to-development/"
TOPIC = "[data-md-component=header-title] .md-header__topic"
DURATIONS = (
    f"[...document.querySelectorAll('{TOPIC}')].map(t => getComputedStyle(t).transitionDuration)"
)


def scrolled(page):
    """The seed page scrolled until Material's header shows the page title."""
    page.mouse.wheel(0, 3000)
    page.wait_for_selector(".md-header__title--active")
    return page


@pytest.mark.parametrize(
    ("motion", "fades"), [("reduce", False), ("no-preference", True)], ids=["tests", "readers"]
)
def test_the_header_fades_for_readers_but_not_in_the_tests(browser, server, motion, fades):
    context = browser.new_context(reduced_motion=motion)
    page = context.new_page()
    page.goto(server + PAGE)
    durations = page.evaluate(DURATIONS)
    assert len(durations) == 2
    assert any(d != "0s" for d in durations) is fades
    context.close()


def test_scrolling_starts_no_transition_in_the_tests(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(server + PAGE)
    scrolled(page)
    assert page.evaluate("document.getAnimations().length") == 0
    context.close()


def test_the_default_context_is_the_settled_one(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + PAGE)
    assert set(page.evaluate(DURATIONS)) == {"0s"}
    context.close()


PALE = """
const pale = document.createElement('p');
pale.id = 'pale';
pale.textContent = 'Бледный текст на белом';
pale.style.cssText = 'color: #bbb; background: #fff';
const fading = document.createElement('p');
fading.id = 'fading';
fading.textContent = 'Текст, который бледнеет';
fading.style.cssText = 'color: #000; background: #fff; transition: color 60s';
document.querySelector('article').prepend(pale, fading);
fading.getBoundingClientRect();
fading.style.color = '#ccc';
"""


def test_a_really_pale_text_is_still_reported(browser, server):
    """Settling shows the final colours: a text that ends pale is reported, and so is one that
    fades to pale (without reduced motion axe would read it dark, half-way)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(server + PAGE)
    page.evaluate(PALE)
    assert {("color-contrast", "#pale"), ("color-contrast", "#fading")} <= set(axe_violations(page))
    context.close()


def test_settle_never_passes_a_page_that_keeps_moving(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + PAGE)
    page.evaluate(
        "document.querySelector('h1').animate([{opacity: 1}, {opacity: .2}],"
        " {duration: 1000, iterations: Infinity})"
    )
    page.set_default_timeout(1000)
    with pytest.raises(PlaywrightTimeout):
        settle(page)
    context.close()
