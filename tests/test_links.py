"""One link rule (kb.links): the site, the Markdown importer and the CLI resolve alike.

Every case is run through the three ways a link reaches the resolver: the site's
``KnowledgeBase`` (built from the loaded regulations), the importer (``import_markdown`` with
names), and ``python -m kb import`` run on a project holding the same regulations.
"""

from __future__ import annotations

import shutil
from datetime import date

import pytest
import yaml
from conftest import FIXTURES

from kb import cli, links
from kb.load.regulation import load_regulations
from kb.markdown.read import import_markdown
from kb.site.knowledge_base import KnowledgeBase

KB = FIXTURES / "kb"  # escalation, diagnostics, client-communication

# (title, link, the regulation it names, shown as planned on the site)
CASES = [
    ("Иное", "./Коммуникация%20с%20клиентом.md", "client-communication", False),
    ("Иное", "Диагностика проблем.html", "diagnostics", False),
    ("Иное", "./Диагностика%20проблем.html", "diagnostics", False),
    ("Иное", "../diagnostics/", "diagnostics", False),
    ("Иное", "../diagnostics/index.html", "diagnostics", False),
    ("Иное", "./Диагностика проблем.md#faq", "diagnostics", False),
    ("Иное", "./Диагностика проблем.md?from=kb#faq", "diagnostics", False),
    ("Иное", "../СКУД/Диагностика%20проблем.md", "diagnostics", False),
    ("Иное", "./ДИАГНОСТИКА  проблем.MD", "diagnostics", False),
    ("Иное", "./Эскалация в отдел разработки.md", "escalation", False),
    ("Иное", "escalation.yml", "escalation", False),
    ("диагностика   ПРОБЛЕМ", None, "diagnostics", False),
    ("Диагностика проблем", "https://example.org/wiki/x", "diagnostics", False),
    ("Иное", "https://pass24.online/Диагностика проблем.md", None, False),
    ("Иное", "//pass24.online/Диагностика проблем.md", None, False),
    ("Иное", "mailto:support@pass24.online", None, False),
    ("Иное", "#faq", None, False),
    ("Иное", None, None, False),
    ("Иное", "./Иное.md", None, True),
    ("Иное", "./Версия 2.0", None, True),
    ("Иное", "../Обработка%20экстренных%20обращений/", None, True),
]
IDS = [f"{title}|{link}" for title, link, _, _ in CASES]


@pytest.fixture(scope="module")
def knowledge_base():
    return KnowledgeBase(load_regulations(KB), today=date(2025, 3, 1))


def _item(title: str, link: str | None) -> dict:
    return {"title": title, "link": link} if link else {"title": title}


def _markdown(cases) -> str:
    """A Markdown regulation whose related materials are the cases, one item each."""
    items = "\n".join(f"- [{t}]({link})" if link else f"- {t}" for t, link, _, _ in cases)
    return f"# Проверка ссылок\n\n## Связанные материалы\n\n**Ссылки:**\n{items}\n"


def _slugs(data: dict) -> list[str | None]:
    (group,) = data["related"]
    return [item.get("regulation") for item in group["items"]]


@pytest.mark.parametrize(("title", "link", "slug", "planned"), CASES, ids=IDS)
def test_site_resolves_each_case(knowledge_base, title, link, slug, planned):
    found = knowledge_base.resolve(_item(title, link))
    assert (found.slug if found else None) == slug
    assert knowledge_base.is_planned(_item(title, link)) is planned


def test_importer_resolves_like_the_site():
    names = links.names_of((r.slug, r.title) for r in load_regulations(KB))
    data, _ = import_markdown(_markdown(CASES), names)
    assert _slugs(data) == [slug for _, _, slug, _ in CASES]
    assert [item.get("link") for item in data["related"][0]["items"]] == [
        link for _, link, _, _ in CASES
    ]


def test_cli_resolves_like_the_site(tmp_path, monkeypatch, capsys):
    shutil.copytree(KB, tmp_path / "docs" / "regulations")
    shutil.copytree(FIXTURES.parents[1] / "schema", tmp_path / "schema")
    (tmp_path / "links.md").write_text(_markdown(CASES), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    cli.main(["import", "links.md", "-o", "-"])  # fails validation: only related is written
    assert _slugs(yaml.safe_load(capsys.readouterr().out)) == [slug for _, _, slug, _ in CASES]


def test_cli_knows_every_regulation_by_slug_and_title(tmp_path):
    shutil.copytree(KB, tmp_path, dirs_exist_ok=True)
    (tmp_path / "broken.yml").write_text("title: [", encoding="utf-8")
    (tmp_path / "Not A Slug.yml").write_text("title: Лишний\n", encoding="utf-8")
    assert cli.known_regulations(tmp_path) == {
        "broken": "broken",
        "client-communication": "client-communication",
        "коммуникация с клиентом": "client-communication",
        "diagnostics": "diagnostics",
        "диагностика проблем": "diagnostics",
        "escalation": "escalation",
        "эскалация в отдел разработки": "escalation",
    }


@pytest.mark.parametrize(
    ("link", "name"),
    [
        ("./Коммуникация%20с%20клиентом.md", "Коммуникация с клиентом"),
        ("../x/Диагностика проблем.html#faq", "Диагностика проблем"),
        ("Диагностика проблем.md?x=1", "Диагностика проблем"),
        ("../diagnostics/", "diagnostics"),
        ("../diagnostics/index.html", "diagnostics"),
        ("./index.md", "index"),
        ("./Версия 2.0", "Версия 2.0"),
        ("./%23 номер.md", "# номер"),  # an encoded # is part of the name
        ("#faq", None),
        ("./", None),
        ("", None),
        (None, None),
        ("https://pass24.online/x.md", None),
        ("HTTP://pass24.online/x.md", None),
        ("mailto:a@b.c", None),
        ("//host/x.md", None),
    ],
)
def test_link_name(link, name):
    assert links.link_name(link) == name


def test_planned_name_is_the_file_name_or_the_title():
    assert links.planned_name({"title": "Экстренные", "link": "./Экстренные%20обращения.md"}) == (
        "Экстренные обращения"
    )
    assert links.planned_name({"title": "Экстренные", "link": "#x"}) == "Экстренные"


def test_outside_href_only_for_web_pages():
    assert links.outside_href("https://pass24.online/") == "https://pass24.online/"
    assert links.outside_href("http://pass24.online/") == "http://pass24.online/"
    assert links.outside_href("mailto:a@b.c") is None
    assert links.outside_href("./x.md") is None
    assert links.outside_href(None) is None


def test_first_regulation_keeps_a_shared_name():
    names = links.names_of([("a", "Общий"), ("b", "общий"), ("c", "a")])
    assert names == {"a": "a", "общий": "a", "b": "b", "c": "c"}
    assert links.find(names, "ОБЩИЙ") == "a"
    assert links.find(names, "Иное", regulation="b") == "b"
