"""What the ticket workspace needs of a regulation that its page does not show, as JSON.

The run is built by ``overrides/kb/components/workspace/run.js`` inside the page's own steps
(their stable ids: ``step-*``, ``action-*``, ``case-*``, ``term-*``, ``check-*``); the
references between parts and the monitoring statuses are not on the page, and putting them
there would cost every reader bytes (the page-size budget, issue 11). They go into
``regulations/<slug>/run.json`` beside the page, which the run fetches on first use.
"""

from __future__ import annotations

import json

from kb.site.urls import regulation_url
from kb.vocabulary import TICKET_FIELDS

FILE = "run.json"
"""The run's data, beside the regulation's page (the bar names it relative to the page)."""


def run_path(slug: str) -> str:
    """Site path of a regulation's run data: ``regulations/<slug>/run.json``."""
    return regulation_url(slug) + FILE


def run_data(slug: str, reg: dict) -> dict:
    """The references and statuses of one regulation that the run reads."""
    steps = reg["steps"]
    criteria = {s["id"]: s["criteria"] for s in steps if "criteria" in s}
    terms = {
        section["id"]: [t["id"] for block in section["blocks"] for t in block.get("terms", [])]
        for section in reg.get("content", [])
        if section["id"] in criteria.values()
    }
    triggers = {
        f"{field['id']}={option['value']}": option["case"]
        for template in reg.get("templates", [])
        for field in template.get("fields", [])
        for option in field.get("options", [])
        if "case" in option
    }
    # Fields the run fills itself (field.source), e.g. with the criteria chosen in the ticket.
    sources = {
        field["id"]: field["source"]
        for template in reg.get("templates", [])
        for field in template.get("fields", [])
        if "source" in field
    }
    return {
        "regulation": slug,
        "version": reg["meta"]["version"],
        "number": TICKET_FIELDS["number"],
        "client": TICKET_FIELDS["client"],
        "steps": [s["id"] for s in steps],
        "criteria": criteria,
        "terms": terms,
        "monitoring": {s["id"]: s["monitoring"] for s in steps if "monitoring" in s},
        "templates": {t["id"]: t["step"] for t in reg.get("templates", []) if "step" in t},
        "cases": {c["id"]: c["step"] for c in reg.get("special_cases", []) if "step" in c},
        "checklist": [item["id"] for item in reg.get("checklist", [])],
        "triggers": triggers,
        "sources": sources,
    }


def run_json(slug: str, reg: dict) -> str:
    return json.dumps(run_data(slug, reg), ensure_ascii=False, separators=(",", ":"))
