"""Search: the time to find the index words near a misspelt query word, on a large vocabulary.

    .venv/bin/python bench/bench_typos.py [--count 300] [--corpus realistic|copies]
        [--seed 1] [--dictionary FILE] [--words 30000]

Node loads the search worker and fills its vocabulary with the words of N regulations
(``bench/corpus.py``, ``--corpus realistic``: distinct ones made up from a Russian dictionary —
tens of thousands of words). With ``--corpus copies`` the copies of the seed would give a few
hundred words, so the vocabulary is then the words of the fixture regulations and, up to
``--words``, those words misspelt at random (the stand-in used before the realistic corpus).
Then it times ``Typos.near`` for
misspelt query words, each the first time it is asked (no cache; after one warm-up word),
against comparing every word in full (what the length buckets, the letter bits and the early
exit save).

Not a test: figures only.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))
import corpus as corpora  # noqa: E402
from worker_node import in_node  # noqa: E402

from kb.search import DEFAULT_SEPARATOR, typo_table, words  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
QUERIES = [
    "эскалацыя",
    "ескалация",
    "клент",
    "разроботка",
    "разроботчикам",
    "шлакбаму",
    "диагнастика",
    "приаритетов",
    "неисправнасти",
    "абнавление",
]
NODE = r"""
const vocabulary = new kbSearch.Vocabulary()
for (const word of input.words) vocabulary.add(word, kbSearch.stem(word))
let start = performance.now()
vocabulary.prepare()
const prepare = performance.now() - start
const typos = new kbSearch.Typos(input.table, vocabulary)
const letters = word => Int32Array.from(word, letter => letter.codePointAt(0))
const everyWord = (word, stem) => {  // every word and term, compared in full
  const { words, terms } = vocabulary.prepare()
  let found = 0
  for (const [text, buckets] of [[word, words], [stem, terms]]) {
    const spelt = letters(text)
    const limit = typos.limit(spelt.length)
    for (const [length, bucket] of buckets)
      for (let k = 0; k < bucket.terms.length; k++)
        if (kbSearch.editDistance(spelt, bucket.letters, 99, k * length, length) <= limit) found++
  }
  return found
}
typos.near("разроботчик", kbSearch.stem("разроботчик"))  // warm-up, not counted
everyWord("разроботчик", kbSearch.stem("разроботчик"))
const fast = [], full = []
for (const query of input.queries) {
  const stem = kbSearch.stem(query)
  start = performance.now()
  typos.known.clear()
  typos.near(query, stem)
  fast.push(performance.now() - start)
  start = performance.now()
  everyWord(query, stem)
  full.push(performance.now() - start)
}
console.log(JSON.stringify({
  words: vocabulary.termOf.size, terms: vocabulary.prepare().sorted.length, prepare, fast, full,
}))
"""


def fixture_words() -> list[str]:
    paths = [FIXTURES / "seed" / "escalation-to-development.yml"]
    paths += sorted((FIXTURES / "search").glob("*.yml"))
    texts = [t for p in paths for t in corpora.strings(yaml.safe_load(p.read_text("utf-8")))]
    return sorted({w for t in texts for w in words(t, DEFAULT_SEPARATOR) if w.isalpha()})


def misspelt_vocabulary(count: int) -> list[str]:
    """The fixture words, then those words with three letters replaced at random."""
    draw = random.Random(20)
    seed = fixture_words()
    found = set(seed)
    letters = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
    while len(found) < count:
        word = list(draw.choice(seed))
        for _ in range(3):
            word[draw.randrange(len(word))] = draw.choice(letters)
        found.add("".join(word))
    return sorted(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300, help="сколько регламентов (300)")
    parser.add_argument(
        "--words", type=int, default=30000, help="слов с опечатками для --corpus copies (30000)"
    )
    corpora.add_arguments(parser)
    args = parser.parse_args()
    if args.corpus == "copies":
        vocabulary = misspelt_vocabulary(args.words)
    else:
        vocabulary = sorted(corpora.from_arguments(args, args.count).vocabulary())
    node = shutil.which("node") or sys.exit("node не найден")
    out = in_node(NODE, {"table": typo_table(), "words": vocabulary, "queries": QUERIES}, node)
    copies = args.corpus == "copies"
    print(
        "Корпус: копии образца и опечатки" if copies else f"Регламентов: {args.count} (realistic)"
    )
    print(f"Словарь: {out['words']} слов, {out['terms']} основ; подготовка {out['prepare']:.0f} мс")
    for name, label in [("fast", "воркер"), ("full", "все слова целиком")]:
        times = sorted(out[name])
        print(
            f"  {label:18} медиана {times[len(times) // 2]:6.1f} мс, "
            f"максимум {times[-1]:6.1f} мс на слово запроса"
        )


if __name__ == "__main__":
    main()
