/*
 * Russian search for the knowledge base, inside Material's own search box.
 *
 * Material's search worker still does the result work (ranking boosts, highlighting, result
 * groups, suggestions); this worker loads it and changes what goes in and out:
 *
 *  - index: built at build time by kb/search.py (search_data) and fetched as the worker starts
 *    (kb_index.json): every word normalised (NFC, lower case, ё → е, edge punctuation
 *    trimmed), Russian stop words dropped and the rest reduced to its Snowball stem, so all
 *    forms of a word share one index term; the terms, their words and their postings. lunr's
 *    Builder builds nothing: Material's sections (search_index.json, sent by the page's script
 *    with SETUP) are handed to the prebuilt index (prebuilt), and fastQuery answers lunr's
 *    queries from it with lunr's scores;
 *  - query: each word is normalised and stemmed (lunr.ru, the same Snowball algorithm) and must
 *    match a stem exactly; the word still being typed (no space after it) also matches as a
 *    prefix; words of the glossary (docs/glossary.yml, stemmed at build time by kb/search.py)
 *    bring in their synonyms; a misspelt word matches the index's words and stems a few edits
 *    away (the table of forgiven edits comes from kb/search.py, TYPO_EDITS): in its place when
 *    it finds nothing itself, below everything else found when it does;
 *  - result: "missing" terms name the words the user typed, and suggestions are whole words.
 *
 * The UI finds this worker through the theme's `config` block (overrides/main.html), which
 * passes the name of Material's worker as `?material=search.<hash>.min.js`.
 * Loaded in Node (tests), the file only defines `globalThis.kbSearch`.
 */
"use strict";

(() => {
  const SETUP = 0;
  const RESULT = 3;
  const QUERY = 2;

  /* Query weights: the user's own words first, then one-word synonyms, then words of phrases */
  const OWN = 10;
  const SYNONYM = 5;
  const PHRASE_WORD = 1;
  /* …then a term a misspelt word may stand for, one edit away; each further edit halves it */
  const TYPO = 4;

  /* Material re-scores each section: score × (1 + g²), g ≤ 2 (1 for a page entry, plus the
     share of query terms it found); what ranks below must stay below that factor */
  const MATERIAL_BOOST = 5;

  /* Sections passed on to Material's result building (highlighting, grouping by page) */
  const LIMIT = 100;

  const WORD_EDGE = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
  const QUERY_EDGE = /^[^\p{L}\p{N}*]+|[^\p{L}\p{N}*]+$/gu;
  const SYNTAX = /[*^~:+"]/g;
  const DIGIT = /\p{Nd}/u;

  /** One word as index and query see it; `edge` decides what is trimmed from its ends. */
  function normalise(word, edge = WORD_EDGE) {
    return word.normalize("NFC").toLowerCase().replace(/ё/g, "е").replace(edge, "");
  }

  /** Snowball Russian stem of a normalised word. */
  function stem(word) {
    return self.lunr.ru.stemmer(word);
  }

  function isStopWord(word) {
    return !self.lunr.ru.stopWordFilter(word);
  }

  /** A word as its letters: the code point of each (a letter may take two UTF-16 units). */
  function letters(word) {
    const spelt = new Int32Array(word.length);
    let count = 0;
    for (let i = 0; i < word.length; i++) {
      const code = word.codePointAt(i);
      spelt[count++] = code;
      if (code > 0xffff) i++;
    }
    return count === word.length ? spelt : spelt.subarray(0, count);
  }

  /**
   * The letters of a word as bits (code point mod 32: а…я take one bit each). A letter of one
   * word that the other lacks needs an edit of its own, so a word whose bits the other lacks
   * outnumber the edits forgiven is not compared at all. Letters sharing a bit only lower the
   * count: the test never turns away a word within the limit.
   */
  function bitsOf(spelt) {
    let bits = 0;
    for (const code of spelt) bits |= 1 << (code & 31);
    return bits;
  }

  function countBits(bits) {
    bits -= (bits >>> 1) & 0x55555555;
    bits = (bits & 0x33333333) + ((bits >>> 2) & 0x33333333);
    return (Math.imul((bits + (bits >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
  }

  /* editDistance's rows, reused: two before the current one and the current one */
  let rows = [0, 1, 2].map(() => new Int32Array(32));

  /**
   * Optimal string alignment distance of `a` and `b` (see letters): insertions, deletions,
   * substitutions and swaps of two neighbouring letters, one edit each — or `limit + 1` as
   * soon as it must be above `limit`. Only the cells within `limit` of the diagonal are
   * computed (those further off are above it), and the smallest value of a row never
   * decreases from one row to the next, so a row above the limit ends the comparison. `b`
   * may be `n` letters of a longer array, from `offset` on.
   */
  function editDistance(a, b, limit, offset = 0, n = b.length - offset) {
    const m = a.length;
    const over = limit + 1;
    if (Math.abs(m - n) > limit) return over;
    if (rows[0].length <= n + 1) rows = rows.map(() => new Int32Array(2 * (n + 1)));
    let [before, previous, row] = rows;
    for (let j = 0; j <= n; j++) previous[j] = Math.min(j, over);
    for (let i = 1; i <= m; i++) {
      const from = Math.max(1, i - limit);
      const to = Math.min(n, i + limit);
      row[from - 1] = from === 1 ? Math.min(i, over) : over;
      let least = row[from - 1];
      for (let j = from; j <= to; j++) {
        let distance = Math.min(
          previous[j] + 1,
          row[j - 1] + 1,
          previous[j - 1] + (a[i - 1] === b[offset + j - 1] ? 0 : 1),
        );
        if (i > 1 && j > 1 && a[i - 1] === b[offset + j - 2] && a[i - 2] === b[offset + j - 1])
          distance = Math.min(distance, before[j - 2] + 1);
        row[j] = Math.min(distance, over);
        least = Math.min(least, row[j]);
      }
      if (to < n) row[to + 1] = over; /* what the next row reads above this band */
      if (least > limit) return over;
      const reused = before;
      before = previous;
      previous = row;
      row = reused;
    }
    return previous[n];
  }

  /**
   * Words or terms (`texts`, each with its term in `terms`) by length (in letters: see
   * letters): per length, the letters of all (one flat array), the bits of each (see bitsOf)
   * and its term.
   */
  function buckets(texts, terms) {
    const lengths = new Int32Array(texts.length);
    const counts = new Map();
    for (let i = 0; i < texts.length; i++) {
      const length = (lengths[i] = letterCount(texts[i]));
      counts.set(length, (counts.get(length) || 0) + 1);
    }
    const found = new Map();
    for (const [length, count] of counts)
      found.set(length, {
        letters: new Int32Array(length * count),
        bits: new Int32Array(count),
        terms: new Array(count),
        size: 0,
      });
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i];
      const length = lengths[i];
      const bucket = found.get(length);
      const k = bucket.size++;
      const word = length === text.length ? null : letters(text);
      let mask = 0;
      for (let j = 0, at = k * length; j < length; j++, at++) {
        const code = word === null ? text.charCodeAt(j) : word[j];
        bucket.letters[at] = code;
        mask |= 1 << (code & 31);
      }
      bucket.bits[k] = mask;
      bucket.terms[k] = terms[i];
    }
    return found;
  }

  /** The number of letters of `text` (see letters). */
  function letterCount(text) {
    let count = text.length;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff) count--;
    }
    return count;
  }

  /** Whether `text` has a digit (\p{Nd}); the common letters are let through without a regex. */
  function hasDigit(text) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x30 && code <= 0x39) return true;
      if (code >= 0x80 && !(code >= 0x400 && code <= 0x4ff)) {
        const letter = String.fromCodePoint(text.codePointAt(i));
        if (DIGIT.test(letter)) return true;
        i += letter.length - 1;
      }
    }
    return false;
  }

  /**
   * The index's words, each with its term (stem), as the prebuilt index lists them (kb/search.py
   * search_data: `terms`, in order, and their `forms`) or as added one by one: the whole word to
   * show for a term, the words of a term (highlighting) and what a misspelt query word may be
   * near.
   */
  class Vocabulary {
    constructor() {
      this.termOf = new Map(); /* normalised word → term, for words added one by one */
      this.terms = null; /* the terms in order, with their words (`forms`), once known */
      this.forms = null;
      this.lookup = null; /* built on first use after a change: see prepare() */
    }

    /** The words of `terms` (in order), each term's words written as in `forms` (its endings
     * joined by ",", or "=" and the whole word when it does not start with the term). */
    static of(terms, forms) {
      const vocabulary = new Vocabulary();
      vocabulary.terms = terms;
      vocabulary.forms = forms;
      return vocabulary;
    }

    add(word, term) {
      if (this.termOf.has(word)) return;
      this.termOf.set(word, term);
      this.terms = this.forms = this.lookup = null;
    }

    /** The words of `term` (none if it is not a term of the index). */
    wordsOf(term) {
      const { sorted, forms } = this.prepare();
      const at = lowerBound(sorted, term);
      return sorted[at] === term ? wordsOf(term, forms[at]) : [];
    }

    /** The shortest word of `term` (the first of them in order). */
    wordOf(term) {
      let shortest;
      for (const word of this.wordsOf(term))
        if (shortest === undefined || word.length < shortest.length) shortest = word;
      return shortest;
    }

    has(term) {
      const sorted = this.prepare().sorted;
      return sorted[lowerBound(sorted, term)] === term;
    }

    /** Whether some term starts with `prefix` (what lunr's trailing wildcard would find). */
    hasPrefix(prefix) {
      const sorted = this.prepare().sorted;
      const low = lowerBound(sorted, prefix);
      return low < sorted.length && sorted[low].startsWith(prefix);
    }

    /** Sorted terms with their words, and words and terms by length (buckets): a misspelt
     * word is compared only with those whose length is within the edits forgiven. Built on
     * first use after a change (the worker builds it as soon as the index is loaded). */
    prepare() {
      if (this.lookup) return this.lookup;
      if (this.terms === null) {
        const byTerm = new Map();
        for (const [word, term] of this.termOf) {
          if (!byTerm.has(term)) byTerm.set(term, []);
          byTerm.get(term).push(word.startsWith(term) ? word.slice(term.length) : `=${word}`);
        }
        this.terms = [...byTerm.keys()].sort();
        this.forms = this.terms.map(term => byTerm.get(term).join(","));
      }
      /* numbers and codes («pass24», «2025») are found only as typed */
      const words = [];
      const wordTerms = [];
      const terms = [];
      this.terms.forEach((term, at) => {
        const digit = hasDigit(term);
        for (const form of this.forms[at].split(",")) {
          const whole = form[0] === "=";
          if (whole ? hasDigit(form) : digit || hasDigit(form)) continue;
          words.push(whole ? form.slice(1) : term + form);
          wordTerms.push(term);
        }
        if (!digit) terms.push(term);
      });
      return (this.lookup = {
        words: buckets(words, wordTerms),
        terms: buckets(terms, terms),
        sorted: this.terms,
        forms: this.forms,
      });
    }
  }

  /** The words of `term` written as in a prebuilt index's `forms` (see Vocabulary.of). */
  function wordsOf(term, forms) {
    return forms.split(",").map(form => (form[0] === "=" ? form.slice(1) : term + form));
  }

  /** The first position in `sorted` whose string is not below `text`. */
  function lowerBound(sorted, text) {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (sorted[middle] < text) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /**
   * Index terms near a misspelt query word, under the table of forgiven edits (rows
   * `{ letters, edits }`: from kb/search.py TYPO_EDITS through the index's config). The fast
   * path of kb.search.typo_neighbours, which must find the same: only words and terms whose
   * length is within the limit and whose letters (bitsOf) allow it are compared, each
   * comparison stops once above the limit. Words with a digit are never near anything.
   */
  class Typos {
    constructor(table, vocabulary) {
      this.table = table;
      this.vocabulary = vocabulary;
      this.lookup = null;
      this.known = new Map(); /* word → near terms, for the lookup they were found in */
    }

    /** Edits forgiven in a word (or stem) of `length` letters. */
    limit(length) {
      let edits = 0;
      for (const row of this.table) if (length >= row.letters) edits = Math.max(edits, row.edits);
      return edits;
    }

    /** Terms near the normalised `word` (whose stem is `stem`): Map term → fewest edits. */
    near(word, stem) {
      const lookup = this.vocabulary.prepare();
      if (this.lookup !== lookup || this.known.size > 1000) {
        this.lookup = lookup;
        this.known.clear();
      }
      let found = this.known.get(word);
      if (found !== undefined) return found;
      found = new Map();
      this.known.set(word, found);
      if (DIGIT.test(word)) return found; /* a number or a code: found only as typed */
      const compare = (text, buckets) => {
        const spelt = letters(text);
        const limit = this.limit(spelt.length);
        if (limit === 0) return;
        const bits = bitsOf(spelt);
        for (let length = spelt.length - limit; length <= spelt.length + limit; length++) {
          const bucket = buckets.get(length);
          if (bucket === undefined) continue;
          const { terms } = bucket;
          for (let k = 0; k < terms.length; k++) {
            const term = terms[k];
            if (term === stem) continue;
            const other = bucket.bits[k];
            if (countBits(bits & ~other) > limit || countBits(other & ~bits) > limit) continue;
            const edits = editDistance(spelt, bucket.letters, limit, k * length, length);
            if (edits <= limit && !(found.get(term) <= edits)) found.set(term, edits);
          }
        }
      };
      compare(word, lookup.words);
      compare(stem, lookup.terms);
      return found;
    }
  }

  /** Glossary groups (lists of phrases, each a list of stems) → lookup by phrase. */
  function compileGlossary(groups) {
    const phrases = new Map();
    let longest = 0;
    groups.forEach((group, index) => {
      for (const phrase of group) {
        phrases.set(phrase.join(" "), index);
        longest = Math.max(longest, phrase.length);
      }
    });
    return { groups, phrases, longest };
  }

  /** Split the raw input into words: `{ text, stem, presence, terms }`. */
  function parse(value, separator) {
    const words = [];
    for (const part of value.split(/\s+/)) {
      const presence = /^[+-]/.test(part) ? part[0] : "";
      for (const piece of part.slice(presence.length).split(separator)) {
        const text = normalise(piece.replace(SYNTAX, ""));
        if (text) words.push({ text, stem: stem(text), presence, terms: [] });
      }
    }
    return words;
  }

  /**
   * Rewrite what the user typed into a lunr query for Material's worker.
   *
   * Returns `{ query, words, below }`; `words[i].terms` are the index terms that stand for the
   * i-th word (its stem, its synonyms, the terms near it when misspelt), used to explain
   * results in the user's words; `below` (term → weight) are the terms near words that find
   * something themselves, for fastQuery to rank after everything the query finds. Without
   * `typos` (a Typos), no word is taken for misspelt.
   */
  function rewrite(value, separator, glossary, typos = null) {
    const words = parse(value, separator);
    const typing = words.length > 0 && !/\s$/.test(value);
    const clauses = [];
    const used = new Set();
    const add = (term, clause, word) => {
      word.terms.push(term);
      if (!used.has(clause)) clauses.push(clause);
      used.add(clause);
    };

    words.forEach((word, i) => {
      const last = typing && i === words.length - 1;
      if (word.presence) {
        add(word.stem, word.presence + word.stem, word);
      } else if (last || !isStopWord(word.text)) {
        add(word.stem, `${word.stem}^${OWN}`, word);
        if (last) add(word.stem, word.stem, word); /* Material appends `*`: a prefix */
      }
    });

    /* Glossary: longest phrase first, on the stems of the words as typed */
    for (let i = 0; i < words.length; ) {
      let length = Math.min(glossary.longest, words.length - i);
      for (; length > 0; length--) {
        if (words.slice(i, i + length).some(word => word.presence)) continue;
        const key = words.slice(i, i + length).map(word => word.stem).join(" ");
        const group = glossary.phrases.get(key);
        if (group === undefined) continue;
        for (const phrase of glossary.groups[group]) {
          if (phrase.join(" ") === key) continue;
          const weight = phrase.length > 1 ? PHRASE_WORD : SYNONYM;
          for (const term of phrase)
            if (!isStopWord(term))
              for (const word of words.slice(i, i + length)) add(term, `${term}^${weight}`, word);
        }
        break;
      }
      i += Math.max(length, 1);
    }

    const below = typos ? misspelt(words, typing, typos, add) : new Map();
    return { query: clauses.join(" "), words, below };
  }

  /**
   * Terms near the query's words of enough letters (not `+`/`-` words, not stop words). A
   * word that finds nothing in the index gets its near terms as clauses (through `add`); the
   * near terms of a word that finds something are returned (term → weight), to rank below.
   * Terms the query already matches exactly, or as the prefix being typed, are not near.
   */
  function misspelt(words, typing, typos, add) {
    const { vocabulary } = typos;
    const prefix = typing ? words[words.length - 1].stem : null;
    const matched = new Set(words.flatMap(word => word.terms));
    const below = new Map();
    const instead = new Set();
    words.forEach((word, i) => {
      if (word.presence || isStopWord(word.text)) return;
      const last = typing && i === words.length - 1;
      const found =
        word.terms.some(term => vocabulary.has(term)) || (last && vocabulary.hasPrefix(word.stem));
      for (const [term, edits] of typos.near(word.text, word.stem)) {
        if (matched.has(term) || (prefix !== null && term.startsWith(prefix))) continue;
        const weight = Math.max(1, TYPO >> (edits - 1));
        if (found) {
          below.set(term, Math.max(below.get(term) || 0, weight));
        } else {
          add(term, `${term}^${weight}`, word);
          instead.add(term);
        }
      }
    });
    for (const term of instead) below.delete(term);
    return below;
  }

  /** Material's `terms` (index term → matched) in the user's words, for display and `?h=`. */
  function remapTerms(terms, words) {
    if (Object.keys(terms).length === 0) return terms;
    const result = {};
    for (const word of words) {
      if (word.presence === "-") continue;
      const found = [...new Set(word.terms.filter(term => terms[term] === true))];
      if (found.length) result[found.join(" ")] = true;
      else if (word.terms.some(term => term in terms)) result[word.text] = false;
    }
    return result;
  }

  function remapResult(result, words, vocabulary) {
    for (const group of result.items)
      for (const item of group) item.terms = remapTerms(item.terms || {}, words);
    if (result.suggest)
      result.suggest = result.suggest.map(term => vocabulary.wordOf(term) || term);
    return result;
  }

  /**
   * The sections of pages boosted below 1 (front matter `search: {boost: …}`, which Material
   * copies onto every section of the page; kb/search.py RANKED_LAST_BOOST: obsolete
   * regulations): Material only weighs them less, fastQuery ranks them after all others.
   */
  function lowered(docs) {
    return new Set(docs.filter(doc => doc.boost < 1).map(doc => doc.location));
  }

  /* lunr's scoring (BM25 with Material's b = 0: a term's weight in a field does not depend
     on the field's length) */
  const K1 = 1.2;
  const B = 0;
  const NO_POSITIONS = new Map();

  /**
   * The index kb/search.py builds at build time (search_data), loaded: what lunr built in the
   * browser from every section, ready at once: `fields`, `terms` in order with `forms` (their
   * words: the Vocabulary) and `postings` (decoded on first use), each of these three a line
   * per term (kb_index.json, which the worker fetches as it starts), and `docs`, Material's
   * sections (search_index.json, which the page's script sends with SETUP; set then). Material still builds its index, but through `attach` (see prebuilt): lunr's Builder
   * only hands over the field boosts, the tokenizer and Material's position tables, which are
   * filled for the sections a query returns, when it returns them (highlighting).
   */
  class Prebuilt {
    constructor(data) {
      const lines = text => (text ? text.split("\n") : []);
      this.id = data.id; /* the pair of search_index.json's config.index (kb/search.py ID) */
      this.docs = data.docs;
      this.fields = data.fields;
      this.terms = lines(data.terms);
      this.postings = lines(data.postings);
      const vocabulary = Vocabulary.of(this.terms, lines(data.forms));
      this.decoded = new Map(); /* term number → per field: { numbers, counts } or null */
      this.vocabulary = vocabulary;
      this.boosts = this.fields.map(() => 1);
      this.tokenizer = null;
      this.extractors = {};
      this.positionsOf = new Map(); /* section × field → term → positions */
    }

    /** What lunr's Builder knows and the prebuilt index does not: the field boosts, the
     * tokenizer and the fields' extractors (Material's set up the field's position table). */
    attach(boosts, tokenizer, extractors) {
      this.boosts = this.fields.map(name => boosts[name] || 1);
      this.tokenizer = tokenizer;
      this.extractors = extractors;
      this.positionsOf.clear();
    }

    /** The number of `term`, or -1. */
    find(term) {
      const at = lowerBound(this.terms, term);
      return at < this.terms.length && this.terms[at] === term ? at : -1;
    }

    /** The numbers of the terms a lunr clause term matches (`*`: any letters). */
    expand(term) {
      const star = term.indexOf("*");
      if (star < 0) {
        const at = this.find(term);
        return at < 0 ? [] : [at];
      }
      const found = [];
      if (star === term.length - 1) {
        const prefix = term.slice(0, -1);
        for (let at = lowerBound(this.terms, prefix); at < this.terms.length; at++) {
          if (!this.terms[at].startsWith(prefix)) break;
          found.push(at);
        }
        return found;
      }
      const parts = term.split("*").map(part => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
      const pattern = new RegExp(`^${parts.join(".*")}$`, "u");
      this.terms.forEach((other, at) => pattern.test(other) && found.push(at));
      return found;
    }

    /** The postings of term number `at`: per field, its sections (`numbers`, in order) and how
     * many times the term is in each (`counts`), or null. */
    posting(at) {
      let found = this.decoded.get(at);
      if (found !== undefined) return found;
      found = this.fields.map(() => null);
      for (const group of this.postings[at].split("|")) {
        const parts = group.split(" ");
        const numbers = new Array(parts.length - 1);
        const counts = new Array(parts.length - 1);
        let number = 0;
        for (let i = 1; i < parts.length; i++) {
          const part = parts[i];
          const times = part.indexOf(":");
          number += parseInt(times < 0 ? part : part.slice(0, times), 36);
          numbers[i - 1] = number;
          counts[i - 1] = times < 0 ? 1 : parseInt(part.slice(times + 1), 36);
        }
        found[+parts[0]] = { numbers, counts };
      }
      this.decoded.set(at, found);
      return found;
    }

    /** lunr's inverse document frequency of term number `at` (a section counts once per field
     * holding the term, as in lunr.idf). */
    idf(at) {
      let holding = 0;
      for (const field of this.posting(at)) if (field) holding += field.numbers.length;
      const x = (this.docs.length - holding + 0.5) / (holding + 0.5);
      return Math.log(1 + Math.abs(x));
    }

    /** lunr's weight of a term (`idf`) found `count` times in `field` of section `number`,
     * computed as lunr.Builder.createFieldVectors computes it (the same float operations). */
    weight(idf, count, field, number) {
      let score = (idf * ((K1 + 1) * count)) / (K1 * (1 - B + B) + count);
      score *= this.boosts[field];
      score *= this.docs[number].boost || 1;
      return Math.round(score * 1000) / 1000;
    }

    /** Term → positions (the tokenizer's metadata) of the words of `field` (a number) of
     * section `number` that `wanted` holds (word → term), as lunr would have recorded them;
     * fills Material's position table of the field on the way (Material highlights with it).
     * Kept until `wanted` changes. */
    positions(lunr, number, field, wanted) {
      if (this.positionsOf.wanted !== wanted) {
        this.positionsOf.clear();
        this.positionsOf.wanted = wanted;
      }
      const key = number * this.fields.length + field;
      let found = this.positionsOf.get(key);
      if (found !== undefined) return found;
      const name = this.fields[field];
      const value = this.docs[number][name];
      if (value === undefined || this.tokenizer === null) return NO_POSITIONS;
      found = new Map();
      /* Material's extractor gives the field a new position table, which its tokenizer fills */
      this.extractors[name]?.(this.docs[number]);
      for (const token of this.tokenizer(value, { fields: [name] })) {
        const term = wanted.get(normalise(token.toString()));
        if (term === undefined) continue;
        let list = found.get(term);
        if (list === undefined) found.set(term, (list = []));
        list.push(token.metadata.position);
      }
      this.positionsOf.set(key, found);
      return found;
    }
  }

  /**
   * Make lunr's Builder hand Material's index over to `source()` (a Prebuilt) instead of
   * building one: `add` only checks that it is given the prebuilt index's sections, in order;
   * `build` hands the field boosts, the tokenizer and the extractors to the prebuilt index and
   * returns an Index that fastQuery answers from it.
   */
  function prebuilt(lunr, source) {
    lunr.Builder.prototype.add = function (doc) {
      const number = (this.kbAdded = (this.kbAdded || 0) + 1) - 1;
      if (source().docs[number] !== doc)
        throw new Error(`kb search: section ${number} is not the prebuilt index's own`);
    };
    lunr.Builder.prototype.build = function () {
      const engine = source();
      const added = this.kbAdded || 0;
      if (added !== engine.docs.length)
        throw new Error(`kb search: ${added} sections of ${engine.docs.length} added`);
      const boosts = {};
      const extractors = {};
      for (const [name, spec] of Object.entries(this._fields)) {
        boosts[name] = spec.boost;
        if (spec.extractor) extractors[name] = spec.extractor;
      }
      engine.attach(boosts, this.tokenizer, extractors);
      const index = Object.create(lunr.Index.prototype);
      return Object.assign(index, {
        kb: engine,
        fields: Object.keys(this._fields),
        invertedIndex: {},
        fieldVectors: {},
        pipeline: this.searchPipeline,
      });
    };
  }

  /**
   * lunr's `Index.prototype.query` on the prebuilt index (`this.kb`, see prebuilt): the same
   * sections and scores as lunr's index built from the same sections, but match data
   * (positions, for highlighting) only for the best LIMIT sections, the only ones passed on —
   * Material highlights and sends every hit, which takes seconds when a word is on hundreds of
   * pages; the UI shows the best first anyway. A clause's term goes through the query
   * normalisation (the search pipeline lunr had), `*` in it matches any letters.
   *
   * `belowOf()` gives the terms near the query's found words (rewrite's `below`: term →
   * weight): the sections only they find follow all the others, scored among themselves as
   * lunr would and scaled below the last of the others even after Material's re-scoring.
   * `lastOf()` gives the sections to rank after all the others, found either way (a Set of
   * refs: the pages boosted below 1, see lowered), scaled the same way.
   */
  function fastQuery(lunr, belowOf = () => null, lastOf = () => null) {
    const { REQUIRED, PROHIBITED } = lunr.Query.presence;
    /* Sections scored as lunr scores them, best first: `vectors` (field → term number →
       boost) is the query, `pairs` ([term number, field] → its posting) what it found;
       sections `skip` refuses are left out */
    const rank = (kb, vectors, pairs, skip) => {
      const norms = vectors.map(vector =>
        Math.sqrt([...vector.values()].reduce((sum, w) => sum + w * w, 0)),
      );
      const scores = new Map();
      for (const [at, field, posting] of pairs) {
        const boost = vectors[field].get(at) / norms[field];
        const idf = kb.idf(at);
        const { numbers, counts } = posting;
        for (let i = 0; i < numbers.length; i++) {
          const number = numbers[i];
          if (skip(number)) continue;
          const weight = kb.weight(idf, counts[i], field, number);
          scores.set(number, (scores.get(number) || 0) + boost * weight);
        }
      }
      return [...scores].sort((a, b) => b[1] - a[1]);
    };
    const result = (kb, number, score, pairs, wanted) => {
      const matchData = new lunr.MatchData();
      for (const [at, field, posting] of pairs) {
        if (!includes(posting.numbers, number)) continue;
        const term = kb.terms[at];
        const position = kb.positions(lunr, number, field, wanted).get(term) || [];
        matchData.add(term, kb.fields[field], { position });
      }
      return { ref: kb.docs[number].location, score, matchData };
    };
    /* Tiers of ranked sections ([number, score] best first, with their postings), best tier
       first, LIMIT sections in all: each tier follows every section of those before it,
       scaled below the last of them, half again under Material's re-scoring bound so that
       rounding never lets a section through */
    const stacked = (kb, tiers) => {
      const wanted = new Map(); /* the words of the terms found → their term */
      for (const [, pairs] of tiers)
        for (const [at] of pairs)
          for (const word of kb.vocabulary.wordsOf(kb.terms[at])) wanted.set(word, kb.terms[at]);
      const results = [];
      for (const [ranked, pairs] of tiers) {
        const room = LIMIT - results.length;
        if (room <= 0) break;
        if (ranked.length === 0) continue;
        const lowest = results.length ? results[results.length - 1].score : 0;
        const highest = ranked[0][1];
        const scale =
          results.length && highest > 0 ? Math.min(1, lowest / highest / MATERIAL_BOOST / 2) : 1;
        for (const [number, score] of ranked.slice(0, room))
          results.push(result(kb, number, score * scale, pairs, wanted));
      }
      return results;
    };
    const query = function (build) {
      const kb = this.kb;
      const query = new lunr.Query(this.fields);
      build.call(query, query);
      const fieldOf = name => kb.fields.indexOf(name);

      const vectors = kb.fields.map(() => new Map());
      const pairs = new Map(); /* "term/field" → [term number, field, posting] */
      const required = [];
      const prohibited = new Set();
      for (const clause of query.clauses) {
        const terms = clause.usePipeline
          ? [normalise(clause.term, QUERY_EDGE)].filter(Boolean)
          : [clause.term];
        const matched = new Set();
        for (const term of terms)
          for (const at of kb.expand(term)) {
            const posting = kb.posting(at);
            for (const name of clause.fields) {
              const field = fieldOf(name);
              if (field < 0) continue;
              const found = posting[field];
              if (clause.presence === PROHIBITED) {
                if (found) for (const number of found.numbers) prohibited.add(number);
                continue;
              }
              if (clause.presence === REQUIRED && found)
                for (const number of found.numbers) matched.add(number);
              const vector = vectors[field];
              vector.set(at, (vector.get(at) || 0) + clause.boost);
              if (found) pairs.set(`${at}/${field}`, [at, field, found]);
            }
          }
        if (clause.presence === REQUIRED) required.push(matched);
      }

      if (query.isNegated()) {
        /* only -words: every section without them, as lunr returns them (score 0) */
        const kept = [];
        for (let number = 0; number < kb.docs.length && kept.length < LIMIT; number++)
          if (!prohibited.has(number))
            kept.push({ ref: kb.docs[number].location, score: 0, matchData: new lunr.MatchData() });
        return kept;
      }
      const found = [...pairs.values()];
      const filtered = prohibited.size > 0 || required.length > 0;
      const refused = number =>
        filtered && (prohibited.has(number) || !required.every(set => set.has(number)));
      const all = rank(kb, vectors, found, refused);
      const last = lastOf();
      /* [the other sections, the sections ranked last], each still best first */
      const apart = list =>
        last && last.size
          ? [
              list.filter(([number]) => !last.has(kb.docs[number].location)),
              list.filter(([number]) => last.has(kb.docs[number].location)),
            ]
          : [list, []];
      const [ranked, rankedLast] = apart(all);

      const below = belowOf();
      if (!below || below.size === 0 || ranked.length >= LIMIT)
        return stacked(kb, [
          [ranked, found],
          [rankedLast, found],
        ]);
      const lowVectors = kb.fields.map(() => new Map());
      const lowPairs = [];
      for (const [term, boost] of below) {
        const at = kb.find(term);
        if (at < 0) continue;
        const posting = kb.posting(at);
        kb.fields.forEach((_, field) => {
          lowVectors[field].set(at, boost);
          if (posting[field]) lowPairs.push([at, field, posting[field]]);
        });
      }
      const seen = new Set(all.map(([number]) => number));
      const [low, lowLast] = apart(
        rank(kb, lowVectors, lowPairs, number => seen.has(number) || refused(number)),
      );
      return stacked(kb, [
        [ranked, found],
        [low, lowPairs],
        [rankedLast, found],
        [lowLast, lowPairs],
      ]);
    };
    return query;
  }

  /** Whether the sorted `numbers` hold `number`. */
  function includes(numbers, number) {
    let low = 0;
    let high = numbers.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (numbers[middle] === number) return true;
      if (numbers[middle] < number) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  /** Worker glue: load Material's worker and the prebuilt index, then stand between Material's
   * worker and the UI. */
  function run() {
    const here = new URL(self.location.href);
    const name = here.searchParams.get("material") || "";
    if (!/^search\.[0-9a-f]+\.min\.js$/.test(name))
      throw new Error(`kb search: unexpected Material worker "${name}"`);
    const material = new URL(`../../assets/javascripts/workers/${name}`, here);

    /* The prebuilt index (kb/search.py INDEX_FILE), fetched and made ready (its typo lookup
       too) as the worker starts, while the page's script fetches the sections and the config
       (search_index.json) to send them with SETUP */
    const fetchIndex = cache => fetch(new URL("../../search/kb_index.json", here), { cache })
      .then(response => {
        if (!response.ok) throw new Error(`kb search: kb_index.json ${response.status}`);
        return response.json();
      })
      .then(data => {
        const prebuilt = new Prebuilt(data);
        prebuilt.vocabulary.prepare();
        return prebuilt;
      });
    const loading = fetchIndex("default");

    /* Material loads its language scripts relative to its own address, and only once */
    const load = self.importScripts.bind(self);
    const loaded = new Set();
    self.importScripts = (...urls) => {
      const fresh = urls.map(url => new URL(url, material).href).filter(url => !loaded.has(url));
      fresh.forEach(url => loaded.add(url));
      if (fresh.length) load(...fresh);
    };

    /* Keep Material's message listener for ourselves */
    let handle = null;
    const listen = self.addEventListener;
    self.addEventListener = function (type, listener, options) {
      if (type === "message" && handle === null) handle = listener;
      else listen.call(self, type, listener, options);
    };
    try {
      self.importScripts(material.href);
    } finally {
      self.addEventListener = listen;
    }
    self.importScripts("../lunr/min/lunr.stemmer.support.min.js", "../lunr/min/lunr.ru.min.js");

    let engine = null;
    prebuilt(self.lunr, () => engine);
    let setup = { separator: /[\s-]+/, glossary: compileGlossary([]), typos: null, last: null };
    let current = null; /* the query being answered (messages are answered one by one) */
    self.lunr.Index.prototype.query = fastQuery(
      self.lunr,
      () => current?.below,
      () => setup.last,
    );

    const post = self.postMessage.bind(self);
    self.postMessage = message => {
      if (message.type === RESULT && current)
        message = { ...message, data: remapResult(message.data, current.words, engine.vocabulary) };
      post(message);
    };
    const receive = async message => {
      current = null;
      if (message.type === SETUP) {
        const { config, docs } = message.data;
        engine = await loading;
        /* A build published between the two fetches: this build's index, fetched again */
        if (engine.id !== config.index) engine = await fetchIndex("reload");
        if (engine.id !== config.index)
          throw new Error("kb search: kb_index.json is not the pair of search_index.json");
        engine.docs = docs;
        setup = {
          separator: new RegExp(config.separator),
          glossary: compileGlossary(config.glossary || []),
          typos: new Typos(config.typos || [], engine.vocabulary),
          last: lowered(docs),
        };
      } else if (message.type === QUERY) {
        current = rewrite(message.data, setup.separator, setup.glossary, setup.typos);
        message = { type: QUERY, data: current.query };
      }
      await handle({ data: message });
    };
    let queue = Promise.resolve();
    listen.call(self, "message", event => {
      queue = queue.then(() => receive(event.data)).catch(error => console.error(error));
    });
  }

  globalThis.kbSearch = {
    normalise,
    stem,
    compileGlossary,
    editDistance,
    Vocabulary,
    Typos,
    Prebuilt,
    prebuilt,
    rewrite,
    remapTerms,
    fastQuery,
    lowered,
  };
  if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) run();
})();
