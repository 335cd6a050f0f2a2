"""Read a regulation written in the knowledge base's Markdown template into our YAML data.

The parser is line based and forgiving: sections may be missing, empty or repeated, lists may
nest, steps may lack «Где». Whatever it cannot map is reported (line, what) and kept in
``unmapped``, never dropped; the exporter writes it back between ``<!-- kb:unmapped -->``
lines. HTML-like text stays text: the renderer escapes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from kb import links
from kb.markdown.blocks import (
    ERROR_HEADER,
    HISTORY_HEADER,
    META_ROWS,
    SECTIONS,
    UNMAPPED_CLOSE,
    UNMAPPED_OPEN,
    Ids,
    infer_fields,
    is_data_open,
    parse_review,
    split_marker,
    unescape_start,
    unescape_unmapped,
)

Note = tuple[int, str]
"""A line of the Markdown file and what is wrong there (in Russian)."""

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_RULE = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")
_ITEM = re.compile(r"^(\s*)([-*+]|\d{1,9}[.)])(?:\s+(.*))?$")
_LABEL = re.compile(r"^\*\*([^*]+?)(?::\*\*|\*\*:)\s*(.*)$")
_BOLD = re.compile(r"^\*\*([^*](?:.*[^*])?)\*\*$")
_TERM = re.compile(r"^\*\*([^*]+?)\*\*\s+[-—–]\s+(.+)$")
_LINK = re.compile(r"^\[([^\]]+)\]\((.+)\)$")
_TASK = re.compile(r"^\[[ xXхХ]\]\s*")
_TABLE_RULE = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$")
_NUMBERED_TITLE = {
    "steps": re.compile(r"^(?:Шаг\s*)?\d+\s*[:.)—–-]\s*(.+)$", re.IGNORECASE),
    "examples": re.compile(r"^Пример\s*\d+\s*[:.)—–-]\s*(.+)$", re.IGNORECASE),
    "faq": re.compile(r"^Вопрос\s*\d+\s*[:.)—–-]\s*(.+)$", re.IGNORECASE),
}


# --- Blocks: the Markdown of one section cut into paragraphs, lists, tables, code -----------


@dataclass
class Item:
    text: str
    line: int
    marks: dict[str, str]
    children: list[Item] = field(default_factory=list)


@dataclass
class Block:
    kind: str  # para, list, table, fence, heading, rule, data (kb comment), unmapped
    line: int
    raw: str
    text: str = ""
    lines: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    ordered: bool = False
    level: int = 0
    name: str = ""

    @property
    def label(self) -> tuple[str, str] | None:
        """``**Где:** текст`` → ``("Где", "текст")``."""
        if self.kind != "para":
            return None
        match = _LABEL.match(self.text)
        return (match[1].strip(), match[2].strip()) if match else None

    def describe(self) -> str:
        return {
            "para": "абзац",
            "list": "список",
            "table": "таблица",
            "fence": "блок кода",
            "heading": "заголовок",
            "data": "служебный комментарий kb",
            "unmapped": "неразобранный фрагмент",
        }.get(self.kind, "фрагмент")


Lines = list[tuple[int, str]]


def blocks_of(lines: Lines) -> list[Block]:
    """Cut numbered lines into blocks; a blank line ends paragraphs and lists."""
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        number, text = lines[i]
        if not text.strip():
            i += 1
            continue
        start = i
        if is_data_open(text) and text.strip().endswith("-->"):  # <!-- kb:name value -->
            name, _, inner = text.strip()[len("<!-- kb:") : -3].strip().partition(" ")
            blocks.append(Block("data", number, text, text=inner, name=name))
            i += 1
            continue
        if text.strip() == UNMAPPED_OPEN or is_data_open(text):
            kind = "unmapped" if text.strip() == UNMAPPED_OPEN else "data"
            close = UNMAPPED_CLOSE if kind == "unmapped" else "-->"
            i += 1
            while i < len(lines) and lines[i][1].strip() != close:
                i += 1
            inner = "\n".join(t for _, t in lines[start + 1 : i])
            if kind == "unmapped":
                inner = unescape_unmapped(inner)
            i += 1
            name = text.strip().removeprefix("<!-- kb:").strip() if kind == "data" else ""
            blocks.append(Block(kind, number, _raw(lines[start:i]), text=inner, name=name))
            continue
        if fence := _FENCE.match(text):
            mark = fence[1]
            i += 1
            while i < len(lines) and not _closes(lines[i][1], mark):
                i += 1
            body = "\n".join(t for _, t in lines[start + 1 : i])
            i += 1
            blocks.append(Block("fence", number, _raw(lines[start:i]), text=body))
            continue
        if heading := _HEADING.match(text):
            blocks.append(Block("heading", number, text, text=heading[2], level=len(heading[1])))
            i += 1
            continue
        if _RULE.match(text):
            blocks.append(Block("rule", number, text))
            i += 1
            continue
        if text.lstrip().startswith("|"):
            while i < len(lines) and lines[i][1].lstrip().startswith("|"):
                i += 1
            table = lines[start:i]
            blocks.append(Block("table", number, _raw(table), lines=[t for _, t in table]))
            continue
        if (item := _ITEM.match(text)) and len(item[1]) <= 3:
            i = _list_end(lines, i)
            blocks.append(_list_block(lines[start:i]))
            continue
        i += 1
        while (
            i < len(lines)
            and lines[i][1].strip()
            and not _starts_block(lines[i][1])
            and not _LABEL.match(lines[i][1])  # each «**Label:** value» is its own paragraph
        ):
            i += 1
        para = [t.strip() for _, t in lines[start:i]]
        para[0] = unescape_start(para[0])
        blocks.append(Block("para", number, _raw(lines[start:i]), text=" ".join(para), lines=para))
    return blocks


def _raw(lines: Lines) -> str:
    return "\n".join(t for _, t in lines)


def _closes(text: str, mark: str) -> bool:
    stripped = text.strip()
    return stripped.startswith(mark[0] * len(mark)) and not stripped.strip(mark[0])


def _starts_block(text: str) -> bool:
    return bool(
        _FENCE.match(text)
        or _HEADING.match(text)
        or _RULE.match(text)
        or text.lstrip().startswith("|")
        or (_ITEM.match(text) and len(_ITEM.match(text)[1]) < 4)
        or text.strip() == UNMAPPED_OPEN
        or is_data_open(text)
    )


def _list_end(lines: Lines, i: int) -> int:
    """Index after the list starting at ``i``: nested items may follow a blank line."""
    i += 1
    while i < len(lines):
        text = lines[i][1]
        if not text.strip():
            following = next((t for _, t in lines[i:] if t.strip()), "")
            item = _ITEM.match(following)
            if item and item[1]:  # an indented item continues the list after a blank line
                i += 1
                continue
            return i
        if not _ITEM.match(text) and (_starts_block(text) or _LABEL.match(text)):
            return i  # a «**Где:** …» line right under a list starts a new block
        if _FENCE.match(text) or _HEADING.match(text) or _RULE.match(text):
            return i
        i += 1
    return i


def _list_block(lines: Lines) -> Block:
    roots: list[Item] = []
    stack: list[tuple[int, Item]] = []
    ordered = False
    for number, text in lines:
        if not text.strip():
            continue
        match = _ITEM.match(text)
        if not match:
            if stack:  # a continuation line of the last item
                last = stack[-1][1]
                joined = f"{last.text} {text.strip()}".strip()
                last.text, marks = split_marker(joined)
                last.marks.update(marks)
            continue
        indent = len(match[1].replace("\t", "    "))
        content, marks = split_marker((match[3] or "").strip())
        item = Item(content.strip(), number, marks)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if stack:
            stack[-1][1].children.append(item)
        else:
            roots.append(item)
            ordered = ordered or match[2][0].isdigit()
        stack.append((indent, item))
    first = lines[0][0]
    return Block("list", first, _raw(lines), items=roots, ordered=ordered)


# --- The document -------------------------------------------------------------------------------


def _normal(title: str) -> str:
    """Heading text for matching: no «(FAQ)», no «3.» numbering, no colon, any case."""
    title = re.sub(r"\([^)]*\)", "", title).strip().rstrip(":").casefold()
    title = re.sub(r"^\d+[.)]?\s+", "", title)
    return " ".join(title.split())


_SECTION_BY_TITLE = {_normal(title): key for key, title in SECTIONS.items()}


@dataclass
class _Section:
    title: str
    line: int
    lines: Lines


def _split(text: str) -> tuple[tuple[int, str] | None, Lines, list[_Section]]:
    """The H1 title, the lines before the first H2 and the H2 sections (fences respected)."""
    title = None
    preamble: Lines = []
    sections: list[_Section] = []
    fence = None
    opaque = ""
    for number, line in enumerate(text.split("\n"), 1):
        line = line.rstrip().expandtabs(4)
        target = sections[-1].lines if sections else preamble
        stripped = line.strip()
        if opaque:
            if stripped == opaque:
                opaque = ""
        elif fence:
            if _closes(line, fence):
                fence = None
        elif stripped == UNMAPPED_OPEN:
            opaque = UNMAPPED_CLOSE  # the line that ends the opaque region
        elif is_data_open(stripped) and not stripped.endswith("-->"):
            opaque = "-->"
        elif match := _FENCE.match(line):
            fence = match[1]
        elif (match := _HEADING.match(line)) and len(match[1]) <= 2:
            if len(match[1]) == 1 and title is None and not sections:
                title = (number, match[2])
                continue
            if len(match[1]) == 2:
                sections.append(_Section(match[2], number, []))
                continue
        target.append((number, line))
    return title, preamble, sections


class _Importer:
    def __init__(self, known: dict[str, str]):
        self.known = known
        self.notes: list[Note] = []
        self.data: dict = {"format": 1}
        self.unmapped: list[dict] = []
        self.action_ids = Ids("action")

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
            + " — фрагмент сохранён в unmapped, перенесите текст в нужное поле",
        )

    def run(self, text: str) -> tuple[dict, list[Note]]:
        if text.startswith("\ufeff"):
            text = text[1:]
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        title, preamble, sections = _split(text)
        if title:
            self.data["title"] = split_marker(title[1])[0].strip()
        else:
            self.note(1, "нет заголовка первого уровня (# Название регламента)")
        pre = [b for b in blocks_of(preamble) if b.kind != "rule"]
        extra = {}
        if pre and pre[0].kind == "data" and pre[0].name == "extra":
            block = pre.pop(0)
            extra = self._load(block, None)
            if not isinstance(extra, dict):
                if extra is not None:
                    self.keep(None, block, "в комментарии kb:extra ожидаются поля «ключ: значение»")
                extra = {}
        if pre:
            self.note(
                pre[0].line,
                "текст до первого раздела (##) не входит в шаблон — фрагмент сохранён в unmapped",
            )
            self._keep_section(None, pre)
        seen: dict[str, int] = {}
        for section in sections:
            name = split_marker(section.title)[0].strip()
            key = _SECTION_BY_TITLE.get(_normal(name))
            if key is None and _normal(name).startswith("часто задаваемые вопросы"):
                key = "faq"
            blocks = blocks_of(section.lines)
            if key is None:
                self.note(
                    section.line,
                    f"раздел «{name}» не входит в шаблон — фрагмент сохранён в unmapped",
                )
                self._keep_section(name, blocks)
                continue
            if key in seen:
                self.note(
                    section.line,
                    f"раздел «{name}» повторяется (первый — в строке {seen[key]}) — фрагмент сохранён в unmapped",
                )
                self._keep_section(name, blocks)
                continue
            seen[key] = section.line
            if split_marker(section.title)[0] != section.title:
                # «## Раздел <!-- kb -->»: the regulation has no such field, only kept text
                for block in _content(blocks):
                    self.keep(SECTIONS[key], block)
                continue
            getattr(self, "_" + key)(SECTIONS[key], section.line, blocks)
        if self.unmapped:
            # In the order the exporter writes them: before the sections, by section, the rest.
            order = {title: index for index, title in enumerate(SECTIONS.values())}
            self.data["unmapped"] = sorted(
                self.unmapped,
                key=lambda e: -1 if "section" not in e else order.get(e["section"], len(order)),
            )
        if isinstance(extra, dict):
            meta_extra = extra.pop("meta", None)
            if isinstance(meta_extra, dict):
                self.data.setdefault("meta", {}).update(meta_extra)
            self.data.update(extra)
        return _ordered(self.data), self.notes

    def _load(self, block: Block, section: str | None):
        """The YAML inside a ``<!-- kb:NAME … -->`` comment, or None (kept and reported)."""
        try:
            return yaml.safe_load(block.text)
        except yaml.YAMLError:
            self.keep(section, block, "служебный комментарий kb не читается как YAML")
            return None

    def _keep_section(self, name: str | None, blocks: list[Block]) -> None:
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
            self.unmapped.append({**entry, "text": _span(run)})
        run.clear()

    # --- sections -----------------------------------------------------------------------------

    def _meta(self, section: str, line: int, blocks: list[Block]) -> None:
        meta: dict = {}
        for block in _content(blocks):
            if block.kind != "table" or meta:
                self.keep(section, block)
                continue
            header, rows, marks, where = _table(block)
            for index, row in enumerate(rows):
                label = _strip_bold(row[0]).rstrip(":").strip() if row else ""
                value = row[1].strip() if len(row) > 1 else ""
                key = META_ROWS.get(label)
                row_line = block.line + where[index]
                row_text = block.lines[where[index]]
                if key is None or len(row) > 2:
                    self.unmapped.append({"section": section, "text": row_text})
                    self.note(
                        row_line,
                        f"строка «{label}» метаданных не входит в шаблон — фрагмент сохранён в unmapped",
                    )
                    continue
                if not value:
                    continue
                if key in ("tags", "keywords"):
                    words = [w.strip() for w in value.split(",") if w.strip()]
                    if key == "keywords":
                        self.data["keywords"] = words
                    else:
                        meta["tags"] = words
                elif key == "review":
                    review = parse_review(value)
                    if review:
                        meta["review"] = review
                    else:
                        self.unmapped.append({"section": section, "text": row_text})
                        self.note(
                            row_line,
                            f"срок пересмотра «{value}» не распознан: ожидается «до ГГГГ-ММ-ДД» или «каждые N мес.» — фрагмент сохранён в unmapped",
                        )
                else:
                    meta[key] = value
        self.data["meta"] = meta

    def _audience(self, section: str, line: int, blocks: list[Block]) -> None:
        keys = {"для кого": "who", "уровень подготовки": "level", "когда использовать": "when"}
        audience: dict = {}
        for block in _content(blocks):
            label = block.label
            key = keys.get(label[0].casefold()) if label else None
            if key and label[1] and key not in audience:
                audience[key] = label[1]
            else:
                self.keep(section, block)
        if audience:
            self.data["audience"] = audience

    def _summary(self, section: str, line: int, blocks: list[Block]) -> None:
        parts = []
        for block in _content(blocks):
            if block.kind == "unmapped":
                self.keep(section, block)
            else:
                parts.append(block.text if block.kind == "para" else block.raw)
        if parts:
            self.data["summary"] = "\n\n".join(parts)

    def _prerequisites(self, section: str, line: int, blocks: list[Block]) -> None:
        keys = {"необходимые знания": "knowledge", "необходимый доступ": "access"}
        result: dict = {}
        blocks = _content(blocks)
        i = 0
        while i < len(blocks):
            block = blocks[i]
            label = block.label
            key = keys.get(label[0].casefold()) if label else None
            if key and key not in result:
                values = [label[1]] if label[1] else []
                if i + 1 < len(blocks) and blocks[i + 1].kind == "list":
                    i += 1
                    values += self._flat(blocks[i], section)
                if values:
                    result[key] = values
            else:
                self.keep(section, block)
            i += 1
        self.data["prerequisites"] = result

    def _content(self, section: str, line: int, blocks: list[Block]) -> None:
        sections: list[dict] = []
        ids = Ids("section")
        current: dict | None = None
        for block in _content(blocks):
            if block.kind == "heading" and block.level == 3:
                title, marks = split_marker(block.text)
                current = {
                    "id": ids.take(title, marks.get("id")),
                    "title": title.strip(),
                    "blocks": [],
                }
                current["_line"] = block.line
                sections.append(current)
                continue
            if current is None or block.kind not in ("para", "list", "table", "heading"):
                self.keep(section, block)  # code, kb comments, text before the first ###
                continue
            current["blocks"].append(self._content_block(block, section))
        result = []
        for item in sections:
            line_no = item.pop("_line")
            if item["blocks"]:
                result.append(item)
            else:
                self.unmapped.append({"section": section, "text": f"### {item['title']}"})
                self.note(
                    line_no, f"подраздел «{item['title']}» пуст — заголовок сохранён в unmapped"
                )
        self.data["content"] = result

    def _content_block(self, block: Block, section: str) -> dict:
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
            return {"numbered" if block.ordered else "list": self._items(block.items)}
        if block.kind == "table":
            header, rows, _, _ = _table(block)
            return {"table": {"header": header, "rows": rows}}
        if block.kind == "para":
            return {"text": block.text}
        # a heading below ### becomes a bold paragraph
        self.note(
            block.line,
            f"заголовок уровня {block.level} в разделе «{section}» сохранён как выделенный абзац",
        )
        return {"text": f"**{block.text}**"}

    def _steps(self, section: str, line: int, blocks: list[Block]) -> None:
        steps = []
        ids = Ids("step")
        for heading, body in self._subsections(section, blocks):
            title, marks = split_marker(heading.text)
            title = _numbered_title("steps", title)
            step: dict = {"id": ids.take(title, marks.get("id")), "title": title}
            actions, labels = self._actions_and_labels(section, body, {"что делать", "действия"})
            if actions:
                step["actions"] = actions
            else:
                self.note(heading.line, f"у шага «{title}» нет действий (раздел «Что делать»)")
            for key, name in (("where", "где"), ("result", "результат")):
                if name in labels:
                    step[key] = labels[name]
            steps.append(step)
        self.data["steps"] = steps

    def _special_cases(self, section: str, line: int, blocks: list[Block]) -> None:
        cases = []
        ids = Ids("case")
        for heading, body in self._subsections(section, blocks):
            title, marks = split_marker(heading.text)
            case: dict = {"id": ids.take(title, marks.get("id")), "title": title.strip()}
            if "step" in marks:
                case["step"] = marks["step"]
            actions, labels = self._actions_and_labels(section, body, {"действия", "что делать"})
            if actions:
                case["actions"] = actions
            else:
                self.note(heading.line, f"у особого случая «{case['title']}» нет действий")
            for name, value in labels.items():
                self.unmapped.append(
                    {"section": section, "text": f"**{name.capitalize()}:** {value}"}
                )
                self.note(
                    heading.line,
                    f"поле «{name.capitalize()}» у особого случая не предусмотрено — сохранено в unmapped",
                )
            cases.append(case)
        self.data["special_cases"] = cases

    def _actions_and_labels(self, section: str, body: list[Block], action_labels: set[str]):
        """Actions from the lists and plain paragraphs; «Где» and «Результат» by label name."""
        actions: list[dict] = []
        labels: dict[str, str] = {}
        for block in body:
            label = block.label
            name = label[0].casefold() if label else ""
            if name in action_labels:
                if label[1]:
                    actions.append(self._action(label[1], {}))
            elif name in ("где", "результат") and label[1] and name not in labels:
                labels[name] = label[1]
            elif block.kind == "list":
                for item in block.items:
                    action = self._action(item.text, item.marks)
                    if item.children:
                        action["items"] = self._items(item.children)
                    actions.append(action)
            elif block.kind == "para" and not label:
                actions.append(self._action(block.text, {}))
            else:
                self.keep(section, block)
        return actions, labels

    def _action(self, text: str, marks: dict) -> dict:
        return {"id": self.action_ids.take(text, marks.get("id")), "text": text}

    def _examples(self, section: str, line: int, blocks: list[Block]) -> None:
        examples = []
        ids = Ids("example")
        keys = {"ситуация": "situation", "результат": "result", "выводы": "conclusions"}
        for heading, body in self._subsections(section, blocks):
            title, marks = split_marker(heading.text)
            title = _numbered_title("examples", title)
            example: dict = {"id": ids.take(title, marks.get("id")), "title": title}
            i = 0
            while i < len(body):
                block = body[i]
                label = block.label
                name = label[0].casefold() if label else ""
                if name in keys and label[1] and keys[name] not in example:
                    example[keys[name]] = label[1]
                elif name == "действия" and "actions" not in example:
                    values = [label[1]] if label[1] else []
                    if i + 1 < len(body) and body[i + 1].kind == "list":
                        i += 1
                        values += self._flat(body[i], section)
                    if values:
                        example["actions"] = values
                else:
                    self.keep(section, block)
                i += 1
            if "situation" not in example:
                self.note(heading.line, f"у примера «{title}» нет ситуации («**Ситуация:** …»)")
            examples.append(
                _ordered_keys(
                    example, ["id", "title", "situation", "actions", "result", "conclusions"]
                )
            )
        self.data["examples"] = examples

    def _templates(self, section: str, line: int, blocks: list[Block]) -> None:
        templates = []
        ids = Ids("template")
        for heading, body in self._subsections(section, blocks):
            title, marks = split_marker(heading.text)
            template: dict = {"id": ids.take(title, marks.get("id")), "title": title.strip()}
            extra = None
            for index, block in enumerate(body):
                label = block.label
                following = body[index + 1] if index + 1 < len(body) else None
                if (
                    label
                    and label[0].casefold() == "когда использовать"
                    and label[1]
                    and "when" not in template
                ):
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
                    extra = self._load(block, section)
                    if not isinstance(extra, dict):
                        extra = None
                else:
                    self.keep(section, block)
            if "body" not in template:
                self.note(
                    heading.line, f"у шаблона «{template['title']}» нет текста в блоке ``` … ```"
                )
            else:
                template["fields"] = infer_fields(template["body"])
            template.update(extra or {})
            if not template.get("fields"):
                template.pop("fields", None)
            if extra and "fields" in extra and extra["fields"] is not None:
                template["fields"] = extra["fields"]
            templates.append(
                _ordered_keys(template, ["id", "title", "when", "body_title", "body", "fields"])
            )
        self.data["templates"] = templates

    def _faq(self, section: str, line: int, blocks: list[Block]) -> None:
        entries = []
        ids = Ids("question")
        for heading, body in self._subsections(section, blocks):
            question, marks = split_marker(heading.text)
            question = _numbered_title("faq", question)
            entry: dict = {"id": ids.take(question, marks.get("id")), "question": question}
            answer: list[str] = []
            for block in body:
                label = block.label
                if label and label[0].casefold() == "ответ":
                    if label[1]:
                        answer.append(label[1])
                elif block.kind == "list":
                    answer += self._flat(block, section)
                elif block.kind == "para":
                    answer.append(block.text)
                else:
                    self.keep(section, block)
            if answer:
                entry["answer"] = answer
            else:
                self.note(heading.line, f"у вопроса «{question}» нет ответа")
            entries.append(entry)
        self.data["faq"] = entries

    def _errors(self, section: str, line: int, blocks: list[Block]) -> None:
        errors = []
        ids = Ids("error")
        keys = ["error", "cause", "solution"]
        for entry, mark in self._table_rows(section, blocks, ERROR_HEADER, keys, "таблицу ошибок"):
            entry = {"id": ids.take(entry.get("error", ""), mark.get("id")), **entry}
            errors.append(_ordered_keys(entry, ["id", *keys]))
        self.data["errors"] = errors

    def _table_rows(self, section: str, blocks: list[Block], expected, keys: list[str], what: str):
        """The rows of a section's tables as ``(entry, marker)``; anything else is kept aside."""
        for block in _content(blocks):
            if block.kind != "table":
                self.keep(section, block)
                continue
            header, rows, marks, where = _table(block)
            columns = _columns(header, expected, keys)
            if columns is None:
                self.keep(
                    section, block, f"таблица с колонками {', '.join(header)} не похожа на {what}"
                )
                continue
            for index, row in enumerate(rows):
                yield (
                    {key: row[col] for col, key in columns.items() if col < len(row)},
                    marks[index],
                )
                if len(row) > len(header):
                    self.keep(
                        section,
                        Block("para", block.line + where[index], block.lines[where[index]]),
                        "в строке таблицы лишние ячейки",
                    )

    def _checklist(self, section: str, line: int, blocks: list[Block]) -> None:
        items = []
        ids = Ids("check")
        for block in _content(blocks):
            if block.kind != "list":
                self.keep(section, block)
                continue
            for item in _flatten(block.items):
                text = _TASK.sub("", item.text, count=1).strip()
                if not text:
                    continue
                entry = {"id": ids.take(text, item.marks.get("id")), "text": text}
                if "step" in item.marks:
                    entry["step"] = item.marks["step"]
                items.append(entry)
        self.data["checklist"] = items

    def _success(self, section: str, line: int, blocks: list[Block]) -> None:
        success: dict = {}
        for block in _content(blocks):
            if block.kind == "para" and "intro" not in success and "items" not in success:
                success["intro"] = _strip_bold(block.text)
            elif block.kind == "list" and "items" not in success:
                success["items"] = self._flat(block, section)
            else:
                self.keep(section, block)
        if success:
            self.data["success"] = success

    def _related(self, section: str, line: int, blocks: list[Block]) -> None:
        groups = []
        group: dict | None = None
        for block in _content(blocks):
            if block.kind == "para":
                group = {"title": _strip_bold(block.text), "items": []}
                groups.append(group)
            elif block.kind == "list" and group is not None:
                for item in _flatten(block.items):
                    entry: dict = {"title": item.text}
                    if link := _LINK.match(item.text):
                        entry = {"title": link[1].strip(), "link": link[2].strip()}
                    slug = item.marks.get("regulation") or links.find(
                        self.known, entry["title"], entry.get("link")
                    )
                    if slug:
                        entry["regulation"] = slug
                    group["items"].append(entry)
            else:
                self.keep(section, block)
        for group in groups:
            if not group["items"]:
                self.note(
                    line, f"в группе «{group['title']}» связанных материалов нет ни одной ссылки"
                )
        self.data["related"] = groups

    def _history(self, section: str, line: int, blocks: list[Block]) -> None:
        entries = []
        keys = ["version", "date", "author", "changes"]
        for entry, _ in self._table_rows(
            section, blocks, HISTORY_HEADER, keys, "историю изменений"
        ):
            if not entry.get("author"):
                entry.pop("author", None)
            entries.append(_ordered_keys(entry, keys))
        self.data["history"] = entries

    def _feedback(self, section: str, line: int, blocks: list[Block]) -> None:
        feedback: dict = {}
        texts = []
        for block in _content(blocks):
            raw = [t.strip() for t in block.raw.split("\n")] if block.kind == "para" else []
            bold = [_BOLD.match(t) for t in raw]  # «\**…**» is an escaped text, not a question
            if bold and all(bold) and "questions" not in feedback and not texts:
                feedback["questions"] = [m[1].strip() for m in bold]
            elif block.kind == "para":
                texts.append(block.text)
            else:
                self.keep(section, block)
        if texts:
            feedback["text"] = "\n\n".join(texts)
        elif "questions" in feedback:
            self.note(line, "в разделе «Обратная связь» нет текста после вопросов")
        if feedback:
            self.data["feedback"] = feedback

    # --- helpers -----------------------------------------------------------------------------

    def _subsections(self, section: str, blocks: list[Block]):
        """``### …`` subsections as (heading block, body blocks); text before them is kept."""
        current = None
        for block in _content(blocks):
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

    def _items(self, items: list[Item]) -> list:
        out = []
        for item in items:
            if item.children:
                children = self._items(item.children)
                out.append({"text": item.text, "items": children} if item.text else children)
            elif item.text:
                out.append(item.text)
        return [x for entry in out for x in (entry if isinstance(entry, list) else [entry])]

    def _flat(self, block: Block, section: str) -> list[str]:
        """List items as plain texts; nested items become items of their own (reported)."""
        if any(item.children for item in block.items):
            self.note(
                block.line, f"вложенный список в разделе «{section}» превращён в отдельные пункты"
            )
        return [item.text for item in _flatten(block.items) if item.text]


def _flatten(items: list[Item]) -> list[Item]:
    out = []
    for item in items:
        out.append(item)
        out += _flatten(item.children)
    return out


def _content(blocks: list[Block]) -> list[Block]:
    return [b for b in blocks if b.kind != "rule"]


def _span(blocks: list[Block]) -> str:
    return "\n\n".join(b.raw for b in blocks)


def _strip_bold(text: str) -> str:
    match = _BOLD.match(text.strip())
    return match[1].strip() if match else text.strip()


def _numbered_title(kind: str, title: str) -> str:
    title = title.strip()
    match = _NUMBERED_TITLE[kind].match(title)
    return match[1].strip() if match else title


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)]


def _table(block: Block) -> tuple[list[str], list[list[str]], list[dict], list[int]]:
    """Header, rows, the marker of each row and the index of each row's line in the block."""
    rows, marks, where = [], [], []
    for index, line in enumerate(block.lines):
        if index == 1 and _TABLE_RULE.match(line.strip()):
            continue
        text, mark = split_marker(line)
        rows.append(_cells(text))
        marks.append(mark)
        where.append(index)
    return rows[0], rows[1:], marks[1:], where[1:]


def _columns(header: list[str], names: list[str], keys: list[str]) -> dict[int, str] | None:
    """Column index → key, by header names (any order), else by position."""
    wanted = {name.casefold(): key for name, key in zip(names, keys, strict=True)}
    found = {i: wanted[h.casefold()] for i, h in enumerate(header) if h.casefold() in wanted}
    if len(found) == len(header):
        return found
    if len(header) == len(keys):
        return dict(enumerate(keys))
    return None


_ORDER = [
    "format",
    "title",
    "meta",
    "audience",
    "summary",
    "keywords",
    "prerequisites",
    "content",
    "steps",
    "special_cases",
    "examples",
    "templates",
    "faq",
    "errors",
    "checklist",
    "success",
    "related",
    "history",
    "feedback",
    "unmapped",
]


def _ordered(data: dict) -> dict:
    return _ordered_keys(data, _ORDER)


def _ordered_keys(data: dict, order: list[str]) -> dict:
    result = {key: data[key] for key in order if key in data}
    result.update((k, v) for k, v in data.items() if k not in result)
    return result


def import_markdown(text: str, known: dict[str, str] | None = None) -> tuple[dict, list[Note]]:
    """Regulation data from Markdown ``text`` and what could not be mapped (line, message)."""
    return _Importer(known or {}).run(text)
