/* The shape of a ticket, checked field by field, and the reading of every known format into the
   current one (kb.ticket.v2: the ticket's contract, beside the work page's model). A check is
   (value, path) -> null, or one Russian line «поле path: ожидается …, а в файле …»: a file or a
   stored value with one wrong inner type is refused whole, with the field named, never used
   half-way. Ids are the authors' and the users' words («constructor», «__proto__»…), so every
   table keyed by them is prototype-free: made by table(), or re-created by bare(). */

import { oneLine } from "./text.mjs";

export { oneLine };
export const FORMAT = "kb.ticket.v2";
export const OUTCOMES = ["solved", "unsolved", "not-needed"];

export function table(entries = {}) {
  return Object.assign(Object.create(null), entries);
}

// A deep copy without prototypes: JSON.parse's objects inherit «constructor», «toString»…
export function bare(value) {
  if (Array.isArray(value)) return value.map(bare);
  if (!value || typeof value !== "object") return value;
  const out = Object.create(null);
  for (const key of Object.keys(value)) out[key] = bare(value[key]);
  return out;
}

// --- checks -------------------------------------------------------------------------------------

function kindOf(v) {
  if (v === undefined) return "его нет";
  if (v === null) return "null";
  if (Array.isArray(v)) return "список";
  if (typeof v === "string") return "строка «" + (v.length > 40 ? v.slice(0, 40) + "…" : v) + "»";
  return { number: "число", boolean: "true/false", object: "объект" }[typeof v] || typeof v;
}
function must(what, test) {
  return (v, path) => (test(v) ? null : `поле ${path}: ожидается ${what}, а в файле ${kindOf(v)}`);
}
const isText = (v) => typeof v === "string";
export const isObject = (v) => !!v && typeof v === "object" && !Array.isArray(v);

const TEXT = must("строка", isText);
const LINE = must("непустая строка", (v) => isText(v) && oneLine(v) !== "");
const TIME = must("время (строка)", (v) => isText(v) && !Number.isNaN(Date.parse(v)));
const FLAG = must("true или false", (v) => typeof v === "boolean");
const VALUE = must("строка или список строк", (v) => isText(v) || (Array.isArray(v) && v.every(isText)));
const OBJECT = must("объект", isObject);
const LIST = must("список", Array.isArray);
const oneOf = (words) => must("одно из " + words.map((w) => `«${w}»`).join(", "), (v) => words.includes(v));
const maybe = (check) => (v, path) => (v == null ? null : check(v, path));

// The first wrong member of v among `names`, each checked by checkOf(name).
function firstWrong(v, path, names, checkOf) {
  for (const name of names) {
    const wrong = checkOf(name)(v[name], path + (path ? "." : "") + name);
    if (wrong) return wrong;
  }
  return null;
}
const shape = (keys) => (v, path) => OBJECT(v, path) || firstWrong(v, path, Object.keys(keys), (k) => keys[k]);
const each = (check) => (v, path) => OBJECT(v, path) || firstWrong(v, path, Object.keys(v), () => check);
const list = (check) => (v, path) => LIST(v, path) || firstWrong(v, path, Object.keys(v), () => check);

const ENTRY = { at: TIME, status: TEXT, note: maybe(TEXT), next: maybe(TEXT) };
const run = (entry, more = {}) =>
  shape({
    title: maybe(TEXT),
    version: maybe(TEXT),
    started: maybe(TIME),
    ticks: each(TIME),
    na: each(shape({ reason: TEXT, at: TIME })),
    notes: each(TEXT),
    cases: each(shape({ at: TIME, by: maybe(TEXT) })),
    criteria: each(TIME),
    decision: maybe(shape({ at: TIME, warranted: FLAG })),
    checklist: each(TIME),
    log: list(shape(entry)),
    ...more,
  });

export const checkTicket = shape({
  id: LINE,
  number: LINE,
  client: maybe(TEXT),
  created: TIME,
  updated: TIME,
  closed: maybe(shape({ at: TIME, outcome: oneOf(OUTCOMES) })),
  events: list(shape({ at: TIME, kind: oneOf(["closed", "reopened"]), outcome: maybe(oneOf(OUTCOMES)) })),
  exported: maybe(TIME),
  fields: each(VALUE),
  copied: list(shape({ template: TEXT, regulation: TEXT, at: TIME, text: TEXT })),
  drafts: each(TEXT),
  runs: each(run({ id: TEXT, ...ENTRY })),
});

// v1 wrote the outcome in words; the words now live in the model's vocabulary only.
const V1_OUTCOMES = table({ решено: "solved", "не решено": "unsolved", "эскалация не потребовалась": "not-needed" });
const checkV1 = shape({
  id: LINE,
  number: maybe(LINE),
  client: maybe(TEXT),
  created: TIME,
  updated: TIME,
  closed: maybe(shape({ at: TIME, outcome: oneOf(Object.keys(V1_OUTCOMES)), unticked: maybe(list(TEXT)) })),
  fields: maybe(each(VALUE)),
  runs: maybe(each(run(ENTRY, { fingerprint: maybe(TEXT), actions: maybe(each(TEXT)) }))),
  copied: maybe(each(TIME)),
});

export const checkRemembered = each(VALUE);

// --- reading ------------------------------------------------------------------------------------

// v1 -> v2: fields kept; copied {template: ISO} -> entries with an empty text (v1 kept no text),
// their regulation the ticket's only run if it has one; outcome words -> ids; unticked dropped
// (the record lists what is not ticked anyway); log entries get ids.
function fromV1(v) {
  const slugs = Object.keys(v.runs || {});
  const runs = table();
  for (const slug of slugs) {
    const old = v.runs[slug];
    runs[slug] = { ...old, log: old.log.map((entry, i) => ({ id: `v1-${i + 1}`, ...entry })) };
  }
  const closed = v.closed && { at: v.closed.at, outcome: V1_OUTCOMES[v.closed.outcome] };
  const copied = Object.keys(v.copied || {})
    .map((template) => ({ template, regulation: slugs.length === 1 ? slugs[0] : "", at: v.copied[template], text: "" }))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return bare({
    format: FORMAT,
    id: v.id,
    number: v.number || v.id,
    client: v.client ?? "",
    created: v.created,
    updated: v.updated,
    closed: closed || null,
    events: closed ? [{ at: closed.at, kind: "closed", outcome: closed.outcome }] : [],
    exported: null,
    fields: v.fields || {},
    copied,
    drafts: {},
    runs,
  });
}

// format -> (bare value) -> a v2 ticket, or the first wrong field
const READERS = table({
  "kb.ticket.v1": (v) => checkV1(v, "") || fromV1(v),
  [FORMAT]: (v) => checkTicket(v, "") || v,
});

// Any parsed value -> { ticket } or { error: one Russian line }. Number and client are made one
// line here, so a file or an old record never brings a newline into a text.
export function readTicket(parsed) {
  const v = bare(parsed);
  if (!isObject(v)) return { error: `ожидается объект обращения, а в файле ${kindOf(v)}` };
  const read = READERS[v.format];
  if (!read) {
    const newer = /^kb\.ticket\.v\d+$/.test(v.format);
    return {
      error: newer
        ? `поле format: «${v.format}» — формат новее, чем понимает эта версия сайта`
        : `поле format: ожидается «${FORMAT}» или «kb.ticket.v1», а в файле ${kindOf(v.format)}`,
    };
  }
  const ticket = read(v);
  if (typeof ticket === "string") return { error: ticket };
  for (const key of ["id", "number", "client"]) ticket[key] = oneLine(ticket[key] ?? "");
  return { ticket };
}
