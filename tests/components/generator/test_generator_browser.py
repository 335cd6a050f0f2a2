"""The template generator in Debian's Chromium, on the components' test site (fixtures only):
the seed regulation's two generators, the examples of examples.yml, storage that fails."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
import yaml
from chromium import axe_violations
from playwright.sync_api import expect

from components.conftest import (
    SEED_YAML,
    STORAGE_DENIED,
    STORAGE_FULL,
    example,
    examples,
    main_regulations,
    page_of,
)
from kb import placeholders

SEED = "main/regulations/escalation-to-development/"
# A form's id is its template's place on the page: the seed has two, each example one.
# A control's id is <form>-<field>, an option's or a row's <form>-<field>_<n>.
N = "#g_1"
D = "#g_2"
FIELD_KINDS = page_of("generator", example("generator", "field-kinds"))
G = "#g_1"
HOSTILE_PAGE = page_of("generator", example("generator", "literal-markup"))
H = "#g_1"
HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)> {{7*7}} ${x}"


def preview(page, form: str) -> str:
    return page.locator(f"{form} [data-preview]").text_content()


def clipboard(page) -> str:
    return page.evaluate("navigator.clipboard.readText()")


def download(page, form: str, fmt: str) -> tuple[str, str]:
    with page.expect_download() as info:
        page.click(f"{form} [data-action=download][data-format={fmt}]")
    item = info.value
    return item.suggested_filename, Path(item.path()).read_text("utf-8")


def status(page, form: str):
    return page.locator(f"{form} .kb-gen__status")


# --- the seed's client notification ----------------------------------------------------------

NOTIFICATION_VALUES = {
    "client-name": "Анна Сергеевна",
    "ticket-id": "T-2024-0042",
    "problem-description": "При сохранении пропуска появляется ошибка 500.",
    "workaround": "Пока можно оформить пропуск через мобильное приложение.",
    "specialist-name": "Иван Петров",
}

NOTIFICATION = """\
Здравствуйте, Анна Сергеевна!

По обращению T-2024-0042 мы провели диагностику и выявили, что проблема является ошибкой в программном продукте PASS24.online.

При сохранении пропуска появляется ошибка 500.

Эта проблема требует исправления в коде продукта и выпуска обновления. Мы передали вопрос в отдел разработки для исправления.

Пока можно оформить пропуск через мобильное приложение.

Сроки выпуска обновления определяются в процессе разработки и в соответствии с общим планом разработки продукта. Мы проинформируем вас о выпуске обновления.

Если у вас возникнут дополнительные вопросы, пожалуйста, сообщите нам.

С уважением,
Иван Петров
Служба технической поддержки PASS24.online"""

NOTIFICATION_NO_WORKAROUND = """\
Здравствуйте, Анна Сергеевна!

По обращению T-2024-0042 мы провели диагностику и выявили, что проблема является ошибкой в программном продукте PASS24.online.

При сохранении пропуска появляется ошибка 500.

Эта проблема требует исправления в коде продукта и выпуска обновления. Мы передали вопрос в отдел разработки для исправления.

Сроки выпуска обновления определяются в процессе разработки и в соответствии с общим планом разработки продукта. Мы проинформируем вас о выпуске обновления.

Если у вас возникнут дополнительные вопросы, пожалуйста, сообщите нам.

С уважением,
Иван Петров
Служба технической поддержки PASS24.online"""


def fill(page, form: str, values: dict):
    for field_id, value in values.items():
        page.fill(f"{form}-{field_id}", value)


def test_notification_fill_preview_copy_download(tab):
    page = tab.open(SEED)
    fill(page, N, NOTIFICATION_VALUES)
    assert preview(page, N) == NOTIFICATION
    page.click(f"{N} [data-action=copy]")
    expect(status(page, N)).to_have_text("Текст скопирован в буфер обмена.")
    assert clipboard(page) == NOTIFICATION
    assert download(page, N, "txt") == ("notification-T-2024-0042.txt", NOTIFICATION + "\n")
    expect(status(page, N)).to_have_text("Файл notification-T-2024-0042.txt скачан.")
    assert page.locator(f"{N} [data-action=download]").count() == 1


def test_empty_optional_workaround_removes_its_paragraph(tab):
    page = tab.open(SEED)
    fill(page, N, {**NOTIFICATION_VALUES, "workaround": " \n "})
    assert preview(page, N) == NOTIFICATION_NO_WORKAROUND
    page.click(f"{N} [data-action=copy]")
    expect(status(page, N)).to_have_text("Текст скопирован в буфер обмена.")
    assert clipboard(page) == NOTIFICATION_NO_WORKAROUND


# --- the seed's technical documentation ------------------------------------------------------

DOCUMENTATION_VALUES = {
    "ticket-id": "T-2024-0042",
    "client-name": "Анна Сергеевна",
    "problem-summary": "Не сохраняются гостевые пропуска",
    "product-version": "3.14.2",
    "found-date": "2024-12-19",
    "problem-details": "При нажатии «Сохранить» в карточке пропуска\nпоявляется ошибка 500.",
    "expected-behaviour": "Пропуск сохраняется",
    "actual-behaviour": "Ошибка 500, пропуск не сохранён",
    "logs": "logs-42.zip",
    "screenshots": "screen_1.png",
    "configuration": "Windows 11, Chrome 120",
    "impact": "Жители не могут оформить пропуска гостям",
    "workaround": "Оформление через мобильное приложение",
}
STEPS = ["Открыть раздел «Пропуска»", "Создать гостевой пропуск", "Нажать «Сохранить»"]

DOCUMENTATION = """\
Проблема: Не сохраняются гостевые пропуска
Приоритет: Высокий
Версия продукта: 3.14.2
Дата обнаружения: 19.12.2024

Описание проблемы:
При нажатии «Сохранить» в карточке пропуска
появляется ошибка 500.

Шаги для воспроизведения:
1. Открыть раздел «Пропуска»
2. Создать гостевой пропуск
3. Нажать «Сохранить»

Ожидаемое поведение:
Пропуск сохраняется

Фактическое поведение:
Ошибка 500, пропуск не сохранён

Диагностическая информация:
- Логи: logs-42.zip
- Скриншоты: screen_1.png
- Конфигурация: Windows 11, Chrome 120

Влияние на работу системы:
Жители не могут оформить пропуска гостям

Временные решения:
Оформление через мобильное приложение"""

# Markdown: hard breaks ("\") inside paragraphs, none before list items; "_" in a value escaped.
DOCUMENTATION_MD = """\
Проблема: Не сохраняются гостевые пропуска\\
Приоритет: Высокий\\
Версия продукта: 3.14.2\\
Дата обнаружения: 19.12.2024

Описание проблемы:\\
При нажатии «Сохранить» в карточке пропуска\\
появляется ошибка 500.

Шаги для воспроизведения:
1. Открыть раздел «Пропуска»
2. Создать гостевой пропуск
3. Нажать «Сохранить»

Ожидаемое поведение:\\
Пропуск сохраняется

Фактическое поведение:\\
Ошибка 500, пропуск не сохранён

Диагностическая информация:
- Логи: logs-42.zip
- Скриншоты: screen\\_1.png
- Конфигурация: Windows 11, Chrome 120

Влияние на работу системы:\\
Жители не могут оформить пропуска гостям

Временные решения:\\
Оформление через мобильное приложение
"""


def fill_documentation(page, values=DOCUMENTATION_VALUES, steps=STEPS, priority=True):
    fill(page, D, values)
    if priority:
        page.check(f"{D}-priority_2")
    for index, step in enumerate(steps, start=1):
        page.fill(f"{D}-reproduction-steps_{index}", step)


def test_documentation_full_text_copy_and_both_downloads(tab):
    page = tab.open(SEED)
    fill_documentation(page)
    assert preview(page, D) == DOCUMENTATION
    page.click(f"{D} [data-action=copy]")
    expect(status(page, D)).to_have_text("Текст скопирован в буфер обмена.")
    assert clipboard(page) == DOCUMENTATION
    name = "escalation-T-2024-0042-Анна-Сергеевна"
    assert download(page, D, "txt") == (f"{name}.txt", DOCUMENTATION + "\n")
    assert download(page, D, "md") == (f"{name}.md", DOCUMENTATION_MD)


def test_empty_optional_lines_and_sections_are_removed(tab):
    page = tab.open(SEED)
    fill_documentation(
        page, {**DOCUMENTATION_VALUES, "screenshots": "", "configuration": "", "workaround": ""}
    )
    head, tail = DOCUMENTATION.split("\n\nДиагностическая информация:")
    expected = (
        head + "\n\nДиагностическая информация:\n- Логи: logs-42.zip\n\n"
        "Влияние на работу системы:\nЖители не могут оформить пропуска гостям"
    )
    assert preview(page, D) == expected
    # No diagnostics at all: the whole section with its heading line goes.
    page.fill(f"{D}-logs", "")
    assert preview(page, D) == head + (
        "\n\nВлияние на работу системы:\nЖители не могут оформить пропуска гостям"
    )
    assert "[" not in preview(page, D)
    assert download(page, D, "txt")[1] == preview(page, D) + "\n"


def test_required_empty_fields_show_their_placeholders_in_the_preview(tab):
    page = tab.open(SEED)
    today = page.evaluate(
        "(() => { const d = new Date(); return [d.getDate(), d.getMonth() + 1, d.getFullYear()]; })()"
    )
    day, month, year = today
    assert page.input_value(f"{D}-found-date") == datetime.date(year, month, day).isoformat()
    expected = f"""\
Проблема: [Краткое описание]
Приоритет: [Критический/Высокий/Средний/Низкий]
Версия продукта: [Версия]
Дата обнаружения: {day:02}.{month:02}.{year}

Описание проблемы:
[Детальное описание]

Шаги для воспроизведения:
1. [Шаг 1]
2. [Шаг 2]
3. [Шаг 3]

Ожидаемое поведение:
[Описание]

Фактическое поведение:
[Описание]

Влияние на работу системы:
[Описание влияния]"""
    assert preview(page, D) == expected
    assert preview(page, N) == yaml.safe_load(SEED_YAML)["templates"][0]["body"].replace(
        "[Временное решение, если применимо]\n\n", ""
    )


def test_steps_are_added_moved_and_removed_with_the_keyboard(tab):
    page = tab.open(SEED)
    fill_documentation(page)
    steps = page.locator(f"{D} [data-field=reproduction-steps]")
    page.focus(f"{D} [data-field=reproduction-steps] [data-action=add]")
    page.keyboard.press("Enter")
    expect(page.locator(f"{D}-reproduction-steps_4")).to_be_focused()
    page.keyboard.type("Обновить страницу")
    # Move the new fourth step up twice: focus stays on its «Выше» button.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_attribute("aria-label", "Выше: Шаг 2")
    assert [steps.locator("li label").nth(i).text_content() for i in range(4)] == [
        "Шаг 1",
        "Шаг 2",
        "Шаг 3",
        "Шаг 4",
    ]
    assert page.input_value(f"{D}-reproduction-steps_2") == "Обновить страницу"
    # Remove the first step: the rest renumber.
    page.click(f"{D} [aria-label='Удалить: Шаг 1']")
    expect(page.locator(f"{D}-reproduction-steps_1")).to_be_focused()
    assert preview(page, D).split("\n\n")[2] == (
        "Шаги для воспроизведения:\n1. Обновить страницу\n2. Создать гостевой пропуск\n"
        "3. Нажать «Сохранить»"
    )
    # «Ниже» moves down; empty rows are skipped in the text.
    page.click(f"{D} [aria-label='Ниже: Шаг 1']")
    page.fill(f"{D}-reproduction-steps_3", " ")
    assert preview(page, D).split("\n\n")[2] == (
        "Шаги для воспроизведения:\n1. Создать гостевой пропуск\n2. Обновить страницу"
    )


def test_priority_is_chosen_with_arrow_keys(tab):
    page = tab.open(SEED)
    page.focus(f"{D}-problem-summary")
    page.keyboard.press("Tab")  # into the radio group, on its first option
    expect(page.locator(f"{D}-priority_1")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"{D}-priority_3")).to_be_checked()
    assert preview(page, D).split("\n")[1] == "Приоритет: Средний"


# --- validation ---------------------------------------------------------------------------


def test_validation_summary_takes_focus_and_nothing_is_copied_or_downloaded(tab):
    page = tab.open(SEED)
    page.evaluate("navigator.clipboard.writeText('до проверки')")
    fill(page, N, {"client-name": "Анна", "workaround": "  <не очищать>  "})
    page.click(f"{N} [data-action=copy]")
    summary = page.locator(f"{N} .kb-gen__summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    links = summary.locator("a")
    assert [(a.text_content(), a.get_attribute("href")) for a in links.all()] == [
        ("Заполните поле «Номер обращения (ID)»", f"{N}-ticket-id"),
        ("Заполните поле «Описание проблемы»", f"{N}-problem-description"),
        ("Заполните поле «Имя специалиста»", f"{N}-specialist-name"),
    ]
    errors = page.locator(f"{N} .kb-gen__error:visible")
    assert [e.text_content() for e in errors.all()] == [
        "Ошибка: Заполните поле «Номер обращения (ID)»",
        "Ошибка: Заполните поле «Описание проблемы»",
        "Ошибка: Заполните поле «Имя специалиста»",
    ]
    expect(page.locator(f"{N}-ticket-id")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"{N}-client-name")).not_to_have_attribute("aria-invalid", "true")
    assert clipboard(page) == "до проверки"
    # What the user typed stays.
    assert page.input_value(f"{N}-client-name") == "Анна"
    assert page.input_value(f"{N}-workaround") == "  <не очищать>  "

    # A summary link moves focus to its field; fixing a field updates the summary at once.
    links.nth(1).click()
    expect(page.locator(f"{N}-problem-description")).to_be_focused()
    page.keyboard.type("Описание")
    assert [a.text_content() for a in links.all()] == [
        "Заполните поле «Номер обращения (ID)»",
        "Заполните поле «Имя специалиста»",
    ]
    expect(page.locator(f"{N}-problem-description_error")).to_be_hidden()

    # Download is blocked the same way; once fixed, exactly one file arrives.
    downloads = []
    page.on("download", lambda item: downloads.append(item))
    page.click(f"{N} [data-action=download]")
    expect(summary).to_be_focused()
    fill(page, N, {"ticket-id": "42", "specialist-name": "Иван"})
    expect(summary).to_be_hidden()
    name, text = download(page, N, "txt")
    assert len(downloads) == 1
    assert name == "notification-42.txt"
    assert "\n\n<не очищать>\n\n" in text


def test_list_and_choice_errors_link_to_their_first_control(tab):
    page = tab.open(SEED)
    fill_documentation(page, steps=[], priority=False)
    page.click(f"{D} [data-action=download][data-format=md]")
    summary = page.locator(f"{D} .kb-gen__summary")
    expect(summary).to_be_focused()
    assert [(a.text_content(), a.get_attribute("href")) for a in summary.locator("a").all()] == [
        ("Выберите вариант в поле «Приоритет»", f"{D}-priority_1"),
        (
            "Заполните хотя бы одну строку в поле «Шаги для воспроизведения»",
            f"{D}-reproduction-steps_1",
        ),
    ]
    summary.locator("a").first.click()
    expect(page.locator(f"{D}-priority_1")).to_be_focused()


# --- drafts ---------------------------------------------------------------------------------


def draft(page, template: str) -> dict:
    raw = page.evaluate(f"localStorage.getItem('kb.draft.escalation-to-development.{template}')")
    return json.loads(raw)["values"]


def test_drafts_survive_reload_and_instant_navigation(tab):
    page = tab.open(SEED)
    fill_documentation(page)
    page.click(f"{D} [data-field=reproduction-steps] [data-action=add]")
    page.fill(f"{D}-reproduction-steps_4", "Шаг четвёртый")
    assert draft(page, "developer-documentation")["reproduction-steps"] == [*STEPS, "Шаг четвёртый"]
    expected = preview(page, D)

    page.reload()
    expect(page.locator(D)).to_be_visible()
    assert preview(page, D) == expected
    expect(page.locator(f"{D}-priority_2")).to_be_checked()
    assert page.input_value(f"{D}-problem-details") == DOCUMENTATION_VALUES["problem-details"]

    # Material's instant navigation: away and back without a page load.
    page.evaluate("window.kbTestMarker = 1")
    page.click("a.md-header__button.md-logo")
    expect(page.locator("h3.kb-card__title a").first).to_be_visible()
    page.click("h3.kb-card__title a >> text=Эскалация в отдел разработки")
    expect(page.locator(D)).to_be_visible()
    assert page.evaluate("window.kbTestMarker") == 1
    assert preview(page, D) == expected
    assert page.input_value(f"{D}-reproduction-steps_4") == "Шаг четвёртый"
    # The remounted form still works and still saves.
    page.fill(f"{D}-product-version", "3.15")
    assert draft(page, "developer-documentation")["product-version"] == "3.15"


def test_id_and_client_name_are_typed_once(tab):
    page = tab.open(SEED)
    page.fill(f"{N}-ticket-id", "T-7")
    page.fill(f"{N}-client-name", "ООО «Ромашка»")
    assert page.input_value(f"{D}-ticket-id") == "T-7"
    assert page.input_value(f"{D}-client-name") == "ООО «Ромашка»"
    page.fill(f"{D}-ticket-id", "T-8")
    assert page.input_value(f"{N}-ticket-id") == "T-8"
    assert preview(page, N).split("\n")[2].startswith("По обращению T-8 мы провели")
    page.reload()
    expect(page.locator(N)).to_be_visible()
    assert page.input_value(f"{N}-ticket-id") == "T-8"
    assert page.input_value(f"{D}-client-name") == "ООО «Ромашка»"
    # A value typed once is offered to a generator that has no draft of its own.
    page.evaluate(
        "localStorage.removeItem('kb.draft.escalation-to-development.developer-documentation')"
    )
    page.reload()
    expect(page.locator(D)).to_be_visible()
    assert page.input_value(f"{D}-ticket-id") == "T-8"


def test_clear_asks_first_and_keeps_everything_on_cancel(tab):
    page = tab.open(SEED)
    fill_documentation(page)
    tab.confirm = False
    page.click(f"{D} [data-action=clear]")
    assert tab.dialogs == [
        (
            "confirm",
            "Очистить все поля шаблона «Шаблон технической документации для разработчиков»? "
            "Черновик будет удалён.",
        )
    ]
    assert preview(page, D) == DOCUMENTATION
    tab.confirm = True
    page.click(f"{D} [data-action=clear]")
    expect(status(page, D)).to_have_text("Поля очищены.")
    assert page.input_value(f"{D}-problem-summary") == ""
    assert page.locator(f"{D} [data-field=reproduction-steps] li").count() == 3
    assert page.input_value(f"{D}-found-date") != ""  # back to today
    assert (
        page.evaluate(
            "localStorage.getItem('kb.draft.escalation-to-development.developer-documentation')"
        )
        is None
    )
    # The other generator keeps its shared values.
    assert page.input_value(f"{N}-ticket-id") == "T-2024-0042"
    page.reload()
    expect(page.locator(D)).to_be_visible()
    assert page.input_value(f"{D}-problem-summary") == ""


def test_unavailable_storage_never_breaks_the_generators(tab):
    tab.page.add_init_script(STORAGE_DENIED)
    page = tab.open(SEED)
    for form in (N, D):
        expect(page.locator(f"{form} .kb-gen__storage")).to_have_text(
            "Черновик не сохраняется: хранилище браузера недоступно."
        )
    fill(page, N, NOTIFICATION_VALUES)
    assert preview(page, N) == NOTIFICATION
    page.click(f"{N} [data-action=copy]")
    expect(status(page, N)).to_have_text("Текст скопирован в буфер обмена.")
    # Material's own scripts read localStorage unguarded and throw; ours never do.
    tab.errors = [error for error in tab.errors if "/kb/" in error]


def test_full_storage_is_reported_and_the_form_keeps_working(tab):
    tab.page.add_init_script(STORAGE_FULL)
    page = tab.open(SEED)
    expect(page.locator(f"{N} .kb-gen__storage")).to_have_text("")
    fill(page, N, NOTIFICATION_VALUES)
    expect(page.locator(f"{N} .kb-gen__storage")).to_have_text(
        "Черновик не сохраняется: хранилище браузера недоступно или переполнено."
    )
    assert preview(page, N) == NOTIFICATION


@pytest.mark.parametrize("junk", ["{not json", '{"values": 5}', "[1, 2]", "null", '"text"'])
def test_corrupted_drafts_are_discarded(tab, junk):
    page = tab.open(SEED)
    page.evaluate(
        """junk => {
          localStorage.setItem('kb.draft.escalation-to-development.client-notification', junk);
        }""",
        junk,
    )
    page.reload()
    expect(page.locator(N)).to_be_visible()
    note = page.locator(f"{N} .kb-gen__storage")
    if junk == "null":  # a stored null is simply "no draft"
        expect(note).to_have_text("")
    else:
        expect(note).to_have_text("Сохранённый черновик повреждён и не восстановлен.")
    fill(page, N, NOTIFICATION_VALUES)
    page.reload()
    expect(page.locator(N)).to_be_visible()
    assert preview(page, N) == NOTIFICATION
    expect(page.locator(f"{N} .kb-gen__storage")).to_have_text("")


def test_draft_with_wrong_shapes_falls_back_per_field(tab):
    page = tab.open(SEED)
    page.evaluate(
        """localStorage.setItem('kb.draft.escalation-to-development.developer-documentation',
             JSON.stringify({values: {'problem-summary': ['x'], 'reproduction-steps': 'y',
                                      'product-version': '9.9', 'unknown-field': 'z'}}))"""
    )
    page.reload()
    expect(page.locator(D)).to_be_visible()
    assert page.input_value(f"{D}-problem-summary") == ""
    assert page.input_value(f"{D}-reproduction-steps_1") == ""
    assert page.input_value(f"{D}-product-version") == "9.9"


# --- safety ----------------------------------------------------------------------------------

PAYLOADS = {
    "client-name": "<img src=x onerror=alert(1)>",
    "ticket-id": "${x}",
    "problem-description": "</textarea><script>alert(2)</script>",
    "workaround": "{{7*7}}",
    "specialist-name": '"><svg onload=alert(3)>',
}


def stays_text_after_reload(tab, form: str, text: str, images: int):
    """The draft comes back as the same text; nothing typed became an element or ran."""
    page = tab.page
    page.reload()
    expect(page.locator(form)).to_be_visible()
    assert preview(page, form) == text
    assert page.locator("img").count() == images
    assert page.locator("[data-preview] *").count() == 0
    assert tab.dialogs == []


def test_typed_markup_and_template_syntax_stay_literal(tab):
    page = tab.open(SEED)
    images = page.locator("img").count()
    fill(page, N, PAYLOADS)
    page.fill(f"{D}-reproduction-steps_1", "<img src=x onerror=alert(4)>")
    expected = (
        NOTIFICATION.replace("Анна Сергеевна", PAYLOADS["client-name"])
        .replace("T-2024-0042", PAYLOADS["ticket-id"])
        .replace(NOTIFICATION_VALUES["problem-description"], PAYLOADS["problem-description"])
        .replace(NOTIFICATION_VALUES["workaround"], PAYLOADS["workaround"])
        .replace("Иван Петров", PAYLOADS["specialist-name"])
    )
    assert preview(page, N) == expected
    page.click(f"{N} [data-action=copy]")
    expect(status(page, N)).to_have_text("Текст скопирован в буфер обмена.")
    assert clipboard(page) == expected
    # Only letters, digits, "-", "_" and "." reach the file name.
    assert download(page, N, "txt") == ("notification-x.txt", expected + "\n")
    assert "1. <img src=x onerror=alert(4)>" in preview(page, D)
    stays_text_after_reload(tab, N, expected, images)


def test_markdown_download_escapes_typed_markup(tab):
    page = tab.open(SEED)
    fill_documentation(page, {**DOCUMENTATION_VALUES, "problem-summary": "<img src=x> *важно*"})
    text = download(page, D, "md")[1]
    assert text.split("\n")[0] == "Проблема: \\<img src=x\\> \\*важно\\*\\"


def test_markup_in_yaml_is_shown_as_text(tab):
    page = tab.open(HOSTILE_PAGE)
    assert preview(page, H).startswith("Добрый день! " + HOSTILE + "\n\n")
    label = page.locator(f"label[for='{H[1:]}-guest-name']")
    expect(label).to_have_text("ФИО " + HOSTILE)
    assert page.locator(f"{H} img, {H} [data-preview] *").count() == 0
    assert tab.dialogs == []


def yaml_template(slug: str, template: dict) -> dict:
    """What kb.templateOf should read back: the YAML template minus what the markup shows."""

    def field(f: dict) -> dict:
        out = {"id": f["id"], "label": f["label"], "type": f["type"]}
        out["required"] = f.get("required", False)
        if "placeholder" in f:
            out["placeholder"] = (
                [f["placeholder"]] if isinstance(f["placeholder"], str) else f["placeholder"]
            )
        out.update({k: f[k] for k in ("occurrence", "default") if k in f})
        return out

    return {
        "regulation": slug,
        "template": template["id"],
        "title": template["title"],
        "filename": template.get("filename", template["id"]),
        "body": template["body"],
        "fields": [field(f) for f in template["fields"]],
    }


@pytest.mark.parametrize(
    "path, regulation",
    [(SEED, yaml.safe_load(SEED_YAML))]
    + [(page_of("generator", item), item["regulation"]) for item in examples("generator")],
)
def test_the_script_reads_back_each_yaml_template_from_the_markup(tab, path, regulation):
    page = tab.open(path)
    slug = path.rstrip("/").rsplit("/", 1)[1]
    read = page.evaluate("[...document.querySelectorAll('form.kb-gen')].map(kb.templateOf)")
    assert read == [yaml_template(slug, t) for t in regulation["templates"] if t.get("fields")]


def test_without_javascript_the_template_text_is_shown(browser, base):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + SEED)
    expect(page.locator(N)).to_be_hidden()
    expect(page.locator("#tpl-client-notification pre")).to_be_visible()
    assert (
        page.locator("#tpl-client-notification pre").text_content()
        == yaml.safe_load(SEED_YAML)["templates"][0]["body"]
    )
    context.close()


# --- the example with every kind of field ---------------------------------------------------

GUEST_FULL = """\
Добрый день!

Пропуск для гостя Пётр Иванов оформлен на 01.04.2025.
Тип пропуска: Постоянный
Автомобиль: А123ВС 77

Въезд через КПП-2.
Выезд через КПП-1.

Что взять с собой:
- Паспорт
- Водительское удостоверение
- Доверенность

Позвонить за час до визита

Заявка <b>R-42</b> закрыта."""

GUEST_FULL_MD = """\
Добрый день!

Пропуск для гостя Пётр Иванов оформлен на 01.04.2025.\\
Тип пропуска: Постоянный\\
Автомобиль: А123ВС 77

Въезд через КПП-2.\\
Выезд через КПП-1.

Что взять с собой:
- Паспорт
- Водительское удостоверение
- Доверенность

Позвонить за час до визита

Заявка <b>R-42</b> закрыта.
"""

GUEST_MINIMAL_MD = """\
Добрый день!

Пропуск для гостя Пётр Иванов оформлен на 01.04.2025.\\
Тип пропуска: Разовый

Въезд через КПП-1.

Заявка <b>R-42</b> закрыта.
"""


def test_every_kind_of_field_fills_the_text(tab):
    page = tab.open(FIELD_KINDS)
    assert page.locator("form.kb-gen").count() == 1  # the template without fields has none
    assert [b.text_content() for b in page.locator(f"{G} .kb-gen__actions button").all()] == [
        "Копировать",
        "Скачать .md",
        "Очистить",
    ]
    expect(page.locator(f"{G}-entry-gate_1")).to_be_checked()  # default from YAML
    assert page.input_value(f"{G}-visit-date") == ""  # no default: stays empty
    fill(
        page,
        G,
        {
            "guest-name": "Пётр Иванов",
            "visit-date": "2025-04-01",
            "car-number": "А123ВС 77",
            "exit-gate": "КПП-1",
            "comment": "Позвонить за час до визита",
            "request-number": "R-42",
            "request-id": "R42",
            "documents_1": "Паспорт",
            "documents_2": "Водительское удостоверение",
        },
    )
    page.check(f"{G}-pass-type_2")
    page.check(f"{G}-entry-gate_2")
    page.click(f"{G} [data-field=documents] [data-action=add]")
    expect(page.locator(f"label[for='{G[1:]}-documents_3']")).to_have_text("Документ 3")
    page.keyboard.type("Доверенность")
    assert preview(page, G) == GUEST_FULL
    assert download(page, G, "md") == ("pass-R42-2025-04-01.md", GUEST_FULL_MD)

    # Optional fields emptied: their lines go, the list's paragraph goes, the rest stays.
    for field_id in (
        "car-number",
        "exit-gate",
        "comment",
        "request-id",
        *(f"documents_{i}" for i in (1, 2, 3)),
    ):
        page.fill(f"{G}-{field_id}", "")
    page.check(f"{G}-pass-type_1")
    page.check(f"{G}-entry-gate_1")
    assert preview(page, G) == GUEST_MINIMAL_MD.replace("\\\n", "\n").removesuffix("\n")
    assert download(page, G, "md") == ("pass-2025-04-01.md", GUEST_MINIMAL_MD)


def test_required_date_and_choice_are_validated(tab):
    page = tab.open(FIELD_KINDS)
    page.click(f"{G} [data-action=copy]")
    summary = page.locator(f"{G} .kb-gen__summary")
    expect(summary).to_be_focused()
    assert [a.text_content() for a in summary.locator("a").all()] == [
        "Заполните поле «ФИО гостя»",
        "Укажите дату в поле «Дата визита»",
        "Выберите вариант в поле «Тип пропуска»",
        "Заполните поле «Номер заявки»",
    ]


# --- every example: typed input gives the placeholder rule's text; axe --------------------


def type_input(page, form: str, fields: list[dict], values: dict):
    """Type an example's input as a user would: text boxes, a radio per choice, list rows."""
    for field in fields:
        value = values[field["id"]]
        control = f"{form}-{field['id']}"
        if field["type"] == "select":
            options = [option["value"] for option in field["options"]]
            page.check(f"{control}_{options.index(value) + 1}")
        elif field["type"] == "list":
            for number, row in enumerate(value, start=1):
                if page.locator(f"{control}_{number}").count() == 0:
                    page.click(f"{form} [data-field={field['id']}] [data-action=add]")
                page.fill(f"{control}_{number}", row)
        else:
            page.fill(control, value)


GENERATORS = [
    (item, template)
    for item in examples("generator")
    for template in item["regulation"]["templates"]
    if template.get("fields")
]


@pytest.mark.parametrize(
    ("item", "template"), GENERATORS, ids=[f"{i['name']}-{t['id']}" for i, t in GENERATORS]
)
def test_example_input_gives_the_rules_text_everywhere(tab, item, template):
    page = tab.open(page_of("generator", item))
    images = page.locator("img").count()
    form = f"#g_{item['regulation']['templates'].index(template) + 1}"
    fields = template["fields"]
    type_input(page, form, fields, item["input"])
    text = placeholders.fill(template["body"], fields, item["input"])
    assert preview(page, form) == text
    page.click(f"{form} [data-action=copy]")
    expect(status(page, form)).to_have_text("Текст скопирован в буфер обмена.")
    assert clipboard(page) == text
    for fmt in template.get("downloads", ["txt"]):
        name, content = download(page, form, fmt)
        assert name.endswith(f".{fmt}")
        assert (
            content
            == placeholders.fill(template["body"], fields, item["input"], fmt == "md") + "\n"
        )
    stays_text_after_reload(tab, form, text, images)


def typed(field: dict):
    """A value for any field: its id in Cyrillic text, a date, the last option, a row each."""
    if field["type"] == "select":
        return field["options"][-1]["value"]
    if field["type"] == "date":
        return "2025-04-01"
    if field["type"] == "list":
        rows = placeholders.placeholders_of(field)
        return [f"строка {n} поля {field['id']}" for n in range(1, len(rows) + 1)]
    return f"значение поля {field['id']}"


def shown(field: dict, value) -> list[str]:
    """How a typed value appears in the text: a date as ДД.ММ.ГГГГ, a list row by row."""
    if field["type"] == "date":
        return ["01.04.2025"]
    return value if field["type"] == "list" else [value]


@pytest.mark.parametrize("slug", list(main_regulations()))
def test_every_generator_of_every_fixture_page_mounts_and_fills_every_placeholder(tab, slug):
    """Whatever the field ids and placeholders (id, name, action, length, constructor,
    toString, __proto__ …): every form mounts, its ids are the page's only ones of their kind,
    and each value typed replaces its placeholders in the preview and the copied text."""
    regulation = yaml.safe_load(main_regulations()[slug])
    page = tab.open(f"main/regulations/{slug}/")  # every form visible: mounted
    forms = [
        (f"#g_{position}", template)
        for position, template in enumerate(regulation.get("templates", []), 1)
        if template.get("fields")
    ]
    assert page.locator("form.kb-gen").count() == len(forms)
    for form, _ in forms:  # every error shown: its message and the summary have ids too
        page.click(f"{form} [data-action=copy]")
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert sorted(ids) == sorted(set(ids))
    for form, template in forms:
        fields = template["fields"]
        values = {field["id"]: typed(field) for field in fields}
        type_input(page, form, fields, values)
        text = placeholders.fill(template["body"], fields, values)
        for field in fields:
            for name in placeholders.placeholders_of(field):
                if name in placeholders.names(template["body"]):
                    assert f"[{name}]" not in text
                    assert all(part in text for part in shown(field, values[field["id"]]))
        assert preview(page, form) == text
        page.click(f"{form} [data-action=copy]")
        expect(status(page, form)).to_have_text("Текст скопирован в буфер обмена.")
        assert clipboard(page) == text


def test_context_fields_name_the_downloaded_file(tab):
    item = example("generator", "context-and-filename")
    page = tab.open(page_of("generator", item))
    template = item["regulation"]["templates"][0]
    type_input(page, "#g_1", template["fields"], item["input"])
    assert preview(page, "#g_1") == "Обращение T-2024-0042 передано в Разработка."
    # Letters of any script, digits, "-", "_" and "." stay; «», spaces and the rest become "-".
    assert download(page, "#g_1", "txt")[0] == "handover-T-2024-0042-ООО-Ромашка-Разработка.txt"
    page.fill("#g_1-client", "")
    assert download(page, "#g_1", "md")[0] == "handover-T-2024-0042-Разработка.md"


@pytest.mark.parametrize("item", examples("generator"), ids=lambda e: e["name"])
def test_axe_finds_no_violations_in_any_example(tab, item):
    tab.page.set_viewport_size({"width": 375, "height": 900})  # a phone: the narrowest layout
    page = tab.open(page_of("generator", item))
    assert axe_violations(page) == []
    # With every error shown: nothing typed, «Копировать» pressed in each form.
    for form in page.locator("form.kb-gen").all():
        form.locator("[data-action=copy]").click()
        expect(form.locator(".kb-gen__summary")).to_be_focused()
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_axe_finds_no_violations_on_the_seed(tab, width):
    tab.page.set_viewport_size({"width": width, "height": 900})
    page = tab.open(SEED)
    assert axe_violations(page) == []
    page.click(f"{D} [data-action=copy]")
    expect(page.locator(f"{D} .kb-gen__summary")).to_be_focused()
    assert axe_violations(page) == []


def test_printing_hides_the_forms_and_shows_the_template_text(tab):
    page = tab.open(SEED)
    page.emulate_media(media="print")
    expect(page.locator(N)).to_be_hidden()
    expect(page.locator("#tpl-client-notification pre")).to_be_visible()
