"""What the importer infers from a template's [placeholders] (kb.markdown.fields), rule by rule:
each rule with the cases it must infer and the look-alikes it must leave alone."""

from __future__ import annotations

import time

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES

from kb.load.regulation import load_regulations
from kb.markdown.fields import ONE_LINE_CUES, infer_fields
from kb.markdown.read import import_markdown
from kb.markdown.write import export_markdown
from kb.scaffold import to_yaml
from kb.site.knowledge_base import KnowledgeBase

CHOICES = FIXTURES / "markdown" / "proverka-propuska.md"


def only_field(body: str) -> dict:
    fields = infer_fields(body)
    assert len(fields) == 1, fields
    return fields[0]


# --- A choice: [Критический/Высокий] ---------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "options"),
    [
        ("Приоритет: [Критический/Высокий]", ["Критический", "Высокий"]),
        (
            "Приоритет: [Критический/Высокий/Средний/Низкий]",
            ["Критический", "Высокий", "Средний", "Низкий"],
        ),
        ("Ответ: [Да/Нет]", ["Да", "Нет"]),
        ("Система: [Windows/Linux]", ["Windows", "Linux"]),
        ("Приоритет: [Критический / Высокий]", ["Критический", "Высокий"]),  # spaces around «/»
        ("Итог: [Решено/Ещё раз/Передано дальше]", ["Решено", "Ещё раз", "Передано дальше"]),
    ],
)
def test_capitalised_options_separated_by_slashes_become_a_choice(body, options):
    field = only_field(body)
    assert field["type"] == "select"
    assert field["options"] == [{"value": value} for value in options]
    assert field["placeholder"] == body[body.index("[") + 1 : -1]


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("Дата/время", id="lower-case-second-part"),
        pytest.param("ссылка/вложение", id="lower-case-description"),
        pytest.param("Критический/высокий", id="one-part-lower-case"),
        pytest.param("Дата/Время", id="parts-name-what-to-type"),
        pytest.param("Имя/Фамилия", id="parts-name-a-value-kind"),
        pytest.param("ДД/ММ/ГГГГ", id="date-format-in-capitals"),
        pytest.param("ДД.ММ.ГГГГ", id="date-format-without-slash"),
        pytest.param("SMS/Звонок", id="abbreviation-in-capitals"),
        pytest.param("https://pass24.online/docs", id="url"),
        pytest.param("/var/log/pass24", id="absolute-path"),
        pytest.param("C:/PASS24/logs", id="windows-path"),
        pytest.param("Высокий", id="one-option"),
        pytest.param("Критический/", id="empty-option"),
        pytest.param("Да/Да", id="repeated-option"),
        pytest.param("Очень долгий вариант ответа/Нет", id="option-longer-than-three-words"),
        pytest.param("Версия 2/Версия 3", id="option-names-a-value-kind"),
    ],
)
def test_slashes_that_are_not_a_choice_stay_text(name):
    field = only_field(f"Поле: [{name}]")
    assert field["type"] == "text"
    assert "options" not in field
    assert field["label"] == name


@pytest.mark.parametrize(
    ("body", "label", "ident"),
    [
        ("Приоритет: [Критический/Высокий]", "Приоритет", "prioritet"),
        ("- Канал связи: [Чат/Звонок]", "Канал связи", "kanal-svyazi"),
        ("3. Проход восстановлен : [Да/Нет]", "Проход восстановлен", "prokhod-vosstanovlen"),
        # no label of its own before it: the placeholder as written
        ("[Критический/Высокий]", "Критический/Высокий", "kriticheskiy-vysokiy"),
        ("Принято с приоритетом [Высокий/Низкий].", "Высокий/Низкий", "vysokiy-nizkiy"),
        ("Кратко: [Итог], решено: [Да/Нет]", "Да/Нет", "da-net"),  # the text before is no label
        ("Что говорит клиент о том, кто виноват: [Мы/Они]", "Мы/Они", "my-oni"),  # six words
    ],
)
def test_a_choice_is_labelled_by_the_label_before_it_on_its_line(body, label, ident):
    choice = next(field for field in infer_fields(body) if field["type"] == "select")
    assert (choice["label"], choice["id"]) == (label, ident)


def test_other_fields_keep_their_placeholder_as_label():
    """The line's label names only a choice: a text field is named by its placeholder, the
    id other templates share it by (the same id is the same value in a ticket)."""
    field = only_field("Дежурный специалист: [Имя специалиста]")
    assert (field["label"], field["id"]) == ("Имя специалиста", "imya-spetsialista")


def test_one_choice_used_twice_is_two_fields_each_labelled_by_its_line():
    fields = infer_fields("Пропуск продлён: [Да/Нет]\nКлиент доволен: [Да/Нет]")
    assert [(f["label"], f["type"], f["occurrence"]) for f in fields] == [
        ("Пропуск продлён", "select", 1),
        ("Клиент доволен", "select", 2),
    ]


# --- A list: consecutive bullet lines --------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Что проверили:\n- [Проверка 1]\n- [Проверка 2]",
        "Что проверили:\n* [Проверка 1]\n* [Проверка 2]\n\nИтог.",
        "  + [Проверка 1]\n  + [Проверка 2]",
    ],
)
def test_consecutive_bullet_placeholder_lines_become_one_list_field(body):
    assert infer_fields(body) == [
        {
            "id": "proverka",
            "label": "Проверка",
            "type": "list",
            "placeholder": ["Проверка 1", "Проверка 2"],
        }
    ]


def test_numbered_placeholder_lines_still_become_one_list_field():
    assert only_field("1. [Шаг 1]\n2. [Шаг 2]\n3. [Шаг 3]")["placeholder"] == [
        "Шаг 1",
        "Шаг 2",
        "Шаг 3",
    ]


@pytest.mark.parametrize(
    ("body", "types"),
    [
        pytest.param("- [Проверка 1]", ["text"], id="one-line-is-no-list"),
        pytest.param("- [Проверка 1]\n\n- [Проверка 2]", ["text", "text"], id="apart"),
        pytest.param("- [Проверка 1]\n* [Проверка 2]", ["text", "text"], id="other-marker"),
        pytest.param(
            "1. [Проверка 1]\n- [Проверка 2]", ["text", "text"], id="numbered-then-bullet"
        ),
        pytest.param(
            "- Логи: [Логи]\n- Скриншоты: [Скриншоты]", ["text", "text"], id="labelled-lines"
        ),
        pytest.param("- [Проверка]\n- [Проверка]", ["text", "text"], id="one-name-twice"),
        pytest.param("- [ ]\n- [ ]", [], id="empty-checkboxes"),
        pytest.param("-[Проверка 1]\n-[Проверка 2]", ["text", "text"], id="no-space"),
    ],
)
def test_bullet_lines_that_are_not_a_list_stay_fields_of_their_own(body, types):
    assert [field["type"] for field in infer_fields(body)] == types


# --- One line: names, numbers, dates ---------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Имя специалиста",
        "ФИО клиента",
        "Номер обращения",
        "№ заявки",
        "ID",
        "Код ошибки",
        "Дата",
        "ДД.ММ.ГГГГ",
        "Время звонка",
        "Телефон охраны",
        "E-mail клиента",
        "Версия продукта",
        "Дата и время обнаружения",  # four words: still short
    ],
)
def test_short_name_like_placeholders_alone_on_their_line_are_one_line_text(name):
    assert only_field(f"Подпись:\n[{name}]")["type"] == "text"


@pytest.mark.parametrize(
    "name",
    [
        "Описание проблемы",
        "Комментарий специалиста",  # «специалиста» alone names no value
        "Датчик и его показания",  # «Датчик» is not «Дата»
        "Описание проблемы с номером телефона",  # a cue, but five words: a description
    ],
)
def test_other_placeholders_alone_on_their_line_stay_multi_line(name):
    assert only_field(f"Подробно:\n[{name}]")["type"] == "textarea"


def test_placeholders_inside_a_sentence_stay_one_line():
    assert only_field("Проблема описана так: [Описание проблемы].")["type"] == "text"


def test_cue_words_are_written_as_names_are_compared():
    """Names are compared case-folded, word by word: a cue with a capital or a space in it
    would never match."""
    for words in ONE_LINE_CUES.values():
        for word in words:
            assert word == word.casefold() and " " not in word, word


# --- Hostile input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(" " * 20_000 + "x [Да/Нет]", id="spaces-before-a-choice"),
        pytest.param("1." + " " * 20_000 + "x: [Да/Нет]", id="a-marker-and-spaces"),
        pytest.param("- [" + "а" * 20_000, id="an-unclosed-bullet-placeholder"),
        pytest.param("[" + "А" * 20_000 + "/Бб]", id="a-long-capital-option"),
    ],
)
def test_long_lines_are_read_in_linear_time(body):
    """A pattern that backtracks takes seconds on lines like these (quadratic in their length;
    the first three did, in drafts of the label and list rules); read once, they take
    milliseconds. The bound is loose for a busy machine."""
    started = time.perf_counter()
    infer_fields(body)
    assert time.perf_counter() - started < 0.5


# --- The fixture: import, page, round trip --------------------------------------------------


def test_fixture_infers_a_choice_a_bullet_list_and_one_line_fields():
    data, notes = import_markdown(CHOICES.read_text(encoding="utf-8"))
    assert notes == []
    record, answer = data["templates"]
    assert [(f["id"], f["type"]) for f in record["fields"]] == [
        ("nomer-obrashcheniya", "text"),
        ("prioritet", "select"),
        ("prokhod-vosstanovlen", "select"),
        ("dd-mm-gggg", "text"),
        ("data-vremya", "text"),
        ("ssylka-vlozhenie", "text"),
        ("proverka", "list"),
        ("kommentariy-spetsialista", "textarea"),
        ("imya-spetsialista", "text"),
    ]
    assert record["fields"][1]["options"] == [
        {"value": value} for value in ("Критический", "Высокий", "Средний", "Низкий")
    ]
    assert [(f["id"], f["type"]) for f in answer["fields"]] == [
        ("imya-gostya", "text"),
        ("nomer-avtomobilya", "text"),
        ("data", "text"),
        ("telefon-okhrany", "text"),
    ]


def test_inferred_choice_and_list_survive_export_and_import_without_a_comment():
    """The text alone carries them: no ``kb:template`` comment, the same data back."""
    text = CHOICES.read_text(encoding="utf-8")
    data, _ = import_markdown(text)
    markdown = export_markdown(data)
    assert "kb:template" not in markdown
    assert markdown == text
    assert import_markdown(markdown) == (data, [])


def test_tuned_choice_and_list_survive_export_and_import():
    """Hints and a required mark differ from the inferred fields: they travel in the comment."""
    data, _ = import_markdown(CHOICES.read_text(encoding="utf-8"))
    fields = data["templates"][0]["fields"]
    fields[1]["options"][0]["hint"] = "Проход не работает ни у кого"
    fields[1]["required"] = True
    fields[6]["hint"] = "По одной проверке в строке"
    markdown = export_markdown(data)
    assert markdown.count("<!-- kb:template") == 1
    assert import_markdown(markdown) == (data, [])


def test_imported_choice_and_list_are_a_radio_group_and_a_list_on_the_page(tmp_path):
    data, _ = import_markdown(CHOICES.read_text(encoding="utf-8"))
    folder = tmp_path / "regulations"
    folder.mkdir()
    path = folder / "proverka-propuska.yml"
    path.write_text(to_yaml(data, path), encoding="utf-8")
    # The imported file is a draft: the page `make serve` shows.
    kb = KnowledgeBase(load_regulations(folder), drafts=True)
    page = BeautifulSoup(kb.regulation_page(kb.regulations[0]).html, "html.parser")
    form = page.select_one("form.kb-gen")
    choice = form.select_one('fieldset[data-field="prioritet"]')
    assert choice.legend.get_text(" ", strip=True).startswith("Приоритет")
    assert [radio["value"] for radio in choice.select("input[type=radio]")] == [
        "Критический",
        "Высокий",
        "Средний",
        "Низкий",
    ]
    listed = form.select_one('fieldset[data-field="proverka"]')
    assert listed["data-placeholder"] == "Проверка 1\nПроверка 2"
    assert listed.select_one("ol.kb-gen__items") is not None
    signature = form.select_one('[data-field="imya-spetsialista"]')
    assert signature.select_one("input[type=text]") is not None
    assert signature.select_one("textarea") is None
