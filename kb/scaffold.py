"""Writing regulation files: YAML with the schema header, and a new regulation to fill in."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import yaml

from kb.check.schema import SCHEMA_PATH
from kb.markdown.blocks import ADDRESS_LIMIT, slugify
from kb.status import DRAFT


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key, multi-line text as ``|`` blocks."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def schema_header(target: Path, schema: Path = SCHEMA_PATH) -> str:
    """The editor hint line with the schema path relative to ``target``'s folder."""
    relative = os.path.relpath(Path(schema).resolve(), Path(target).resolve().parent)
    return f"# yaml-language-server: $schema={Path(relative).as_posix()}\n"


def to_yaml(data: dict, target: Path, schema: Path = SCHEMA_PATH) -> str:
    """The regulation file for ``data`` saved at ``target``; top-level keys apart by a blank line."""
    parts = [
        yaml.dump(
            {key: value},
            Dumper=_Dumper,
            allow_unicode=True,
            sort_keys=False,
            default_flow_style=False,
            width=100,
        )
        for key, value in data.items()
    ]
    head, rest = parts[:2], parts[2:]  # format and title stay together
    return schema_header(target, schema) + "".join(head) + "".join("\n" + part for part in rest)


def slug_for(title: str) -> str:
    """A regulation's page address (its file name) from its title: whole words, at most
    ``ADDRESS_LIMIT`` characters."""
    return slugify(title, "regulation", ADDRESS_LIMIT)


def new_regulation(title: str, today: date | None = None) -> dict:
    """A valid regulation with every section of the template, each part saying what to write."""
    day = (today or date.today()).isoformat()
    return {
        "format": 1,
        "title": title,
        "meta": {
            "version": "0.1",
            "created": day,
            "updated": day,
            "author": "Укажите автора",
            "owner": "Руководитель технической поддержки",
            "status": DRAFT,
            "type": "Регламент",
            "department": "Тех. поддержка",
            "tags": ["укажите теги"],
            "review": {"every_months": 12},
        },
        "audience": {
            "who": "Специалисты технической поддержки",
            "level": "Укажите уровень подготовки",
            "when": "Опишите, в какой ситуации применять регламент",
        },
        "summary": "Кратко опишите, о чём регламент и что он содержит.",
        "prerequisites": {
            "knowledge": ["Перечислите, что нужно знать"],
            "access": ["Перечислите, к каким системам нужен доступ"],
        },
        "content": [
            {
                "id": "osnovnye-polozheniya",
                "title": "Основные положения",
                "blocks": [
                    {"text": "Опишите правила и понятия, на которые опираются шаги."},
                    {"list": ["Первый пункт", "Второй пункт"]},
                ],
            }
        ],
        "steps": [
            {
                "id": "pervyy-shag",
                "title": "Первый шаг",
                "actions": [
                    {"id": "pervoe-deystvie", "text": "Опишите первое действие"},
                    {
                        "id": "vtoroe-deystvie",
                        "text": "Опишите второе действие:",
                        "items": ["подробность", "ещё подробность"],
                    },
                ],
                "where": "Система обработки обращений",
                "result": "Опишите результат шага",
            }
        ],
        "special_cases": [
            {
                "id": "osobyy-sluchay",
                "title": "Опишите особый случай",
                "step": "pervyy-shag",
                "actions": [
                    {"id": "deystvie-v-osobom-sluchae", "text": "Что делать в этом случае"}
                ],
            }
        ],
        "examples": [
            {
                "id": "primer",
                "title": "Название примера",
                "situation": "Опишите ситуацию.",
                "actions": ["Что сделали"],
                "result": "Чем закончилось",
                "conclusions": "Какой вывод сделали",
            }
        ],
        "templates": [
            {
                "id": "shablon-otveta-klientu",
                "title": "Шаблон ответа клиенту",
                "when": "Опишите, когда использовать шаблон",
                "body_title": "Текст ответа",
                "body": "Здравствуйте, [Имя клиента]!\n\n[Текст ответа]\n\nС уважением,\n[Имя специалиста]\nСлужба технической поддержки PASS24.online",
                "fields": [
                    {
                        "id": "imya-klienta",
                        "label": "Имя клиента",
                        "type": "text",
                        "placeholder": "Имя клиента",
                    },
                    {
                        "id": "tekst-otveta",
                        "label": "Текст ответа",
                        "type": "textarea",
                        "placeholder": "Текст ответа",
                    },
                    {
                        "id": "imya-spetsialista",
                        "label": "Имя специалиста",
                        "type": "text",
                        "placeholder": "Имя специалиста",
                    },
                ],
            }
        ],
        "faq": [
            {
                "id": "vopros",
                "question": "Сформулируйте частый вопрос?",
                "answer": ["Ответ на вопрос"],
            }
        ],
        "errors": [
            {
                "id": "oshibka",
                "error": "Типичная ошибка",
                "cause": "Почему её совершают",
                "solution": "Как её избежать",
            }
        ],
        "checklist": [
            {"id": "shag-vypolnen", "text": "Первый шаг выполнен", "step": "pervyy-shag"}
        ],
        "success": {
            "intro": "Успешное выполнение определяется следующими критериями:",
            "items": ["Опишите критерий успеха"],
        },
        "related": [
            {
                "title": "Перед использованием этого документа рекомендуется ознакомиться с:",
                "items": [{"title": "Регламент работы технической поддержки PASS24"}],
            }
        ],
        "history": [
            {
                "version": "0.1",
                "date": day,
                "author": "Укажите автора",
                "changes": "Первоначальная версия",
            }
        ],
        "feedback": {
            "questions": [
                "Нашли ошибку или неточность?",
                "Есть предложения по улучшению?",
                "Остались вопросы?",
            ],
            "text": "Обратитесь к руководителю технической поддержки или создайте задачу в Битрикс24.",
        },
    }
