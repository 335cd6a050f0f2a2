"""The generator's markup, rendered at build time from the YAML alone: the seed's forms as a
user of assistive technology meets them, escaping, and the build's checks of generator
definitions. (Golden HTML per example: tests/components/test_components.py.)"""

from __future__ import annotations

import pytest
import yaml
from conftest import soup

from components.conftest import (
    SEED_YAML,
    dump,
    example,
    examples,
    regulation_of,
    slug_of,
    words,
)
from kb.load.regulation import problems_of

SEED_PAGE = "main/regulations/escalation-to-development/index.html"
HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)> {{7*7}} ${x}"


def form_outline(form) -> list[tuple]:
    """(label, control kind, hint) per field, as a user of assistive technology meets them."""
    rows = []
    for box in form.select("[data-field]"):
        caption = box.find(["legend", "label"], recursive=False)
        if box.name == "fieldset":
            kinds = sorted({i.get("type", i.name) for i in box.select("input")})
            kind = "radio" if kinds == ["radio"] else "list"
        else:
            control = form.find(id=caption["for"])
            kind = control.get("type", control.name)
        hint = box.find("p", class_="kb-gen__hint", recursive=False)
        rows.append((words(caption), kind, words(hint) if hint else None))
    return rows


def test_seed_forms_list_every_field_with_a_visible_label(tools_site):
    page = soup(tools_site.www / SEED_PAGE)
    notification = page.select_one("#tpl-client-notification form.kb-gen")
    documentation = page.select_one("#tpl-developer-documentation form.kb-gen")
    assert form_outline(notification) == [
        ("Имя клиента", "text", "Как обращаться к клиенту, например «Анна Сергеевна»"),
        ("Номер обращения (ID)", "text", "Номер обращения в системе обработки обращений"),
        (
            "Описание проблемы",
            "textarea",
            "Что не работает — понятным клиенту языком, без внутренних терминов",
        ),
        (
            "Временное решение (необязательно)",
            "textarea",
            "Если оставить пустым, абзац будет удалён из уведомления",
        ),
        ("Имя специалиста", "text", "Ваше имя — им подписано уведомление"),
    ]
    shared = "Входит в имя скачанного файла; общий с уведомлением клиента"
    assert form_outline(documentation) == [
        ("Номер обращения (ID) (необязательно)", "text", shared),
        ("Имя клиента (необязательно)", "text", shared),
        ("Проблема", "text", "Кратко, одной строкой"),
        ("Приоритет", "radio", None),
        (
            "Критерии эскалации (необязательно)",
            "text",
            "В работе по обращению — критерии, отмеченные на шаге 1",
        ),
        ("Версия продукта", "text", None),
        ("Дата обнаружения", "date", None),
        (
            "Описание проблемы",
            "textarea",
            "Что не работает, когда возникло, какие действия привели к проблеме",
        ),
        (
            "Шаги для воспроизведения",
            "list",
            "По одному действию в шаге; номера проставляются автоматически",
        ),
        ("Ожидаемое поведение", "textarea", None),
        ("Фактическое поведение", "textarea", None),
        ("Логи (необязательно)", "text", "Ссылка на логи или имя вложения"),
        ("Скриншоты (необязательно)", "text", "Ссылка на скриншоты или имя вложения"),
        (
            "Конфигурация (необязательно)",
            "textarea",
            "Настройки системы клиента, устройство, окружение",
        ),
        ("Влияние на работу системы", "textarea", None),
        (
            "Временные решения (необязательно)",
            "textarea",
            "Если оставить пустым, раздел будет удалён из документации",
        ),
    ]
    for form in (notification, documentation):
        assert form.has_attr("hidden"), "the form waits for JavaScript"
        assert form["data-kb-tool"] == "generator"
        assert form.select("[placeholder]") == [], "no placeholder-as-label"
        for label in form.select("label[for]"):
            assert form.find(id=label["for"]) is not None, label
        for control in form.select("[aria-describedby]"):
            for ref in control["aria-describedby"].split():
                assert form.find(id=ref) is not None, (control, ref)
    assert [words(b) for b in notification.select(".kb-gen__actions button")] == [
        "Копировать",
        "Скачать .txt",
        "Очистить",
    ]
    assert [words(b) for b in documentation.select(".kb-gen__actions button")] == [
        "Копировать",
        "Скачать .txt",
        "Скачать .md",
        "Очистить",
    ]


def test_priority_options_carry_hints_and_the_special_case_link(tools_site):
    page = soup(tools_site.www / SEED_PAGE)
    group = page.select_one('#g_2 [data-field="priority"]')
    options = [
        (radio["value"], words(page.find(id=radio["aria-describedby"])))
        for radio in group.select("input[type=radio]")
    ]
    assert options == [
        (
            "Критический",
            "Система или ключевая функция не работает, обходного пути нет "
            "Особый случай: Критическая ошибка требует срочного исправления .",
        ),
        ("Высокий", "Важная функция работает с ошибками, обходной путь неудобен"),
        ("Средний", "Ошибка мешает работе, но есть приемлемый обходной путь"),
        ("Низкий", "Незначительная ошибка, на работу почти не влияет"),
    ]
    link = group.select_one("a")
    assert link["href"] == "#case-critical-error"
    assert page.find(id="case-critical-error") is not None


def test_without_javascript_the_plain_template_text_stays(tools_site):
    page = soup(tools_site.www / SEED_PAGE)
    seed = yaml.safe_load(SEED_YAML)
    assert [pre.code.get_text() for pre in page.select(".kb-template pre")] == [
        t["body"] for t in seed["templates"]
    ]
    # Material's own copy button would copy the raw template; the generator copies the filled text.
    assert [pre["class"] for pre in page.select(".kb-template pre")] == [
        ["kb-template__body", "no-copy"]
    ] * 2


def test_each_example_page_carries_its_generators(tools_site):
    for item in examples("generator"):
        page = soup(
            tools_site.www / "main" / "regulations" / slug_of("generator", item) / "index.html"
        )
        with_fields = [t for t in item["regulation"]["templates"] if t.get("fields")]
        assert [form["data-template"] for form in page.select("form.kb-gen")] == [
            t["id"] for t in with_fields
        ]
        # One copy of each template's text: the generator's own <pre>, no second one.
        for template in with_fields:
            assert [pre.get_text() for pre in page.select(f"#tpl-{template['id']} pre")] == [
                template["body"]
            ]


def test_yaml_text_is_escaped_in_the_form_and_its_data(tools_site):
    item = example("generator", "literal-markup")
    path = tools_site.www / "main" / "regulations" / slug_of("generator", item) / "index.html"
    html = path.read_text("utf-8")
    template = item["regulation"]["templates"][0]
    assert template["title"] == "Шаблон " + HOSTILE  # the example carries the payload
    page = soup(path)
    form = page.select_one("#g_1")
    # Nothing from YAML became markup: no script, image or extra element anywhere in the form.
    assert form.select("img") == []
    assert form.select("script") == []
    assert html.count("<script>alert(1)") == 0
    assert words(form.select_one("label[for=g_1-guest-name]")) == "ФИО " + HOSTILE
    assert words(form.select_one("#g_1-guest-name_hint")) == "Подсказка " + HOSTILE
    assert form.select_one("#g_1-pass-type_1")["value"] == "Разовый " + HOSTILE
    # Attributes and the template's text stay text (the parser gives back the YAML's string).
    assert form["data-title"] == "Шаблон " + HOSTILE
    assert page.select_one("[data-kb-body=g_1]").get_text().startswith("Добрый день! " + HOSTILE)


# --- the build rejects generator definitions that cannot work -------------------------------

FIELD_KINDS = example("generator", "field-kinds")


def problems_with(tmp_path, change) -> list[str]:
    data = regulation_of("generator", FIELD_KINDS)
    data = yaml.safe_load(dump(data))  # a deep copy
    change(data["templates"][0])
    path = tmp_path / "field-kinds.yml"
    path.write_text(dump(data), encoding="utf-8")
    return [f"{p.path}: {p.message}" for p in problems_of(path)[1]]


def field(template: dict, field_id: str) -> dict:
    return next(f for f in template["fields"] if f["id"] == field_id)


def test_the_example_itself_is_valid(tmp_path):
    assert problems_with(tmp_path, lambda t: None) == []


def test_context_field_must_name_the_file(tmp_path):
    def change(t):
        t["filename"] = "pass-{visit-date}"

    assert problems_with(tmp_path, change) == [
        "templates[0].fields[9]: поле без заполнителя (placeholder) должно входить в имя файла: "
        "добавьте {request-id} в filename шаблона"
    ]


def test_file_name_names_existing_fields(tmp_path):
    def change(t):
        t["filename"] = "pass-{request-id}-{ticket}"

    assert problems_with(tmp_path, change) == [
        "templates[0].filename: поле «ticket» не найдено в fields шаблона; есть: car-number, "
        "comment, documents, entry-gate, exit-gate, guest-name, pass-type, request-id, "
        "request-number, visit-date"
    ]


@pytest.mark.parametrize(
    ("field_id", "default", "expected"),
    [
        ("visit-date", "завтра", "для даты укажите «today» или дату в формате ГГГГ-ММ-ДД"),
        ("entry-gate", "КПП-3", "значения «КПП-3» нет среди вариантов: КПП-1, КПП-2"),
        ("documents", "паспорт", "у поля типа list не бывает значения по умолчанию"),
    ],
)
def test_defaults_must_fit_the_field(tmp_path, field_id, default, expected):
    index = [f["id"] for f in FIELD_KINDS["regulation"]["templates"][0]["fields"]]

    def change(t):
        field(t, field_id)["default"] = default

    assert problems_with(tmp_path, change) == [
        f"templates[0].fields[{index.index(field_id)}].default: {expected}"
    ]


def test_downloads_are_txt_or_md(tmp_path):
    def change(t):
        t["downloads"] = ["md", "pdf"]

    assert problems_with(tmp_path, change) == [
        "templates[0].downloads[1]: недопустимое значение «pdf»; допустимые: «txt», «md»"
    ]


def test_every_placeholder_is_still_covered_when_fields_may_lack_one(tmp_path):
    def change(t):
        del field(t, "comment")["placeholder"]
        t["filename"] += "-{comment}"

    assert problems_with(tmp_path, change) == [
        "templates[0].body: заполнитель [Комментарий] (вхождение 1) не заполняет ни одно поле"
    ]


def test_occurrences_are_claimed_once_and_exist(tmp_path):
    def change(t):
        field(t, "exit-gate")["occurrence"] = 1
        field(t, "car-number")["occurrence"] = 2

    assert problems_with(tmp_path, change) == [
        "templates[0].fields[3].occurrence: заполнитель [Госномер] встречается в тексте только 1 раз(а)",
        "templates[0].fields[5]: вхождение 1 заполнителя [Проходная] уже заполняет поле «entry-gate»",
        "templates[0].body: заполнитель [Госномер] (вхождение 1) не заполняет ни одно поле",
        "templates[0].body: заполнитель [Проходная] (вхождение 2) не заполняет ни одно поле",
    ]
