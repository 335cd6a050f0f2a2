/* The tickets of this browser: one store, no DOM, everything it touches injected
   (createStore({ storage, channel, now, newId })), so that Node tests drive it whole.

   Keys. A ticket is kb.ticket.v2.<id> (id: its name in this browser, the ticket number, or
   «48213 (копия)» for a copy kept beside it); kb.ticket.v1.<id> is the previous format,
   converted on open and removed only once its v2 is written (a v2 already there wins, and the
   v1 then stays: nothing is lost). The values to remember across tickets (the specialist's
   name) are one object under kb.work.remember. A value of an unknown (newer) format is never
   overwritten: it is listed as unreadable, and every op on it is refused.

   One path. Every change is store.apply(id, op): read the freshest stored copy (another tab
   may have written since) -> APPLY[op.type](ticket, op, ctx), one small function per kind of
   op -> `updated` -> the whole ticket written -> other tabs told (channel.postMessage({id});
   the page also wires the storage event to store.handleExternal) -> subscribers told ->
   { ticket, saved, conflicts, refused }. A closed ticket refuses every op but AFTER_CLOSE.

   Merge. A field op carries `base`, the value the tab showed before the edit. If the stored
   value differs from both base and the new value, another tab changed it meanwhile: both are
   kept (texts: stored + "\n" + new, unless one contains the other; lists: joined without
   duplicates; a one-line field's op may name another separator, op.sep), and the field id is
   returned in `conflicts` for the page to say so. A step's
   note op merges the same way (its base: op.base), named «note:<step id>».

   Unsaved. When a write throws (storage full or disabled), the changed ticket stays in memory
   as the truth for its id: the next op applies to it and retries writing it whole, `saved` is
   false, and store.unsaved(id) lists the kinds of op not saved yet, until a write succeeds. */

import { FORMAT, OUTCOMES, bare, checkRemembered, checkTicket, isObject, oneLine, readTicket, table }
  from "./shape.mjs";

const V2 = "kb.ticket.v2.";
const V1 = "kb.ticket.v1.";
const REMEMBER = "kb.work.remember";
const DAY_MS = 864e5;
// The modes of an import whose id is here already.
const MODES = ["replace", "keep-both"];
const unknownMode = (mode) => `способ загрузки «${mode}» неизвестен: ожидается «replace» или «keep-both»`;
const unreplaceable = (id) =>
  `обращение ${id} записано здесь в неизвестном формате и не заменяется; загрузите файл как копию`;
// An op's answer when there is nothing to write (a double click).
const UNCHANGED = "unchanged";

// --- the ops: (ticket, op, ctx) -> undefined (changed) | UNCHANGED | a refusal --------------

// An op on a regulation's run ({regulation, title?, version?}); the run starts on its first op.
function onRun(fn) {
  return (t, op, ctx) => {
    if (typeof op.regulation !== "string") return "bad-op";
    t.runs[op.regulation] ??= bare({
      title: op.title ?? null, version: op.version ?? null, started: ctx.at,
      ticks: {}, na: {}, notes: {}, cases: {}, criteria: {}, decision: null, checklist: {}, log: [],
    });
    return fn(t.runs[op.regulation], op, ctx);
  };
}
// An op about one thing (a field, an action, a step…) names it by op.id.
const named = (fn) => (x, op, ctx) => (typeof op.id === "string" ? fn(x, op, ctx) : "bad-op");
// Tick (on !== false) or untick op.id in `map`; ticking twice keeps the first stamp.
function mark(map, id, on, value) {
  if (on === (id in map)) return UNCHANGED;
  if (on) map[id] = value;
  else delete map[id];
}
const markOn = (key, value) => onRun(named((run, op, ctx) => mark(run[key], op.id, op.on !== false, value(op, ctx))));
// A text kept under an id while it is not empty (step notes, drafts).
function keep(map, id, text) {
  if (text) map[id] = text;
  else delete map[id];
}

const empty = (v) => v == null || v === "" || (Array.isArray(v) && v.length === 0);
const same = (a, b) => (empty(a) && empty(b)) || JSON.stringify(a) === JSON.stringify(b);
function merge(stored, value, sep) {
  if (Array.isArray(stored) || Array.isArray(value)) {
    const all = [].concat(stored ?? [], value ?? []);
    return all.filter((x, i) => all.indexOf(x) === i);
  }
  if (stored.includes(value)) return stored;
  return value.includes(stored) ? value : stored + sep + value;
}
// The value to keep of an edit made from `base` (what the tab showed) over `stored`; texts
// joined by `sep` (a one-line field's op names its own, the default is a line break).
function edited(stored, value, base, ctx, name, sep) {
  if (base === undefined || same(stored, base) || same(stored, value)) return value;
  ctx.conflicts.push(name);
  return merge(stored ?? "", value ?? "", sep || "\n");
}
function setField(t, op, ctx) {
  const stored = t.fields[op.id];
  const value = edited(stored, op.value, op.base, ctx, op.id, op.sep);
  if (op.id in t.fields && same(stored, value)) return UNCHANGED;
  t.fields[op.id] = value;
}

function close(t, op, ctx) {
  if (!OUTCOMES.includes(op.outcome)) return "bad-op";
  if (t.closed?.outcome === op.outcome) return UNCHANGED;
  if (t.closed && !op.confirm) return "closed-outcome";
  t.closed = bare({ at: ctx.at, outcome: op.outcome });
  t.events.push(bare({ at: ctx.at, kind: "closed", outcome: op.outcome }));
}

const APPLY = table({
  field: named(setField),
  client: (t, op) => void (t.client = oneLine(op.value ?? "")),
  tick: markOn("ticks", (op, ctx) => ctx.at),
  // «Шаг выполнен»: the step's remaining actions, all with one stamp.
  "step-done": onRun((run, op, ctx) => {
    if (!Array.isArray(op.actions) || !op.actions.every((id) => typeof id === "string")) return "bad-op";
    const rest = op.actions.filter((id) => !(id in run.ticks));
    if (!rest.length) return UNCHANGED;
    for (const id of rest) run.ticks[id] = ctx.at;
  }),
  "not-applicable": onRun(named((run, op, ctx) => void (run.na[op.id] = bare({ reason: op.reason, at: ctx.at })))),
  applicable: onRun(named((run, op) => mark(run.na, op.id, false))),
  // A step's note merges as a field does; its conflict is named «note:<step>».
  note: onRun(
    named((run, op, ctx) => keep(run.notes, op.id, edited(run.notes[op.id], op.text, op.base, ctx, "note:" + op.id))),
  ),
  case: markOn("cases", (op, ctx) => bare({ at: ctx.at, by: op.by ?? null })),
  criterion: markOn("criteria", (op, ctx) => ctx.at),
  decision: onRun((run, op, ctx) => {
    run.decision = op.warranted == null ? null : bare({ at: ctx.at, warranted: op.warranted });
  }),
  checklist: markOn("checklist", (op, ctx) => ctx.at),
  // op.id is made once per click by the page: a double click never makes two entries.
  log: onRun(
    named((run, op, ctx) => {
      if (run.log.some((entry) => entry.id === op.id)) return UNCHANGED;
      run.log.push(bare({ id: op.id, at: ctx.at, status: op.status, note: op.note || null, next: op.next || null }));
    }),
  ),
  copied: (t, op, ctx) => {
    t.copied.push(bare({ template: op.id, regulation: op.regulation, at: ctx.at, text: op.text }));
  },
  draft: named((t, op) => keep(t.drafts, op.id, op.text)),
  close,
  reopen: (t, op, ctx) => {
    if (!t.closed) return UNCHANGED;
    t.closed = null;
    t.events.push(bare({ at: ctx.at, kind: "reopened", outcome: null }));
  },
  exported: (t, op, ctx) => void (t.exported = ctx.at),
  // The ticket is opened on a regulation's work page: its run starts (the list links the ticket
  // there) before anything is done.
  start: (t, op, ctx) => (t.runs[op.regulation] ? UNCHANGED : onRun(() => undefined)(t, op, ctx)),
});
// What a closed ticket still accepts (close: only to change its outcome, when confirmed).
const AFTER_CLOSE = new Set(["close", "reopen", "exported"]);
// Ops that change nothing the record shows: `updated` stays, so the record need not be exported again.
const QUIET = new Set(["draft", "exported", "start"]);

// --- the store ------------------------------------------------------------------------------------

// In a browser: this browser's storage (null where it is disabled: reading it throws) and the
// channel on which its tabs tell each other which ticket changed.
export function browserStorage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
export const ticketsChannel = () => ("BroadcastChannel" in window ? new BroadcastChannel("kb.tickets") : null);

export function createStore({
  storage,
  channel = null,
  now = () => new Date().toISOString(),
  newId = () => Date.now().toString(36) + Math.random().toString(36).slice(2, 8),
}) {
  // id -> a ticket not written yet: the truth for that id
  const memory = new Map();
  // id -> the kinds of op not saved yet
  const pending = new Map();
  // ids read from a v1 key, which goes once their v2 is written
  const legacy = new Set();
  const listeners = new Set();

  // Storage access never throws: localStorage may be disabled, full, or hold junk.
  function get(key) {
    try {
      return { ok: true, text: storage.getItem(key) };
    } catch {
      return { ok: false, text: null };
    }
  }
  function put(key, value) {
    try {
      storage.setItem(key, JSON.stringify(value));
      return true;
    } catch {
      return false;
    }
  }
  function drop(key) {
    try {
      storage.removeItem(key);
    } catch {
      /* nothing readable, nothing to remove */
    }
  }
  function keys() {
    try {
      return Array.from({ length: storage.length }, (_, i) => storage.key(i));
    } catch {
      return null;
    }
  }
  function parse(text) {
    try {
      return readTicket(JSON.parse(text));
    } catch {
      return { error: "это не JSON" };
    }
  }

  // id -> { ticket } | { refused: "missing" | "unreadable" | "unavailable" }
  function stored(id) {
    for (const prefix of [V2, V1]) {
      const raw = get(prefix + id);
      if (!raw.ok) return { refused: "unavailable" };
      if (raw.text === null) continue;
      const read = parse(raw.text);
      if (read.error) return { refused: "unreadable", error: read.error };
      if (prefix === V1) legacy.add(id);
      // The key is its name.
      read.ticket.id = id;
      return { ticket: read.ticket };
    }
    return { refused: "missing" };
  }
  const current = (id) => (memory.has(id) ? { ticket: memory.get(id) } : stored(id));
  const exists = (id) => memory.has(id) || ["unreadable", undefined].includes(stored(id).refused);
  // A storage key -> the id of the ticket it holds, or null (another kind of key, or none).
  function idOfKey(key) {
    const prefix = [V2, V1].find((p) => typeof key === "string" && key.startsWith(p));
    return prefix ? key.slice(prefix.length) : null;
  }

  function notify(id, ticket, source) {
    for (const fn of listeners) fn({ id, ticket, source });
  }
  // The one write: the whole ticket, or kept in memory as the truth when the write throws.
  function commit(id, ticket, kind) {
    const saved = put(V2 + id, ticket);
    if (saved) {
      memory.delete(id);
      pending.delete(id);
      if (legacy.delete(id)) drop(V1 + id);
      channel?.postMessage({ id });
    } else {
      memory.set(id, ticket);
      pending.set(id, [...new Set([...(pending.get(id) ?? []), kind])]);
    }
    notify(id, ticket, "local");
    return saved;
  }
  const result = (ticket, saved, refused = null, conflicts = []) => ({ ticket, saved, conflicts, refused });

  // Every v1 ticket without a v2 is written as v2; its v1 key goes only after that write.
  for (const key of keys() ?? []) {
    const id = key.startsWith(V1) ? key.slice(V1.length) : null;
    if (id === null || get(V2 + id).text !== null) continue;
    const found = stored(id);
    if (found.ticket && put(V2 + id, found.ticket)) {
      legacy.delete(id);
      drop(key);
    }
  }

  const store = {
    newId,
    idOfKey,
    get: current,

    apply(id, op) {
      const found = current(id);
      if (!found.ticket) return result(null, false, found.refused);
      const ticket = bare(found.ticket);
      const ctx = { at: now(), conflicts: [] };
      const fn = APPLY[op?.type];
      let refused = !fn ? "unknown-op" : ticket.closed && !AFTER_CLOSE.has(op.type) ? "closed" : fn(ticket, op, ctx);
      if (!refused && !QUIET.has(op.type)) ticket.updated = ctx.at;
      // A wrong value from the page would make the stored ticket unreadable: never written.
      if (!refused && checkTicket(ticket, "")) refused = "bad-op";
      if (refused === UNCHANGED) return result(found.ticket, !memory.has(id), null, ctx.conflicts);
      if (refused) return result(found.ticket, !memory.has(id), refused);
      return result(ticket, commit(id, ticket, op.type), null, ctx.conflicts);
    },

    // A new ticket (id = number), with the remembered values of the fields `remembered` (ids);
    // a ticket of that id already here is returned as it is.
    create({ number, client = "", remembered = [] }) {
      const id = oneLine(number ?? "");
      if (!id) return { ...result(null, false, "number"), created: false };
      const found = current(id);
      if (found.ticket) return { ...result(found.ticket, !memory.has(id)), created: false };
      if (found.refused === "unreadable") return { ...result(null, false, "unreadable"), created: false };
      const at = now();
      const values = store.remembered();
      const fields = table();
      for (const field of remembered) if (field in values) fields[field] = values[field];
      const ticket = bare({
        format: FORMAT, id, number: id, client: oneLine(client ?? ""), created: at, updated: at,
        closed: null, events: [], exported: null, fields, copied: [], drafts: {}, runs: {},
      });
      return { ...result(ticket, commit(id, ticket, "create")), created: true };
    },

    remove(id) {
      memory.delete(id);
      pending.delete(id);
      legacy.delete(id);
      drop(V2 + id);
      drop(V1 + id);
      channel?.postMessage({ id });
      notify(id, null, "local");
    },

    // -> { open, closed, unreadable: [ids], ok }, tickets by `updated`, newest first
    list() {
      const all = keys();
      const ids = new Set(memory.keys());
      for (const key of all ?? []) {
        const id = idOfKey(key);
        if (id !== null) ids.add(id);
      }
      const out = { open: [], closed: [], unreadable: [], ok: all !== null };
      for (const id of ids) {
        const found = current(id);
        if (found.ticket) (found.ticket.closed ? out.closed : out.open).push(found.ticket);
        else if (found.refused === "unreadable") out.unreadable.push(id);
      }
      const newest = (a, b) => Date.parse(b.updated) - Date.parse(a.updated);
      out.open.sort(newest);
      out.closed.sort(newest);
      out.unreadable.sort();
      return out;
    },

    // Closed tickets closed more than keepDays ago are removed; -> their ids
    purge(keepDays) {
      const limit = Date.parse(now()) - keepDays * DAY_MS;
      const old = store.list().closed.filter((t) => Date.parse(t.closed.at) < limit);
      for (const t of old) store.remove(t.id);
      return old.map((t) => t.id);
    },

    // A file's text -> { error } (nothing written) | { exists: id } (no mode given) |
    // { ticket, saved } imported with mode "replace" or "keep-both" (a copy beside it).
    importText(text, { mode } = {}) {
      const read = parse(text);
      if (read.error) return { error: read.error };
      const ticket = read.ticket;
      if (mode !== undefined && !MODES.includes(mode)) return { error: unknownMode(mode) };
      if (exists(ticket.id)) {
        if (!mode) return { exists: ticket.id };
        if (mode === "keep-both") ticket.id = copyName(ticket.number);
        else if (stored(ticket.id).refused === "unreadable") return { error: unreplaceable(ticket.id) };
      }
      return { ticket, saved: commit(ticket.id, ticket, "import") };
    },

    unsaved: (id) => [...(pending.get(id) ?? [])],

    remember(fieldId, value) {
      const values = store.remembered();
      values[fieldId] = value;
      return put(REMEMBER, values);
    },
    remembered() {
      try {
        const values = bare(JSON.parse(get(REMEMBER).text));
        return isObject(values) && !checkRemembered(values, "") ? values : table();
      } catch {
        return table();
      }
    },

    // True when the record was never exported, or a change that matters came after.
    neverExported: (ticket) => !ticket.exported || Date.parse(ticket.exported) < Date.parse(ticket.updated),

    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    // Another tab wrote ticket `id` (the channel's message, or the storage event's key through
    // idOfKey): subscribers get it as stored now (or as kept here, when this tab has it unsaved).
    handleExternal(id) {
      const ticket = current(id).ticket ?? null;
      notify(id, ticket, "external");
      return ticket;
    },
  };

  // «Keep both»: the first free name of «N (копия)», «N (копия 2)»…; N, the number, stays.
  function copyName(number) {
    for (let n = 1; ; n++) {
      const name = `${number} (копия${n > 1 ? " " + n : ""})`;
      if (!exists(name)) return name;
    }
  }

  return store;
}
