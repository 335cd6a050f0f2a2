"""Russian search: Python core, the Python/JavaScript agreement, the index, the real search box."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import random
import re
import shutil
import sys
import threading
import unicodedata
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import FIXTURES, GLOSSARY, ROOT, SEED_YAML, build, make_project, soup, tool
from hypothesis import given, settings
from hypothesis import strategies as st
from project import add_hook
from worker_node import MATERIAL_WORKER, WORKER, in_node

from kb import parallel
from kb.problems import RegulationError
from kb.search import (
    INDEX_FILE,
    INDEX_ONLY,
    Glossary,
    SectionsRead,
    compounds,
    dump_index,
    edit_distance,
    edit_limit,
    load_glossary,
    normalise,
    normalise_all,
    prepare_config,
    prepare_index,
    rewrite_index,
    search_data,
    stem,
    stems,
    stop_words,
    typo_neighbours,
    typo_table,
    words,
)

sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402  (bench/corpus.py: strings() of parsed YAML)

ESCALATION = SEED_YAML
SEARCH_FIXTURES = FIXTURES / "search"
SEPARATOR = re.search(r"separator: '(.+)'", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"))[1]


# --- Python core ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Эскалация", "эскалация"),
        ("ЕЩЁ", "еще"),
        ("учётка", "учетка"),
        (unicodedata.normalize("NFD", "Ёлка"), "елка"),
        ("«Неверный", "неверный"),
        ("(если", "если"),
        ("применимо)", "применимо"),
        ("PASS24.online", "pass24.online"),
        ("Битрикс24.", "битрикс24"),
        ("—", ""),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


def test_normalise_all_is_normalise_of_each():
    """The build's batch path (one string for a hundred thousand tokens) against the rule."""
    tokens = _shared_words() + ["", "—", "«Ёж»", "ΟΔΟΣ", "_x_", unicodedata.normalize("NFD", "йё")]
    assert normalise_all(tokens) == [normalise(token) for token in tokens]
    assert normalise_all([]) == []


def test_stems_of_word_forms_meet():
    forms = {
        "эскалац": ["эскалация", "эскалации", "эскалацию", "эскалацией"],
        "разработчик": ["разработчику", "разработчикам", "разработчиков", "разработчик"],
        "лог": ["логов", "логи", "логам"],
        "обновлен": ["обновлений", "обновления", "обновление", "обновлением"],
        "диагностик": ["диагностике", "диагностика", "диагностики", "диагностику"],
    }
    assert {key: sorted({stem(normalise(w)) for w in words}) for key, words in forms.items()} == {
        key: [key] for key in forms
    }


def test_glossary_compiles():
    glossary = load_glossary(GLOSSARY, SEPARATOR)
    compiled = glossary.compiled(SEPARATOR)
    assert len(compiled) == len(glossary.groups) >= 25
    by_head = {group[0]: group for group in glossary.groups}
    assert by_head["ошибка"] == ["ошибка", "баг", "глюк", "косяк", "сбой"]
    assert by_head["обращение"] == ["обращение", "тикет", "заявка"]
    assert compiled[glossary.groups.index(by_head["ошибка"])] == [
        ["ошибк"],
        ["баг"],
        ["глюк"],
        ["косяк"],
        ["сбо"],
    ]
    assert compiled[glossary.groups.index(by_head["учётная запись"])] == [
        ["учетн", "зап"],
        ["аккаунт"],
        ["учетк"],
        ["акк"],
    ]


GOOD_HEAD = "format: 1\ngroups:\n  - term: ошибка\n    synonyms: [баг, глюк]\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            GOOD_HEAD + "  - term: сбой\n    synonyms: [баги, отказ]\n",
            [
                "glossary.yml:6: поле groups[1].synonyms[0]: «баги» ищется так же, как «баг» "
                "(строка 4) — слово может быть только в одной группе и только один раз"
            ],
        ),
        (
            GOOD_HEAD + "  - term: клиент\n    synonim: [заказчик]\n",
            [
                "glossary.yml:5: поле groups[1]: нет обязательного поля «synonyms»",
                "glossary.yml:6: поле groups[1].synonim: неизвестное поле «synonim» — "
                "возможно, имелось в виду «synonyms»",
            ],
        ),
        (
            GOOD_HEAD + "  - term: «—»\n    synonyms: [заказчик]\n",
            ["glossary.yml:5: поле groups[1].term: в тексте нет ни одного слова"],
        ),
        (
            GOOD_HEAD + "  - term: клиент: заказчик\n    synonyms: [абонент]\n",
            ["glossary.yml:5: в значении двоеточие с пробелом — возьмите всё значение в кавычки"],
        ),
    ],
    ids=["same-word-twice", "misspelt-key", "no-words", "yaml-syntax"],
)
def test_glossary_problems_are_located(tmp_path, monkeypatch, text, expected):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "glossary.yml").write_text(text, encoding="utf-8")
    with pytest.raises(RegulationError) as caught:
        load_glossary(tmp_path / "glossary.yml", SEPARATOR)
    assert [str(p) for p in caught.value.problems] == expected


def test_prepare_index_adds_glossary_and_keywords_and_squeezes():
    data = {
        "config": {"lang": ["ru"], "separator": SEPARATOR, "fields": {"title": {"boost": 1e3}}},
        "docs": [
            {"location": "regulations/a/", "title": "А", "text": ""},
            {
                "location": "regulations/a/#s",
                "title": "С",
                "text": "<p>Один   два</p>\n   <pre>x\n    y</pre>  три",
            },
        ],
    }
    glossary = Glossary([["ошибка", "баг"]])
    prepared = prepare_index(data, {"regulations/a/": ["брелок", "пульт ДУ"]}, glossary)
    assert prepared == {
        "config": {
            "lang": ["ru"],
            "separator": SEPARATOR,
            "fields": {
                "title": {"boost": 1e3},
                "keywords": {"boost": 100.0},
                "compounds": {"boost": 1.0},
            },
            "glossary": [[["ошибк"], ["баг"]]],
            "typos": typo_table(),
        },
        "docs": [
            {
                "location": "regulations/a/",
                "title": "А",
                "text": "",
                "keywords": "брелок, пульт ДУ",
            },
            {
                "location": "regulations/a/#s",
                "title": "С",
                "text": "<p>Один два</p> <pre>x\n    y</pre> три",
            },
        ],
    }
    assert dump_index(prepared).decode("utf-8").count("\\u") == 0


# --- Python and JavaScript agree ------------------------------------------------------------

_NODE = r"""
const separator = new RegExp(input.separator)
const glossary = kbSearch.compileGlossary(input.glossary)
console.log(JSON.stringify({
  stems: input.words.map(word => kbSearch.stem(kbSearch.normalise(word))),
  phrases: input.phrases.map(phrase =>
    phrase.split(separator).map(w => kbSearch.normalise(w)).filter(Boolean).map(kbSearch.stem)),
  queries: input.queries.map(q => kbSearch.rewrite(q, separator, glossary).query),
  terms: input.remap.map(([q, terms]) =>
    kbSearch.remapTerms(terms, kbSearch.rewrite(q, separator, glossary).words)),
}))
"""

_ENDINGS = [
    "в",
    "вши",
    "вшись",
    "ив",
    "ивши",
    "ившись",
    "ыв",
    "ывши",
    "ывшись",
    "ее",
    "ие",
    "ые",
    "ое",
    "ими",
    "ыми",
    "ей",
    "ий",
    "ый",
    "ой",
    "ем",
    "им",
    "ым",
    "ом",
    "его",
    "ого",
    "ему",
    "ому",
    "их",
    "ых",
    "ую",
    "юю",
    "ая",
    "яя",
    "ою",
    "ею",
    "нн",
    "вш",
    "ющ",
    "щ",
    "ивш",
    "ывш",
    "ующ",
    "ся",
    "сь",
    "ла",
    "на",
    "ете",
    "йте",
    "ли",
    "й",
    "л",
    "н",
    "ло",
    "но",
    "ет",
    "ют",
    "ны",
    "ть",
    "ешь",
    "нно",
    "ила",
    "ыла",
    "ена",
    "ейте",
    "уйте",
    "ите",
    "или",
    "ыли",
    "уй",
    "ил",
    "ыл",
    "ен",
    "ило",
    "ыло",
    "ено",
    "ят",
    "ует",
    "уют",
    "ит",
    "ыт",
    "ены",
    "ить",
    "ыть",
    "ишь",
    "ю",
    "а",
    "ев",
    "ов",
    "ье",
    "е",
    "иями",
    "ями",
    "ами",
    "еи",
    "ии",
    "и",
    "ией",
    "иям",
    "ям",
    "ием",
    "ам",
    "о",
    "у",
    "ах",
    "иях",
    "ях",
    "ы",
    "ь",
    "ию",
    "ью",
    "ия",
    "ья",
    "я",
    "ост",
    "ость",
    "ейш",
    "ейше",
]
_STEMS = [
    "работ",
    "разработчик",
    "обновлен",
    "клиент",
    "систем",
    "провер",
    "сдела",
    "красив",
    "чита",
    "говор",
    "лог",
    "шлагбаум",
]


def _shared_words() -> list[str]:
    """Every raw token of the fixture regulations and glossary, plus every Snowball ending."""
    texts = [p.read_text(encoding="utf-8") for p in [ESCALATION, GLOSSARY]]
    texts += [p.read_text(encoding="utf-8") for p in sorted(SEARCH_FIXTURES.glob("*.yml"))]
    raw = {token for text in texts for token in text.split()}
    raw |= {s + e for s in _STEMS for e in _ENDINGS}
    raw |= {"ЕЩЁ", "Ёлка", unicodedata.normalize("NFD", "ещё"), "«Неверный»", "PASS24", "Б24"}
    return sorted(raw)


def _run_node(payload: dict) -> dict:
    return _node(_NODE, payload)


def test_python_and_javascript_normalise_and_stem_alike():
    glossary = load_glossary(GLOSSARY, SEPARATOR)
    words = _shared_words()
    phrases = [phrase for group in glossary.groups for phrase in group]
    out = _run_node(
        {
            "separator": SEPARATOR,
            "glossary": [],
            "words": words,
            "phrases": phrases,
            "queries": [],
            "remap": [],
        }
    )
    assert len(words) > 2000
    python = [stem(normalise(word)) for word in words]
    assert [(w, p) for w, p, j in zip(words, python, out["stems"], strict=True) if p != j] == []
    assert out["stems"] == python
    assert out["phrases"] == [p for group in glossary.compiled(SEPARATOR) for p in group]


_NODE_STOP_WORDS = r"""
console.log(JSON.stringify(input.words.filter(word => !lunr.ru.stopWordFilter(word))))
"""


def test_python_drops_the_stop_words_lunr_ru_drops():
    """The build drops from the index the words the worker drops from a query (lunr.ru's
    stop-word filter): kb.search.stop_words() reads lunr.ru's list, the filter agrees on it and
    on every word of the fixtures."""
    stops = stop_words()
    assert {"и", "в", "не", "что", "он"} <= stops
    assert "\ufeffа" in stops and "а" not in stops  # lunr.ru's list, escape and all
    words = sorted(stops | {normalise(word) for word in _shared_words()} - {""})
    dropped = _node(_NODE_STOP_WORDS, {"words": words})
    assert sorted(dropped) == sorted(word for word in words if word in stops)


def test_query_rewriting():
    glossary = load_glossary(GLOSSARY, SEPARATOR).compiled(SEPARATOR)
    queries = [
        "логов",
        "логов ",
        "Приоритеты обновлений",
        "баг",
        "как эскалировать ",
        "учётная запись ",
        "+ошибка -логи",
        "",
    ]
    out = _run_node(
        {
            "separator": SEPARATOR,
            "glossary": glossary,
            "words": [],
            "phrases": [],
            "queries": queries,
            "remap": [
                ["баг логов", {"ошибк": True, "баг": False, "лог": False, "журна": False}],
                ["баг логов", {}],
            ],
        }
    )
    assert out["queries"] == [
        "лог^10 лог журна^1 событ^1",
        "лог^10 журна^1 событ^1",
        "приоритет^10 обновлен^10 обновлен срочност^5 важност^5 критичн^5 апдейт^5 релиз^5 патч^5",
        "баг^10 баг ошибк^5 глюк^5 косяк^5 сбо^5",
        "эскалирова^10 эскалац^5 эскалирован^5",
        "учетн^10 зап^10 аккаунт^5 учетк^5 акк^5",
        "+ошибк -лог",
        "",
    ]
    # Material's "missing" line and the page highlight (?h=) speak in the user's words
    assert out["terms"] == [{"ошибк": True, "логов": False}, {}]


# Node runs Material's worker code with ours and reads {"index": …, "prebuilt": …, "queries":
# […]} from stdin: `index` is Material's index as kb/search.py prepares it (config and every
# section with every field), `prebuilt` what kb.search.search_data makes of it (the worker's
# search_index.json's sections, and kb_index.json). Material's Builder hands the sections over to the prebuilt index as in the
# browser (kbSearch.prebuilt); each script below adds what it prints.
_NODE_INDEX = r"""
const data = input.index
const separator = new RegExp(data.config.separator)
// Material's tokenizer as far as the terms go: no words across markup, then the separator
lunr.tokenizer.separator = separator
const tokenizer = value => value === undefined ? [] : lunr.tokenizer(
  (Array.isArray(value) ? value.join(" ") : value).replace(/<[^>]*>/g, tag => " ".repeat(tag.length)))
const asLunr = { add: lunr.Builder.prototype.add, build: lunr.Builder.prototype.build }
const engine = new kbSearch.Prebuilt(input.prebuilt)
kbSearch.prebuilt(lunr, () => engine)
const built = lunr(function () {  // as Material builds it
  this.metadataWhitelist = ["position"]
  this.b(0)
  this.use(lunr.ru)
  this.tokenizer = tokenizer
  this.ref("location")
  for (const [name, spec] of Object.entries(data.config.fields)) this.field(name, spec)
  for (const doc of engine.docs) this.add(doc, { boost: doc.boost })
})
const glossary = kbSearch.compileGlossary(data.config.glossary)
const typos = new kbSearch.Typos(data.config.typos || [], engine.vocabulary)
// Material's worker makes every plain term (no +/-, no boost) a prefix
const asMaterial = query =>
  query.split(" ").map(term => /^[+-]|\^\d+$/.test(term) ? term : `${term}*`).join(" ")
const parsed = query => clauses => new lunr.QueryParser(query, clauses).parse()
"""

# What the worker did before the index was prebuilt: lunr builds it in the browser from every
# section, each word normalised, stop words dropped, the rest stemmed with lunr.ru. The prebuilt
# index must answer as this one does.
_NODE_LUNR = r"""
lunr.Builder.prototype.add = asLunr.add
lunr.Builder.prototype.build = asLunr.build
const lunrTerm = token => {
  const word = kbSearch.normalise(token.toString())
  return word && lunr.ru.stopWordFilter(word) ? token.update(() => kbSearch.stem(word)) : undefined
}
const lunrQueryTerm = token => {
  const word = kbSearch.normalise(token.toString(), /^[^\p{L}\p{N}*]+|[^\p{L}\p{N}*]+$/gu)
  return word ? token.update(() => word) : undefined
}
lunr.Pipeline.registerFunction(lunrTerm, "kb-test-term")
lunr.Pipeline.registerFunction(lunrQueryTerm, "kb-test-query-term")
const reference = lunr(function () {
  this.metadataWhitelist = ["position"]
  this.b(0)
  this.pipeline.reset()
  this.pipeline.add(lunrTerm)
  this.searchPipeline.reset()
  this.searchPipeline.add(lunrQueryTerm)
  this.tokenizer = tokenizer
  this.ref("location")
  for (const [name, spec] of Object.entries(data.config.fields)) this.field(name, spec)
  for (const doc of data.docs) this.add(doc, { boost: doc.boost })
})
"""

_NODE_QUERY = (
    _NODE_INDEX
    + _NODE_LUNR
    + r"""
const fast = kbSearch.fastQuery(lunr)
const shown = new Set(Object.keys(engine.docs[0] || {}))
// Match data as Material reads it: term → field → positions; fields the sections shipped do
// not show (keywords, compounds) keep their terms, not their positions
const metadata = result => Object.fromEntries(Object.keys(result.matchData.metadata).sort().map(
  term => [term, Object.fromEntries(Object.keys(result.matchData.metadata[term]).sort().map(
    field => [field, data.config.fields[field] && engine.fields.includes(field)
      && input.shown.includes(field) ? result.matchData.metadata[term][field].position : []]))]))
console.log(JSON.stringify(input.queries.map(q => {
  const build = parsed(asMaterial(kbSearch.rewrite(q, separator, glossary, typos).query))
  const expected = reference.query(build)
  const scores = Object.fromEntries(expected.map(r => [r.ref, r]))
  const got = fast.call(built, build)
  return {
    count: got.length,
    all: expected.length,
    best: expected.slice(0, got.length).map(r => r.score),
    scores: got.map(r => r.score),
    refs: got.map(r => r.ref),
    expected: got.map(r => r.ref in scores ? scores[r.ref].score : null),
    metadata: got.map(metadata),
    expectedMetadata: got.map(r => r.ref in scores ? metadata(scores[r.ref]) : null),
  }
})))
"""
)

_NODE_SEARCH = (
    _NODE_INDEX
    + r"""
const fast = kbSearch.fastQuery(lunr)
console.log(JSON.stringify(input.queries.map(q => {
  const query = kbSearch.rewrite(q, separator, glossary, typos).query
  return fast.call(built, parsed(query)).map(r => r.ref)
})))
"""
)


def run_node(script: str, index: dict, queries: list[str], prebuilt: dict | None = None) -> list:
    """``script``'s answer per query, on ``index`` (Material's index as kb.search prepares it)
    and the prebuilt index made of it (or ``prebuilt``, as shipped)."""
    prebuilt = search_data(index) if prebuilt is None else prebuilt
    payload = {"index": index, "prebuilt": prebuilt, "queries": queries, "shown": SHOWN}
    return _node(script, payload)


SHOWN = ["title", "text", "tags"]
"""The fields a section shipped to the worker has (kb.search.INDEX_ONLY are left out)."""


def _node(script: str, payload: dict):
    """What ``script`` prints, run with Material's worker and ours loaded, ``payload`` on stdin
    (``input``)."""
    return in_node(script, payload, tool("node", "nodejs"))


def test_prebuilt_index_answers_as_lunr_built_in_the_browser(search_site):
    """The sections, scores and match data (positions for highlighting) that lunr's index built
    in the browser from the same sections gives — the best 100 of them, in its order."""
    queries = ["логов", "эскалировать", "критическая ошибка ", "+ошибка -логи", "шлагба", "pass24"]
    queries += ["эскалацыя", "клент разработчику "]  # misspelt: near terms in the query
    queries += ["битрикс 24", "qr-коду", "брелок", "к", "учетная запись "]  # compounds, keywords
    for query, found in zip(
        queries, run_node(_NODE_QUERY, index_of(search_site), queries), strict=True
    ):
        assert found["all"] > 0, query
        assert found["count"] == min(found["all"], 100), query
        assert found["scores"] == pytest.approx(found["best"], rel=1e-12), query
        assert found["scores"] == pytest.approx(found["expected"], rel=1e-12), query
        assert found["metadata"] == found["expectedMetadata"], query


# --- What the index holds: every visible word, compounds, the glossary ----------------------


def node_search(index: dict, queries: list[str]) -> dict[str, list[str]]:
    """What the worker's query rewriting and lunr find in ``index``: query → locations."""
    return dict(zip(queries, run_node(_NODE_SEARCH, index, queries), strict=True))


ESC_PAGE = "regulations/escalation-to-development/"
BARRIER_PAGE = "regulations/barrier-not-opening/"


def index_of(site: Path) -> dict:
    """Material's index of ``site`` (kept by the fixture's hook, MATERIAL_INDEX) as kb.search
    prepares it: every field of every section, the config the worker gets."""
    raw = json.loads((site / "search" / MATERIAL_INDEX).read_text(encoding="utf-8"))
    glossary = load_glossary(GLOSSARY, SEPARATOR)
    return prepare_index(raw, FIXTURE_KEYWORDS, glossary)


MATERIAL_INDEX = "search_index.material.json"
FIXTURE_KEYWORDS = {
    f"regulations/{path.stem}/": keywords
    for path in [ESCALATION, *sorted(SEARCH_FIXTURES.glob("*.yml"))]
    if (keywords := yaml.safe_load(path.read_text(encoding="utf-8")).get("keywords"))
}
_KEEP_MATERIAL_INDEX = f'''
"""Tests only: keep Material's own search index before kb_hooks rewrites it."""
import shutil
from pathlib import Path


def on_post_build(config):
    index = Path(config.site_dir) / "search" / "search_index.json"
    shutil.copy(index, index.with_name("{MATERIAL_INDEX}"))
'''


def _visible_words(html: Path) -> set[str]:
    """Words a reader sees in the page's content (FAQ answers included: one click away),
    without the interface: tool forms, buttons, permalinks, tag chips (indexed as tags)."""
    content = soup(html).select_one("article.md-content__inner")
    for hidden in content.select(
        "form[data-kb-tool], button, [hidden], a.headerlink, .md-content__button, script, "
        "nav.md-tags"
    ):
        hidden.decompose()
    return set(words(content.get_text(" "), SEPARATOR))


def _index_words(index: dict, page: str) -> set[str]:
    found = set()
    for doc in index["docs"]:
        if doc["location"].split("#")[0] == page:
            text = BeautifulSoup(f"{doc['title']} {doc['text']}", "html.parser").get_text(" ")
            found |= set(words(text, SEPARATOR))
    return found


def test_every_visible_word_is_a_word_of_the_index(search_site):
    index = index_of(search_site)
    pages = sorted({doc["location"].split("#")[0] for doc in index["docs"]})
    # Every page the index holds, and only the regulations (KB-wide pages are not searched).
    assert pages == [f"regulations/{slug}/" for slug in (BARRIER, ESC, "mobile-app-login")]
    for page in pages:
        seen = _visible_words(search_site / page / "index.html")
        indexed = _index_words(index, page)
        # Both ways: a word glued to its neighbour («ПараметрЗначение») is missing from one
        # side and a stranger on the other.
        assert (page, seen - indexed) == (page, set())
        assert (page, indexed - seen) == (page, set())


# What compounds() finds, as plainly as it can be said (the exact path): its regexes find the
# same words faster (a match is tried at a word's start only).
_COMPOUND_HYPHENATED = re.compile(r"\w+(?:-\w+)+")
_COMPOUND_LETTERS_DIGITS = re.compile(r"\b\w*(?:[^\W\d_]\d|\d[^\W\d_])\w*\b")


def compounds_exact(text: str) -> list[str]:
    text = re.sub(r"<[^>]*>", " ", text)
    found = [match.replace("-", "") for match in _COMPOUND_HYPHENATED.findall(text)]
    found += [
        " ".join(re.findall(r"\d+|[^\W\d_]+", m)) for m in _COMPOUND_LETTERS_DIGITS.findall(text)
    ]
    return list(dict.fromkeys(word.lower() for word in found))


@settings(max_examples=1000)
@given(st.text(alphabet="аёZ_7٣- <>.\n", max_size=40))
def test_compounds_finds_what_the_plain_expressions_find(text):
    assert compounds(text) == compounds_exact(text)


def _read_ahead(material: dict) -> SectionsRead:
    """The sections of Material's index read ahead by two processes (every other section
    each, the first five read by both), their readings merged as the build merges them."""
    config = json.loads(json.dumps(material["config"]))
    prepare_config(config, None)
    merged, copies = SectionsRead(config), [SectionsRead(config), SectionsRead(config)]
    for number, doc in enumerate(material["docs"]):
        for copy in copies if number < 5 else [copies[number % 2]]:
            copy.read(doc["title"], doc["text"])
        if number % 7 == 0:  # handed back now and then, as after each page
            for copy in copies:
                merged.merge(copy.taken())
    for copy in copies:
        merged.merge(copy.taken())
    return merged


def test_index_rewritten_by_forked_processes_or_read_ahead_is_the_same(
    search_site, tmp_path, monkeypatch
):
    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 1)
    glossary = load_glossary(GLOSSARY, SEPARATOR)
    material = json.loads((search_site / "search" / MATERIAL_INDEX).read_bytes())
    written, taken = [], []
    for name, workers, read in (("one", 1, None), ("forked", 3, None), ("ahead", 1, "read")):
        index = tmp_path / name / "search_index.json"
        index.parent.mkdir()
        shutil.copy(search_site / "search" / MATERIAL_INDEX, index)
        read = _read_ahead(material) if read else None
        taken.append(rewrite_index(index, FIXTURE_KEYWORDS, glossary, workers, read))
        written.append([index.read_bytes(), index.with_name(INDEX_FILE).read_bytes()])
    assert written[0] == written[1] == written[2]
    assert taken == [0, 0, len(material["docs"])]


def test_sections_read_ahead_that_are_not_in_the_index_are_not_taken(search_site, tmp_path):
    # The words a process hands back go with the section it met them in first: without that
    # section in the index, another section's words would be missing.
    material = json.loads((search_site / "search" / MATERIAL_INDEX).read_bytes())
    read = _read_ahead(material)
    read.read("Раздел, которого нет", "в индексе")
    index = tmp_path / "search_index.json"
    shutil.copy(search_site / "search" / MATERIAL_INDEX, index)
    assert rewrite_index(index, FIXTURE_KEYWORDS, None, 1, read) == 0


def test_compounds_are_spelled_the_other_ways():
    assert compounds("из-за <b>QR-кода</b>, Битрикс24 и PASS24.online, 1.0, 24 часа") == [
        "изза",
        "qrкода",
        "битрикс 24",
        "pass 24",
    ]


COMPOUND_QUERIES = {
    # «QR-коду» typed with the hyphen, together, apart
    "QR-коду": (BARRIER_PAGE, "step-check-pass"),
    "qrкоду": (BARRIER_PAGE, "step-check-pass"),
    "QR коду": (BARRIER_PAGE, "step-check-pass"),
    # «Битрикс24» written together, typed apart
    "битрикс 24": (ESC_PAGE, "feedback"),
}


def test_compound_words_match_typed_with_the_hyphen_together_or_apart(search_site):
    index = index_of(search_site)
    index["config"]["glossary"] = []  # the glossary's «Битрикс 24» would find «Битрикс24» too
    found = node_search(index, list(COMPOUND_QUERIES))
    for query, (page, section) in COMPOUND_QUERIES.items():
        assert f"{page}#{section}" in found[query], query
    for doc in index["docs"]:  # without the hidden field, the other spellings find nothing
        doc.pop("compounds", None)
    without = node_search(index, ["qrкоду", "битрикс 24"])
    assert without == {"qrкоду": [], "битрикс 24": []}


# The support team's everyday words for the seed's topics: each glossary group, the query that
# needs it and the section it must find (the seed never uses the query's word).
GLOSSARY_QUERIES = {
    "запрос на улучшение": ("фича", "example-feature-request-escalation"),
    "недоволен": ("жалоба", "faq-client-unhappy"),
    "изменение функционала": ("доработку", "content-escalation-criteria"),
    "система эскалации": ("джира", "step-escalate"),
    "Битрикс24": ("bitrix24", "feedback"),
}


@pytest.mark.parametrize("term", list(GLOSSARY_QUERIES))
def test_each_glossary_group_finds_what_its_words_mean(search_site, term):
    query, section = GLOSSARY_QUERIES[term]
    index = index_of(search_site)
    groups = load_glossary(GLOSSARY, SEPARATOR).groups
    group = [g for g in groups if g[0] == term]
    assert len(group) == 1 and stems(query, SEPARATOR) in [stems(w, SEPARATOR) for w in group[0]]
    location = f"{ESC_PAGE}#{section}"
    assert location in node_search(index, [query])[query]
    index["config"]["glossary"] = Glossary([g for g in groups if g[0] != term]).compiled(SEPARATOR)
    assert location not in node_search(index, [query])[query]  # the group is what finds it


# --- Spelling mistakes ----------------------------------------------------------------------

# One edit of each kind away from «клиент»: 6 letters forgive one edit, so a swap counted as
# two edits (as Levenshtein counts it) would not be forgiven.
EDIT_KINDS = {
    "insertion": "клиуент",
    "deletion": "клент",
    "substitution": "клиант",
    "transposition": "клеинт",
}


@pytest.mark.parametrize("kind", list(EDIT_KINDS))
def test_each_kind_of_edit_counts_as_one(kind):
    assert edit_distance(EDIT_KINDS[kind], "клиент") == 1
    assert typo_neighbours(EDIT_KINDS[kind], {"клиент": "клиент"}) == {"клиент": 1}


def test_no_letter_is_edited_twice():
    # Optimal string alignment: «ca» → «abc» takes 3 edits; a swap and then an insertion
    # between the swapped letters (unrestricted Damerau) would make it 2.
    assert edit_distance("ca", "abc") == 3


@pytest.mark.parametrize(("letters", "edits"), [(3, 0), (4, 0), (5, 1), (7, 1), (8, 2), (14, 2)])
def test_edits_forgiven_by_letters(letters, edits):
    assert edit_limit("ж" * letters) == edits


@functools.cache
def _fixture_vocabulary() -> dict[str, str]:
    """Every word of the fixture regulations → its stem, as the index has them."""

    paths = [ESCALATION, *sorted(SEARCH_FIXTURES.glob("*.yml"))]
    texts = [text for p in paths for text in corpus.strings(yaml.safe_load(p.read_text("utf-8")))]
    found = {word for text in texts for word in words(text, SEPARATOR)}
    return {word: stem(word) for word in sorted(found)}


# A query word → the index terms it may stand for, with their edits, among the words of the
# fixture regulations. Python and the worker must both find exactly these.
TYPO_CASES = {
    # the words
    "эскалацыя": {"эскалац": 1},
    "ескалация": {"эскалац": 1},
    "клент": {"клиент": 1},
    "разроботка": {"разработк": 1},
    # each kind of edit
    **{word: {"клиент": 1} for word in EDIT_KINDS.values()},
    # 4 letters forgive nothing («логи»); 7 letters one edit, not two («шлагбаум»); 8 two
    "лаги": {},
    "шлакбам": {},
    "шлакбаму": {"шлагбаум": 2},
    # whole words: «логин» is one letter from «логи» (stems «логин», «лог»: two)
    "логин": {"лог": 1},
    # stems: «эскалацыями» is three edits from any word, its stem one from «эскалац»
    "эскалацыями": {"эскалац": 1},
    # ё = е before counting: «учётная» with ё/е and one edit, «клиент» with ё and one
    "учетнея": {"учетн": 1},
    "клёнт": {"клиент": 1},
    # a letter outside the Basic Multilingual Plane counts once («кли😀ент»: one insertion)
    "кли😀ент": {"клиент": 1},
    # another form of an index word is no mistake; a long word far from all is near nothing
    "клиенту": {},
    "шлагбаумостроение": {},
    # numbers and codes are found only as typed («pass24», «битрикс24»; «клиент» and a digit)
    "pass25": {},
    "битрикс25": {},
    "клиент1": {},
}


@pytest.mark.parametrize("query", list(TYPO_CASES))
def test_misspelt_word_is_near_the_index_words_it_may_stand_for(query):
    assert typo_neighbours(normalise(query), _fixture_vocabulary()) == TYPO_CASES[query]


def _misspell(word: str, edits: int, draw: random.Random) -> str:
    letters = "абвгдежзийклмнопрстуфхцчшщъыьэюяё"
    for _ in range(edits):
        i = draw.randrange(len(word))
        kind = draw.choice(["insert", "delete", "substitute", "swap"])
        if kind == "insert":
            word = word[:i] + draw.choice(letters) + word[i:]
        elif kind == "delete" and len(word) > 1:
            word = word[:i] + word[i + 1 :]
        elif kind == "substitute":
            word = word[:i] + draw.choice(letters) + word[i + 1 :]
        elif i + 1 < len(word):
            word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word


_NODE_TYPOS = r"""
const vocabulary = new kbSearch.Vocabulary()
for (const word of input.vocabulary) vocabulary.add(word, kbSearch.stem(word))
const typos = new kbSearch.Typos(input.table, vocabulary)
console.log(JSON.stringify(input.queries.map(query => {
  const word = kbSearch.normalise(query)
  return Object.fromEntries(typos.near(word, kbSearch.stem(word)))
})))
"""


def test_python_and_javascript_find_the_same_typos():
    """The worker's fast path (length buckets, letter bits, the diagonal band, early exit)
    finds what the exact path here finds: on the case table, and on fixture words misspelt at
    random by one to three edits."""
    vocabulary = _fixture_vocabulary()
    draw = random.Random(20)
    misspelt = [
        _misspell(word, draw.randint(1, 3), draw) for word in draw.sample(sorted(vocabulary), 150)
    ]
    queries = list(TYPO_CASES) + misspelt
    python = [typo_neighbours(normalise(query), vocabulary) for query in queries]
    node = _node(
        _NODE_TYPOS, {"table": typo_table(), "vocabulary": list(vocabulary), "queries": queries}
    )
    assert [(q, p, j) for q, p, j in zip(queries, python, node, strict=True) if p != j] == []
    assert python[: len(TYPO_CASES)] == list(TYPO_CASES.values())
    assert sum(map(bool, python[len(TYPO_CASES) :])) > 50  # the random words do find some


# Misspelt words of the issue on the fixture site: the section each must find.
MISSPELT_QUERIES = {
    "эскалацыя": ESC_PAGE,
    "ескалация": ESC_PAGE,
    "клент": f"{ESC_PAGE}#step-notify-client",
    "разроботка": f"{ESC_PAGE}#step-escalate",
    "клёнт ": f"{ESC_PAGE}#step-notify-client",  # ё/е and a missing letter
    "учетнея": f"{BARRIER_PAGE}#step-check-pass",  # «учётная»: ё/е and one edit
}


def test_misspelt_words_find_what_they_stand_for(search_site):
    index = index_of(search_site)
    found = node_search(index, list(MISSPELT_QUERIES))
    for query, location in MISSPELT_QUERIES.items():
        assert location in found[query], query
    del index["config"]["typos"]  # without the table, the same words find nothing
    without = node_search(index, list(MISSPELT_QUERIES))
    assert all(location not in without[q] for q, location in MISSPELT_QUERIES.items())


_NODE_REWRITE = (
    _NODE_INDEX
    + r"""
console.log(JSON.stringify(input.queries.map(q => [
  kbSearch.rewrite(q, separator, glossary, typos).query,
  kbSearch.rewrite(q, separator, glossary).query,
])))
"""
)


def test_found_words_query_as_before(search_site):
    """A word the index holds (exactly, stemmed, as a prefix, through the glossary) is
    queried as it was before spelling mistakes were forgiven: its near terms only rank below
    (see the next test), so what it finds and the order are as before."""
    queries = [row[0] for row in TABLE] + list(COMPOUND_QUERIES) + ["логин", "логов ", "клиенту"]
    queries += [query for query, _ in GLOSSARY_QUERIES.values()]
    pairs = run_node(_NODE_REWRITE, index_of(search_site), queries)
    assert [q for q, (typos, plain) in zip(queries, pairs, strict=True) if typos != plain] == []
    misspelt = run_node(_NODE_REWRITE, index_of(search_site), ["клент"])
    assert misspelt == [["клент^10 клент клиент^4", "клент^10 клент"]]


_NODE_RANK = (
    _NODE_INDEX
    + r"""
let below = null
const fast = kbSearch.fastQuery(lunr, () => below)
console.log(JSON.stringify(input.queries.map(q => {
  const rewritten = kbSearch.rewrite(q, separator, glossary, typos)
  below = rewritten.below
  const query = asMaterial(rewritten.query)
  return fast.call(built, parsed(query))
    .map(r => ({ ref: r.ref, score: r.score, terms: Object.keys(r.matchData.metadata) }))
})))
"""
)


def test_exact_matches_rank_above_typo_matches(search_site):
    """«логин» is a word of the login regulation; «логи», one letter away, of the escalation
    one. Sections with «логин» come first; those with «логи» only follow, scored so low that
    Material's re-scoring (× 1 + g², at most × 5) cannot lift them past any of the first."""
    [found] = run_node(_NODE_RANK, index_of(search_site), ["логин"])
    typo = [i for i, r in enumerate(found) if r["terms"] == ["лог"]]
    exact = [i for i, r in enumerate(found) if i not in typo]
    assert typo and exact
    assert max(exact) < min(typo)
    assert {found[i]["ref"].split("#")[0] for i in typo} == {ESC_PAGE}
    assert max(found[i]["score"] for i in typo) * 5 < min(found[i]["score"] for i in exact)


# --- The built site -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def search_site(tmp_path_factory) -> Path:
    """The seed regulation, the search fixtures and the glossary (fixture copies), built."""
    where = tmp_path_factory.mktemp("search")
    regulations = {ESCALATION.name: ESCALATION.read_bytes()}
    regulations |= {p.name: p.read_bytes() for p in SEARCH_FIXTURES.glob("*.yml")}
    project = make_project(where / "project", regulations, GLOSSARY.read_bytes())
    add_hook(project, "keep_material_index.py", _KEEP_MATERIAL_INDEX)
    result = build(project, where / "site")
    assert result.returncode == 0, result.stderr
    return where / "site"


def test_index_carries_glossary_and_keywords(search_site):
    raw = (search_site / "search" / "search_index.json").read_bytes()
    index = json.loads(raw)
    assert "Шлагбаум".encode() in raw  # plain UTF-8, not \\u escapes
    assert index["config"]["glossary"] == load_glossary(GLOSSARY, SEPARATOR).compiled(SEPARATOR)
    assert index["config"]["fields"]["keywords"] == {"boost": 100.0}
    data = shipped_data(search_site)
    barrier = [d["location"] for d in data["docs"]].index("regulations/barrier-not-opening/")
    keywords = data["fields"].index("keywords")
    found = {
        term: postings_of(data, term)[keywords]
        for term in ["брелок", "пульт", "ду"]
        if term in data["terms"].split("\n")
    }
    assert found == {"брелок": [(barrier, 1)], "пульт": [(barrier, 1)], "ду": [(barrier, 1)]}
    assert not [d for d in data["docs"] if set(d) & set(INDEX_ONLY)]  # searched, not shipped
    assert not (search_site / "glossary.yml").exists()


def postings_of(data: dict, term: str) -> list[list[tuple[int, int]]]:
    """Per field, the (section, count) pairs of ``term`` in a prebuilt index (its format:
    kb.search.search_data), read independently of the worker."""
    found: list[list[tuple[int, int]]] = [[] for _ in data["fields"]]
    at = data["terms"].split("\n").index(term)
    for group in data["postings"].split("\n")[at].split("|"):
        field, *entries = group.split(" ")
        number = 0
        for entry in entries:
            gap, _, count = entry.partition(":")
            number += int(gap, 36)
            found[int(field)].append((number, int(count, 36) if count else 1))
    return found


def test_shipped_index_is_the_prebuilt_index_of_materials(search_site):
    """search_index.json's sections and kb_index.json are kb.search.search_data of Material's
    index as prepared; search_index.json's config is the prepared one."""
    prepared = index_of(search_site)
    shipped = json.loads((search_site / "search" / "search_index.json").read_bytes())
    data = shipped_data(search_site)
    assert shipped["config"] == {**prepared["config"], "index": data["id"]}  # the pair's id
    assert data == json.loads(dump_index(search_data(prepared)))


def shipped_data(site: Path) -> dict:
    """The prebuilt index as the worker gets it: kb_index.json and search_index.json's sections."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    data = json.loads((site / "search" / INDEX_FILE).read_text(encoding="utf-8"))
    return {**data, "docs": index["docs"]}


def test_pages_use_our_worker(search_site):
    config = json.loads(
        soup(search_site / "regulations" / "barrier-not-opening" / "index.html")
        .find("script", id="__config")
        .string
    )
    # kb.publish gives our worker a content-hashed name: worker.<hash>.js
    url, _, material = config["search"].partition("?")
    assert material == f"material={MATERIAL_WORKER.name}"
    assert re.fullmatch(r"\.\./\.\./kb/search/worker\.[0-9a-f]{8}\.js", url), url
    page = search_site / "regulations" / "barrier-not-opening"
    assert (page / url).resolve().read_bytes() == WORKER.read_bytes()
    assert (search_site / "assets" / "javascripts" / "workers" / MATERIAL_WORKER.name).is_file()


def test_bad_glossary_stops_the_build(tmp_path):
    project = make_project(tmp_path / "project", {ESCALATION.name: ESCALATION.read_bytes()})
    (project / "docs" / "glossary.yml").write_text(
        GOOD_HEAD + "  - term: баги\n    synonyms: [отказ]\n", encoding="utf-8"
    )
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert (
        "Сборка остановлена: 1 ошибка в глоссарии поиска.\n"
        "docs/glossary.yml:5: поле groups[1].term: «баги» ищется так же, как «баг» (строка 4)"
        " — слово может быть только в одной группе и только один раз\n" in result.stderr
    )
    assert not (tmp_path / "site").exists()


# --- The real search box in Chromium --------------------------------------------------------

# Counts QUERY messages the UI sends and RESULT messages it gets back, so that a test reads
# the results of the last query typed, not of an earlier keystroke.
_COUNT_MESSAGES = """
(() => {
  const Original = window.Worker
  window.__search = { sent: 0, answered: 0, last: null }
  window.Worker = class extends Original {
    constructor(...args) {
      super(...args)
      this.addEventListener("message", event => {
        if (event.data.type === 3) window.__search.answered++
        if (event.data.type === 1) window.__search.ready = true
      })
    }
    postMessage(message, ...rest) {
      if (message.type === 2) { window.__search.sent++; window.__search.last = message.data }
      super.postMessage(message, ...rest)
    }
  }
})()
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _OneBuildBehind(_Quiet):
    """The first fetch of kb_index.json gets another build's (published between the worker's
    fetch and the page's fetch of search_index.json): another id, no postings."""

    asked: list[str]  # the Cache-Control header of each fetch of kb_index.json

    def do_GET(self):
        if self.path.split("?")[0] == f"/search/{INDEX_FILE}":
            self.asked.append(self.headers.get("Cache-Control", ""))
            if len(self.asked) == 1:
                data = json.loads((Path(self.directory) / "search" / INDEX_FILE).read_bytes())
                body = dump_index({**data, "id": "another-build", "postings": ""})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        super().do_GET()


@contextlib.contextmanager
def search_page_of(site: Path, browser, handler: type = _Quiet):
    """The home page of ``site``, served on 127.0.0.1, once its search index is ready."""
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    page = browser.new_page()
    try:
        page.add_init_script(_COUNT_MESSAGES)
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/")
        page.wait_for_function("() => window.__search.ready === true")
        yield page
    finally:
        page.close()
        httpd.shutdown()


def test_an_index_of_another_build_is_fetched_again(search_site, browser):
    handler = type("Handler", (_OneBuildBehind,), {"asked": []})
    with search_page_of(search_site, browser, handler) as page:
        groups = _search(page, "эскалировать")
    assert any(f"/regulations/{ESC}/" in link for group in groups[:3] for link in group["links"])
    assert len(handler.asked) == 2
    assert "no-cache" in handler.asked[1]  # past any cache: this build's


@pytest.fixture(scope="module")
def search_page(search_site, browser):
    with search_page_of(search_site, browser) as page:
        yield page


def _search(page, query: str) -> list[dict]:
    """Type ``query`` key by key into Material's box; return the rendered result groups."""
    box = page.locator(".md-search__input")
    box.focus()
    box.fill("")
    box.dispatch_event("keyup")
    for char in query:
        # Playwright inserts Cyrillic text without key events; Material listens to keyup.
        box.press_sequentially(char)
        box.dispatch_event("keydown", {"key": char})
        box.dispatch_event("keyup", {"key": char})
    page.wait_for_function(
        "q => __search.last === q && __search.sent === __search.answered", arg=query
    )
    return page.evaluate(
        """() => [...document.querySelectorAll(".md-search-result__item")].map(item => ({
          links: [...item.querySelectorAll("a.md-search-result__link")].map(a => a.href),
          marks: [...item.querySelectorAll("mark")].map(m => m.textContent),
          missing: [...item.querySelectorAll(".md-search-result__terms")].map(p => p.textContent),
        }))"""
    )


ESC = "escalation-to-development"
BARRIER = "barrier-not-opening"

# query, regulation among the first three results, a section of it among its hits,
# a word highlighted in its hits
TABLE = [
    # the "done when" list: word forms and jargon on the escalation regulation
    ("эскалировать", ESC, "example-critical-error-escalation", "Эскалировали"),
    ("разработчику", ESC, "template-developer-documentation", "разработчиков"),
    ("логов", ESC, "step-collect-diagnostics", "Логи"),
    ("приоритеты", ESC, "case-critical-error", "приоритет"),
    ("обновлений", ESC, "case-update-does-not-help", "Обновление"),
    ("диагностике", ESC, "content-release-timing", "диагностики"),
    ("баг", ESC, "case-critical-error", "ошибка"),
    ("тикет", ESC, "template-client-notification", "обращению"),
    # more jargon, ё = е, multi-word, Latin and digits, keywords, prefixes while typing
    ("разрабы", ESC, "template-developer-documentation", "разработчиков"),
    ("истек", BARRIER, "step-check-pass", "истёк"),
    ("учетная запись ", BARRIER, "step-check-pass", "учётная"),
    ("перезагрузка контроллера", BARRIER, "step-check-controller", "Перезагрузить"),
    ("ребут", BARRIER, "step-check-controller", "Перезагрузить"),
    ("открыть шлагбаум вручную", BARRIER, "faq-open-manually", "вручную"),
    ("шлагба", BARRIER, "step-check-controller", "шлагбаума"),
    ("неисправн", BARRIER, "template-resident-reply", "неисправности"),
    ("Битрикс24", ESC, "feedback", "Битрикс24"),
    ("брелок", BARRIER, None, None),
]
# spelling mistakes forgiven (the words), ё/е with one
TYPO_TABLE = [
    ("эскалацыя", ESC, "step-escalate", "Эскалация"),
    ("ескалация", ESC, "step-escalate", "Эскалация"),
    ("клент", ESC, "step-notify-client", "клиента"),
    ("разроботка", ESC, "step-escalate", "разработки"),
    ("клёнт ", ESC, "step-notify-client", "клиента"),
]


@pytest.mark.parametrize(
    ("query", "slug", "section", "mark"), TABLE + TYPO_TABLE, ids=[r[0] for r in TABLE + TYPO_TABLE]
)
def test_search_box_finds(search_page, query, slug, section, mark):
    groups = _search(search_page, query)
    top = [
        group
        for group in groups[:3]
        if any(f"/regulations/{slug}/" in link for link in group["links"])
    ]
    found = [g["links"][0].split("/regulations/")[-1].split("?")[0] for g in groups[:3]]
    assert top, f"«{query}»: {slug} не среди первых трёх: {found}"
    if section:
        sections = [link.split("#")[-1] for link in top[0]["links"] if "#" in link]
        assert section in sections
    if mark:
        assert mark in top[0]["marks"]


def test_complete_word_matches_its_forms_only(search_page):
    groups = _search(search_page, "логов ")
    order = [g["links"][0].split("/regulations/")[-1].split("/")[0] for g in groups]
    assert ESC in order
    assert "mobile-app-login" not in order  # «логин» is another word, not a form of «логи»


def test_search_box_ranks_the_exact_word_above_a_word_one_edit_away(search_page):
    groups = _search(search_page, "логин ")
    order = [g["links"][0].split("/regulations/")[-1].split("/")[0] for g in groups]
    assert order == ["mobile-app-login", ESC]  # «логин» itself, then «логи»
    assert "Логи" in groups[1]["marks"]
    assert set(groups[1]["missing"]) == {"Отсутствует: логин"}


def test_missing_words_are_the_words_typed(search_page):
    groups = _search(search_page, "шлагбаум разрабы ")
    barrier = [g for g in groups if any(f"/regulations/{BARRIER}/" in x for x in g["links"])]
    assert barrier
    assert set(barrier[0]["missing"]) == {"Отсутствует: разрабы"}


def test_suggestion_is_a_whole_word(search_page):
    _search(search_page, "неиспр")  # the index holds the stem «неисправн»
    search_page.wait_for_function(
        "() => document.querySelector('.md-search__suggest').textContent === 'неисправности'"
    )
