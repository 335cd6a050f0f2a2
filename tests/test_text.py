"""Inline Markdown for maintainers' text: formatting yes, raw HTML never."""

from __future__ import annotations

import pytest

from kb.text import inline, plain, plural, ru_date


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("просто текст", "просто текст"),
        ("**важно** и *курсив*", "<strong>важно</strong> и <em>курсив</em>"),
        ("команда `ls -la <dir>`", "команда <code>ls -la &lt;dir&gt;</code>"),
        ("`**не жирный**`", "<code>**не жирный**</code>"),
        ("[портал](https://pass24.online/help)", '<a href="https://pass24.online/help">портал</a>'),
        ("[шаг](#step-escalate)", '<a href="#step-escalate">шаг</a>'),
        ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("**<b>жирный?</b>**", "<strong>&lt;b&gt;жирный?&lt;/b&gt;</strong>"),
        ('[a"b](https://x.ru/?q="1")', '<a href="https://x.ru/?q=&#34;1&#34;">a&#34;b</a>'),
        ("2 * 3 * 4", "2 * 3 * 4"),
        ("{{ 7*7 }} ${x}", "{{ 7*7 }} ${x}"),
    ],
)
def test_inline(source, html):
    assert str(inline(source)) == html


def test_plain_drops_marks():
    assert plain("**Шаг** с `кодом` и [ссылкой](https://x.ru)") == "Шаг с кодом и ссылкой"


@pytest.mark.parametrize(
    ("iso", "russian"),
    [
        ("2024-12-19", "19 декабря 2024 г."),
        ("2025-01-01", "1 января 2025 г."),
        ("2026-05-31", "31 мая 2026 г."),
    ],
)
def test_ru_date(iso, russian):
    assert ru_date(iso) == russian


@pytest.mark.parametrize(
    ("count", "word"),
    [
        (1, "ошибка"),
        (2, "ошибки"),
        (4, "ошибки"),
        (5, "ошибок"),
        (11, "ошибок"),
        (12, "ошибок"),
        (21, "ошибка"),
        (22, "ошибки"),
        (111, "ошибок"),
    ],
)
def test_plural(count, word):
    assert plural(count, "ошибка", "ошибки", "ошибок") == word
