"""Property: export then import of any valid regulation gives the same data.

Regulations are generated from the schema's shapes. Texts are what the Markdown template can
carry: one line, no leading or trailing spaces, starting with a word (a text starting with
«- » or «1. » would be a list in Markdown). Ids are sometimes the ones the importer derives
and sometimes hand-picked, so both the plain text and the id markers are exercised.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.check.schema import validate
from kb.load.yaml_exact import Document, load_yaml
from kb.markdown.blocks import UNMAPPED_CLOSE, Ids
from kb.markdown.fields import infer_fields
from kb.markdown.read import _normal, import_markdown
from kb.markdown.write import export_markdown
from kb.scaffold import to_yaml
from kb.vocabulary import (
    ERROR_COLUMNS,
    HISTORY_COLUMNS,
    LABELS,
    META_LABELS,
    NUMBERED,
    SECTIONS,
)

HEADINGS = [section.heading for section in SECTIONS.values()]

WORD = st.text(
    alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЖЩЭЮЯabcxyzQ0123456789", min_size=1, max_size=8
)
TOKEN = st.one_of(
    WORD,
    WORD,
    WORD,
    st.sampled_from(
        [
            "`код <b>`",
            "**жирный**",
            "*курсив*",
            "[ссылка](https://pass24.online/docs)",
            "<b>тег</b>",
            "<script>x</script>",
            "a < b",
            "&amp;",
            "—",
            "--",
            "(если применимо)",
            "«кавычки»",
            "C#",
            "50%",
            "a|b",
            "<!-- id: a -->",
            "<!-- kb -->",
            "#",
        ]
    ),
)


@st.composite
def texts(draw, max_words: int = 6, plain: bool = False) -> str:
    """One line of text that starts with a word; ``plain``: no inline marks or punctuation."""
    first = draw(WORD)
    rest = draw(st.lists(WORD if plain else TOKEN, max_size=max_words - 1))
    punctuation = "" if plain else draw(st.sampled_from(["", "", ".", ":", "?", "!", ","]))
    return " ".join([first, *rest]) + punctuation


TEXT = texts()
PLAIN = texts(plain=True)
# A paragraph may start like a list, a heading, a table or a fence: the exporter escapes it.
TRICKY = st.sampled_from(
    ["1.", "2)", "-", "*", "+", "#", ">", "|", "```", "---", "* * *", "\\-", "0\\.", "**жирный**"]
)
PARAGRAPH = st.one_of(TEXT, st.tuples(TRICKY, TEXT).map(" ".join), TRICKY)
TEXTS = st.lists(TEXT, min_size=1, max_size=3)
# Where the template allows prose or a list, either is kept as written.
PROSE_OR_LIST = st.one_of(TEXT, TEXTS)
ANSWER = st.one_of(TEXTS, st.lists(PARAGRAPH, min_size=1, max_size=3).map("\n\n".join))
DATE = st.dates(date(2000, 1, 1), date(2099, 12, 31)).map(date.isoformat)
SLUG = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,5}){0,2}", fullmatch=True)


def optional(draw, data: dict, key: str, strategy) -> None:
    if draw(st.booleans()):
        data[key] = draw(strategy)


@st.composite
def items(draw, depth: int = 0):
    """A list of items; an item may have nested items (up to three levels)."""
    out = []
    for _ in range(draw(st.integers(1, 3))):
        text = draw(TEXT)
        if depth < 2 and draw(st.integers(0, 3)) == 0:
            out.append({"text": text, "items": draw(items(depth + 1))})
        else:
            out.append(text)
    return out


def with_ids(draw, entries: list[dict], key: str, ids: Ids) -> list[dict]:
    """Give each entry the derived id or, sometimes, a hand-picked unique one."""
    for entry in entries:
        derived = ids.derive(entry[key])
        given = derived
        if draw(st.booleans()):
            given = draw(SLUG)
            while given in ids.used:
                given += "-x"
        ids.take(entry[key], given)
        entry["id"] = given
    return entries


def actions(draw, ids: Ids) -> list[dict]:
    entries = []
    for _ in range(draw(st.integers(1, 3))):
        action = {"text": draw(TEXT)}
        optional(draw, action, "items", items())
        entries.append(action)
    return with_ids(draw, entries, "text", ids)


@st.composite
def blocks(draw) -> list[dict]:
    out = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["text", "list", "numbered", "terms", "table"]))
        if kind == "text":
            out.append({"text": draw(PARAGRAPH)})
        elif kind in ("list", "numbered"):
            out.append({kind: draw(items())})
        elif kind == "terms":
            terms = [
                {"term": draw(PLAIN), "text": draw(TEXT)} for _ in range(draw(st.integers(1, 3)))
            ]
            out.append({"terms": with_ids(draw, terms, "term", Ids("term"))})
        else:
            width = draw(st.integers(1, 3))
            cell = st.one_of(st.just(""), TEXT)
            rows = draw(st.lists(st.lists(cell, min_size=1, max_size=width + 1), max_size=3))
            header = draw(st.lists(TEXT, min_size=width, max_size=width))
            out.append({"table": {"header": header, "rows": rows}})
    return out


SLASHED = st.one_of(
    st.lists(
        st.sampled_from(["Критический", "Высокий", "Да", "Нет", "Windows", "Ещё раз"]),
        min_size=2,
        max_size=3,
        unique=True,
    ).map("/".join),
    st.sampled_from(["ссылка/вложение", "Дата/время", "ДД/ММ/ГГГГ", "https://pass24.online/a"]),
)


@st.composite
def bodies(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(
            st.sampled_from(
                ["text", "placeholder", "inline", "blank", "list", "bullets", "slash", "fence"]
            )
        )
        if kind == "text":
            lines.append(draw(TEXT))
        elif kind == "placeholder":
            lines.append(f"[{draw(PLAIN)}]")
        elif kind == "inline":
            lines.append(f"{draw(PLAIN)}: [{draw(PLAIN)}]")
        elif kind == "blank":
            lines.append("")
        elif kind == "list":
            names = draw(st.lists(PLAIN, min_size=2, max_size=3, unique=True))
            lines += [f"{n}. [{name}]" for n, name in enumerate(names, 1)]
        elif kind == "bullets":
            names = draw(st.lists(PLAIN, min_size=1, max_size=3, unique=True))
            lines += [f"{draw(st.sampled_from('-*'))} [{name}]" for name in names]
        elif kind == "slash":  # choices and what only looks like one
            label = draw(st.sampled_from(["", "- ", f"{draw(PLAIN)}: "]))
            lines.append(f"{label}[{draw(SLASHED)}]")
        else:
            lines.append("```")
    if not any(line.strip() for line in lines):
        lines.append(draw(TEXT))
    return "\n".join(lines)


@st.composite
def templates(draw) -> list[dict]:
    out = []
    for _ in range(draw(st.integers(0, 2))):
        template = {"title": draw(TEXT)}
        optional(draw, template, "when", TEXT)
        optional(draw, template, "body_title", PLAIN)
        template["body"] = draw(bodies())
        fields = infer_fields(template["body"])
        choice = draw(st.sampled_from(["inferred", "tuned", "none", "empty"]))
        if choice == "inferred" and fields:
            template["fields"] = fields
        elif choice == "tuned" and fields:
            for field in fields:
                optional(draw, field, "hint", TEXT)
                optional(draw, field, "required", st.booleans())
                if field["type"] in ("text", "textarea"):
                    field["type"] = draw(st.sampled_from(["text", "textarea", "date"]))
                for option in field.get("options", []):
                    optional(draw, option, "hint", TEXT)
            template["fields"] = fields
        elif choice == "empty":
            template["fields"] = []
        optional(draw, template, "downloads", st.sampled_from([["txt"], ["md"], ["txt", "md"]]))
        optional(draw, template, "filename", st.sampled_from(["ответ клиенту", "escalation"]))
        out.append(template)
    return with_ids(draw, out, "title", Ids("template"))


@st.composite
def regulations(draw) -> dict:
    meta = {
        "version": draw(TEXT),
        "created": draw(DATE),
        "updated": draw(DATE),
        "owner": draw(TEXT),
        "status": draw(st.sampled_from(["Актуально", "Черновик", "На пересмотре", "Устарело"])),
    }
    optional(draw, meta, "author", TEXT)
    optional(draw, meta, "type", TEXT)
    optional(draw, meta, "department", TEXT)
    optional(draw, meta, "tags", st.lists(PLAIN, min_size=1, max_size=3))
    optional(
        draw,
        meta,
        "review",
        st.one_of(
            DATE.map(lambda d: {"by": d}), st.integers(1, 60).map(lambda n: {"every_months": n})
        ),
    )
    audience = {"who": draw(TEXT)}
    optional(draw, audience, "level", TEXT)
    optional(draw, audience, "when", TEXT)
    data: dict = {
        "format": 1,
        "title": draw(TEXT),
        "meta": meta,
        "audience": audience,
        "summary": "\n\n".join(draw(st.lists(PARAGRAPH, min_size=1, max_size=2))),
    }
    optional(draw, data, "keywords", st.lists(PLAIN, min_size=1, max_size=3))
    if draw(st.booleans()):
        prerequisites: dict = {}
        optional(draw, prerequisites, "knowledge", PROSE_OR_LIST)
        optional(draw, prerequisites, "access", PROSE_OR_LIST)
        data["prerequisites"] = prerequisites
    if draw(st.booleans()):
        sections = [
            {"title": draw(TEXT), "blocks": draw(blocks())} for _ in range(draw(st.integers(0, 3)))
        ]
        data["content"] = with_ids(draw, sections, "title", Ids("section"))

    action_ids = Ids("action")
    steps = []
    for _ in range(draw(st.integers(1, 4))):
        step = {"title": draw(TEXT), "actions": actions(draw, action_ids)}
        optional(draw, step, "where", TEXT)
        optional(draw, step, "result", TEXT)
        steps.append(step)
    data["steps"] = with_ids(draw, steps, "title", Ids("step"))
    step_ids = [step["id"] for step in steps]

    if draw(st.booleans()):
        cases = []
        for _ in range(draw(st.integers(0, 2))):
            case = {"title": draw(TEXT)}
            optional(draw, case, "step", st.sampled_from(step_ids))
            case["actions"] = actions(draw, action_ids)
            cases.append(case)
        data["special_cases"] = with_ids(draw, cases, "title", Ids("case"))
    if draw(st.booleans()):
        examples = []
        for _ in range(draw(st.integers(0, 2))):
            example = {"title": draw(TEXT), "situation": draw(TEXT)}
            optional(draw, example, "actions", PROSE_OR_LIST)
            optional(draw, example, "result", TEXT)
            optional(draw, example, "conclusions", TEXT)
            examples.append(example)
        data["examples"] = with_ids(draw, examples, "title", Ids("example"))
    if draw(st.booleans()):
        data["templates"] = draw(templates())
    if draw(st.booleans()):
        faq = [
            {"question": draw(TEXT), "answer": draw(ANSWER)} for _ in range(draw(st.integers(0, 3)))
        ]
        data["faq"] = with_ids(draw, faq, "question", Ids("question"))
    if draw(st.booleans()):
        errors = [
            {"error": draw(TEXT), "cause": draw(TEXT), "solution": draw(TEXT)}
            for _ in range(draw(st.integers(0, 3)))
        ]
        data["errors"] = with_ids(draw, errors, "error", Ids("error"))
    if draw(st.booleans()):
        checklist = []
        for _ in range(draw(st.integers(0, 4))):
            item = {"text": draw(TEXT)}
            optional(draw, item, "step", st.sampled_from(step_ids))
            checklist.append(item)
        data["checklist"] = with_ids(draw, checklist, "text", Ids("check"))
    if draw(st.booleans()):
        success = {}
        optional(draw, success, "intro", PLAIN)
        success["items"] = draw(st.lists(TEXT, min_size=1, max_size=3))
        data["success"] = success
    if draw(st.booleans()):
        groups = []
        for _ in range(draw(st.integers(0, 2))):
            entries = []
            for _ in range(draw(st.integers(1, 3))):
                entry = {"title": draw(PLAIN)}
                optional(draw, entry, "link", st.sampled_from(["./Диагностика проблем.md", "../Регламент (SLA).md", "https://pass24.online/a?b=1"]))  # fmt: skip
                optional(draw, entry, "regulation", SLUG)
                entries.append(entry)
            groups.append({"title": draw(PLAIN), "items": entries})
        data["related"] = groups
    if draw(st.booleans()):
        history = []
        for _ in range(draw(st.integers(0, 3))):
            entry = {"version": draw(TEXT), "date": draw(DATE)}
            optional(draw, entry, "author", TEXT)
            entry["changes"] = draw(TEXT)
            history.append(entry)
        data["history"] = history
    if draw(st.booleans()):
        feedback = {}
        optional(draw, feedback, "questions", st.lists(PLAIN, min_size=1, max_size=3))
        feedback["text"] = "\n\n".join(draw(st.lists(PARAGRAPH, min_size=1, max_size=2)))
        data["feedback"] = feedback
    if draw(st.booleans()):
        unknown = draw(st.lists(PLAIN, max_size=2, unique_by=_normal))
        unknown = [t for t in unknown if not _is_section(t)]
        entries = [{"text": draw(TEXT)}] if draw(st.booleans()) else []
        # Text kept under sections of the template (present or not), in the template's order.
        known = draw(st.lists(st.sampled_from(HEADINGS), max_size=3))
        for title in sorted(known, key=HEADINGS.index) + unknown:
            lines = draw(st.lists(st.one_of(TEXT, st.just(""), st.just(UNMAPPED_CLOSE)), min_size=1, max_size=3))  # fmt: skip
            entries.append({"section": title, "text": "\n".join([draw(TEXT), *lines])})
        if entries:
            data["unmapped"] = entries
    return data


def _is_section(title: str) -> bool:
    known = {_normal(t) for t in HEADINGS}
    return _normal(title) in known or _normal(title).startswith("часто задаваемые вопросы")


@settings(max_examples=60, deadline=None)
@given(regulations())
def test_export_then_import_gives_the_same_data(data):
    assert validate(Document(data, {}), "generated") == []  # the generator makes valid data
    markdown = export_markdown(data)
    again, notes = import_markdown(markdown)
    assert again == data
    expected_notes = len(data.get("unmapped", []))  # kept fragments are reported again
    assert len(notes) == expected_notes


@settings(max_examples=25, deadline=None)
@given(regulations())
def test_yaml_written_by_import_loads_back_the_same(tmp_path_factory, data):
    path = tmp_path_factory.getbasetemp() / "x.yml"
    assert load_yaml(to_yaml(data, path).encode(), "x.yml").data == data


# Pieces of the template (from the vocabulary, so a renamed heading is fuzzed too) and of
# everything that can go wrong around them.
FRAGMENTS = st.sampled_from(
    [
        *(f"## {section.heading}" for section in SECTIONS.values()),
        *(f"**{label}:**" for label in LABELS.values()),
        "# Заголовок",
        "## Неизвестный раздел",
        f"## {SECTIONS['faq'].heading.split(' (')[0]}",
        f"### {NUMBERED['steps']} 1: Начало",
        f"### {NUMBERED['faq']} 1: Почему?",
        f"### {NUMBERED['examples']} 1:",
        "#### Мелкий заголовок",
        f"**{LABELS['where']}:** тут",
        f"**{LABELS['answer']}:** да",
        "**Текст:**",
        "1. пункт",
        "   - вложенный",
        "      1. глубже",
        "- пункт <!-- id: x; step: y -->",
        "- [ ] проверка",
        "- [ссылка](./a (b).md)",
        "| a | b |",
        "|---|---|",
        f"| **{META_LABELS['version']}** | 1.0 |",
        f"| **{META_LABELS['review']}** | каждые 0 мес. |",
        "```",
        "~~~~",
        "[Заполнитель]",
        "1. [Шаг 1]",
        "- [Проверка 1]",
        "Приоритет: [Критический/Высокий]",
        "<!-- kb:unmapped -->",
        "<!-- /kb:unmapped -->",
        "<!-- kb:template",
        "<!-- kb:extra",
        "fields: [1, {a: b}]",
        "-->",
        "---",
        "",
        "\tтабуляция",
        "Просто текст <b>html</b>",
        "|",
        "| x",
        "||",
        "-",
        "1.",
        "**:**",
        "###",
        "**Жирный вопрос?**",
        "| " + " | ".join(ERROR_COLUMNS.values()) + " |",
        "| " + " | ".join(HISTORY_COLUMNS.values()) + " |",
        "| | |",
        "<!-- kb:template fields: null -->",
        "<!-- kb:extra [1] -->",
        "<!-- id: a; step: b -->",
        "  - [x] отмечено",
        "\\- экранировано",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(FRAGMENTS, max_size=40))
def test_import_never_fails_on_any_arrangement_of_template_parts(lines):
    data, notes = import_markdown("\n".join(lines))
    assert isinstance(data, dict) and data["format"] == 1
    assert all(isinstance(line, int) and isinstance(message, str) for line, message in notes)


MINIMAL = """# Регламент

## Метаданные документа

| Параметр | Значение |
|----------|----------|
| **Версия** | 1.0 |
| **Дата создания** | 2025-01-01 |
| **Дата последнего обновления** | 2025-01-02 |
| **Ответственный за актуальность** | Руководитель |
| **Статус** | Актуально |

## Целевая аудитория

**Для кого:** Специалисты

## Краткое описание

Описание.

## Пошаговая инструкция

### Шаг 1: Начало

**Что делать:**
1. Действие
"""


@settings(max_examples=200, deadline=None)
@given(st.lists(FRAGMENTS, max_size=30))
def test_what_imports_as_valid_survives_export_and_import(lines):
    """After one import, any document is in the exporter's own form: a fixed point."""
    data, _ = import_markdown(MINIMAL + "\n".join(lines))
    if validate(Document(data, {}), "fuzz"):
        return
    assert import_markdown(export_markdown(data))[0] == data


@settings(max_examples=100, deadline=None)
@given(bodies(), st.booleans(), st.data())
def test_template_fields_survive_export_and_import(body, tuned, draw):
    """Inferred fields (choices, bullet lists, one-line texts among them) travel in the
    template's text alone; tuned ones in its comment. Either way they come back unchanged."""
    data, _ = import_markdown(MINIMAL)
    fields = infer_fields(body)
    for field in fields if tuned else []:
        field["hint"] = draw.draw(TEXT)
        for option in field.get("options", []):
            optional(draw.draw, option, "hint", TEXT)
    template = {"id": "shablon", "title": "Шаблон", "body": body}
    data["templates"] = [{**template, "fields": fields} if fields else template]
    assert validate(Document(data, {}), "generated") == []
    markdown = export_markdown(data)
    assert ("<!-- kb:template" in markdown) == (tuned and bool(fields))
    assert import_markdown(markdown) == (data, [])
