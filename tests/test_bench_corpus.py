"""The benches' corpus generator (``bench/corpus.py``): deterministic, valid, varied.

It runs on a tiny word list in hunspell's format (``fixtures/corpus/words.dic``), so ``make
test`` needs no dictionary package; the benches use Debian's ``hunspell-ru``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from kb import links
from kb.load.regulation import SLUG, load_folder

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402

WORDS = Path(__file__).parent / "fixtures" / "corpus" / "words.dic"
SCHEMA = ROOT / "schema" / "regulation.schema.json"


def realistic(count: int, seed: int = 7) -> corpus.Corpus:
    return corpus.realistic(count, seed, WORDS)


def test_read_words_drops_flags_the_count_and_proper_names():
    found = corpus.read_words(WORDS)
    assert "пропуск" in found and "проверить" in found
    assert not [w for w in found if "/" in w or not w.islower() or not w.isalpha()]
    assert "Москва" not in found and "ПО" not in found


def test_same_seed_gives_the_same_bytes():
    assert realistic(5).files == realistic(5).files


def test_another_seed_gives_other_regulations():
    one, other = realistic(5, seed=1), realistic(5, seed=2)
    assert set(one.titles.values()) != set(other.titles.values())
    assert not set(one.files.values()) & set(other.files.values())


@pytest.mark.parametrize("kind", ["realistic", "copies"])
def test_every_generated_file_validates(tmp_path, kind):
    generated = realistic(5) if kind == "realistic" else corpus.copies(3)
    generated.write(tmp_path)
    regulations, problems = load_folder(tmp_path, SCHEMA)
    assert [str(p) for p in problems] == []
    assert len(regulations) == len(generated.files)


def test_titles_and_slugs_are_unique_and_references_name_existing_regulations():
    generated = realistic(30)
    data = [yaml.safe_load(text) for text in generated.files.values()]
    assert len({links.key(d["title"]) for d in data}) == 30
    slugs = [name.removesuffix(".yml") for name in generated.files]
    assert len(set(slugs)) == 30 and all(SLUG.match(slug) for slug in slugs)
    named = [item for d in data for group in d.get("related", []) for item in group["items"]]
    assert named, "no regulation names another"
    assert all(item["regulation"] in slugs and "planned" not in item for item in named)


def test_step_counts_stay_in_range_and_vary():
    counts = [len(yaml.safe_load(text)["steps"]) for text in realistic(30).files.values()]
    assert min(counts) >= 3 and max(counts) <= 12
    assert len(set(counts)) > 3


def test_vocabulary_grows_with_the_number_of_regulations():
    assert len(realistic(1).vocabulary()) < len(realistic(5).vocabulary())


def test_markdown_for_stock_material_has_the_tags_and_title():
    generated = corpus.realistic(2, 7, WORDS, markdown=True)
    for name, text in generated.files.items():
        data = yaml.safe_load(text)
        page = generated.markdown[name.replace(".yml", ".md")]
        assert page.startswith(
            "---\n" + yaml.safe_dump({"tags": data["meta"]["tags"]}, allow_unicode=True)
        )
        assert f"\n# {data['title']}" in page
