"""Read a regulation written in the knowledge base's Markdown template into our YAML data.

The parser is line based and forgiving: sections may be missing, empty or repeated, lists may
nest, steps may lack «Где». Whatever it cannot map is reported (line, what) and kept in
``unmapped``, never dropped; the exporter writes it back between ``<!-- kb:unmapped -->``
lines. HTML-like text stays text: the renderer escapes it.

Each H2 section has its reader in ``READERS``: ``read_<section>(doc, heading, line, blocks)``
returns the section's data (None: the section adds nothing); a section made of ``###``
subsections reads each with ``read_<entry>`` (``read_step``, ``read_question``, …) through
``each_subsection``. ``doc`` is the import's state: what is noted, what is kept aside, the
ids already given.
"""

from __future__ import annotations

import re

import yaml

from kb import links
from kb.markdown.blocks import (
    NO_REGULATION,
    PLANNED,
    Ids,
    parse_review,
    split_marker,
)
from kb.markdown.fields import infer_fields
from kb.markdown.parse import (
    BOLD,
    Block,
    Item,
    blocks_of,
    content,
    flatten,
    span,
    split_document,
    strip_bold,
    table_rows,
)
from kb.vocabulary import (
    ERROR_COLUMNS,
    HISTORY_COLUMNS,
    LABELS,
    META_ROWS,
    NUMBERED,
    SECTIONS,
)

Note = tuple[int, str]
"""A line of the Markdown file and what is wrong there (in Russian)."""

KEPT = " — фрагмент сохранён в unmapped"

_TERM = re.compile(r"^\*\*([^*]+?)\*\*\s+[-—–]\s+(.+)$")
_LINK = re.compile(r"^\[([^\]]+)\]\((.+)\)$")
_TASK = re.compile(r"^\[[ xXхХ]\]\s*")


def _numbered_title(word: str, optional: bool = False) -> re.Pattern:
    """``Шаг 1: title`` (``1. title`` too when the word is optional) → ``title``."""
    prefix = f"(?:{re.escape(word)}\\s*)?" if optional else f"{re.escape(word)}\\s*"
    return re.compile(rf"^{prefix}\d+\s*[:.)—–-]\s*(.+)$", re.IGNORECASE)


_NUMBERED_TITLE = {
    "steps": _numbered_title(NUMBERED["steps"], optional=True),
    "examples": _numbered_title(NUMBERED["examples"]),
    "faq": _numbered_title(NUMBERED["faq"]),
}


def _by_label(*keys: str) -> dict[str, str]:
    """Case-folded label → data key, for the labels of ``keys``."""
    return {LABELS[key].casefold(): key for key in keys}


def _normal(title: str) -> str:
    """Heading text for matching: no «(FAQ)», no «3.» numbering, no colon, any case."""
    title = re.sub(r"\([^)]*\)", "", title).strip().rstrip(":").casefold()
    title = re.sub(r"^\d+[.)]?\s+", "", title)
    return " ".join(title.split())


_SECTION_BY_TITLE = {_normal(section.heading): key for key, section in SECTIONS.items()}
_FAQ_PREFIX = _normal(SECTIONS["faq"].heading)  # «Часто задаваемые вопросы и ответы» is FAQ too


def section_key(title: str) -> str | None:
    """The section a H2 heading names, or None if the template has no such section."""
    normal = _normal(title)
    key = _SECTION_BY_TITLE.get(normal)
    return "faq" if key is None and normal.startswith(_FAQ_PREFIX) else key


# --- The import's state ---------------------------------------------------------------------


class Import:
    """What one import gathers besides the sections' data: notes, kept text, ids."""

    def __init__(self, known: dict[str, str]):
        self.known = known
        """The regulations that exist, by name (``kb.links.Names``): related links name them."""
        self.notes: list[Note] = []
        self.data: dict = {"format": 1}
        self.unmapped: list[dict] = []
        self.action_ids = Ids("action")
        """Steps and special cases share one scope of action ids."""

    def note(self, line: int, message: str) -> None:
        self.notes.append((line, message))

    def keep(self, section: str | None, block: Block, why: str | None = None) -> None:
        """Keep a block the importer cannot map, and say so."""
        if block.kind == "unmapped" and not block.text.strip():
            return  # an empty kb:unmapped region: nothing to keep
        entry = {"section": section} if section else {}
        entry["text"] = block.text if block.kind == "unmapped" else block.raw
        self.unmapped.append(entry)
        where = f"в разделе «{section}»" if section else "до первого раздела"
        self.note(
            block.line,
            (why or f"{block.describe()} {where} не соответствует шаблону")
            + KEPT
            + ", перенесите текст в нужное поле",
        )

    def keep_text(self, section: str, line: int, text: str, message: str) -> None:
        """Keep a piece of a block (a table row, a heading, a label) and say so."""
        self.unmapped.append({"section": section, "text": text})
        self.note(line, message)

    def keep_section(self, name: str | None, blocks: list[Block]) -> None:
        """Keep a whole section: each kb:unmapped region and each run of other Markdown."""
        run: list[Block] = []
        for block in blocks:
            if block.kind == "unmapped":
                self._flush_run(name, run)
                if not block.text.strip():
                    continue
                self.unmapped.append({**({"section": name} if name else {}), "text": block.text})
            elif block.kind != "rule" or run:
                run.append(block)
        self._flush_run(name, run)

    def _flush_run(self, name: str | None, run: list[Block]) -> None:
        while run and run[-1].kind == "rule":
            run.pop()
        if run:
            entry = {"section": name} if name else {}
            self.unmapped.append({**entry, "text": span(run)})
        run.clear()

    def load(self, block: Block, section: str | None):
        """The YAML inside a ``<!-- kb:NAME … -->`` comment, or None (kept and reported)."""
        try:
            return yaml.safe_load(block.text)
        except yaml.YAMLError:
            self.keep(section, block, "служебный комментарий kb не читается как YAML")
            return None

    def subsections(self, section: str, blocks: list[Block]):
        """``### …`` subsections as (heading block, body blocks); text before them is kept."""
        current = None
        for block in content(blocks):
            if block.kind == "heading" and block.level == 3:
                if current:
                    yield current
                current = (block, [])
            elif current is None or block.kind == "unmapped":
                self.keep(section, block)
            else:
                current[1].append(block)
        if current:
            yield current

    def flat(self, block: Block, section: str) -> list[str]:
        """List items as plain texts; nested items become items of their own (reported)."""
        if any(item.children for item in block.items):
            self.note(
                block.line, f"вложенный список в разделе «{section}» превращён в отдельные пункты"
            )
        return [item.text for item in flatten(block.items) if item.text]

    def action(self, text: str, marks: dict) -> dict:
        return {"id": self.action_ids.take(text, marks.get("id")), "text": text}


# --- The document ---------------------------------------------------------------------------


def import_markdown(text: str, known: dict[str, str] | None = None) -> tuple[dict, list[Note]]:
    """Regulation data from Markdown ``text`` and what could not be mapped (line, message)."""
    doc = Import(known or {})
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    title, preamble, parts = split_document(text)
    if title:
        doc.data["title"] = split_marker(title[1])[0].strip()
    else:
        doc.note(1, "нет заголовка первого уровня (# Название регламента)")
    extra = _preamble(doc, [b for b in blocks_of(preamble) if b.kind != "rule"])
    seen: dict[str, int] = {}
    for part in parts:
        name = split_marker(part.title)[0].strip()
        key = section_key(name)
        blocks = blocks_of(part.lines)
        if key is None:
            doc.note(part.line, f"раздел «{name}» не входит в шаблон" + KEPT)
            doc.keep_section(name, blocks)
            continue
        if key in seen:
            doc.note(
                part.line, f"раздел «{name}» повторяется (первый — в строке {seen[key]})" + KEPT
            )
            doc.keep_section(name, blocks)
            continue
        seen[key] = part.line
        heading = SECTIONS[key].heading
        if split_marker(part.title)[0] != part.title:
            # «## Раздел <!-- kb -->»: the regulation has no such field, only kept text
            for block in content(blocks):
                doc.keep(heading, block)
            continue
        value = READERS[key](doc, heading, part.line, blocks)
        if key in _ENTRY_ORDER:
            value = [_ordered(entry, _ENTRY_ORDER[key]) for entry in value]
        if value is not None:
            doc.data[key] = value
    if doc.unmapped:
        # In the order the exporter writes them: before the sections, by section, the rest.
        order = {section.heading: index for index, section in enumerate(SECTIONS.values())}
        doc.data["unmapped"] = sorted(
            doc.unmapped,
            key=lambda e: -1 if "section" not in e else order.get(e["section"], len(order)),
        )
    meta_extra = extra.pop("meta", None)
    if isinstance(meta_extra, dict):
        doc.data.setdefault("meta", {}).update(meta_extra)
    doc.data.update(extra)
    return _ordered(doc.data, _ORDER), doc.notes


def _preamble(doc: Import, pre: list[Block]) -> dict:
    """The ``<!-- kb:extra -->`` data before the first section; other text there is kept."""
    extra = {}
    if pre and pre[0].kind == "data" and pre[0].name == "extra":
        block = pre.pop(0)
        extra = doc.load(block, None)
        if not isinstance(extra, dict):
            if extra is not None:
                doc.keep(None, block, "в комментарии kb:extra ожидаются поля «ключ: значение»")
            extra = {}
    if pre:
        doc.note(pre[0].line, "текст до первого раздела (##) не входит в шаблон" + KEPT)
        doc.keep_section(None, pre)
    return extra


# --- Sections -------------------------------------------------------------------------------


def read_meta(doc: Import, section: str, line: int, blocks: list[Block]) -> dict:
    meta: dict = {}
    for block in content(blocks):
        if block.kind != "table" or meta:
            doc.keep(section, block)
            continue
        header, rows, marks, where = table_rows(block)
        for index, row in enumerate(rows):
            label = strip_bold(row[0]).rstrip(":").strip() if row else ""
            value = row[1].strip() if len(row) > 1 else ""
            key = META_ROWS.get(label)
            row_line = block.line + where[index]
            row_text = block.lines[where[index]]
            if key is None or len(row) > 2:
                doc.keep_text(
                    section,
                    row_line,
                    row_text,
                    f"строка «{label}» метаданных не входит в шаблон" + KEPT,
                )
                continue
            if not value:
                continue
            if key in ("tags", "keywords"):
                words = [w.strip() for w in value.split(",") if w.strip()]
                if key == "keywords":
                    doc.data["keywords"] = words
                else:
                    meta["tags"] = words
            elif key == "review":
                review = parse_review(value)
                if review:
                    meta["review"] = review
                else:
                    doc.keep_text(
                        section,
                        row_line,
                        row_text,
                        f"срок пересмотра «{value}» не распознан: ожидается «до ГГГГ-ММ-ДД» или «каждые N мес.»"
                        + KEPT,
                    )
            else:
                meta[key] = value
    return meta


def read_audience(doc: Import, section: str, line: int, blocks: list[Block]) -> dict | None:
    keys = _by_label("who", "level", "when")
    audience: dict = {}
    for block in content(blocks):
        label = block.label
        key = keys.get(label[0].casefold()) if label else None
        if key and label[1] and key not in audience:
            audience[key] = label[1]
        else:
            doc.keep(section, block)
    return audience or None


def read_summary(doc: Import, section: str, line: int, blocks: list[Block]) -> str | None:
    parts = []
    for block in content(blocks):
        if block.kind == "unmapped":
            doc.keep(section, block)
        else:
            parts.append(block.text if block.kind == "para" else block.raw)
    return "\n\n".join(parts) or None


def read_prerequisites(doc: Import, section: str, line: int, blocks: list[Block]) -> dict:
    keys = _by_label("knowledge", "access")
    result: dict = {}
    blocks = content(blocks)
    i = 0
    while i < len(blocks):
        label = blocks[i].label
        key = keys.get(label[0].casefold()) if label else None
        if key and key not in result:
            value, i = _prose_or_list(doc, section, blocks, i)
            if value:
                result[key] = value
        else:
            doc.keep(section, blocks[i])
        i += 1
    return result


def _prose_or_list(doc: Import, section: str, blocks: list[Block], i: int):
    """``**Label:** text`` → the text; ``**Label:**`` and a list → the items (the text first).

    Returns the value (None if there is none) and the index of the last block it used.
    """
    text = blocks[i].label[1]
    if i + 1 < len(blocks) and blocks[i + 1].kind == "list":
        return [*([text] if text else []), *doc.flat(blocks[i + 1], section)], i + 1
    return text or None, i


def read_content(doc: Import, section: str, line: int, blocks: list[Block]) -> list[dict]:
    sections: list[tuple[int, dict]] = []
    ids = Ids("section")
    for block in content(blocks):
        if block.kind == "heading" and block.level == 3:
            title, marks = split_marker(block.text)
            item = {"id": ids.take(title, marks.get("id")), "title": title.strip(), "blocks": []}
            sections.append((block.line, item))
        elif not sections or block.kind not in ("para", "list", "table", "heading"):
            doc.keep(section, block)  # code, kb comments, text before the first ###
        else:
            sections[-1][1]["blocks"].append(_content_block(doc, block, section))
    result = []
    for heading_line, item in sections:
        if item["blocks"]:
            result.append(item)
        else:
            doc.keep_text(
                section,
                heading_line,
                f"### {item['title']}",
                f"подраздел «{item['title']}» пуст — заголовок сохранён в unmapped",
            )
    return result


def _content_block(doc: Import, block: Block, section: str) -> dict:
    if block.kind == "list":
        terms = [_TERM.match(item.text) for item in block.items]
        if block.ordered and all(terms) and not any(i.children for i in block.items):
            ids = Ids("term")
            return {
                "terms": [
                    {
                        "id": ids.take(match[1], item.marks.get("id")),
                        "term": match[1].strip(),
                        "text": match[2].strip(),
                    }
                    for match, item in zip(terms, block.items, strict=True)
                ]
            }
        return {"numbered" if block.ordered else "list": _items(block.items)}
    if block.kind == "table":
        header, rows, _, _ = table_rows(block)
        return {"table": {"header": header, "rows": rows}}
    if block.kind == "para":
        return {"text": block.text}
    # a heading below ### becomes a bold paragraph
    doc.note(
        block.line,
        f"заголовок уровня {block.level} в разделе «{section}» сохранён как выделенный абзац",
    )
    return {"text": f"**{block.text}**"}


_ACTION_LABELS = _by_label("do", "actions")
_STEP_LABELS = _by_label("where", "result")
_ACTIONS, _WHEN, _ANSWER = (LABELS[key].casefold() for key in ("actions", "when", "answer"))


def each_subsection(read_one, fallback: str, title: str = "title", numbered: str = ""):
    """The reader of a section made of ``### …`` subsections, one entry each.

    The entry starts with its id (the heading's marker or one derived from ``fallback``) and
    its title (without «Шаг 1:» where the section is ``numbered``); ``read_one(doc, section,
    heading, body, entry, marks)`` reads the rest of the subsection into it.
    """

    def read(doc: Import, section: str, line: int, blocks: list[Block]) -> list[dict]:
        ids = Ids(fallback)
        entries = []
        for heading, body in doc.subsections(section, blocks):
            text, marks = split_marker(heading.text)
            text = _numbered(text, numbered) if numbered else text.strip()
            entry = {"id": ids.take(text, marks.get("id")), title: text}
            entries.append(read_one(doc, section, heading, body, entry, marks))
        return entries

    return read


def read_step(
    doc: Import, section: str, heading: Block, body: list[Block], step: dict, marks: dict
) -> dict:
    extra: dict = {}
    rest = []
    for block in body:
        if block.kind == "data" and block.name == "step" and not extra:
            loaded = doc.load(block, section)
            extra = loaded if isinstance(loaded, dict) else {}
        else:
            rest.append(block)
    actions, labels = _actions_and_labels(doc, section, rest)
    if actions:
        step["actions"] = actions
    else:
        doc.note(heading.line, f"у шага «{step['title']}» нет действий (раздел «{LABELS['do']}»)")
    return {**step, **labels, **extra}


def read_special_case(
    doc: Import, section: str, heading: Block, body: list[Block], case: dict, marks: dict
) -> dict:
    if "step" in marks:
        case["step"] = marks["step"]
    actions, labels = _actions_and_labels(doc, section, body)
    if actions:
        case["actions"] = actions
    else:
        doc.note(heading.line, f"у особого случая «{case['title']}» нет действий")
    for key, value in labels.items():
        doc.keep_text(
            section,
            heading.line,
            f"**{LABELS[key]}:** {value}",
            f"поле «{LABELS[key]}» у особого случая не предусмотрено — сохранено в unmapped",
        )
    return case


def _actions_and_labels(doc: Import, section: str, body: list[Block]):
    """Actions from the lists and plain paragraphs; «Где» and «Результат» by their labels."""
    actions: list[dict] = []
    labels: dict[str, str] = {}
    for block in body:
        label = block.label
        name = label[0].casefold() if label else ""
        key = _STEP_LABELS.get(name)
        if name in _ACTION_LABELS:
            if label[1]:
                actions.append(doc.action(label[1], {}))
        elif key and label[1] and key not in labels:
            labels[key] = label[1]
        elif block.kind == "list":
            for item in block.items:
                action = doc.action(item.text, item.marks)
                if item.children:
                    action["items"] = _items(item.children)
                actions.append(action)
        elif block.kind == "para" and not label:
            actions.append(doc.action(block.text, {}))
        else:
            doc.keep(section, block)
    return actions, {key: labels[key] for key in ("where", "result") if key in labels}


def read_example(
    doc: Import, section: str, heading: Block, body: list[Block], example: dict, marks: dict
) -> dict:
    keys = _by_label("situation", "result", "conclusions")
    i = 0
    while i < len(body):
        label = body[i].label
        name = label[0].casefold() if label else ""
        if name in keys and label[1] and keys[name] not in example:
            example[keys[name]] = label[1]
        elif name == _ACTIONS and "actions" not in example:
            value, i = _prose_or_list(doc, section, body, i)
            if value:
                example["actions"] = value
        else:
            doc.keep(section, body[i])
        i += 1
    if "situation" not in example:
        doc.note(
            heading.line,
            f"у примера «{example['title']}» нет ситуации («**{LABELS['situation']}:** …»)",
        )
    return example


def read_template(
    doc: Import, section: str, heading: Block, body: list[Block], template: dict, marks: dict
) -> dict:
    extra = None
    for index, block in enumerate(body):
        label = block.label
        following = body[index + 1] if index + 1 < len(body) else None
        if label and label[0].casefold() == _WHEN and label[1] and "when" not in template:
            template["when"] = label[1]
        elif (
            label
            and not label[1]
            and following
            and following.kind == "fence"
            and "body" not in template
        ):
            template["body_title"] = label[0]
        elif block.kind == "fence" and "body" not in template:
            template["body"] = block.text
        elif block.kind == "data" and block.name == "template" and extra is None:
            extra = doc.load(block, section)
            if not isinstance(extra, dict):
                extra = None
        else:
            doc.keep(section, block)
    if "body" not in template:
        doc.note(heading.line, f"у шаблона «{template['title']}» нет текста в блоке ``` … ```")
    else:
        template["fields"] = infer_fields(template["body"])
    template.update(extra or {})
    if not template.get("fields"):
        template.pop("fields", None)
    if extra and "fields" in extra and extra["fields"] is not None:
        template["fields"] = extra["fields"]
    return template


def read_question(
    doc: Import, section: str, heading: Block, body: list[Block], entry: dict, marks: dict
) -> dict:
    answer: list[str] = []
    listed = False  # an answer with a list stays a list; paragraphs alone stay prose
    for block in body:
        label = block.label
        if label and label[0].casefold() == _ANSWER:
            if label[1]:
                answer.append(label[1])
        elif block.kind == "list":
            answer += doc.flat(block, section)
            listed = True
        elif block.kind == "para":
            answer.append(block.text)
        else:
            doc.keep(section, block)
    if answer:
        entry["answer"] = answer if listed else "\n\n".join(answer)
    else:
        doc.note(heading.line, f"у вопроса «{entry['question']}» нет ответа")
    return entry


def read_errors(doc: Import, section: str, line: int, blocks: list[Block]) -> list[dict]:
    errors = []
    ids = Ids("error")
    for entry, mark in _table_entries(doc, section, blocks, ERROR_COLUMNS, "таблицу ошибок"):
        entry = {"id": ids.take(entry.get("error", ""), mark.get("id")), **entry}
        errors.append(entry)
    return errors


def read_checklist(doc: Import, section: str, line: int, blocks: list[Block]) -> list[dict]:
    items = []
    ids = Ids("check")
    for block in content(blocks):
        if block.kind != "list":
            doc.keep(section, block)
            continue
        for item in flatten(block.items):
            text = _TASK.sub("", item.text, count=1).strip()
            if not text:
                continue
            entry = {"id": ids.take(text, item.marks.get("id")), "text": text}
            if "step" in item.marks:
                entry["step"] = item.marks["step"]
            items.append(entry)
    return items


def read_success(doc: Import, section: str, line: int, blocks: list[Block]) -> dict | None:
    success: dict = {}
    for block in content(blocks):
        if block.kind == "para" and "intro" not in success and "items" not in success:
            success["intro"] = strip_bold(block.text)
        elif block.kind == "list" and "items" not in success:
            success["items"] = doc.flat(block, section)
        else:
            doc.keep(section, block)
    return success or None


def read_related(doc: Import, section: str, line: int, blocks: list[Block]) -> list[dict]:
    groups = []
    group: dict | None = None
    for block in content(blocks):
        if block.kind == "para":
            group = {"title": strip_bold(block.text), "items": []}
            groups.append(group)
        elif block.kind == "list" and group is not None:
            for item in flatten(block.items):
                entry: dict = {"title": item.text}
                if link := _LINK.match(item.text):
                    entry = {"title": link[1].strip(), "link": link[2].strip()}
                slug = item.marks.get("regulation") or links.find(
                    doc.known, entry["title"], entry.get("link")
                )
                if slug and slug != NO_REGULATION:
                    entry["regulation"] = slug
                if "planned" in item.marks:
                    entry["planned"] = item.marks["planned"] == PLANNED
                group["items"].append(entry)
        else:
            doc.keep(section, block)
    for group in groups:
        if not group["items"]:
            doc.note(line, f"в группе «{group['title']}» связанных материалов нет ни одной ссылки")
    return groups


def read_history(doc: Import, section: str, line: int, blocks: list[Block]) -> list[dict]:
    entries = []
    for entry, _ in _table_entries(doc, section, blocks, HISTORY_COLUMNS, "историю изменений"):
        if not entry.get("author"):
            entry.pop("author", None)
        entries.append(entry)
    return entries


def read_feedback(doc: Import, section: str, line: int, blocks: list[Block]) -> dict | None:
    feedback: dict = {}
    texts = []
    for block in content(blocks):
        raw = [t.strip() for t in block.raw.split("\n")] if block.kind == "para" else []
        bold = [BOLD.match(t) for t in raw]  # «\**…**» is an escaped text, not a question
        if bold and all(bold) and "questions" not in feedback and not texts:
            feedback["questions"] = [m[1].strip() for m in bold]
        elif block.kind == "para":
            texts.append(block.text)
        else:
            doc.keep(section, block)
    if texts:
        feedback["text"] = "\n\n".join(texts)
    elif "questions" in feedback:
        doc.note(line, f"в разделе «{section}» нет текста после вопросов")
    return feedback or None


READERS = {
    "meta": read_meta,
    "audience": read_audience,
    "summary": read_summary,
    "prerequisites": read_prerequisites,
    "content": read_content,
    "steps": each_subsection(read_step, "step", numbered="steps"),
    "special_cases": each_subsection(read_special_case, "case"),
    "examples": each_subsection(read_example, "example", numbered="examples"),
    "templates": each_subsection(read_template, "template"),
    "faq": each_subsection(read_question, "question", title="question", numbered="faq"),
    "errors": read_errors,
    "checklist": read_checklist,
    "success": read_success,
    "related": read_related,
    "history": read_history,
    "feedback": read_feedback,
}
"""Section key → its reader; one for every section of the vocabulary."""


# --- Helpers --------------------------------------------------------------------------------


def _table_entries(doc: Import, section: str, blocks: list[Block], columns: dict, what: str):
    """The rows of a section's tables as ``(entry, marker)``; anything else is kept aside."""
    for block in content(blocks):
        if block.kind != "table":
            doc.keep(section, block)
            continue
        header, rows, marks, where = table_rows(block)
        by_index = _columns(header, columns)
        if by_index is None:
            doc.keep(section, block, f"таблица с колонками {', '.join(header)} не похожа на {what}")
            continue
        for index, row in enumerate(rows):
            yield (
                {key: row[col] for col, key in by_index.items() if col < len(row)},
                marks[index],
            )
            if len(row) > len(header):
                doc.keep(
                    section,
                    Block("para", block.line + where[index], block.lines[where[index]]),
                    "в строке таблицы лишние ячейки",
                )


def _columns(header: list[str], columns: dict[str, str]) -> dict[int, str] | None:
    """Column index → key, by header names (any order), else by position."""
    wanted = {name.casefold(): key for key, name in columns.items()}
    found = {i: wanted[h.casefold()] for i, h in enumerate(header) if h.casefold() in wanted}
    if len(found) == len(header):
        return found
    if len(header) == len(columns):
        return dict(enumerate(columns))
    return None


def _items(items: list[Item]) -> list:
    out = []
    for item in items:
        if item.children:
            children = _items(item.children)
            out.append({"text": item.text, "items": children} if item.text else children)
        elif item.text:
            out.append(item.text)
    return [x for entry in out for x in (entry if isinstance(entry, list) else [entry])]


def _numbered(title: str, section: str) -> str:
    title = title.strip()
    match = _NUMBERED_TITLE[section].match(title)
    return match[1].strip() if match else title


# The order of keys in each entry of these sections (as the YAML files write them).
_ENTRY_ORDER = {
    "examples": ["id", "title", "situation", "actions", "result", "conclusions"],
    "templates": ["id", "title", "when", "body_title", "body", "fields"],
    "errors": ["id", *ERROR_COLUMNS],
    "history": list(HISTORY_COLUMNS),
}
_ORDER = ["format", "title", *SECTIONS, "unmapped"]
_ORDER.insert(_ORDER.index("summary") + 1, "keywords")  # the YAML lists keywords after summary


def _ordered(data: dict, order: list[str]) -> dict:
    result = {key: data[key] for key in order if key in data}
    result.update((k, v) for k, v in data.items() if k not in result)
    return result
