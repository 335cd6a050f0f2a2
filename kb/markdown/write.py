"""Write a regulation back in the knowledge base's Markdown template (the seed's layout).

Whatever the text cannot say — ids that differ from the ones the importer derives, links of
special cases and checklist items to steps, hand-tuned template fields — goes into HTML
comments that ``markdown_import`` reads back, so export then import gives the same data.
"""

from __future__ import annotations

import re

from kb import links
from kb.markdown.blocks import (
    ERROR_HEADER,
    HISTORY_HEADER,
    META_KEYS,
    SECTIONS,
    TEMPLATE_KEYS,
    TOP_KEYS,
    UNMAPPED_CLOSE,
    UNMAPPED_OPEN,
    Ids,
    data_comment,
    escape_start,
    escape_unmapped,
    infer_fields,
    marker,
    review_text,
)

RULE = "\n\n---\n\n"


def export_markdown(data: dict, known: dict[str, str] | None = None) -> str:
    """The Markdown text of regulation ``data``; ``known`` maps titles and slugs to slugs."""
    writer = _Writer(data, known or {})
    return writer.document()


class _Writer:
    def __init__(self, data: dict, known: dict[str, str]):
        self.data = data
        self.known = known
        self.unmapped: dict[str | None, list[str]] = {}
        for entry in data.get("unmapped", []):
            self.unmapped.setdefault(entry.get("section"), []).append(entry["text"])
        self.action_ids = Ids("action")

    def document(self) -> str:
        data = self.data
        head = f"# {data['title']}" + marker(data["title"])
        extra = {k: v for k, v in data.items() if k not in TOP_KEYS}
        meta_extra = {k: v for k, v in data["meta"].items() if k not in META_KEYS}
        if "review" in data["meta"] and review_text(data["meta"]["review"]) is None:
            meta_extra["review"] = data["meta"]["review"]
        if meta_extra:
            extra["meta"] = meta_extra
        if extra:
            head += "\n\n" + data_comment("extra", extra)
        if None in self.unmapped:
            head += "\n\n" + _unmapped_chunks(self.unmapped.pop(None))
        parts = []
        for key, title in SECTIONS.items():
            if key == "meta" or key in data:
                body = getattr(self, key)(data[key]) if key in data else ""
                kept = self.unmapped.pop(title, [])
                if kept:
                    body = "\n\n".join(filter(None, [body, _unmapped_chunks(kept)]))
                parts.append(f"## {title}" + (f"\n\n{body}" if body else ""))
            elif title in self.unmapped:  # only kept text: «<!-- kb -->» says there is no field
                parts.append(
                    f"## {title} <!-- kb -->\n\n" + _unmapped_chunks(self.unmapped.pop(title))
                )
        for title, chunks in self.unmapped.items():
            parts.append(f"## {title}{marker(title)}\n\n" + _unmapped_chunks(chunks))
        return head + "\n\n" + RULE.join(parts) + "\n"

    # --- sections ---------------------------------------------------------------------------

    def meta(self, meta: dict) -> str:
        rows = [
            ("Версия", meta.get("version")),
            ("Дата создания", meta.get("created")),
            ("Дата последнего обновления", meta.get("updated")),
            ("Автор", meta.get("author")),
            ("Ответственный за актуальность", meta.get("owner")),
            ("Статус", meta.get("status")),
            ("Тип документа", meta.get("type")),
            ("Отдел", meta.get("department")),
            ("Теги", ", ".join(meta["tags"]) if "tags" in meta else None),
            ("Пересмотр", review_text(meta.get("review"))),
            (
                "Ключевые слова",
                ", ".join(self.data["keywords"]) if "keywords" in self.data else None,
            ),
        ]
        return _table(["Параметр", "Значение"], [[f"**{k}**", v] for k, v in rows if v is not None])

    def audience(self, audience: dict) -> str:
        labels = [
            ("who", "Для кого"),
            ("level", "Уровень подготовки"),
            ("when", "Когда использовать"),
        ]
        return "\n\n".join(_label(name, audience[key]) for key, name in labels if key in audience)

    def summary(self, summary: str) -> str:
        return _paragraphs(summary)

    def prerequisites(self, prerequisites: dict) -> str:
        parts = []
        for key, name in (("knowledge", "Необходимые знания"), ("access", "Необходимый доступ")):
            if key in prerequisites:
                parts.append(f"**{name}:**\n" + _items(prerequisites[key]))
        return "\n\n".join(parts)

    def content(self, sections: list[dict]) -> str:
        ids = Ids("section")
        out = []
        for section in sections:
            heading = f"### {section['title']}" + self._id_marker(ids, section["title"], section)
            blocks = [_block(block) for block in section["blocks"]]
            out.append("\n\n".join([heading, *blocks]))
        return "\n\n".join(out)

    def steps(self, steps: list[dict]) -> str:
        ids = Ids("step")
        out = []
        for number, step in enumerate(steps, 1):
            lines = [
                f"### Шаг {number}: {step['title']}" + self._id_marker(ids, step["title"], step),
                "**Что делать:**\n" + self._actions(step["actions"]),
            ]
            for key, name in (("where", "Где"), ("result", "Результат")):
                if key in step:
                    lines.append(_label(name, step[key]))
            out.append("\n\n".join(lines))
        return RULE.join(out)

    def special_cases(self, cases: list[dict]) -> str:
        ids = Ids("case")
        out = []
        for case in cases:
            mark = self._id_marker(ids, case["title"], case, step=case.get("step"))
            out.append(
                f"### {case['title']}{mark}\n\n**Действия:**\n" + self._actions(case["actions"])
            )
        return "\n\n".join(out)

    def examples(self, examples: list[dict]) -> str:
        ids = Ids("example")
        out = []
        for number, example in enumerate(examples, 1):
            mark = self._id_marker(ids, example["title"], example)
            lines = [
                f"### Пример {number}: {example['title']}{mark}",
                _label("Ситуация", example["situation"]),
            ]
            if "actions" in example:
                lines.append("**Действия:**\n" + _items(example["actions"], numbered=True))
            for key, name in (("result", "Результат"), ("conclusions", "Выводы")):
                if key in example:
                    lines.append(_label(name, example[key]))
            out.append("\n\n".join(lines))
        return RULE.join(out)

    def templates(self, templates: list[dict]) -> str:
        ids = Ids("template")
        out = []
        for template in templates:
            mark = self._id_marker(ids, template["title"], template)
            lines = [f"### {template['title']}{mark}"]
            if "when" in template:
                lines.append(_label("Когда использовать", template["when"]))
            if "body_title" in template:
                lines.append(f"**{template['body_title']}:**")
            lines.append(_fence(template["body"]))
            extra = {k: v for k, v in template.items() if k not in TEMPLATE_KEYS | {"fields"}}
            if template.get("fields") != (infer_fields(template["body"]) or None):
                extra["fields"] = template.get("fields")
            if extra:
                lines.append(data_comment("template", extra))
            out.append("\n\n".join(lines))
        return RULE.join(out)

    def faq(self, entries: list[dict]) -> str:
        ids = Ids("question")
        out = []
        for number, entry in enumerate(entries, 1):
            mark = self._id_marker(ids, entry["question"], entry)
            out.append(
                f"### Вопрос {number}: {entry['question']}{mark}\n\n**Ответ:**\n"
                + _items(entry["answer"])
            )
        return RULE.join(out)

    def errors(self, errors: list[dict]) -> str:
        ids = Ids("error")
        rows, marks = [], []
        for error in errors:
            rows.append([error["error"], error["cause"], error["solution"]])
            marks.append(self._id_marker(ids, error["error"], error))
        return _table(ERROR_HEADER, rows, marks)

    def checklist(self, items: list[dict]) -> str:
        ids = Ids("check")
        return "\n".join(
            f"- [ ] {item['text']}"
            + self._id_marker(ids, item["text"], item, step=item.get("step"))
            for item in items
        )

    def success(self, success: dict) -> str:
        parts = [_bold(success["intro"])] if "intro" in success else []
        return "\n\n".join([*parts, _items(success["items"])])

    def related(self, groups: list[dict]) -> str:
        out = []
        for group in groups:
            lines = [_bold(group["title"])]
            for item in group["items"]:
                text = f"[{item['title']}]({item['link']})" if "link" in item else item["title"]
                derived = links.find(self.known, item["title"], item.get("link"))
                given = item.get("regulation")
                lines.append(
                    f"- {text}" + marker(text, regulation=given if given != derived else None)
                )
            out.append("\n".join(lines))
        return "\n\n".join(out)

    def history(self, entries: list[dict]) -> str:
        rows = [[e["version"], e["date"], e.get("author", ""), e["changes"]] for e in entries]
        return _table(HISTORY_HEADER, rows)

    def feedback(self, feedback: dict) -> str:
        parts = []
        text = _paragraphs(feedback["text"])
        if "questions" in feedback:
            parts.append("  \n".join(f"**{q}**" for q in feedback["questions"]))
        elif re.match(r"\*\*[^*](?:.*[^*])?\*\*(\n\n|$)", text):
            text = "\\" + text  # a bold first paragraph would read as the questions
        parts.append(text)
        return "\n\n".join(parts)

    # --- helpers ----------------------------------------------------------------------------

    def _actions(self, actions: list[dict]) -> str:
        lines = []
        for number, action in enumerate(actions, 1):
            mark = self._id_marker(self.action_ids, action["text"], action)
            lines.append(f"{number}. {action['text']}{mark}")
            if "items" in action:
                lines.append(_items(action["items"], indent=" " * len(f"{number}. ")))
        return "\n".join(lines)

    @staticmethod
    def _id_marker(ids: Ids, text: str, item: dict, step: str | None = None) -> str:
        derived = ids.derive(text)
        ids.take(text, item["id"])
        return marker(text, id=item["id"] if item["id"] != derived else None, step=step)


def _bold(text: str) -> str:
    """A bold title line; text with its own «*» at an end stays as it is (still a paragraph)."""
    return escape_start(text) if text.startswith("*") or text.endswith("*") else f"**{text}**"


def _paragraphs(text: str) -> str:
    return "\n\n".join(escape_start(part) for part in text.split("\n\n"))


def _label(name: str, value: str) -> str:
    return f"**{name}:** {value}"


def _items(items: list, numbered: bool = False, indent: str = "") -> str:
    lines = []
    for number, item in enumerate(items, 1):
        bullet = f"{number}. " if numbered else "- "
        text = item if isinstance(item, str) else item["text"]
        lines.append(f"{indent}{bullet}{text}{marker(text)}")
        if isinstance(item, dict):
            lines.append(_items(item["items"], indent=indent + " " * len(bullet)))
    return "\n".join(lines)


def _block(block: dict) -> str:
    if "text" in block:
        return _paragraphs(block["text"])
    if "list" in block:
        return _items(block["list"])
    if "numbered" in block:
        return _items(block["numbered"], numbered=True)
    if "terms" in block:
        ids = Ids("term")
        lines = []
        for number, term in enumerate(block["terms"], 1):
            derived = ids.derive(term["term"])
            ids.take(term["term"], term["id"])
            mark = marker(term["text"], id=term["id"] if term["id"] != derived else None)
            lines.append(f"{number}. **{term['term']}** - {term['text']}{mark}")
        return "\n".join(lines)
    table = block["table"]
    return _table(table["header"], table["rows"])


def _cell(text) -> str:
    return str(text).replace("|", "\\|")


def _table(header: list[str], rows: list[list], marks: list[str] | None = None) -> str:
    lines = [
        "| " + " | ".join(_cell(h) for h in header) + " |",
        "|" + "|".join("-" * (len(h) + 2) for h in header) + "|",
    ]
    for index, row in enumerate(rows):
        line = "| " + " | ".join(_cell(c) for c in row) + " |" if row else "|"
        lines.append(line + (marks[index] if marks else ""))
    return "\n".join(lines)


def _fence(body: str) -> str:
    longest = max((len(run) for run in re.findall(r"`{3,}", body)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}\n{body}\n{fence}"


def _unmapped_chunks(chunks: list[str]) -> str:
    return "\n\n".join(
        f"{UNMAPPED_OPEN}\n{escape_unmapped(chunk)}\n{UNMAPPED_CLOSE}" for chunk in chunks
    )
