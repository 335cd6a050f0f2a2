"""Russian search: word normalisation, stemming, the jargon glossary and the search index.

The browser side (``overrides/kb/search/worker.js``) wraps Material's own search worker and
stems every indexed word and every query word with lunr.ru, the JavaScript build of the same
Snowball Russian algorithm that ``snowballstemmer`` implements here. Python uses it at build
time: glossary phrases are shipped to the browser already stemmed, so both sides must agree
(``tests/test_search.py`` checks that they do, word for word). The table of spelling mistakes
forgiven (:data:`TYPO_EDITS`) goes the same way, as data in the index's config; the worker's
speed path (length buckets, early exit) is checked against :func:`typo_neighbours`, the exact
path here.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import snowballstemmer
from jsonschema import Draft202012Validator

from kb.check.schema import _schema_problem
from kb.load.regulation import display_name
from kb.load.yaml_exact import LoadProblem, load_yaml
from kb.problems import Problem, RegulationError, format_path

GLOSSARY_SCHEMA = Path(__file__).resolve().parents[1] / "schema" / "glossary.schema.json"
DEFAULT_SEPARATOR = r"[\s\-]+"
KEYWORDS_FIELD = "keywords"
KEYWORDS_BOOST = 100.0
"""Per-regulation search keywords weigh more than body text, less than a title (1000)."""
RANKED_LAST_BOOST = 0.1
"""The search boost of a page whose status ranks it last (kb.status: obsolete regulations), a
document boost of Material's index (front matter ``search: {boost: …}``). Stock Material only
weighs such a page less; our worker puts every page boosted below 1 after all the others."""
TYPOS_CONFIG = "typos"
COMPOUNDS_FIELD = "compounds"
"""A hidden field of every entry: its compound words written the other ways (see compounds)."""

# A word with a hyphen inside («из-за», «QR-код»), and a word where letters meet digits
# («Битрикс24», «PASS24»).
_HYPHENATED = re.compile(r"\w+(?:-\w+)+")
_LETTERS_DIGITS = re.compile(r"\b\w*(?:[^\W\d_]\d|\d[^\W\d_])\w*\b")
_PARTS = re.compile(r"\d+|[^\W\d_]+")
_TAG = re.compile(r"<[^>]*>")
_DIGIT = re.compile(r"\d")

_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_PRE = re.compile(r"(<pre>.*?</pre>)", re.S)
_SPACE = re.compile(r"\s+")


# --- Words ----------------------------------------------------------------------------------


def normalise(word: str) -> str:
    """One word as both sides index and query it: NFC, lower case, ё → е, no edge punctuation."""
    word = unicodedata.normalize("NFC", word).lower().replace("ё", "е")
    return _EDGE.sub("", word)


@cache
def _stemmer():
    return snowballstemmer.stemmer("russian")


def stem(word: str) -> str:
    """Snowball Russian stem of a normalised word (Latin words and numbers pass unchanged)."""
    return _stemmer().stemWord(word)


def words(text: str, separator: str = DEFAULT_SEPARATOR) -> list[str]:
    """Normalised words of ``text`` split the way the search index splits it."""
    return [w for w in (normalise(part) for part in re.split(separator, text)) if w]


def stems(text: str, separator: str = DEFAULT_SEPARATOR) -> list[str]:
    return [stem(word) for word in words(text, separator)]


# --- Spelling mistakes ---------------------------------------------------------------------

TYPO_EDITS: tuple[tuple[int, int], ...] = ((5, 1), (8, 2))
"""Edits forgiven in a query word: (at least this many letters, up to this many edits).

The only home of these figures: the worker reads them from the index's config
(:func:`prepare_index`). A word and its stem are measured each by its own length, so
«эскалацыя» (9 letters) may be two edits from an index word, its stem «эскалацы» (8) two
edits from an index stem. An edit is an insertion, a deletion, a substitution or a swap of
two neighbouring letters (optimal string alignment: no letter is edited twice).
"""


def typo_table() -> list[dict[str, int]]:
    """:data:`TYPO_EDITS` as the worker reads it from the index's config."""
    return [{"letters": letters, "edits": edits} for letters, edits in TYPO_EDITS]


def edit_limit(word: str) -> int:
    """Edits forgiven in ``word`` (a normalised query word, or its stem)."""
    return max((edits for letters, edits in TYPO_EDITS if len(word) >= letters), default=0)


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    two neighbouring letters, each counted as one edit, no letter edited twice."""
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            distance = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                distance = min(distance, before[j - 2] + 1)
            row.append(distance)
        before, previous = previous, row
    return previous[-1]


def typo_neighbours(word: str, vocabulary: Mapping[str, str]) -> dict[str, int]:
    """Index terms a misspelt ``word`` may stand for, each with its fewest edits.

    ``word`` is normalised; ``vocabulary`` maps every normalised index word to its term (its
    stem). A term is near when one of its words is within :func:`edit_limit` of ``word``, or
    the term itself is within the limit of ``word``'s stem. The word's own stem is not a
    neighbour. Words with a digit — numbers, codes («pass24», «2025») — are found only as
    typed, on both sides. Every word is compared in full: the exact path the worker's faster
    one must agree with.
    """
    own = stem(word)
    found: dict[str, int] = {}
    if _DIGIT.search(word):
        return found

    def near(term: str, edits: int) -> None:
        if term and term != own and edits <= found.get(term, edits):
            found[term] = edits

    if limit := edit_limit(word):
        for other, term in vocabulary.items():
            if not _DIGIT.search(other) and (edits := edit_distance(word, other)) <= limit:
                near(term, edits)
    if limit := edit_limit(own):
        for term in set(vocabulary.values()):
            if not _DIGIT.search(term) and (edits := edit_distance(own, term)) <= limit:
                near(term, edits)
    return dict(sorted(found.items()))


# --- Glossary -------------------------------------------------------------------------------


@dataclass
class Glossary:
    """Groups of interchangeable words or phrases; any of them finds all the others."""

    groups: list[list[str]]
    """Each group: the main term first, then its synonyms and jargon, as written."""

    def compiled(self, separator: str = DEFAULT_SEPARATOR) -> list[list[list[str]]]:
        """Groups of phrases as lists of stems — the form the search worker reads."""
        return [[stems(phrase, separator) for phrase in group] for group in self.groups]


@cache
def _glossary_validator() -> Draft202012Validator:
    schema = json.loads(GLOSSARY_SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def load_glossary(path: Path, separator: str = DEFAULT_SEPARATOR) -> Glossary:
    """Load and check ``path``; raise ``RegulationError`` listing every problem with its line."""
    source = display_name(path)
    try:
        doc = load_yaml(path.read_bytes(), source)
    except LoadProblem as exc:
        raise RegulationError([exc.problem]) from None
    problems = [
        _schema_problem(e, doc, source) for e in _glossary_validator().iter_errors(doc.data)
    ]
    if problems:
        raise RegulationError(problems)

    groups, seen = [], {}
    for g, entry in enumerate(doc.data["groups"]):
        phrases = [(("groups", g, "term"), entry["term"])]
        phrases += [
            (("groups", g, "synonyms", s), text) for s, text in enumerate(entry["synonyms"])
        ]
        for where, text in phrases:
            line = doc.line_of(where)
            key = " ".join(stems(text, separator))
            field = format_path(where)
            if not key:
                problems.append(Problem(source, line, field, "в тексте нет ни одного слова"))
            elif key in seen:
                other_line, other_text = seen[key]
                problems.append(
                    Problem(
                        source,
                        line,
                        field,
                        f"«{text}» ищется так же, как «{other_text}» (строка {other_line}) — "
                        "слово может быть только в одной группе и только один раз",
                    )
                )
            else:
                seen[key] = (line, text)
        groups.append([text for _, text in phrases])
    if problems:
        raise RegulationError(problems)
    return Glossary(groups)


# --- Search index ---------------------------------------------------------------------------


def prepare_index(data: dict, keywords: dict[str, list[str]], glossary: Glossary | None) -> dict:
    """Turn Material's ``search_index.json`` data into ours, in place.

    Adds the compiled glossary and the table of forgiven spelling mistakes (:data:`TYPO_EDITS`)
    to the config the worker receives, puts each regulation's ``keywords`` into a hidden,
    boosted field of its page entry, keeps a page's tags on the page entry only (Material
    repeats them on every section, so a tag word matched every section of every tagged page,
    boosted a millionfold), writes each entry's compound words the other ways into a hidden
    field (:func:`compounds`) and squeezes the runs of template indentation out of the texts
    (``<pre>`` blocks keep theirs).
    """
    config = data["config"]
    separator = config.get("separator") or DEFAULT_SEPARATOR
    config["glossary"] = glossary.compiled(separator) if glossary else []
    config[TYPOS_CONFIG] = typo_table()
    config["fields"].setdefault(KEYWORDS_FIELD, {"boost": KEYWORDS_BOOST})
    config["fields"].setdefault(COMPOUNDS_FIELD, {"boost": 1.0})
    for doc in data["docs"]:
        doc["text"] = _squeeze(doc["text"])
        if spelled := compounds(f"{doc['title']} {doc['text']}"):
            doc[COMPOUNDS_FIELD] = " ".join(spelled)
        if "#" in doc["location"]:
            doc.pop("tags", None)
        extra = keywords.get(doc["location"])
        if extra:
            doc[KEYWORDS_FIELD] = ", ".join(extra)
    return data


def compounds(text: str) -> list[str]:
    """The other spellings of ``text``'s compound words, so that a search finds them typed
    with the hyphen, together or apart: «из-за» → «изза» (the separator already splits it
    into «из» and «за»); «Битрикс24» → «битрикс 24» (its parts)."""
    text = _TAG.sub(" ", text)
    found = [match.replace("-", "") for match in _HYPHENATED.findall(text)]
    found += [" ".join(_PARTS.findall(match)) for match in _LETTERS_DIGITS.findall(text)]
    return list(dict.fromkeys(word.lower() for word in found))


def _squeeze(html: str) -> str:
    parts = _PRE.split(html)
    return "".join(part if i % 2 else _SPACE.sub(" ", part) for i, part in enumerate(parts))


def dump_index(data: dict) -> bytes:
    """Compact UTF-8 JSON (Material writes ``\\uXXXX`` escapes: 6 bytes per Cyrillic letter)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def rewrite_index(path: Path, keywords: dict[str, list[str]], glossary: Glossary | None) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_bytes(dump_index(prepare_index(data, keywords, glossary)))
