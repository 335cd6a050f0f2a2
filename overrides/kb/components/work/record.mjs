// The record of one ticket's run of one regulation (model.regulation), to paste into the ticket
// system: Markdown ("md") or plain text ("text"). Pure: the model (work.json), the ticket
// (kb.ticket.v2) and the words in, a string out; no DOM, no storage.
//
// The record is first a list of lines of three kinds (heading, item, block); each format writes
// them (FORMATS). Every text is a value: escaped in Markdown, so that no value
// makes structure. A multi-line value is a block of its own: a fenced block in Markdown, indented
// lines in plain text. The fence is at the left margin even under a list item, because
// Python-Markdown (MkDocs) reads no fence inside a list; the list ends there and goes on after.
import { fenced, inline, lines, oneLine, word } from "./text.mjs";
import { at, date } from "./when.mjs";

// Tables keyed by ids come from JSON: read own keys only («constructor» is an id like any other).
const own = (table, key) => (table && Object.hasOwn(table, key) ? table[key] : undefined);
const filled = (value) => (Array.isArray(value) ? value.some(filled) : lines(value) !== "");

const heading = (level, text) => ({ kind: "heading", level, text });
const item = (text, depth = 0, mark = "-") => ({ kind: "item", text, depth, mark });
const block = (text, depth = 0) => ({ kind: "block", text, depth });

// A labelled value: on the label's line when it is one line, else as a block after «label:».
// Without a value: no line, unless the line says something itself (bare).
function put(head, value, { sep = ": ", depth = 0, mark = "-", bare = false } = {}) {
  const text = lines(value);
  if (!text) return bare ? [item(head, depth, mark)] : [];
  if (!text.includes("\n")) return [item(head + sep + text, depth, mark)];
  return [item(head + ":", depth, mark), block(text, depth)];
}

// How a format writes each kind of line. null is a structural blank line (never two in a row);
// "" inside a block is the value's own empty line and is kept.
const FORMATS = {
  md: {
    heading: (l) => [null, "#".repeat(l.level) + " " + inline(l.text), null],
    item: (l) => ["    ".repeat(l.depth) + l.mark + " " + inline(l.text)],
    block: (l) => [null, ...fenced(l.text), null],
  },
  text: {
    heading: (l) => [null, oneLine(l.text), null],
    item: (l) => ["    ".repeat(l.depth) + l.mark + " " + oneLine(l.text)],
    block: (l) => l.text.split("\n").map((s) => s && "    ".repeat(l.depth + 1) + s),
  },
};

// A step's or a case's actions: done (all ticked, at the last tick), partly (which remain), or not
// started; a step may instead be marked not applicable.
function progress(actions, ticks) {
  const times = actions.map((a) => own(ticks, a.id)).filter(Boolean);
  if (actions.length && times.length === actions.length) {
    return { state: "done", at: times.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b)) };
  }
  if (times.length) {
    const left = actions.filter((a) => !own(ticks, a.id));
    return { state: "partly", left: left.map((a) => oneLine(a.text).replace(/:$/, "")) };
  }
  return { state: "new" };
}
const STATES = {
  done: (p, c) => `${c.word("step_done")} ${c.at(p.at)}`,
  partly: (p, c) => `${c.word("step_partly")}: ${p.left.join("; ")}`,
  new: (p, c) => c.word("step_new"),
};

// One line per step (a not-applicable step's reason may be a block), then the criteria chosen
// at it and its note.
function steps(c) {
  return c.model.steps.flatMap((step) => {
    const mark = `${step.number}.`;
    const na = own(c.run.na, step.id);
    const p = progress(step.actions, c.run.ticks);
    const state = na ? `${c.word("step_na")} (${c.at(na.at)})` : STATES[p.state](p, c);
    const chosen = (step.criteria || []).filter((term) => own(c.run.criteria, term.id));
    const criteria = chosen.map((term) => term.text).join("; ");
    return [
      ...put(`${step.title} — ${state}`, na && na.reason, { mark, bare: true }),
      ...put(c.word("criteria"), criteria, { depth: 1 }),
      ...put(c.word("record_note"), own(c.run.notes, step.id), { depth: 1 }),
    ];
  });
}

// Why a case applies: a field's value («priority=Критический»), a status («status:<id>»), or
// by hand (null).
const BY = [
  [/^status:(.*)$/s, (m, c) => c.fill("case_by_status", { status: c.status(m[1]) })],
  [/^([^=]*)=(.*)$/s, (m, c) => c.fill("case_by_field", { field: c.label(m[1]), value: m[2] })],
];
function why(by, c) {
  if (by == null) return c.word("case_by_hand");
  for (const [pattern, say] of BY) {
    const m = pattern.exec(by);
    if (m) return say(m, c);
  }
  return String(by);
}

// A case reads like a step (its actions' progress), then why and when it was applied.
function cases(c) {
  return Object.keys(c.run.cases || {}).flatMap((id) => {
    const applied = own(c.run.cases, id);
    const known = own(c.model.cases, id);
    const step = known && c.model.steps.find((s) => s.id === known.step);
    const where = step ? ` (${c.fill("record_step_ref", { number: step.number })})` : "";
    const p = known && known.actions.length ? progress(known.actions, c.run.ticks) : null;
    const state = p ? ` — ${STATES[p.state](p, c)}` : "";
    return [
      item(`${known ? known.title : id}${where}${state}`),
      item(`${c.word("record_case_applied")} ${why(applied.by, c)}, ${c.at(applied.at)}`, 1),
    ];
  });
}

// The ids of the fields in the order of the steps (a step's own fields, then its templates'),
// then any other: the order in which a specialist fills them.
function fieldOrder(model) {
  const ids = model.steps.flatMap((s) => [
    ...(s.fields || []),
    ...(s.templates || []).flatMap((t) => (own(model.templates, t) || {}).fields || []),
  ]);
  return [...new Set([...ids, ...Object.keys(model.fields)])].filter((id) => own(model.fields, id));
}

// A value as the record shows it: a date as a date, a list as a numbered list.
function field(id, c, depth = 0) {
  const spec = own(c.model.fields, id);
  const value = own(c.ticket.fields, id);
  if (!filled(value)) return [];
  if (!Array.isArray(value)) {
    return put(c.label(id), spec.type === "date" ? date(value, c.words) : value, { depth });
  }
  const entries = value.filter(filled).map((v, i) => item(v, depth + 1, `${i + 1}.`));
  return [item(`${c.label(id)}:`, depth), ...entries];
}

function data(c) {
  const { number, client } = c.model.ticket || {};
  const shown = (spec, id) => id !== number && id !== client && !spec.source && !spec.remember;
  return fieldOrder(c.model)
    .filter((id) => shown(own(c.model.fields, id), id))
    .flatMap((id) => field(id, c));
}

function copied(c) {
  return (c.ticket.copied || [])
    .filter((entry) => entry && entry.regulation === c.model.regulation)
    .flatMap((entry) => {
      const template = own(c.model.templates, entry.template);
      const out = [item(`${template ? template.title : entry.template} — ${c.at(entry.at)}`)];
      return filled(entry.text) ? [...out, block(lines(entry.text))] : out;
    });
}

function log(c) {
  return (c.run.log || []).flatMap((entry) => {
    const next = entry.next ? ` — ${c.word("log_next")} ${date(entry.next, c.words)}` : "";
    const head = `${c.at(entry.at)} — ${c.status(entry.status)}${next}`;
    return put(head, entry.note, { sep: " — ", bare: true });
  });
}

// Items with a step follow their step (the step's line says it); only the others are listed.
function checklist(c) {
  return (c.model.checklist || [])
    .filter((entry) => !entry.step)
    .map((entry) => {
      const ticked = own(c.run.checklist, entry.id);
      const state = ticked ? `${c.word("check_done")} ${c.at(ticked)}` : c.word("check_open");
      return item(`${entry.text} — ${state}`);
    });
}

// The lines under the title. A run decided «not warranted» says so, with its notes, instead of
// listing steps nobody had to do.
function header(c, short) {
  const closed = c.ticket.closed;
  const out = [
    ...put(c.word("client"), oneLine(c.ticket.client)),
    ...fieldOrder(c.model)
      .filter((id) => own(c.model.fields, id).remember)
      .flatMap((id) => field(id, c)),
    ...put(c.word("record_started"), c.at(c.run.started || c.ticket.created)),
  ];
  if (closed) {
    const outcome = own(c.words.outcomes, closed.outcome) ?? closed.outcome;
    out.push(item(`${c.word("record_closed")}: ${c.at(closed.at)} — ${outcome}`));
  }
  if (!short) return out;
  const none = `${c.word("record_criteria_none")} (${c.at(c.run.decision.at)})`;
  out.push(...put(c.word("criteria"), none));
  for (const step of c.model.steps) {
    const where = c.fill("record_step_ref", { number: step.number });
    out.push(...put(`${c.word("record_note")} (${where})`, own(c.run.notes, step.id)));
  }
  return out;
}

// Sections in order: the heading's word, the lines, and whether a short record keeps it.
const SECTIONS = [
  ["record_steps", steps, false],
  ["cases", cases, true],
  ["fields", data, true],
  ["record_copied", copied, true],
  ["log", log, true],
  ["checklist", checklist, false],
];

function context(model, ticket, words) {
  const statuses = new Map(
    model.steps.flatMap((s) => (s.monitoring ? s.monitoring.statuses || [] : []).map((t) => [t.id, t.title])),
  );
  const labels = Object.values(model.fields).map((f) => f.label);
  const c = {
    model,
    ticket,
    words,
    run: own(ticket.runs, model.regulation) || {},
    word(key) {
      const text = own(words, key);
      if (typeof text !== "string") throw new Error(`record: нет слова «${key}»`);
      return text;
    },
    fill: (key, values) => word(c.word(key), values),
    at: (iso) => at(iso, words),
    status: (id) => statuses.get(id) ?? id,
    // A label two fields share is told apart by the templates (or the step) of each.
    label(id) {
      const spec = own(model.fields, id);
      if (!spec) return id;
      if (labels.filter((l) => l === spec.label).length < 2) return spec.label;
      const titles = (spec.templates || []).map((t) => (own(model.templates, t) || { title: t }).title);
      const step = model.steps.find((s) => s.id === spec.step);
      if (titles.length) return `${spec.label} (${titles.join("; ")})`;
      return `${spec.label} (${step ? c.fill("record_step_ref", { number: step.number }) : id})`;
    },
  };
  return c;
}

export function record(model, ticket, { format = "md", words }) {
  const c = context(model, ticket, words);
  const short = Boolean(c.run.decision && c.run.decision.warranted === false);
  const title = c.fill("record_title", {
    number: oneLine(ticket.number),
    title: c.run.title || model.title,
    version: c.run.version || model.version,
  });
  const all = [heading(1, title), ...header(c, short)];
  for (const [key, make, inShort] of SECTIONS) {
    const body = short && !inShort ? [] : make(c);
    if (body.length) all.push(heading(2, c.word(key)), ...body);
  }
  const write = own(FORMATS, format);
  if (!write) throw new Error(`record: неизвестный формат «${format}»`);
  const out = [];
  for (const line of all.flatMap((l) => write[l.kind](l))) {
    if (line !== null) out.push(line);
    else if (out.length && out[out.length - 1] !== null) out.push(null);
  }
  while (out[out.length - 1] === null) out.pop();
  return out.map((line) => line ?? "").join("\n") + "\n";
}
