"""Debian's Chromium for the browser tests, showing only settled pages.

A test that measures a page (axe's colours, a screenshot, a box's place) must see it at rest.
Material animates its own elements: the header swaps the site title for the page title with a
fade once the page scrolls, buttons fade their colours on hover. axe, which runs for hundreds
of milliseconds, then reads a half-faded colour, and whether it does depends on the machine's
load. So every context this module makes asks for reduced motion, which Material honours
(``@media (prefers-reduced-motion) { *, ::before, ::after { transition: none !important } }``
in its main.css, also over our kb.css): a style change takes effect at once. Keyframe
animations are not switched off by that rule; :func:`settle` waits until none is running.
tests/test_settled.py proves both: the header swaps without a transition, and a real
low-contrast element is still reported.
"""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python
from playwright.sync_api import expect

AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"

SETTLED = {"reduced_motion": "reduce"}
"""Options of every browser context the tests open (a test may pass its own to override)."""

TIMEOUT = 30_000
"""How long a wait (an action, ``expect``, :func:`settle`) may take, in ms, before the test
fails: a bound for a broken page, not a measure of speed. On two loaded cores a page load
took over 5 s; benchmarks measure speed (bench/)."""
expect.set_options(timeout=TIMEOUT)

_RUNNING = "document.getAnimations().filter(a => a.pending || a.playState === 'running')"


class Browser:
    """Playwright's browser whose contexts and pages are all settled (``SETTLED``) and wait
    ``TIMEOUT`` at most."""

    def __init__(self, chromium):
        self._chromium = chromium

    def new_context(self, **options):
        context = self._chromium.new_context(**{**SETTLED, **options})
        context.set_default_timeout(TIMEOUT)
        return context

    def new_page(self, **options):
        page = self._chromium.new_page(**{**SETTLED, **options})
        page.set_default_timeout(TIMEOUT)
        return page

    def __getattr__(self, name):
        return getattr(self._chromium, name)


def settle(page) -> None:
    """Wait until no animation or transition runs in the document (an infinite one never ends:
    it makes the wait fail, as it should, since such a page is never at rest)."""
    page.wait_for_function(f"{_RUNNING}.length === 0")


def axe_violations(page) -> list[tuple[str, str]]:
    """axe's findings on the settled page, as (rule, element) pairs."""
    settle(page)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run()")
    return [(v["id"], " ".join(n["target"])) for v in result["violations"] for n in v["nodes"]]
