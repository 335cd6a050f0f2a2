"""The work page's browser tests share one tab: checked (components.conftest.open_tab), its
clock at a fixed time on the day the tests' tickets are made."""

from __future__ import annotations

import pytest

from components.conftest import open_tab

NOW = "2026-12-05T10:05:00+03:00"


@pytest.fixture
def tab(browser, base):
    with open_tab(browser, base, NOW) as tab:
        yield tab
