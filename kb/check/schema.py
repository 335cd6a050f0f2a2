"""Validate a parsed regulation: the JSON Schema first, then what a schema cannot say.

Every problem names the field path and its line, in words a maintainer understands. A valid
file is passed by the quick verdict (kb.check.schema_fast) alone; ``jsonschema``, which explains
every problem, is imported only when a file or the schema needs explaining.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path as FsPath
from typing import TYPE_CHECKING

from kb.check.inline_links import link_problems
from kb.check.schema_fast import fast_verdict
from kb.check.schema_inline import inline_refs
from kb.check.step_refs import reference_problems as step_reference_problems
from kb.load.yaml_exact import Document
from kb.placeholders import names, occurrences, placeholders_of
from kb.problems import Problem, RegulationError, display_name, format_path, maybe_meant

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

SCHEMA_PATH = FsPath(__file__).resolve().parents[2] / "schema" / "regulation.schema.json"
FILENAME_FIELD = re.compile(r"\{([^{}]*)\}")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
_END = re.compile(r"(?<!\\)\$")


def _pattern(checker, pattern: str, instance, schema):
    r"""``pattern`` as JSON Schema means it (ECMA-262): ``$`` is the end of the text. Python's
    ``$`` also matches before a final newline, so ``"a1\n"`` would pass as an id;
    fastjsonschema (``schema_fast``) replaces ``$`` by ``\Z`` the same way."""
    if checker.is_type(instance, "string") and not _regex(pattern).search(instance):
        from jsonschema.exceptions import ValidationError

        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _regex(pattern: str) -> re.Pattern:
    return re.compile(_END.sub(r"\\Z", pattern))


@cache
def validator_class():
    """Draft 2020-12 with ECMA-262's ``$`` in patterns."""
    from jsonschema import Draft202012Validator, validators

    return validators.extend(Draft202012Validator, {"pattern": _pattern})


def validator(schema: FsPath = SCHEMA_PATH):
    # Keyed on the file's mtime: `mkdocs serve` keeps this process alive across schema edits.
    return _validator(schema, schema.stat().st_mtime_ns)


@cache
def _written(schema_path: FsPath, mtime: int) -> dict:
    """The schema as written; a broken file stops the build with its line."""
    try:
        return json.loads(schema_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise _schema_broken(
            schema_path, exc.lineno, f"ошибка синтаксиса JSON ({exc.msg})"
        ) from None


@cache
def _schema(schema_path: FsPath, mtime: int) -> dict:
    """The schema, its ``$ref`` inlined: same verdicts and details, about twice as fast (see
    schema_inline)."""
    return inline_refs(_written(schema_path, mtime))


@cache
def _validator(schema_path: FsPath, mtime: int):
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(_written(schema_path, mtime))
    except SchemaError as exc:
        raise _schema_broken(
            schema_path, None, f"схема не соответствует JSON Schema: {exc.message}"
        ) from None
    return validator_class()(_schema(schema_path, mtime), format_checker=FormatChecker())


def _schema_errors(data, schema_path: FsPath):
    """Detailed schema errors; skipped when the quick verdict already says "valid"."""
    mtime = schema_path.stat().st_mtime_ns
    if _quick(schema_path, mtime)(data):
        return []
    return _validator(schema_path, mtime).iter_errors(data)


@cache
def _quick(schema_path: FsPath, mtime: int):
    # Compiled (and kept) only for a schema jsonschema has checked.
    return fast_verdict(_schema(schema_path, mtime), checked=lambda: _validator(schema_path, mtime))


def _schema_broken(schema_path: FsPath, line: int | None, message: str) -> RegulationError:
    return RegulationError([Problem(display_name(schema_path), line, "", message)])


def validate(doc: Document, filename: str, schema: FsPath = SCHEMA_PATH) -> list[Problem]:
    """All problems of ``doc``; an empty list means it can be published."""
    problems = [_schema_problem(error, doc, filename) for error in _schema_errors(doc.data, schema)]
    if problems:
        return sorted(set(problems), key=problems.index)
    return [
        Problem(filename, doc.line_of(path), format_path(path), message)
        for path, message in _semantic_problems(doc.data)
    ]


# --- JSON Schema errors in Russian -------------------------------------------------------

_TYPES = {
    "string": "текст",
    "array": "список",
    "object": "набор полей «ключ: значение»",
    "integer": "целое число",
    "boolean": "true или false",
    "number": "число",
}


def _describe(value) -> str:
    if value is None:
        return "пустое значение"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return f"число {value}"
    if isinstance(value, str):
        return f"текст «{_short(value)}»"
    if isinstance(value, list):
        return "список"
    return "набор полей"


def _quoted(value) -> str:
    return f"«{_short(value)}»" if isinstance(value, str) else _describe(value)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _schema_problem(error: ValidationError, doc: Document, filename: str) -> Problem:
    if error.validator in ("oneOf", "anyOf") and error.context:
        error = _deepest(error)
    path = list(error.absolute_path)
    kind, value, instance = error.validator, error.validator_value, error.instance

    if kind == "required":
        missing = [key for key in value if key not in instance]
        message = "нет обязательного поля " + ", ".join(f"«{key}»" for key in missing)
    elif kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extra = [key for key in instance if key not in allowed]
        path.append(extra[0])
        message = f"неизвестное поле «{extra[0]}»" + (
            maybe_meant(str(extra[0]), allowed) or "; допустимые поля: " + ", ".join(allowed)
        )
    elif kind == "type":
        types = value if isinstance(value, list) else [value]
        expected = " или ".join(_TYPES.get(t, t) for t in types)
        message = f"ожидается {expected}, а указано: {_describe(instance)}"
    elif kind in ("minLength", "pattern") and "x-message" not in error.schema:
        message = "текст не может быть пустым"
    elif "x-message" in error.schema:
        message = f"{error.schema['x-message']}; указано: «{_short(str(instance))}»"
    elif kind == "minItems":
        message = (
            "список не может быть пустым" if value == 1 else f"нужно не меньше {value} пунктов"
        )
    elif kind == "enum":
        message = f"недопустимое значение {_quoted(instance)}; допустимые: " + ", ".join(
            f"«{v}»" for v in value
        )
    elif kind == "const":
        message = f"ожидается значение {value}, а указано: {_describe(instance)}"
    elif kind in ("minProperties", "maxProperties"):
        allowed = list(error.schema.get("properties", {}))
        message = "укажите ровно одно из полей: " + ", ".join(allowed)
    elif kind == "uniqueItems":
        repeated = next(item for i, item in enumerate(instance) if item in instance[:i])
        message = f"пункт {_quoted(repeated)} повторяется — каждый допустим в списке один раз"
    elif kind in ("minimum", "maximum"):
        bound = "не меньше" if kind == "minimum" else "не больше"
        message = f"значение должно быть {bound} {value}"
    else:  # any rule added to the schema later still gets a located message
        message = error.message
    return Problem(filename, doc.line_of(path), format_path(path), message)


def _deepest(error: ValidationError) -> ValidationError:
    """For "one of" rules pick the branch the author most likely meant."""
    from jsonschema.exceptions import best_match

    typed = [e for e in error.context if e.validator != "type" or e.relative_path]
    best = best_match(typed or error.context)
    if best.validator in ("oneOf", "anyOf") and best.context:
        return _deepest(best)
    return best


# --- What the schema cannot check -----------------------------------------------------------

_ID_LISTS = (
    "content",
    "steps",
    "special_cases",
    "examples",
    "templates",
    "faq",
    "errors",
    "checklist",
)


def _semantic_problems(data: dict):
    yield from _duplicate_ids(data)
    step_ids = {step["id"] for step in data["steps"]}
    case_ids = {case["id"] for case in data.get("special_cases", [])}
    for key in ("special_cases", "checklist"):
        for index, item in enumerate(data.get(key, [])):
            if "step" in item and item["step"] not in step_ids:
                yield (key, index, "step"), _unknown("шаг", item["step"], step_ids)
    for t_index, template in enumerate(data.get("templates", [])):
        for f_index, field in enumerate(template.get("fields", [])):
            if "step" in field and field["step"] not in step_ids:
                where = ("templates", t_index, "fields", f_index, "step")
                yield where, _unknown("шаг", field["step"], step_ids)
        if "step" in template and template["step"] not in step_ids:
            yield ("templates", t_index, "step"), _unknown("шаг", template["step"], step_ids)
        yield from _template_problems(template, ("templates", t_index), case_ids)
    yield from _step_references(data, case_ids)
    yield from _field_sources(data)
    yield from step_reference_problems(data)
    yield from link_problems(data)


def _field_sources(data: dict):
    """A field fed from the run's chosen criteria needs a step that asks for them."""
    if any("criteria" in step for step in data["steps"]):
        return
    for t_index, template in enumerate(data.get("templates", [])):
        for f_index, field in enumerate(template.get("fields", [])):
            if field.get("source") == "criteria":
                yield (
                    ("templates", t_index, "fields", f_index, "source"),
                    "источник «criteria»: ни у одного шага нет критериев (criteria)",
                )


def _step_references(data: dict, case_ids: set[str]):
    """A step's criteria section (it must hold terms), the actions its monitoring reminds of
    (its own) and its monitoring statuses' cases."""
    with_terms = {
        section["id"]
        for section in data.get("content", [])
        if any("terms" in block for block in section["blocks"])
    }
    for s_index, step in enumerate(data["steps"]):
        if "criteria" in step and step["criteria"] not in with_terms:
            yield (
                ("steps", s_index, "criteria"),
                _unknown("раздел контента с критериями (terms)", step["criteria"], with_terms),
            )
        action_ids = {action["id"] for action in step["actions"]}
        for r_index, action in enumerate(step.get("monitoring", {}).get("remind", [])):
            if action not in action_ids:
                yield (
                    ("steps", s_index, "monitoring", "remind", r_index),
                    f"действие «{action}» не найдено среди действий шага; есть: "
                    + ", ".join(sorted(action_ids)),
                )
        statuses = step.get("monitoring", {}).get("statuses", [])
        yield from _duplicates(statuses, ("steps", s_index, "monitoring", "statuses"))
        for m_index, status in enumerate(statuses):
            if "case" in status and status["case"] not in case_ids:
                yield (
                    ("steps", s_index, "monitoring", "statuses", m_index, "case"),
                    _unknown("особый случай", status["case"], case_ids),
                )


def _unknown(what: str, value: str, known: set[str]) -> str:
    return f"{what} «{value}» не найден; есть: " + ", ".join(sorted(known))


def _duplicate_ids(data: dict):
    for key in _ID_LISTS:
        yield from _duplicates(data.get(key, []), (key,))
    actions = [
        ((key, i, "actions", j), action["id"])
        for key in ("steps", "special_cases")
        for i, owner in enumerate(data.get(key, []))
        for j, action in enumerate(owner["actions"])
    ]
    yield from _first_seen(actions, "действие")
    for i, section in enumerate(data.get("content", [])):
        for j, block in enumerate(section["blocks"]):
            if "terms" in block:
                yield from _duplicates(block["terms"], ("content", i, "blocks", j, "terms"))
    for i, template in enumerate(data.get("templates", [])):
        yield from _duplicates(template.get("fields", []), ("templates", i, "fields"))


def _duplicates(items: list[dict], path: tuple):
    yield from _first_seen([((*path, i), item["id"]) for i, item in enumerate(items)], "элемент")


def _first_seen(entries, what: str):
    seen: dict[str, tuple] = {}
    for path, ident in entries:
        if ident in seen:
            yield (*path, "id"), f"id «{ident}» уже использован ({what} {format_path(seen[ident])})"
        else:
            seen[ident] = path


def _template_problems(template: dict, path: tuple, case_ids: set[str]):
    fields = template.get("fields")
    if not fields:
        return
    found = names(template["body"])
    named = set(FILENAME_FIELD.findall(template.get("filename", "")))
    ids = {field["id"] for field in fields}
    for name in sorted(named - ids):
        known = ", ".join(sorted(ids))
        yield (*path, "filename"), f"поле «{name}» не найдено в fields шаблона; есть: {known}"
    covered: dict[tuple[str, int], str] = {}
    for f_index, field in enumerate(fields):
        here = (*path, "fields", f_index)
        yield from _field_problems(field, here, case_ids)
        if "placeholder" not in field:
            # A context field (e.g. the ticket id) fills no placeholder: it must name the file.
            if field["id"] not in named:
                yield (
                    here,
                    f"поле без заполнителя (placeholder) должно входить в имя файла: "
                    f"добавьте {{{field['id']}}} в filename шаблона",
                )
            continue
        is_list = isinstance(field["placeholder"], list)
        if (field["type"] == "list") != is_list:
            yield (
                (*here, "placeholder"),
                (
                    "для поля типа list укажите список заполнителей строк"
                    if field["type"] == "list"
                    else "список заполнителей допустим только для поля типа list"
                ),
            )
            continue
        for name in placeholders_of(field):
            count = found.count(name)
            occurrence = field.get("occurrence")
            if count == 0:
                yield (*here, "placeholder"), f"заполнителя [{name}] нет в тексте шаблона"
            elif occurrence and occurrence > count:
                yield (
                    (*here, "occurrence"),
                    f"заполнитель [{name}] встречается в тексте только {count} раз(а)",
                )
            for number in occurrences(field, count):
                if (name, number) in covered:
                    yield (
                        here,
                        f"вхождение {number} заполнителя [{name}] уже заполняет поле «{covered[name, number]}»",
                    )
                covered[(name, number)] = field["id"]
    counts: dict[str, int] = {}
    for name in found:
        counts[name] = counts.get(name, 0) + 1
        if (name, counts[name]) not in covered:
            yield (
                (*path, "body"),
                f"заполнитель [{name}] (вхождение {counts[name]}) не заполняет ни одно поле",
            )


def _field_problems(field: dict, here: tuple, case_ids: set[str]):
    """Rules of one form field that the schema cannot express."""
    kind = field["type"]
    if (kind == "select") != ("options" in field):
        yield here, "варианты (options) нужны полю типа select и только ему"
    for o_index, option in enumerate(field.get("options", [])):
        if "case" in option and option["case"] not in case_ids:
            yield (
                (*here, "options", o_index, "case"),
                _unknown("особый случай", option["case"], case_ids),
            )
    if "default" in field:
        default = field["default"]
        values = [option["value"] for option in field.get("options", [])]
        if kind == "list":
            yield (*here, "default"), "у поля типа list не бывает значения по умолчанию"
        elif kind == "date" and default != "today" and not ISO_DATE.match(default):
            yield (*here, "default"), "для даты укажите «today» или дату в формате ГГГГ-ММ-ДД"
        elif kind == "select" and default not in values:
            yield (
                (*here, "default"),
                f"значения «{default}» нет среди вариантов: " + ", ".join(values),
            )
