/*
 * Russian search for the knowledge base, inside Material's own search box.
 *
 * Material's search worker still does the work (lunr index, ranking, highlighting, result
 * groups); this worker loads it and changes what goes in and out:
 *
 *  - index: every word is normalised (NFC, lower case, ё → е, edge punctuation trimmed),
 *    Russian stop words are dropped and the rest is reduced to its Snowball stem (lunr.ru,
 *    bundled with Material), so all forms of a word share one index term;
 *  - query: each word is normalised and stemmed the same way and must match a stem exactly;
 *    the word still being typed (no space after it) also matches as a prefix; words of the
 *    glossary (docs/glossary.yml, stemmed at build time by kb/search.py) bring in their
 *    synonyms; a misspelt word matches the index's words and stems a few edits away (the
 *    table of forgiven edits comes from kb/search.py, TYPO_EDITS): in its place when it finds
 *    nothing itself, below everything else found when it does;
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
   * decreases from one row to the next, so a row above the limit ends the comparison.
   */
  function editDistance(a, b, limit) {
    const m = a.length;
    const n = b.length;
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
          previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
        );
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
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
   * The index's words, each with its term (stem), filled while lunr builds the index: the
   * whole word to show for a term, and what a misspelt query word may be near.
   */
  class Vocabulary {
    constructor() {
      this.termOf = new Map(); /* normalised word → term */
      this.shortest = new Map(); /* term → its shortest word */
      this.lookup = null; /* built on first use after a change: see prepare() */
    }

    add(word, term) {
      if (this.termOf.has(word)) return;
      this.termOf.set(word, term);
      const known = this.shortest.get(term);
      if (known === undefined || word.length < known.length) this.shortest.set(term, word);
      this.lookup = null;
    }

    wordOf(term) {
      return this.shortest.get(term);
    }

    has(term) {
      return this.shortest.has(term);
    }

    /** Whether some term starts with `prefix` (what lunr's trailing wildcard would find). */
    hasPrefix(prefix) {
      const sorted = this.prepare().sorted;
      let low = 0;
      let high = sorted.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (sorted[middle] < prefix) low = middle + 1;
        else high = middle;
      }
      return low < sorted.length && sorted[low].startsWith(prefix);
    }

    /** Sorted terms, and words and terms by length with their letters and bits (see bitsOf):
     * a misspelt word is compared only with those whose length is within the edits forgiven.
     * Built at setup, then on first use after a change. */
    prepare() {
      if (this.lookup) return this.lookup;
      const words = new Map();
      const terms = new Map();
      const put = (buckets, text, term) => {
        const spelt = letters(text);
        let bucket = buckets.get(spelt.length);
        if (bucket === undefined) buckets.set(spelt.length, (bucket = []));
        bucket.push({ letters: spelt, bits: bitsOf(spelt), term });
      };
      /* numbers and codes («pass24», «2025») are found only as typed */
      for (const [word, term] of this.termOf) if (!DIGIT.test(word)) put(words, word, term);
      for (const term of this.shortest.keys()) if (!DIGIT.test(term)) put(terms, term, term);
      const sorted = [...this.shortest.keys()].sort();
      return (this.lookup = { words, terms, sorted });
    }
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
        for (let length = spelt.length - limit; length <= spelt.length + limit; length++)
          for (const entry of buckets.get(length) || []) {
            if (entry.term === stem) continue;
            if (countBits(bits & ~entry.bits) > limit || countBits(entry.bits & ~bits) > limit)
              continue;
            const edits = editDistance(spelt, entry.letters, limit);
            if (edits <= limit && !(found.get(entry.term) <= edits)) found.set(entry.term, edits);
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

  /** A lunr language plugin replacing lunr.ru's pipelines with ours (same stemmer); each
   * indexed word goes into `vocabulary` (a Vocabulary). */
  function language(lunr, vocabulary) {
    const terms = new Map(); /* token as Material cut it → index term, "" if dropped */
    const indexTerm = token => {
      const raw = token.toString();
      let term = terms.get(raw);
      if (term === undefined) {
        const word = normalise(raw);
        term = !word || isStopWord(word) ? "" : stem(word);
        terms.set(raw, term);
        if (term) vocabulary.add(word, term);
      }
      return term ? token.update(() => term) : undefined;
    };
    const queryTerm = token => {
      const word = normalise(token.toString(), QUERY_EDGE);
      return word ? token.update(() => word) : undefined;
    };
    lunr.Pipeline.registerFunction(indexTerm, "kb-index-term");
    lunr.Pipeline.registerFunction(queryTerm, "kb-query-term");
    return Object.assign(function () {
      this.pipeline.reset();
      this.pipeline.add(indexTerm);
      if (this.searchPipeline) {
        this.searchPipeline.reset();
        this.searchPipeline.add(queryTerm);
      }
    }, lunr.ru);
  }

  /** The weight of term `index` in a lunr field vector (elements: [index, value, ...]). */
  function weight(elements, index) {
    let low = 0;
    let high = elements.length / 2 - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const found = elements[middle * 2];
      if (found === index) return elements[middle * 2 + 1];
      if (found < index) low = middle + 1;
      else high = middle - 1;
    }
    return 0;
  }

  /**
   * lunr's `Index.prototype.query` with the same scores, but match data (positions for
   * highlighting) is collected only for the best LIMIT sections, the only ones passed on.
   * Material highlights and sends every hit, which takes seconds when a word is on hundreds
   * of pages; the UI shows the best first anyway. Fuzzy and all-negative queries (typed by
   * hand: `~`, only `-words`) go to lunr, in lunr's order.
   *
   * `belowOf()` gives the terms near the query's found words (rewrite's `below`: term →
   * weight): the sections only they find follow all the others, scored among themselves as
   * lunr would and scaled below the last of the others even after Material's re-scoring.
   * `lastOf()` gives the sections to rank after all the others, found either way (a Set of
   * refs: the pages boosted below 1, see lowered), scaled the same way.
   */
  function fastQuery(lunr, original, belowOf = () => null, lastOf = () => null) {
    const { REQUIRED, PROHIBITED } = lunr.Query.presence;
    const caches = new WeakMap(); /* index → field vectors by field and ref, posting keys */
    const cacheOf = index => {
      let cache = caches.get(index);
      if (cache === undefined) {
        const vectors = new Map(index.fields.map(field => [field, new Map()]));
        for (const [key, vector] of Object.entries(index.fieldVectors)) {
          const cut = key.indexOf("/");
          vectors.get(key.slice(0, cut)).set(key.slice(cut + 1), vector.elements);
        }
        caches.set(index, (cache = { vectors, keys: new WeakMap() }));
      }
      return cache;
    };
    const keysOf = (cache, docs) => {
      let keys = cache.keys.get(docs);
      if (keys === undefined) cache.keys.set(docs, (keys = Object.keys(docs)));
      return keys;
    };
    /* Sections scored as lunr scores them, best first: `vectors` (field → term index → boost)
       is the query, `pairs` the postings it found; sections `skip` refuses are left out */
    const rank = (cache, vectors, pairs, skip) => {
      const norms = {};
      for (const [field, vector] of Object.entries(vectors))
        norms[field] = Math.sqrt([...vector.values()].reduce((sum, w) => sum + w * w, 0));
      const scores = new Map();
      for (const [, field, docs, index] of pairs.values()) {
        const boost = vectors[field].get(index) / norms[field];
        const elements = cache.vectors.get(field);
        for (const ref of keysOf(cache, docs)) {
          if (skip(ref)) continue;
          scores.set(ref, (scores.get(ref) || 0) + boost * weight(elements.get(ref), index));
        }
      }
      return [...scores].sort((a, b) => b[1] - a[1]);
    };
    const result = (ref, score, pairs) => {
      const matchData = new lunr.MatchData();
      for (const [term, field, docs] of pairs.values())
        if (ref in docs) matchData.add(term, field, docs[ref]);
      return { ref, score, matchData };
    };
    /* Tiers of ranked sections ([ref, score] best first, with their postings), best tier
       first, LIMIT sections in all: each tier follows every section of those before it,
       scaled below the last of them, half again under Material's re-scoring bound so that
       rounding never lets a section through */
    const stacked = tiers => {
      const results = [];
      for (const [ranked, pairs] of tiers) {
        const room = LIMIT - results.length;
        if (room <= 0) break;
        if (ranked.length === 0) continue;
        const lowest = results.length ? results[results.length - 1].score : 0;
        const highest = ranked[0][1];
        const scale =
          results.length && highest > 0 ? Math.min(1, lowest / highest / MATERIAL_BOOST / 2) : 1;
        for (const [ref, score] of ranked.slice(0, room))
          results.push(result(ref, score * scale, pairs));
      }
      return results;
    };
    const query = function (build) {
      const query = new lunr.Query(this.fields);
      build.call(query, query);
      if (query.isNegated() || query.clauses.some(clause => "editDistance" in clause))
        return original.call(this, build).slice(0, LIMIT);

      const vectors = Object.fromEntries(this.fields.map(field => [field, new Map()]));
      const pairs = new Map(); /* "term/field" → [term, field, postings, term index] */
      const required = [];
      const prohibited = new Set();
      for (const clause of query.clauses) {
        const terms = clause.usePipeline
          ? this.pipeline.runString(clause.term, { fields: clause.fields })
          : [clause.term];
        const matched = new Set();
        for (const term of terms) {
          clause.term = term;
          const expanded = this.tokenSet.intersect(lunr.TokenSet.fromClause(clause)).toArray();
          for (const found of expanded) {
            const posting = this.invertedIndex[found];
            for (const field of clause.fields) {
              const docs = posting[field];
              if (clause.presence === PROHIBITED) {
                for (const ref in docs) prohibited.add(ref);
                continue;
              }
              if (clause.presence === REQUIRED) for (const ref in docs) matched.add(ref);
              const vector = vectors[field];
              vector.set(posting._index, (vector.get(posting._index) || 0) + clause.boost);
              pairs.set(`${found}/${field}`, [found, field, docs, posting._index]);
            }
          }
        }
        if (clause.presence === REQUIRED) required.push(matched);
      }

      const cache = cacheOf(this);
      const filtered = prohibited.size > 0 || required.length > 0;
      const refused = ref =>
        filtered && (prohibited.has(ref) || !required.every(set => set.has(ref)));
      const all = rank(cache, vectors, pairs, refused);
      const last = lastOf();
      /* [the other sections, the sections ranked last], each still best first */
      const apart = list =>
        last && last.size
          ? [list.filter(([ref]) => !last.has(ref)), list.filter(([ref]) => last.has(ref))]
          : [list, []];
      const [ranked, rankedLast] = apart(all);

      const below = belowOf();
      if (!below || below.size === 0 || ranked.length >= LIMIT)
        return stacked([[ranked, pairs], [rankedLast, pairs]]);
      const lowVectors = Object.fromEntries(this.fields.map(field => [field, new Map()]));
      const lowPairs = new Map();
      for (const [term, boost] of below) {
        const posting = this.invertedIndex[term];
        if (posting === undefined) continue;
        for (const field of this.fields) {
          lowVectors[field].set(posting._index, boost);
          lowPairs.set(`${term}/${field}`, [term, field, posting[field], posting._index]);
        }
      }
      const found = new Set(all.map(([ref]) => ref));
      const [low, lowLast] = apart(
        rank(cache, lowVectors, lowPairs, ref => found.has(ref) || refused(ref)),
      );
      return stacked([
        [ranked, pairs],
        [low, lowPairs],
        [rankedLast, pairs],
        [lowLast, lowPairs],
      ]);
    };
    query.prepare = cacheOf;
    return query;
  }

  /** Worker glue: load Material's worker, then stand between it and the UI. */
  function run() {
    const here = new URL(self.location.href);
    const name = here.searchParams.get("material") || "";
    if (!/^search\.[0-9a-f]+\.min\.js$/.test(name))
      throw new Error(`kb search: unexpected Material worker "${name}"`);
    const material = new URL(`../../assets/javascripts/workers/${name}`, here);

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
    const vocabulary = new Vocabulary();
    self.lunr.ru = language(self.lunr, vocabulary);

    /* Material answers each message before the next one arrives, so `current` is its query */
    let setup = { separator: /[\s-]+/, glossary: compileGlossary([]), typos: null, last: null };
    let current = null;

    const query = fastQuery(
      self.lunr,
      self.lunr.Index.prototype.query,
      () => current?.below,
      () => setup.last,
    );
    self.lunr.Index.prototype.query = query;
    const build = self.lunr.Builder.prototype.build;
    self.lunr.Builder.prototype.build = function () {
      const index = build.call(this);
      query.prepare(index); /* at setup, not on the first query */
      vocabulary.prepare();
      return index;
    };

    const post = self.postMessage.bind(self);
    self.postMessage = message => {
      if (message.type === RESULT && current)
        message = { ...message, data: remapResult(message.data, current.words, vocabulary) };
      post(message);
    };
    listen.call(self, "message", event => {
      const message = event.data;
      current = null;
      if (message.type === SETUP) {
        const config = message.data.config;
        setup = {
          separator: new RegExp(config.separator),
          glossary: compileGlossary(config.glossary || []),
          typos: new Typos(config.typos || [], vocabulary),
          last: lowered(message.data.docs || []),
        };
      } else if (message.type === QUERY) {
        current = rewrite(message.data, setup.separator, setup.glossary, setup.typos);
        handle({ data: { type: QUERY, data: current.query } });
        return;
      }
      handle(event);
    });
  }

  globalThis.kbSearch = {
    normalise,
    stem,
    compileGlossary,
    editDistance,
    Vocabulary,
    Typos,
    rewrite,
    remapTerms,
    language,
    fastQuery,
    lowered,
  };
  if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) run();
})();
