"""The work page of a regulation: its procedure run on one ticket, one step at a time.

The page (``regulations/<slug>/work/``, template ``work.html``) and its model (``work.json``
beside it, format ``kb.work.v1``) are both written here from the regulation's data: the model
is the one contract of the page's scripts (``overrides/kb/components/work/``), which never
read the markup for data. Texts in the model are plain (inline Markdown reduced to its words):
the scripts set them as text, and the ticket's record quotes them.
"""

from __future__ import annotations

import json
import re

from kb import vocabulary
from kb.site.urls import REGULATIONS, page_url
from kb.text import plain

FORMAT = "kb.work.v1"
MODEL = "work.json"
"""The model's file, beside the work page (the page names it relative to itself)."""


def work_src(slug: str) -> str:
    """Where the work page pretends to live in ``docs/``: ``regulations/<slug>/work.md``."""
    return f"{REGULATIONS}/{slug}/work.md"


def work_url(slug: str) -> str:
    """The work page's address relative to the site root: ``regulations/<slug>/work/``."""
    return page_url(work_src(slug))


def model_path(slug: str) -> str:
    return work_url(slug) + MODEL


def collected_at(reg: dict) -> dict[str, str]:
    """Field id → the step that collects it (``step:`` on a template field). One value per
    field id in a ticket: the first template that names a step for it decides (a check refuses
    two different steps for one id)."""
    out: dict[str, str] = {}
    for template in reg.get("templates", []):
        for field in template.get("fields", []):
            if "step" in field:
                out.setdefault(field["id"], field["step"])
    return out


def typed_before(reg: dict) -> dict[str, dict[str, list]]:
    """Template id (of a template shown at a step) → its fields typed before that step:
    ``{"ids": [field ids], "at": [the step number each is typed at]}``; 0 is the ticket itself
    (its number and client). A field is typed at the step that collects it (``step:``), or, when
    it is filled from the criteria (``source: criteria``), at the step asking them. The work
    page folds these in the template: it shows what is new."""
    number = {step["id"]: n for n, step in enumerate(reg["steps"], 1)}
    typed = dict.fromkeys(vocabulary.TICKET_FIELDS.values(), 0)
    asking = next((number[s["id"]] for s in reg["steps"] if s.get("criteria")), None)
    templates = reg.get("templates", [])
    for template in templates:
        for field in template.get("fields", []):
            if "step" in field:
                typed.setdefault(field["id"], number[field["step"]])
            elif field.get("source") == "criteria" and asking is not None:
                typed.setdefault(field["id"], asking)
    folded = {}
    for template in templates:
        if (at := number.get(template.get("step"))) is not None:
            before = [f["id"] for f in template.get("fields", []) if typed.get(f["id"], at) < at]
            folded[template["id"]] = {"ids": before, "at": [typed[i] for i in before]}
    return folded


def _actions(actions: list[dict]) -> list[dict]:
    return [
        {"id": a["id"], "text": plain(a["text"]), "items": [_item(i) for i in a.get("items", [])]}
        for a in actions
    ]


def _item(item) -> str:
    # Nested items of an action are text in the model (the page shows them nested).
    return plain(item if isinstance(item, str) else item["text"])


def _terms(reg: dict, section_id: str) -> list[dict]:
    section = next(s for s in reg.get("content", []) if s["id"] == section_id)
    return [
        {"id": t["id"], "text": plain(t["term"]), "detail": plain(t["text"])}
        for block in section["blocks"]
        for t in block.get("terms", [])
    ]


def model(slug: str, reg: dict) -> dict:
    """The work page's model of one regulation (format ``kb.work.v1``)."""
    templates = reg.get("templates", [])
    cases = reg.get("special_cases", [])
    at = collected_at(reg)
    fields: dict[str, dict] = {}
    for template in templates:
        for f in template.get("fields", []):
            entry = fields.setdefault(
                f["id"],
                {
                    "label": plain(f["label"]),
                    "type": f["type"],
                    "options": [
                        {"value": o["value"], "case": o.get("case")} for o in f.get("options", [])
                    ],
                    "step": at.get(f["id"]),
                    "remember": False,
                    "source": f.get("source"),
                    "templates": [],
                },
            )
            entry["remember"] = entry["remember"] or f.get("remember", False)
            entry["templates"].append(template["id"])
    steps = []
    for number, step in enumerate(reg["steps"], 1):
        sid = step["id"]
        steps.append(
            {
                "id": sid,
                "number": number,
                "title": plain(step["title"]),
                "actions": _actions(step["actions"]),
                "where": plain(step["where"]) if "where" in step else None,
                "result": plain(step["result"]) if "result" in step else None,
                "criteria": _terms(reg, step["criteria"]) if "criteria" in step else None,
                "cases": [c["id"] for c in cases if c.get("step") == sid],
                "templates": [t["id"] for t in templates if t.get("step") == sid],
                "fields": [fid for fid, step_id in at.items() if step_id == sid],
                "monitoring": step.get("monitoring"),
            }
        )
    return {
        "format": FORMAT,
        "regulation": slug,
        "title": plain(reg["title"]),
        "version": reg["meta"]["version"],
        "ticket": vocabulary.TICKET_FIELDS,
        "steps": steps,
        "cases": {
            c["id"]: {
                "title": plain(c["title"]),
                "step": c.get("step"),
                "actions": _actions(c["actions"]),
            }
            for c in cases
        },
        "fields": fields,
        "templates": {
            t["id"]: {
                "title": plain(t["title"]),
                "step": t.get("step"),
                "body": t["body"],
                "fields": [f["id"] for f in t.get("fields", [])],
            }
            for t in templates
        },
        "checklist": [
            {"id": i["id"], "text": plain(i["text"]), "step": i.get("step")}
            for i in reg.get("checklist", [])
        ],
        "triggers": {
            f"{f['id']}={o['value']}": o["case"]
            for t in templates
            for f in t.get("fields", [])
            for o in f.get("options", [])
            if "case" in o
        },
        "words": vocabulary.WORK,
    }


def model_json(slug: str, reg: dict) -> str:
    return json.dumps(model(slug, reg), ensure_ascii=False, separators=(",", ":"))


_ID = re.compile(r'\sid="([^"]+)"')
_FRAGMENT = re.compile(r'href="#([^"]+)"')


def reading_links(html: str, reading_url: str) -> str:
    """Links to a part of the regulation that only its reading page has (a term, an example, a
    FAQ entry the author linked to) lead there; the work page's own parts stay in the page."""
    own = set(_ID.findall(html))
    return _FRAGMENT.sub(
        lambda m: m.group(0) if m[1] in own else f'href="{reading_url}#{m[1]}"', html
    )
