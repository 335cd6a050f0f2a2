"""The ticket bar's markup and the run's data beside each page (kb.site.run)."""

from __future__ import annotations

import json

import yaml
from conftest import FIXTURES, soup

from components.conftest import SEED_YAML, examples, regulation_of, slug_of
from kb.site.run import run_data, run_json

SEED = "main/regulations/escalation-to-development/"


def test_the_bar_is_an_empty_place_with_the_runs_urls(tools_site):
    bar = soup(tools_site.www / SEED / "index.html").select_one("[data-kb-tool=workspace]")
    assert bar.get_text() == "" and bar.find() is None and bar["data-kb-keep"] == "30 дней"
    assert bar["data-kb-src"].startswith("../../kb/components/workspace/run.")
    assert bar["data-kb-css"].startswith("../../kb/components/workspace/workspace.")
    # After «Кратко» (summary and the steps at a glance), before the rest of the procedure.
    assert bar.find_previous_sibling()["aria-labelledby"] == "brief"
    assert bar.find_next_sibling().name == "section"


def test_the_seeds_run_data_comes_from_its_yaml():
    assert run_data("escalation-to-development", yaml.safe_load(SEED_YAML)) == {
        "regulation": "escalation-to-development",
        "version": "1.0",
        "number": "ticket-id",
        "client": "client-name",
        "steps": [
            "confirm-escalation",
            "describe-problem",
            "collect-diagnostics",
            "prepare-documentation",
            "escalate",
            "notify-client",
            "monitor-status",
        ],
        "criteria": {"confirm-escalation": "escalation-criteria"},
        "terms": {
            "escalation-criteria": [
                "product-bug",
                "feature-change",
                "deep-expertise",
                "release-needed",
            ]
        },
        "monitoring": {
            "monitor-status": {
                "next_check_days": 3,
                "remind": ["inform-progress"],
                "statuses": [
                    {"id": "handed-to-development", "title": "Передано в разработку"},
                    {"id": "in-progress", "title": "В работе"},
                    {"id": "waiting-for-client", "title": "Ожидает клиента"},
                    {"id": "fixed-in-update", "title": "Исправлено в обновлении"},
                    {
                        "id": "update-did-not-help",
                        "title": "Обновление не помогло",
                        "case": "update-does-not-help",
                    },
                    {"id": "closed", "title": "Закрыто", "final": True},
                ],
            }
        },
        "templates": {
            "client-notification": "notify-client",
            "developer-documentation": "prepare-documentation",
        },
        "cases": {
            "critical-error": "escalate",
            "no-workaround": "notify-client",
            "update-does-not-help": "monitor-status",
        },
        "checklist": [
            "need-confirmed",
            "description-ready",
            "diagnostics-collected",
            "documentation-ready",
            "handed-over",
            "client-notified",
            "workaround-offered",
            "monitoring-set-up",
            "client-informed",
        ],
        "triggers": {"priority=Критический": "critical-error"},
        "sources": {"chosen-criteria": "criteria"},
    }


def test_every_regulation_gets_its_run_json_beside_its_page(tools_site):
    barrier = yaml.safe_load((FIXTURES / "valid" / "barrier-offline.yml").read_text("utf-8"))
    pages = {"escalation-to-development": yaml.safe_load(SEED_YAML), "barrier-offline": barrier}
    for item in examples("workspace"):
        pages[slug_of("workspace", item)] = regulation_of("workspace", item)
    for slug, data in pages.items():
        path = tools_site.www / "main" / "regulations" / slug / "run.json"
        assert json.loads(path.read_text("utf-8"))["regulation"] == slug
        assert path.read_text("utf-8") == run_json(slug, data)
    assert (
        json.loads((tools_site.www / "main/regulations/barrier-offline/run.json").read_text())[
            "criteria"
        ]
        == {}
    )


def test_home_has_my_tickets_and_both_pages_carry_the_keep_days(tools_site):
    home = soup(tools_site.www / "main" / "index.html")
    section = home.select_one("section[aria-labelledby=my-tickets]")
    assert section.h2.get_text(" ", strip=True).removesuffix(" ¶") == "Мои обращения"
    box = section.select_one("[data-kb-tool=workspace]")
    assert box["data-kb-home"] == "" and box["data-kb-keep"] == "30 дней"
    assert box["data-kb-page"] == "./regulations/{slug}/"
    assert box["data-kb-src"].startswith("./kb/components/workspace/run.")
    assert box.get_text(strip=True) == (
        "Список обращений этого браузера показывается только с JavaScript."
    )
    for site, days in (("main", "30 дней"), ("edited", "7 дней")):
        page = soup(tools_site.www / SEED.replace("main/", f"{site}/") / "index.html")
        assert page.select_one("[data-kb-tool=workspace]")["data-kb-keep"] == days
    assert (
        soup(tools_site.www / "edited" / "index.html").select_one("[data-kb-home]")["data-kb-keep"]
        == "7 дней"
    )
