"""Every text fragment of the seed regulation appears in the rendered page.

The page is built from the fixture copy of the seed YAML (the `site` fixture) and compared with
the seed text as written (`fixtures/seed/escalation-to-development.md`), never with `docs/`.
"""

from __future__ import annotations

import re

from conftest import SEED, as_in_seed, soup

from kb.text import ru_date

PAGE = "regulations/escalation-to-development/index.html"
ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def seed_fragments(markdown: str) -> list[str]:
    """The seed's visible text, line by line, without Markdown syntax."""
    fragments, in_code = [], False
    for raw in markdown.splitlines():
        line = raw.strip()
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            if line:
                fragments.append(line)
            continue
        if not line or re.fullmatch(r"-{3,}|\|[-| ]+\|", line):
            continue
        line = re.sub(r"^#+\s*|^- \[ \]\s*|^-\s+|^\d+\.\s+", "", line)
        line = re.sub(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)", r"\1", line).replace("**", "")
        cells = line.strip("|").split("|") if line.startswith("|") else [line]
        fragments += [ISO_DATE.sub(lambda m: ru_date(m[1]), c).strip() for c in cells if c.strip()]
    return fragments


def normalise(text: str) -> str:
    return " ".join(text.split())


# Words of the Markdown template that the page says another way, on purpose (issue 10: the
# top of the page). Anything else missing is lost text.
SAID_OTHERWISE = {
    "Параметр": "the metadata table is two columns of label and value: no header row",
    "Значение": "the same header row",
    "Теги": "tags are shown once, as Material's chips above the title (checked below)",
    "эскалация, разработка, ошибка продукта, передача вопроса": "the same tags",
    "Целевая аудитория": "audience and summary are one section, «Кратко»",
}


def test_every_seed_fragment_is_on_the_page(site):
    page = soup(site / PAGE).select_one("article.kb-regulation")
    page_text = normalise(page.get_text(" ").replace("¶", ""))
    fragments = seed_fragments(SEED.read_text(encoding="utf-8"))
    missing = [f for f in fragments if normalise(f) not in page_text]
    print(f"fidelity: {len(fragments) - len(missing)}/{len(fragments)} seed fragments on the page")
    assert len(fragments) > 250
    assert missing == list(SAID_OTHERWISE)
    chips = [a.get_text(strip=True) for a in soup(site / PAGE).select("nav.md-tags a")]
    tags = ["эскалация", "разработка", "ошибка продукта", "передача вопроса"]
    assert sorted(chips) == sorted(tags)


def test_template_bodies_are_verbatim(site):
    seed = SEED.read_text(encoding="utf-8")
    blocks = re.findall(r"```\n(.*?)\n```", seed, flags=re.S)
    page = soup(site / PAGE)
    bodies = [as_in_seed(pre.code.get_text()) for pre in page.select(".kb-template pre")]
    assert bodies == blocks
