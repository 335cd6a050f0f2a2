"""Generator forms and the checklist are rendered at build time from the YAML alone."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ROOT, build, make_project, soup
from mkdocs.utils.yaml import yaml_load

from kb.load.regulation import problems_of

PAGE = "regulations/escalation-to-development/index.html"
SEED_YAML = ROOT / "docs" / "regulations" / "escalation-to-development.yml"
GUEST_YAML = FIXTURES / "valid" / "guest-pass.yml"
HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)> {{7*7}} ${x}"


def words(tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def form_outline(form) -> list[tuple]:
    """(label, control kind, hint) per field, as a user of assistive technology meets them."""
    rows = []
    for box in form.select("[data-field]"):
        caption = box.find("legend") or box.find("label", class_="kb-gen__label")
        if box.name == "fieldset":
            kinds = sorted({i.get("type", i.name) for i in box.select("input")})
            kind = "radio" if kinds == ["radio"] else "list"
        else:
            control = form.find(id=caption["for"])
            kind = control.get("type", control.name)
        hint = box.find("p", class_="kb-gen__hint", recursive=False)
        rows.append((words(caption), kind, words(hint) if hint else None))
    return rows


def test_seed_forms_list_every_field_with_a_visible_label(site):
    page = soup(site / PAGE)
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


def test_priority_options_carry_hints_and_the_special_case_link(site):
    page = soup(site / PAGE)
    group = page.select_one('#g-developer-documentation [data-field="priority"]')
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


def test_without_javascript_the_plain_template_text_stays(site):
    page = soup(site / PAGE)
    seed = yaml.safe_load(SEED_YAML.read_text(encoding="utf-8"))
    assert [pre.code.get_text() for pre in page.select(".kb-template pre")] == [
        t["body"] for t in seed["templates"]
    ]
    # Material's own copy button would copy the raw template; the generator copies the filled text.
    assert [pre["class"] for pre in page.select(".kb-template pre")] == [
        ["kb-template__body", "no-copy"]
    ] * 2


def spec_of(page, template_id: str) -> dict:
    return json.loads(page.select_one(f"#g-{template_id}")["data-kb-spec"])


def test_form_data_for_the_script_is_the_yaml_template(site):
    page = soup(site / PAGE)
    seed = yaml.safe_load(SEED_YAML.read_text(encoding="utf-8"))
    for template in seed["templates"]:
        assert spec_of(page, template["id"]) == {
            "regulation": "escalation-to-development",
            "template": template["id"],
            "title": template["title"],
            "body": template["body"],
            "filename": template["filename"],
            "fields": template["fields"],
        }


def test_checklist_is_rendered_for_the_script(site):
    tool = soup(site / PAGE).select_one('[data-kb-tool="checklist"]')
    seed = yaml.safe_load(SEED_YAML.read_text(encoding="utf-8"))
    assert [box["name"] for box in tool.select("ul.kb-checklist input[type=checkbox]")] == [
        item["id"] for item in seed["checklist"]
    ]
    assert tool.select_one(".kb-checklist__progress").has_attr("hidden")
    assert tool.select_one(".kb-checklist__progress")["role"] == "status"
    assert words(tool.select_one("button[data-action=reset]")) == "Сбросить"


def hostile_regulation() -> str:
    """The fixture with markup and template syntax in every YAML text the form shows."""
    data = yaml.safe_load(GUEST_YAML.read_text(encoding="utf-8"))
    template = data["templates"][0]
    template["title"] = "Шаблон " + HOSTILE
    template["body"] = template["body"].replace("Добрый день!", "Добрый день! " + HOSTILE)
    field = template["fields"][0]
    field["label"] = "ФИО " + HOSTILE
    field["hint"] = "Подсказка " + HOSTILE
    template["fields"][2]["options"][0]["value"] = "Разовый " + HOSTILE
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    project = make_project(tmp / "project", {"hostile.yml": hostile_regulation()})
    result = build(project, tmp / "site")
    assert result.returncode == 0, result.stderr
    return tmp / "site"


def test_yaml_text_is_escaped_in_the_form_and_its_data(hostile_site):
    html = (hostile_site / "regulations/hostile/index.html").read_text(encoding="utf-8")
    page = soup(hostile_site / "regulations/hostile/index.html")
    form = page.select_one("#g-pass-confirmation")
    # Nothing from YAML became markup: no script, image or extra element anywhere in the form.
    assert form.select("img") == []
    assert form.select("script") == []
    assert html.count("<script>alert(1)") == 0
    assert words(form.select_one("label[for=g-pass-confirmation-guest-name]")) == "ФИО " + HOSTILE
    assert words(form.select_one("#g-pass-confirmation-guest-name-hint")) == "Подсказка " + HOSTILE
    assert form.select_one("#g-pass-confirmation-pass-type-1")["value"] == "Разовый " + HOSTILE
    spec = spec_of(page, "pass-confirmation")
    assert spec["title"] == "Шаблон " + HOSTILE
    assert spec["fields"][0]["label"] == "ФИО " + HOSTILE
    assert spec["body"].startswith("Добрый день! " + HOSTILE)
    assert "<" not in form["data-kb-spec"]  # tojson's \u003c escapes, even after decoding


# --- the build rejects generator definitions that cannot work -------------------------------


def problems_with(tmp_path, change) -> list[str]:
    data = yaml.safe_load(GUEST_YAML.read_text(encoding="utf-8"))
    change(data["templates"][0])
    path = tmp_path / "guest-pass.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return [f"{p.path}: {p.message}" for p in problems_of(path)[1]]


def field(template: dict, field_id: str) -> dict:
    return next(f for f in template["fields"] if f["id"] == field_id)


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
    index = [f["id"] for f in yaml.safe_load(GUEST_YAML.read_text())["templates"][0]["fields"]]

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


# --- budget ----------------------------------------------------------------------------------


def test_own_js_and_css_stay_under_10_kb_gzipped(site):
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))  # knows !ENV
    assets = config["extra_css"] + config["extra_javascript"]
    sizes = {name: len(gzip.compress((site / name).read_bytes(), 9)) for name in assets}
    total = sum(sizes.values())
    print(
        "own assets gzipped: "
        + ", ".join(f"{name} {size / 1024:.2f} KB" for name, size in sizes.items())
        + f"; total {total / 1024:.2f} KB"
    )
    assert {"kb/components/generator/generator.js", "kb/components/checklist/checklist.js"} <= set(
        sizes
    )
    assert total <= 10 * 1024
