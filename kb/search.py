"""Russian search: word normalisation, stemming, the jargon glossary and the search index.

The browser side (``overrides/kb/search/worker.js``) wraps Material's own search worker. The
index is built here, at build time (:func:`search_data`): every word of every section is
normalised, stop words dropped (lunr.ru's list, read from Material's copy) and the rest reduced
to its Snowball stem — the algorithm lunr.ru implements in JavaScript, with which the worker
stems the words of a query. Both sides must agree (``tests/test_search.py`` checks that they
do, word for word, and that the prebuilt index answers as lunr built in the browser did). The
worker only loads the result: the terms, the words of each term, the postings. The glossary
(stemmed here) and the table of spelling mistakes forgiven (:data:`TYPO_EDITS`) go as data in
the index's config; the worker's speed path (length buckets, early exit) is checked against
:func:`typo_neighbours`, the exact path here.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from operator import sub
from pathlib import Path

import material
import snowballstemmer

from kb.check.schema import _schema_problem
from kb.check.schema_fast import fast_verdict
from kb.load.regulation import display_name
from kb.load.yaml_exact import LoadProblem, load_yaml
from kb.parallel import mapped
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
# («Битрикс24», «PASS24»): a word with a digit, then a letter beside a digit in it. Each match
# starts at a word's start (\b), where it is looked for once, not again at every letter.
_HYPHENATED = re.compile(r"\b\w+(?:-\w+)+")
_WITH_DIGIT = re.compile(r"\b\w*\d\w*")
_LETTER_DIGIT = re.compile(r"[^\W\d_]\d|\d[^\W\d_]")
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


_EDGES = re.compile(r"^(?:[^\w\n]|_)+|(?:[^\w\n]|_)+$", re.M)


def normalise_all(tokens: list[str]) -> list[str]:
    """:func:`normalise` of each token (none holds a line break), a hundred thousand at once:
    NFC, lower case and ё → е never reach across a line break, nor does the edge trimming."""
    text = unicodedata.normalize("NFC", "\n".join(tokens)).lower().replace("ё", "е")
    return _EDGES.sub("", text).split("\n") if tokens else []


@cache
def _stemmer():
    return snowballstemmer.stemmer("russian")


def stem(word: str) -> str:
    """Snowball Russian stem of a normalised word (Latin words and numbers pass unchanged)."""
    return _stemmer().stemWord(word)


LUNR_RU = Path(material.__file__).parent / "templates/assets/javascripts/lunr/min/lunr.ru.min.js"
_STOP_WORDS = re.compile(r'\.ru\.stopWordFilter=\w+\.generateStopWordFilter\("([^"]+)"')


@cache
def stop_words() -> frozenset[str]:
    """lunr.ru's Russian stop words, read from the copy the worker loads (its only home)."""
    found = _STOP_WORDS.search(LUNR_RU.read_text(encoding="utf-8"))
    if found is None:
        raise RuntimeError(f"{LUNR_RU}: список стоп-слов lunr.ru не найден")
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), found[1])
    return frozenset(text.split(" "))


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
def _glossary_validator():
    from jsonschema import Draft202012Validator

    schema = json.loads(GLOSSARY_SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@cache
def _glossary_quick():
    """The quick verdict (kb.check.schema_fast): jsonschema explains a glossary it refuses."""
    schema = json.loads(GLOSSARY_SCHEMA.read_text(encoding="utf-8"))
    return fast_verdict(schema, "kb-glossary-quick", checked=_glossary_validator)


def load_glossary(path: Path, separator: str = DEFAULT_SEPARATOR) -> Glossary:
    """Load and check ``path``; raise ``RegulationError`` listing every problem with its line."""
    source = display_name(path)
    try:
        doc = load_yaml(path.read_bytes(), source)
    except LoadProblem as exc:
        raise RegulationError([exc.problem]) from None
    problems = (
        []
        if _glossary_quick()(doc.data)
        else [_schema_problem(e, doc, source) for e in _glossary_validator().iter_errors(doc.data)]
    )
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
    """Turn Material's ``search_index.json`` data into ours, in place: :func:`prepare_config`,
    then :func:`prepare_doc` for every section."""
    prepare_config(data["config"], glossary)
    for doc in data["docs"]:
        prepare_doc(doc, keywords)
    return data


def prepare_config(config: dict, glossary: Glossary | None) -> None:
    """Add the compiled glossary, the table of forgiven spelling mistakes (:data:`TYPO_EDITS`)
    and our hidden fields to the config the worker receives (in place)."""
    separator = config.get("separator") or DEFAULT_SEPARATOR
    config["glossary"] = glossary.compiled(separator) if glossary else []
    config[TYPOS_CONFIG] = typo_table()
    config["fields"].setdefault(KEYWORDS_FIELD, {"boost": KEYWORDS_BOOST})
    config["fields"].setdefault(COMPOUNDS_FIELD, {"boost": 1.0})


def prepare_doc(doc: dict, keywords: dict[str, list[str]]) -> dict:
    """One section, in place: :func:`prepare_shown`; a page's tags stay on the page entry only
    (Material repeats them on every section, so a tag word matched every section of every
    tagged page, boosted a millionfold); its regulation's ``keywords`` go into a hidden,
    boosted field of its page entry."""
    return _prepare_page_fields(prepare_shown(doc), keywords)


def _prepare_page_fields(doc: dict, keywords: dict[str, list[str]]) -> dict:
    if "#" in doc["location"]:
        doc.pop("tags", None)
    extra = keywords.get(doc["location"])
    if extra:
        doc[KEYWORDS_FIELD] = ", ".join(extra)
    return doc


def prepare_shown(doc: dict) -> dict:
    """What depends on a section's title and text alone, in place: the runs of template
    indentation squeezed out of its text (``<pre>`` blocks keep theirs); its compound words,
    written the other ways, in a hidden field (:func:`compounds`)."""
    doc["text"] = _squeeze(doc["text"])
    if spelled := compounds(f"{doc['title']} {doc['text']}"):
        doc[COMPOUNDS_FIELD] = " ".join(spelled)
    return doc


def compounds(text: str) -> list[str]:
    """The other spellings of ``text``'s compound words, so that a search finds them typed
    with the hyphen, together or apart: «из-за» → «изза» (the separator already splits it
    into «из» and «за»); «Битрикс24» → «битрикс 24» (its parts)."""
    text = _TAG.sub(" ", text)
    found = [word.replace("-", "") for word in _HYPHENATED.findall(text)] if "-" in text else []
    if _DIGIT.search(text):
        found += [
            " ".join(_PARTS.findall(word))
            for word in _WITH_DIGIT.findall(text)
            if _LETTER_DIGIT.search(word)
        ]
    return list(dict.fromkeys(word.lower() for word in found))


def _squeeze(html: str) -> str:
    parts = _PRE.split(html)
    return "".join(part if i % 2 else _SPACE.sub(" ", part) for i, part in enumerate(parts))


def dump_index(data: dict) -> bytes:
    """Compact UTF-8 JSON (Material writes ``\\uXXXX`` escapes: 6 bytes per Cyrillic letter)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --- The prebuilt index ---------------------------------------------------------------------

INDEX_FILE = "kb_index.json"
"""The prebuilt index (:func:`search_data` without the sections), beside ``search_index.json``;
the worker fetches it as soon as it starts."""
ID = "id"
"""The prebuilt index's checksum (with the sections it numbers), also in the config of
``search_index.json`` (:data:`INDEX_ID`): the worker takes the two files only as a pair, never
one from a build published between its two fetches."""
INDEX_ID = "index"
INDEX_ONLY = (KEYWORDS_FIELD, COMPOUNDS_FIELD)
"""Fields that are searched but never shown: their words are in the postings, their text is
not shipped."""


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-be")


def _base36(number: int) -> str:
    digits, out = "0123456789abcdefghijklmnopqrstuvwxyz", ""
    while True:
        number, digit = divmod(number, 36)
        out = digits[digit] + out
        if not number:
            return out


def search_data(data: dict) -> dict:
    """The worker's data for Material's index ``data`` (prepared): what lunr built in the
    browser from every section, built here once (shipped as the sections of
    ``search_index.json``, the ``docs``, and :data:`INDEX_FILE`, the rest).

    Each field of each section is cut into tokens as Material's tokenizer cuts it (markup
    apart, then the separator), each token normalised, stop words dropped, the rest stemmed:
    a term (:func:`rewrite_index` does it over the build's processes). Returned (JSON):

    - ``docs``: the sections as Material shows them (without :data:`INDEX_ONLY` fields);
    - ``fields``: the searched fields, in the config's order (a posting's field is its index);
    - ``terms``: every term, in UTF-16 order (JavaScript's, for the worker's binary search);
    - ``forms``: for each term, its words (normalised) joined by ``,``: the ending after the
      term, or ``=`` and the whole word if it does not start with the term;
    - ``postings``: for each term, ``|``-joined groups, one per field holding it: the field,
      then for each section holding it (in order) the gap from the previous one in base 36,
      with ``:`` and the count if the term is there more than once. lunr's scores (``b = 0``:
      term count, sections holding the term, field and section boosts) follow from these.
    """
    analyse = _Analyser(data["config"])
    with _without_cycle_collector():
        return _encoded(data, [analyse(doc) for doc in data["docs"]])


@contextmanager
def _without_cycle_collector():
    """Hundreds of thousands of small lists and tuples, none of them in a cycle: the cyclic
    garbage collector would walk the whole build's heap again and again for nothing."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class _Analyser:
    """One section's terms per field. Each process remembers the tokens it has seen (their
    terms) and hands back the words it met first with each section."""

    def __init__(self, config: dict):
        separator = config.get("separator") or DEFAULT_SEPARATOR
        self.split = re.compile(separator).split
        self.fields = list(config["fields"])
        self.signature = (separator, tuple(self.fields))
        self.stops = stop_words()
        self.stem = _stemmer().stemWord
        self.known: dict[str, str] = {}  # token as Material cuts it → its term ("" if dropped)

    def __call__(
        self, doc: dict, only: frozenset[str] | None = None
    ) -> tuple[list[tuple[int, Counter]], dict[str, str]]:
        cut = []
        for field, name in enumerate(self.fields):
            value = doc.get(name)
            if value is None or (only is not None and name not in only):
                continue
            # Markup ends a token as the separator does (Material tokenizes between tags)
            text = " ".join(value) if isinstance(value, list) else value
            cut.append((field, self.split(_TAG.sub(" ", text))))
        known = self.known
        new = list({token for _, tokens in cut for token in tokens if token not in known})
        words: dict[str, str] = {}  # the words met first here → their terms
        for token, word in zip(new, normalise_all(new), strict=True):
            term = "" if not word or word in self.stops else self.stem(word)
            known[token] = term
            if term:
                words.setdefault(word, term)
        counted = []
        for field, tokens in cut:
            counts = Counter(map(known.__getitem__, tokens))
            counts.pop("", None)
            counted.append((field, counts))
        return counted, words


def _encoded(data: dict, analysed: list[tuple[list[tuple[int, Counter]], dict[str, str]]]):
    fields = list(data["config"]["fields"])
    vocabulary: dict[str, str] = {}
    numbers: dict[tuple[str, int], list[int]] = {}  # (term, field) → its sections, in order
    repeated: dict[tuple[str, int], dict[int, int]] = {}  # … → section → count, if above 1
    for number, (counted, words) in enumerate(analysed):
        vocabulary.update(words)
        for field, counts in counted:
            for term, count in counts.items():
                key = (term, field)
                if (sections := numbers.get(key)) is None:
                    numbers[key] = [number]
                else:
                    sections.append(number)
                if count > 1:
                    repeated.setdefault(key, {})[number] = count

    terms = sorted({term for term, _ in numbers}, key=_utf16)
    forms: dict[str, list[str]] = {term: [] for term in terms}
    for word in sorted(vocabulary):
        term = vocabulary[word]
        forms[term].append(word[len(term) :] if word.startswith(term) else "=" + word)
    base36 = [_base36(n) for n in range(len(data["docs"]) + 1)]
    groups: dict[str, list[str]] = {term: [] for term in terms}
    for (term, field), sections in sorted(numbers.items(), key=lambda item: item[0][1]):
        entries = [base36[gap] for gap in map(sub, sections, [0, *sections[:-1]])]
        counts = repeated.get((term, field), {})
        for i, number in enumerate(sections if counts else ()):
            if number in counts:
                entries[i] += f":{_base36(counts[number])}"
        groups[term].append(f"{field} {' '.join(entries)}")
    encoded = ["|".join(groups[term]) for term in terms]
    docs = [{k: v for k, v in doc.items() if k not in INDEX_ONLY} for doc in data["docs"]]
    index = {
        "docs": docs,
        "fields": fields,
        "terms": "\n".join(terms),
        "forms": "\n".join(",".join(forms[term]) for term in terms),
        "postings": "\n".join(encoded),
    }
    return {**index, ID: hashlib.sha256(dump_index(index)).hexdigest()[:16]}


class SectionsRead:
    """Sections prepared (:func:`prepare_shown`) and read where they were made, before
    Material writes its index: by their title and text as Material writes them. Reading a
    section depends on nothing else; :func:`rewrite_index` takes the reading of each section
    it finds here, and reads the page's fields (tags, keywords) itself."""

    SHOWN = frozenset(("title", "text", COMPOUNDS_FIELD))

    def __init__(self, config: dict):
        """``config``: Material's index config (separator and fields) before the index."""
        self.analyse = _Analyser(config)
        self.found: dict[tuple[str, str], tuple[dict, list, dict]] = {}

    def read(self, title: str, text: str) -> None:
        doc = prepare_shown({"title": title, "text": text})
        shown = {name: doc[name] for name in doc if name != "title"}
        counted, words = self.analyse(doc, self.SHOWN)
        counted = [(field, dict(counts)) for field, counts in counted]  # quicker to send
        self.merge({(title, text): (shown, counted, words)})

    def merge(self, found: dict) -> None:
        """Add what another process read (:meth:`taken`). A process hands back each word the
        first time it meets it, with whichever section: the same section read again keeps
        the words of every reading."""
        for key, (shown, counted, words) in found.items():
            if key in self.found:
                words = {**self.found[key][2], **words}
            self.found[key] = (shown, counted, words)

    def taken(self) -> dict:
        """What this process has read (forgotten here): to merge into another's ``found``."""
        found, self.found = self.found, {}
        return found


def rewrite_index(
    path: Path,
    keywords: dict[str, list[str]],
    glossary: Glossary | None,
    workers: int = 1,
    read: SectionsRead | None = None,
) -> int:
    """Rewrite Material's ``search_index.json`` for our worker: its config (glossary, typos)
    and the sections Material shows, which the page's script fetches and sends to the worker;
    and write the prebuilt index beside it (:data:`INDEX_FILE`), which the worker fetches
    meanwhile. The worker has nothing to build. :func:`prepare_index` and :func:`search_data`,
    each section prepared and read by the same one of ``workers`` processes, or taken as
    ``read`` ahead (the same config's separator and fields), its page's fields read here.
    Returns how many sections were taken as read ahead."""
    prepared = json.loads(path.read_text(encoding="utf-8"))
    prepare_config(prepared["config"], glossary)
    analyse = _Analyser(prepared["config"])
    ahead = read.found if read is not None and read.analyse.signature == analyse.signature else {}
    if not ahead.keys() <= {(doc["title"], doc["text"]) for doc in prepared["docs"]}:
        ahead = {}  # a section read ahead is not in the index: the words it met may be missed
    page_fields = frozenset(analyse.fields) - SectionsRead.SHOWN
    taken = 0

    def prepared_and_read(doc: dict):
        nonlocal taken
        done = ahead.get((doc["title"], doc["text"]))
        if done is None:
            return prepare_doc(doc, keywords), analyse(doc)
        taken += 1
        shown, counted, words = done
        doc.update(shown)
        _prepare_page_fields(doc, keywords)
        more, more_words = analyse(doc, page_fields)
        return doc, (sorted(counted + more, key=lambda item: item[0]), {**words, **more_words})

    with _without_cycle_collector():
        # Sections read ahead leave little to do: not worth a fork.
        done = mapped(prepared_and_read, prepared["docs"], 1 if ahead else workers)
        prepared["docs"] = [doc for doc, _ in done]
        data = _encoded(prepared, [analysis for _, analysis in done])
    docs = data.pop("docs")
    path.with_name(INDEX_FILE).write_bytes(dump_index(data))
    config = {**prepared["config"], INDEX_ID: data[ID]}
    path.write_bytes(dump_index({"config": config, "docs": docs}))
    return taken
