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
 *    synonyms;
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

  /* Sections passed on to Material's result building (highlighting, grouping by page) */
  const LIMIT = 100;

  const WORD_EDGE = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
  const QUERY_EDGE = /^[^\p{L}\p{N}*]+|[^\p{L}\p{N}*]+$/gu;
  const SYNTAX = /[*^~:+"]/g;

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
   * Returns `{ query, words }`; `words[i].terms` are the index terms that stand for the
   * i-th word (its stem and its synonyms), used to explain results in the user's words.
   */
  function rewrite(value, separator, glossary) {
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
    return { query: clauses.join(" "), words };
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

  function remapResult(result, words, wordOf) {
    for (const group of result.items)
      for (const item of group) item.terms = remapTerms(item.terms || {}, words);
    if (result.suggest) result.suggest = result.suggest.map(term => wordOf.get(term) || term);
    return result;
  }

  /** A lunr language plugin replacing lunr.ru's pipelines with ours (same stemmer). */
  function language(lunr, wordOf) {
    const terms = new Map(); /* token as Material cut it → index term, "" if dropped */
    const indexTerm = token => {
      const raw = token.toString();
      let term = terms.get(raw);
      if (term === undefined) {
        const word = normalise(raw);
        term = !word || isStopWord(word) ? "" : stem(word);
        terms.set(raw, term);
        const known = wordOf.get(term);
        if (term && (known === undefined || word.length < known.length)) wordOf.set(term, word);
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
   * of pages; the UI shows the best first anyway. Fuzzy and all-negative queries go to lunr.
   */
  function fastQuery(lunr, original) {
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

      const norms = {};
      for (const [field, vector] of Object.entries(vectors))
        norms[field] = Math.sqrt([...vector.values()].reduce((sum, w) => sum + w * w, 0));
      const cache = cacheOf(this);
      const filtered = prohibited.size > 0 || required.length > 0;
      const scores = new Map();
      for (const [, field, docs, index] of pairs.values()) {
        const boost = vectors[field].get(index) / norms[field];
        const elements = cache.vectors.get(field);
        for (const ref of keysOf(cache, docs)) {
          if (filtered && (prohibited.has(ref) || !required.every(set => set.has(ref)))) continue;
          scores.set(ref, (scores.get(ref) || 0) + boost * weight(elements.get(ref), index));
        }
      }
      return [...scores]
        .sort((a, b) => b[1] - a[1])
        .slice(0, LIMIT)
        .map(([ref, score]) => {
          const matchData = new lunr.MatchData();
          for (const [term, field, docs] of pairs.values())
            if (ref in docs) matchData.add(term, field, docs[ref]);
          return { ref, score, matchData };
        });
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
    const wordOf = new Map();
    self.lunr.ru = language(self.lunr, wordOf);

    const query = fastQuery(self.lunr, self.lunr.Index.prototype.query);
    self.lunr.Index.prototype.query = query;
    const build = self.lunr.Builder.prototype.build;
    self.lunr.Builder.prototype.build = function () {
      const index = build.call(this);
      query.prepare(index); /* at setup, not on the first query */
      return index;
    };

    /* Material answers each message before the next one arrives, so `current` is its query */
    let setup = { separator: /[\s-]+/, glossary: compileGlossary([]) };
    let current = null;
    const post = self.postMessage.bind(self);
    self.postMessage = message => {
      if (message.type === RESULT && current)
        message = { ...message, data: remapResult(message.data, current.words, wordOf) };
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
        };
      } else if (message.type === QUERY) {
        current = rewrite(message.data, setup.separator, setup.glossary);
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
    rewrite,
    remapTerms,
    language,
    fastQuery,
  };
  if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) run();
})();
