"""Write a regulation back in the knowledge base's Markdown template (the seed's layout).

Whatever the text cannot say — ids that differ from the ones the importer derives, links of
special cases and checklist items to steps, hand-tuned template fields — goes into HTML
comments that ``kb.markdown.read`` reads back, so export then import gives the same data.

Each H2 section has its writer in ``WRITERS``: ``write_<section>(value, doc)`` returns the
section's Markdown body; ``doc`` is the export's state (the whole data, known regulations,
the action ids already given).
"""

from __future__ import annotations

import re

from kb import links
from kb.markdown.blocks import (
    META_KEYS,
    NO_REGULATION,
    TEMPLATE_KEYS,
    TOP_KEYS,
    UNMAPPED_CLOSE,
    UNMAPPED_OPEN,
    Ids,
    data_comment,
    escape_start,
    escape_unmapped,
    marker,
    review_text,
)
from kb.markdown.fields import infer_fields
from kb.vocabulary import (
    ERROR_COLUMNS,
    HISTORY_COLUMNS,
    LABELS,
    META_HEADER,
    META_LABELS,
    NUMBERED,
    SECTIONS,
)

RULE = "\n\n---\n\n"


class Export:
    """What the section writers need besides their own section's value."""

    def __init__(self, data: dict, known: dict[str, str]):
        self.data = data
        self.known = known
        """The regulations that exist, by name (``kb.links.Names``): related links name them."""
        self.action_ids = Ids("action")
        """Steps and special cases share one scope of action ids, as in the importer."""


def export_markdown(data: dict, known: dict[str, str] | None = None) -> str:
    """The Markdown text of regulation ``data``; ``known``: the regulations that exist
    (``kb.links.names_of``), so that related links to them need no marker."""
    doc = Export(data, known or {})
    unmapped: dict[str | None, list[str]] = {}
    for entry in data.get("unmapped", []):
        unmapped.setdefault(entry.get("section"), []).append(entry["text"])
    head = f"# {data['title']}" + marker(data["title"])
    extra = {k: v for k, v in data.items() if k not in TOP_KEYS}
    meta_extra = {k: v for k, v in data["meta"].items() if k not in META_KEYS}
    if "review" in data["meta"] and review_text(data["meta"]["review"]) is None:
        meta_extra["review"] = data["meta"]["review"]
    if meta_extra:
        extra["meta"] = meta_extra
    if extra:
        head += "\n\n" + data_comment("extra", extra)
    if None in unmapped:
        head += "\n\n" + _unmapped_chunks(unmapped.pop(None))
    parts = []
    for key, section in SECTIONS.items():
        title = section.heading
        if key == "meta" or key in data:
            body = WRITERS[key](data[key], doc) if key in data else ""
            kept = unmapped.pop(title, [])
            if kept:
                body = "\n\n".join(filter(None, [body, _unmapped_chunks(kept)]))
            parts.append(f"## {title}" + (f"\n\n{body}" if body else ""))
        elif title in unmapped:  # only kept text: «<!-- kb -->» says there is no field
            parts.append(f"## {title} <!-- kb -->\n\n" + _unmapped_chunks(unmapped.pop(title)))
    for title, chunks in unmapped.items():
        parts.append(f"## {title}{marker(title)}\n\n" + _unmapped_chunks(chunks))
    return head + "\n\n" + RULE.join(parts) + "\n"


# --- Sections -------------------------------------------------------------------------------


def write_meta(meta: dict, doc: Export) -> str:
    values = {
        **meta,
        "tags": ", ".join(meta["tags"]) if "tags" in meta else None,
        "review": review_text(meta.get("review")),
        "keywords": ", ".join(doc.data["keywords"]) if "keywords" in doc.data else None,
    }
    rows = [
        [f"**{label}**", values[key]]
        for key, label in META_LABELS.items()
        if values.get(key) is not None
    ]
    return _table(list(META_HEADER.values()), rows)


def write_audience(audience: dict, doc: Export) -> str:
    keys = ("who", "level", "when")
    return "\n\n".join(_label(LABELS[key], audience[key]) for key in keys if key in audience)


def write_summary(summary: str, doc: Export) -> str:
    return _paragraphs(summary)


def write_prerequisites(prerequisites: dict, doc: Export) -> str:
    keys = ("knowledge", "access")
    return "\n\n".join(
        _prose_or_list(LABELS[key], prerequisites[key]) for key in keys if key in prerequisites
    )


def write_content(sections: list[dict], doc: Export) -> str:
    out = []
    for section, heading in _headed(sections, "content", "section"):
        out.append("\n\n".join([heading, *(_block(block) for block in section["blocks"])]))
    return "\n\n".join(out)


STEP_RUN_KEYS = ("criteria", "monitoring")
"""Step keys the Markdown template has no words for: they travel in ``<!-- kb:step -->``."""


def write_steps(steps: list[dict], doc: Export) -> str:
    out = []
    for step, heading in _headed(steps, "steps", "step"):
        lines = [heading, f"**{LABELS['do']}:**\n" + _actions(doc, step["actions"])]
        lines += [_label(LABELS[key], step[key]) for key in ("where", "result") if key in step]
        # What the ticket workspace runs on (criteria, monitoring) has no place in the template.
        extra = {key: step[key] for key in STEP_RUN_KEYS if key in step}
        if extra:
            lines.append(data_comment("step", extra))
        out.append("\n\n".join(lines))
    return RULE.join(out)


def write_special_cases(cases: list[dict], doc: Export) -> str:
    return "\n\n".join(
        f"{heading}\n\n**{LABELS['actions']}:**\n" + _actions(doc, case["actions"])
        for case, heading in _headed(cases, "special_cases", "case")
    )


def write_examples(examples: list[dict], doc: Export) -> str:
    out = []
    for example, heading in _headed(examples, "examples", "example"):
        lines = [heading, _label(LABELS["situation"], example["situation"])]
        if "actions" in example:
            lines.append(_prose_or_list(LABELS["actions"], example["actions"], numbered=True))
        keys = ("result", "conclusions")
        lines += [_label(LABELS[key], example[key]) for key in keys if key in example]
        out.append("\n\n".join(lines))
    return RULE.join(out)


def write_templates(templates: list[dict], doc: Export) -> str:
    out = []
    for template, heading in _headed(templates, "templates", "template"):
        lines = [heading]
        if "when" in template:
            lines.append(_label(LABELS["when"], template["when"]))
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


def write_faq(entries: list[dict], doc: Export) -> str:
    return RULE.join(
        f"{heading}\n\n" + _prose_or_list(LABELS["answer"], entry["answer"])
        for entry, heading in _headed(entries, "faq", "question", key="question")
    )


def write_errors(errors: list[dict], doc: Export) -> str:
    ids = Ids("error")
    rows, marks = [], []
    for error in errors:
        rows.append([error[key] for key in ERROR_COLUMNS])
        marks.append(_id_marker(ids, error["error"], error))
    return _table(list(ERROR_COLUMNS.values()), rows, marks)


def write_checklist(items: list[dict], doc: Export) -> str:
    ids = Ids("check")
    return "\n".join(
        f"- [ ] {item['text']}" + _id_marker(ids, item["text"], item, step=item.get("step"))
        for item in items
    )


def write_success(success: dict, doc: Export) -> str:
    parts = [_bold(success["intro"])] if "intro" in success else []
    return "\n\n".join([*parts, _items(success["items"])])


def write_related(groups: list[dict], doc: Export) -> str:
    out = []
    for group in groups:
        lines = [_bold(group["title"])]
        for item in group["items"]:
            text = f"[{item['title']}]({item['link']})" if "link" in item else item["title"]
            # What the file says, not what the names resolve to: where the importer would find
            # a regulation the file does not name, the marker says there is none.
            derived = links.find(doc.known, item["title"], item.get("link"))
            given = item.get("regulation") or NO_REGULATION
            regulation = given if given != (derived or NO_REGULATION) else None
            planned = str(item["planned"]).lower() if "planned" in item else None
            lines.append(f"- {text}" + marker(text, regulation=regulation, planned=planned))
        out.append("\n".join(lines))
    return "\n\n".join(out)


def write_history(entries: list[dict], doc: Export) -> str:
    rows = [[entry.get(key, "") for key in HISTORY_COLUMNS] for entry in entries]
    return _table(list(HISTORY_COLUMNS.values()), rows)


def write_feedback(feedback: dict, doc: Export) -> str:
    parts = []
    text = _paragraphs(feedback["text"])
    if "questions" in feedback:
        parts.append("  \n".join(f"**{q}**" for q in feedback["questions"]))
    elif re.match(r"\*\*[^*](?:.*[^*])?\*\*(\n\n|$)", text):
        text = "\\" + text  # a bold first paragraph would read as the questions
    parts.append(text)
    return "\n\n".join(parts)


WRITERS = {
    "meta": write_meta,
    "audience": write_audience,
    "summary": write_summary,
    "prerequisites": write_prerequisites,
    "content": write_content,
    "steps": write_steps,
    "special_cases": write_special_cases,
    "examples": write_examples,
    "templates": write_templates,
    "faq": write_faq,
    "errors": write_errors,
    "checklist": write_checklist,
    "success": write_success,
    "related": write_related,
    "history": write_history,
    "feedback": write_feedback,
}
"""Section key → its writer; one for every section of the vocabulary."""


# --- Helpers --------------------------------------------------------------------------------


def _actions(doc: Export, actions: list[dict]) -> str:
    lines = []
    for number, action in enumerate(actions, 1):
        mark = _id_marker(doc.action_ids, action["text"], action)
        lines.append(f"{number}. {action['text']}{mark}")
        if "items" in action:
            lines.append(_items(action["items"], indent=" " * len(f"{number}. ")))
    return "\n".join(lines)


def _headed(entries: list[dict], section: str, fallback: str, key: str = "title"):
    """Each entry with its ``### …`` heading: numbered where the section numbers them
    (``Шаг 1: …``), with a marker where its id is not the derived one or it links to a step."""
    ids = Ids(fallback)
    for number, entry in enumerate(entries, 1):
        title = entry[key]
        text = f"{NUMBERED[section]} {number}: {title}" if section in NUMBERED else title
        yield entry, f"### {text}" + _id_marker(ids, title, entry, step=entry.get("step"))


def _id_marker(ids: Ids, text: str, item: dict, step: str | None = None) -> str:
    derived = ids.derive(text)
    ids.take(text, item["id"])
    return marker(text, id=item["id"] if item["id"] != derived else None, step=step)


def _prose_or_list(name: str, value: str | list, numbered: bool = False) -> str:
    """Prose after its label (``**Ответ:** text``, more paragraphs below), a list under it."""
    if isinstance(value, list):
        return f"**{name}:**\n" + _items(value, numbered=numbered)
    first, *rest = value.split("\n\n")
    return "\n\n".join([_label(name, first), *(escape_start(part) for part in rest)])


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
