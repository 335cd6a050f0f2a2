/* The tickets store (overrides/kb/components/work/store.mjs) under Node's test runner; pytest
   runs this file (test_store_node.py). Each rule of the store has a describe() of its own. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { createStore } from "../../../overrides/kb/components/work/store.mjs";
import { FakeStorage } from "./fake_storage.mjs";

const SLUG = "escalation-to-development";
const V2 = "kb.ticket.v2.";
const V1 = "kb.ticket.v1.";

// A clock that moves one minute per reading, from 5 Dec 2026 10:00 UTC.
function clock(start = "2026-12-05T10:00:00.000Z") {
  let t = Date.parse(start);
  return () => {
    const iso = new Date(t).toISOString();
    t += 60_000;
    return iso;
  };
}
// One browser: its storage, the messages its tabs posted, a tab (`store`), and more tabs (open()).
function browser(options = {}) {
  const storage = new FakeStorage(options);
  const posted = [];
  const channel = { postMessage: (message) => posted.push(message) };
  const now = clock(options.start);
  const open = () => createStore({ storage, channel, now });
  return { storage, posted, open, store: open() };
}
const onRun = (op) => ({ regulation: SLUG, ...op });
// Tickets are prototype-free: compared as the JSON they are stored as.
const plain = (value) => JSON.parse(JSON.stringify(value));
const snapshot = (storage) => [...storage.map];

describe("rule 1: two tabs never lose a change silently", () => {
  test("ops apply to the freshest stored copy: every tab's tick is kept", () => {
    const { store: a, open } = browser();
    const b = open();
    a.create({ number: "48213" });
    a.apply("48213", onRun({ type: "tick", id: "one" }));
    b.apply("48213", onRun({ type: "tick", id: "two" }));
    a.apply("48213", onRun({ type: "tick", id: "three" }));
    assert.deepEqual(Object.keys(b.get("48213").ticket.runs[SLUG].ticks), ["one", "two", "three"]);
  });

  test("a text changed in another tab meanwhile is kept beside this tab's, and named", () => {
    const { store: a, open } = browser();
    const b = open();
    a.create({ number: "48213" });
    const first = b.apply("48213", { type: "field", id: "problem", value: "Не открывается шлагбаум", base: "" });
    assert.deepEqual(first.conflicts, []);
    const r = a.apply("48213", { type: "field", id: "problem", value: "Ошибка 502", base: "" });
    assert.equal(r.ticket.fields.problem, "Не открывается шлагбаум\nОшибка 502");
    assert.deepEqual(r.conflicts, ["problem"]);
    assert.equal(b.get("48213").ticket.fields.problem, "Не открывается шлагбаум\nОшибка 502");
  });

  test("a text that contains the other is not doubled", () => {
    const { store: a, open } = browser();
    const b = open();
    a.create({ number: "1" });
    b.apply("1", { type: "field", id: "problem", value: "Ошибка 502", base: "" });
    const longer = a.apply("1", { type: "field", id: "problem", value: "Ошибка 502 при входе", base: "" });
    assert.equal(longer.ticket.fields.problem, "Ошибка 502 при входе");
    b.apply("1", { type: "field", id: "note", value: "Ошибка 502 при входе", base: "" });
    const r = a.apply("1", { type: "field", id: "note", value: "Ошибка 502", base: "" });
    assert.equal(r.ticket.fields.note, "Ошибка 502 при входе");
    assert.deepEqual(r.conflicts, ["note"]);
  });

  test("lists are joined without duplicates", () => {
    const { store: a, open } = browser();
    const b = open();
    a.create({ number: "1" });
    b.apply("1", { type: "field", id: "steps", value: ["Открыть", "Войти"], base: [] });
    const r = a.apply("1", { type: "field", id: "steps", value: ["Войти", "Нажать"], base: [] });
    assert.deepEqual(r.ticket.fields.steps, ["Открыть", "Войти", "Нажать"]);
    assert.deepEqual(r.conflicts, ["steps"]);
  });

  test("an edit of the value as stored is no conflict", () => {
    const { store: a, open } = browser();
    const b = open();
    a.create({ number: "1" });
    a.apply("1", { type: "field", id: "problem", value: "первое", base: "" });
    const r = b.apply("1", { type: "field", id: "problem", value: "второе", base: "первое" });
    assert.equal(r.ticket.fields.problem, "второе");
    assert.deepEqual(r.conflicts, []);
  });

  test("a one-line field's texts are joined by the separator its op names", () => {
    const { store: a, open } = browser();
    const b = open();
    a.create({ number: "1" });
    b.apply("1", { type: "field", id: "summary", value: "Шлагбаум", base: "", sep: " / " });
    const r = a.apply("1", { type: "field", id: "summary", value: "Турникет", base: "", sep: " / " });
    assert.equal(r.ticket.fields.summary, "Шлагбаум / Турникет");
    assert.deepEqual(r.conflicts, ["summary"]);
  });

  test("a step's note typed in two tabs keeps both, named note:<step>", () => {
    const { store: a, open } = browser();
    const b = open();
    a.create({ number: "1" });
    b.apply("1", onRun({ type: "note", id: "s1", text: "из второй", base: "" }));
    const r = a.apply("1", onRun({ type: "note", id: "s1", text: "из первой", base: "" }));
    assert.equal(r.ticket.runs[SLUG].notes.s1, "из второй\nиз первой");
    assert.deepEqual(r.conflicts, ["note:s1"]);
    const next = b.apply("1", onRun({ type: "note", id: "s1", text: "", base: "из второй\nиз первой" }));
    assert.equal("s1" in next.ticket.runs[SLUG].notes, false, "emptied from what was shown: no conflict");
    assert.deepEqual(next.conflicts, []);
  });
});

describe("rule 2: storage full or unavailable loses nothing on screen", () => {
  test("a change that cannot be written stays the truth, and the next op retries it whole", () => {
    const { storage, store } = browser();
    store.create({ number: "48213" });
    storage.quota = storage.used(); // full: any growth throws
    const first = store.apply("48213", onRun({ type: "tick", id: "one" }));
    assert.equal(first.saved, false);
    assert.deepEqual(store.unsaved("48213"), ["tick"]);
    assert.deepEqual(plain(storage.json(V2 + "48213").runs), {});
    const second = store.apply("48213", { type: "field", id: "problem", value: "текст", base: "" });
    assert.equal(second.saved, false);
    assert.ok("one" in second.ticket.runs[SLUG].ticks, "the unsaved tick is kept");
    assert.deepEqual(store.unsaved("48213"), ["tick", "field"]);
    assert.equal(store.get("48213").ticket.fields.problem, "текст");

    storage.quota = Infinity;
    const third = store.apply("48213", onRun({ type: "tick", id: "two" }));
    assert.equal(third.saved, true);
    assert.deepEqual(store.unsaved("48213"), []);
    const saved = storage.json(V2 + "48213");
    assert.deepEqual(Object.keys(saved.runs[SLUG].ticks), ["one", "two"]);
    assert.equal(saved.fields.problem, "текст");
  });

  test("a ticket created while storage is full is listed and named unsaved", () => {
    const { store } = browser({ quota: 0 });
    const r = store.create({ number: "48213" });
    assert.equal(r.saved, false);
    assert.deepEqual(store.unsaved("48213"), ["create"]);
    assert.deepEqual(
      store.list().open.map((t) => t.id),
      ["48213"],
    );
  });

  test("with storage disabled the tab still works in memory", () => {
    const { store } = browser({ fail: true });
    assert.equal(store.create({ number: "7" }).saved, false);
    const r = store.apply("7", { type: "field", id: "problem", value: "текст", base: "" });
    assert.equal(r.saved, false);
    assert.equal(r.ticket.fields.problem, "текст");
    const list = store.list();
    assert.equal(list.ok, false);
    assert.deepEqual(
      list.open.map((t) => t.id),
      ["7"],
    );
  });
});

// A v2 file as the store writes it: 48213 with a tick and a field.
function v2File(number = "48213") {
  const { store } = browser({ start: "2026-11-01T08:00:00.000Z" });
  store.create({ number, client: "Анна Сергеевна" });
  store.apply(number, onRun({ type: "tick", id: "one" }));
  return plain(store.apply(number, { type: "field", id: "problem", value: "из файла", base: "" }).ticket);
}

describe("rule 3: an import is checked field by field before anything is written", () => {
  // [what is broken, how, the error expected]
  const BROKEN = [
    [
      "the runs' inner type",
      (f) => (f.runs = { x: { ...f.runs[SLUG], ticks: "x" } }),
      "поле runs.x.ticks: ожидается объект, а в файле строка «x»",
    ],
    [
      "a field's value",
      (f) => (f.fields.problem = 5),
      "поле fields.problem: ожидается строка или список строк, а в файле число",
    ],
    [
      "an outcome in words",
      (f) => (f.closed = { at: f.updated, outcome: "решено" }),
      "поле closed.outcome: ожидается одно из «solved», «unsolved», «not-needed», а в файле строка «решено»",
    ],
    [
      "a copied text missing",
      (f) => (f.copied = [{ template: "t", regulation: SLUG, at: f.updated }]),
      "поле copied.0.text: ожидается строка, а в файле его нет",
    ],
    [
      "a log entry without id",
      (f) => f.runs[SLUG].log.push({ at: f.updated, status: "s" }),
      "поле runs.escalation-to-development.log.0.id: ожидается строка, а в файле его нет",
    ],
    [
      "an empty number",
      (f) => (f.number = " \t"),
      "поле number: ожидается непустая строка, а в файле строка « \t»",
    ],
    [
      "a newer format",
      (f) => (f.format = "kb.ticket.v3"),
      "поле format: «kb.ticket.v3» — формат новее, чем понимает эта версия сайта",
    ],
    [
      "another format",
      (f) => (f.format = "kb.run.v1"),
      "поле format: ожидается «kb.ticket.v2» или «kb.ticket.v1», а в файле строка «kb.run.v1»",
    ],
  ];
  for (const [what, breakIt, error] of BROKEN) {
    test(`refused, nothing written: ${what}`, () => {
      const { storage, store } = browser();
      store.create({ number: "48213" });
      const before = snapshot(storage);
      const file = v2File();
      breakIt(file);
      assert.deepEqual(store.importText(JSON.stringify(file), { mode: "replace" }), { error });
      assert.deepEqual(snapshot(storage), before);
    });
  }

  test("refused, nothing written: not JSON, not an object", () => {
    const { storage, store } = browser();
    assert.deepEqual(store.importText("{"), { error: "это не JSON" });
    assert.deepEqual(store.importText("[]"), { error: "ожидается объект обращения, а в файле список" });
    assert.equal(storage.map.size, 0);
  });

  test("a v1 file is accepted and upgraded", () => {
    const { storage, store } = browser();
    const r = store.importText(JSON.stringify(V1_TICKET));
    assert.equal(r.saved, true);
    assert.deepEqual(storage.json(V2 + "48213"), V1_AS_V2);
  });

  test("an id already here: `exists` without a mode, nothing written; replace overwrites", () => {
    const { storage, store } = browser();
    store.create({ number: "48213" });
    const before = snapshot(storage);
    assert.deepEqual(store.importText(JSON.stringify(v2File())), { exists: "48213" });
    assert.deepEqual(snapshot(storage), before);
    assert.equal(store.importText(JSON.stringify(v2File()), { mode: "replace" }).saved, true);
    assert.deepEqual(storage.json(V2 + "48213"), v2File());
  });

  test("keep-both makes numbered copies beside it, the number unchanged, no copy overwritten", () => {
    const { storage, store } = browser();
    store.create({ number: "48213" });
    const mine = storage.json(V2 + "48213");
    const text = JSON.stringify(v2File());
    assert.equal(store.importText(text, { mode: "keep-both" }).ticket.id, "48213 (копия)");
    store.apply("48213 (копия)", { type: "field", id: "problem", value: "правка копии", base: "из файла" });
    assert.deepEqual(store.importText(text), { exists: "48213" });
    assert.equal(store.importText(text, { mode: "keep-both" }).ticket.id, "48213 (копия 2)");
    assert.deepEqual(storage.json(V2 + "48213"), mine);
    assert.equal(storage.json(V2 + "48213 (копия)").fields.problem, "правка копии");
    for (const id of ["48213 (копия)", "48213 (копия 2)"]) assert.equal(storage.json(V2 + id).number, "48213");
  });

  test("a copy's own file is kept beside as the next copy of its number", () => {
    const { store } = browser();
    store.create({ number: "48213" });
    store.importText(JSON.stringify(v2File()), { mode: "keep-both" });
    const copy = plain(store.get("48213 (копия)").ticket);
    assert.equal(store.importText(JSON.stringify(copy), { mode: "keep-both" }).ticket.id, "48213 (копия 2)");
  });
});

describe("rule 4: number and client are one line", () => {
  test("on create", () => {
    const { store } = browser();
    const { ticket } = store.create({ number: " 48213\n", client: "Анна\r\nСергеевна\t" });
    assert.deepEqual([ticket.id, ticket.number, ticket.client], ["48213", "48213", "Анна Сергеевна"]);
  });

  test("on op", () => {
    const { store } = browser();
    store.create({ number: "48213" });
    assert.equal(store.apply("48213", { type: "client", value: "ООО\u2028«Ромашка»\n" }).ticket.client, "ООО «Ромашка»");
  });

  test("on import", () => {
    const { store } = browser();
    const file = { ...v2File(), id: "48213\n", number: "48213\n", client: "Анна\u0085Сергеевна" };
    const { ticket } = store.importText(JSON.stringify(file));
    assert.deepEqual([ticket.id, ticket.number, ticket.client], ["48213", "48213", "Анна Сергеевна"]);
  });
});

const V1_TICKET = {
  format: "kb.ticket.v1",
  id: "48213",
  number: "48213",
  client: "Анна Сергеевна",
  created: "2026-12-01T09:00:00.000Z",
  updated: "2026-12-01T09:30:00.000Z",
  closed: { at: "2026-12-01T09:30:00.000Z", outcome: "эскалация не потребовалась", unticked: ["docs-sent"] },
  fields: { "problem-details": "Не открывается шлагбаум", "reproduction-steps": ["Открыть", "Войти"] },
  copied: { "client-notification": "2026-12-01T09:20:00.000Z" },
  runs: {
    [SLUG]: {
      title: "Эскалация в отдел разработки",
      version: "1.0",
      started: "2026-12-01T09:00:00.000Z",
      fingerprint: "9f2c",
      ticks: { "check-escalation-needed": "2026-12-01T09:05:00.000Z" },
      notes: { "confirm-escalation": "заметка" },
      na: {},
      cases: { "critical-error": { at: "2026-12-01T09:06:00.000Z", by: "«Критический»" } },
      criteria: {},
      decision: { at: "2026-12-01T09:07:00.000Z", warranted: false },
      checklist: {},
      log: [{ at: "2026-12-01T09:10:00.000Z", status: "sent", note: "передано", next: "2026-12-02" }],
    },
  },
};
const V1_AS_V2 = {
  format: "kb.ticket.v2",
  id: "48213",
  number: "48213",
  client: "Анна Сергеевна",
  created: "2026-12-01T09:00:00.000Z",
  updated: "2026-12-01T09:30:00.000Z",
  closed: { at: "2026-12-01T09:30:00.000Z", outcome: "not-needed" },
  events: [{ at: "2026-12-01T09:30:00.000Z", kind: "closed", outcome: "not-needed" }],
  exported: null,
  fields: V1_TICKET.fields,
  copied: [{ template: "client-notification", regulation: SLUG, at: "2026-12-01T09:20:00.000Z", text: "" }],
  drafts: {},
  runs: {
    [SLUG]: {
      ...V1_TICKET.runs[SLUG],
      log: [{ id: "v1-1", at: "2026-12-01T09:10:00.000Z", status: "sent", note: "передано", next: "2026-12-02" }],
    },
  },
};

describe("rule 5: v1 tickets become v2 on open, nothing lost", () => {
  test("every v1 ticket is written as v2, and its v1 key removed after", () => {
    const { storage, open } = browser({ items: { [V1 + "48213"]: JSON.stringify(V1_TICKET) } });
    assert.equal(storage.map.has(V1 + "48213"), false, "a browser() opens a store");
    assert.deepEqual(storage.json(V2 + "48213"), V1_AS_V2);
    open();
    assert.deepEqual([...storage.map.keys()], [V2 + "48213"]);
  });

  test("a v2 already there wins, and the v1 stays", () => {
    const v2 = JSON.stringify(v2File());
    const { storage, store } = browser({ items: { [V1 + "48213"]: JSON.stringify(V1_TICKET), [V2 + "48213"]: v2 } });
    assert.equal(storage.map.get(V2 + "48213"), v2);
    assert.deepEqual(storage.json(V1 + "48213"), V1_TICKET);
    store.apply("48213", { type: "field", id: "problem", value: "ещё", base: "из файла" });
    assert.deepEqual(storage.json(V1 + "48213"), V1_TICKET, "a later write of the v2 keeps it too");
  });

  test("a v1 that cannot be written as v2 stays, readable, until a write succeeds", () => {
    const v1 = JSON.stringify(V1_TICKET);
    const { storage, store } = browser({ items: { [V1 + "48213"]: v1 }, quota: (V1 + "48213" + v1).length });
    assert.deepEqual([...storage.map.keys()], [V1 + "48213"]);
    assert.equal(store.get("48213").ticket.closed.outcome, "not-needed");
    assert.equal(store.apply("48213", { type: "reopen" }).saved, false);
    assert.equal(storage.map.get(V1 + "48213"), v1);
    storage.quota = Infinity;
    assert.equal(store.apply("48213", { type: "exported" }).saved, true);
    assert.deepEqual([...storage.map.keys()], [V2 + "48213"]);
    assert.equal(storage.json(V2 + "48213").closed, null);
  });

  test("an unknown newer format is left untouched, listed unreadable, never overwritten", () => {
    const newer = JSON.stringify({ format: "kb.ticket.v3", id: "48213", shape: "другая" });
    const { storage, store } = browser({ items: { [V2 + "48213"]: newer, [V1 + "48213"]: JSON.stringify(V1_TICKET) } });
    assert.deepEqual(store.list().unreadable, ["48213"]);
    assert.equal(store.apply("48213", { type: "exported" }).refused, "unreadable");
    assert.equal(store.create({ number: "48213" }).refused, "unreadable");
    assert.match(store.importText(JSON.stringify(v2File()), { mode: "replace" }).error, /неизвестном формате/);
    assert.equal(store.importText(JSON.stringify(v2File()), { mode: "keep-both" }).ticket.id, "48213 (копия)");
    assert.equal(storage.map.get(V2 + "48213"), newer);
    assert.ok(storage.map.has(V1 + "48213"));
  });
});

describe("rule 6: ids named like Object's members are ordinary ids", () => {
  const WORDS = ["constructor", "toString", "__proto__", "hasOwnProperty", "id", "length", "valueOf"];

  test("as ticket, field, regulation, action, case, step and draft ids", () => {
    const { store } = browser();
    for (const word of WORDS) {
      assert.equal(store.apply(word, { type: "exported" }).refused, "missing", word);
      const { ticket, created } = store.create({ number: word });
      assert.ok(created, word);
      for (const part of ["fields", "runs", "drafts"]) assert.equal(word in ticket[part], false, `${word} in ${part}`);
      store.apply(word, { type: "field", id: word, value: "значение", base: "" });
      store.apply(word, { type: "tick", regulation: word, id: word });
      store.apply(word, { type: "case", regulation: word, id: word, by: null });
      store.apply(word, { type: "note", regulation: word, id: word, text: "заметка" });
      store.apply(word, { type: "draft", id: word, text: "черновик" });
      const saved = store.get(word).ticket;
      assert.equal(saved.fields[word], "значение", word);
      assert.deepEqual(Object.keys(saved.runs[word].ticks), [word]);
      assert.deepEqual(Object.keys(saved.runs[word].cases), [word]);
      assert.equal(saved.runs[word].notes[word], "заметка");
      assert.equal(saved.drafts[word], "черновик");
    }
    assert.deepEqual(store.list().open.map((t) => t.id).sort(), [...WORDS].sort());
  });

  test("a file's __proto__ key is data, not a prototype", () => {
    const { storage, store } = browser();
    const text = JSON.stringify(v2File()).replace('"fields":{', '"fields":{"__proto__":"x","constructor":"y",');
    const { ticket } = store.importText(text);
    assert.equal(Object.getPrototypeOf(ticket.fields), null);
    assert.deepEqual(Object.keys(ticket.fields), ["__proto__", "constructor", "problem"]);
    assert.equal(JSON.parse(storage.map.get(V2 + "48213")).fields.constructor, "y");
  });

  test("an op type named like Object's members is refused as unknown", () => {
    const { storage, store } = browser();
    store.create({ number: "1" });
    const before = snapshot(storage);
    for (const type of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      assert.equal(store.apply("1", { type }).refused, "unknown-op", type);
    }
    assert.deepEqual(snapshot(storage), before);
  });
});

describe("rule 7: list, purge, create, remember, neverExported", () => {
  test("list: open and closed apart, the newest change first, unreadable ids, ok", () => {
    const { storage, store } = browser();
    for (const number of ["1", "2", "3", "4"]) store.create({ number });
    store.apply("3", { type: "field", id: "problem", value: "новое", base: "" });
    store.apply("2", { type: "close", outcome: "solved" });
    storage.setItem(V2 + "broken", "{");
    storage.setItem("kb.work.remember", "{}");
    const list = store.list();
    assert.deepEqual(
      list.open.map((t) => t.id),
      ["3", "4", "1"],
    );
    assert.deepEqual(
      list.closed.map((t) => t.id),
      ["2"],
    );
    assert.deepEqual(list.unreadable, ["broken"]);
    assert.equal(list.ok, true);
  });

  test("purge removes closed tickets older than the keep days, only them", () => {
    const { store } = browser();
    for (const number of ["old", "recent", "open"]) store.create({ number });
    store.apply("old", { type: "close", outcome: "solved" }); // 10:03
    store.apply("recent", { type: "close", outcome: "unsolved" }); // 10:04
    // now() reads 10:05 at the purge: keeping 90 seconds leaves what closed after 10:03:30.
    assert.deepEqual(store.purge(1.5 / 24 / 60), ["old"]);
    assert.deepEqual(
      store
        .list()
        .open.concat(store.list().closed)
        .map((t) => t.id)
        .sort(),
      ["open", "recent"],
    );
  });

  test("create returns the ticket already there, never replaces it", () => {
    const { storage, store } = browser();
    store.create({ number: "48213", client: "Анна" });
    store.apply("48213", { type: "field", id: "problem", value: "текст", base: "" });
    const before = snapshot(storage);
    const again = store.create({ number: "48213", client: "Другой" });
    assert.equal(again.created, false);
    assert.equal(again.ticket.client, "Анна");
    assert.deepEqual(snapshot(storage), before);
  });

  test("remembered values fill a new ticket's fields, all under one key", () => {
    const { storage, store, open } = browser();
    store.remember("specialist", "Иван Петров");
    store.remember("team", "Вторая линия");
    assert.deepEqual([...storage.map.keys()], ["kb.work.remember"]);
    const { ticket } = open().create({ number: "1", remembered: ["specialist", "absent"] });
    assert.deepEqual(plain(ticket.fields), { specialist: "Иван Петров" });
  });

  test("neverExported until exported, and again after a change that matters, not after a draft", () => {
    const { store } = browser();
    let { ticket } = store.create({ number: "1" });
    assert.equal(store.neverExported(ticket), true);
    ticket = store.apply("1", { type: "exported" }).ticket;
    assert.equal(store.neverExported(ticket), false);
    ticket = store.apply("1", { type: "draft", id: "log-note", text: "набираю" }).ticket;
    assert.equal(store.neverExported(ticket), false);
    ticket = store.apply("1", onRun({ type: "tick", id: "one" })).ticket;
    assert.equal(store.neverExported(ticket), true);
  });
});

describe("the ops", () => {
  test("start begins the run once, and is no change the record shows", () => {
    const { store } = browser();
    const { ticket } = store.create({ number: "1" });
    const start = onRun({ type: "start", title: "Эскалация", version: "1.0" });
    assert.equal(store.apply("1", start).refused, null);
    const started = plain(store.get("1").ticket);
    assert.equal(started.runs[SLUG].started, "2026-12-05T10:01:00.000Z");
    assert.equal(started.updated, ticket.updated);
    assert.equal(store.apply("1", { ...start, version: "1.1" }).refused, null);
    assert.equal(plain(store.get("1").ticket).runs[SLUG].version, "1.0");
  });
  test("each op writes its part of the ticket", () => {
    const { store } = browser();
    store.create({ number: "1" });
    const ops = [
      onRun({ type: "tick", id: "a1", title: "Эскалация", version: "1.0" }), // 10:01
      onRun({ type: "tick", id: "a2" }),
      onRun({ type: "tick", id: "a2", on: false }),
      onRun({ type: "not-applicable", id: "s2", reason: "не нужно" }), // 10:04
      onRun({ type: "not-applicable", id: "s3", reason: "ошибся" }),
      onRun({ type: "applicable", id: "s3" }),
      onRun({ type: "note", id: "s1", text: "заметка" }),
      onRun({ type: "case", id: "critical-error", by: "priority=Критический" }), // 10:08
      onRun({ type: "criterion", id: "critical-bug" }), // 10:09
      onRun({ type: "decision", warranted: true }), // 10:10
      onRun({ type: "checklist", id: "need-confirmed" }), // 10:11
      onRun({ type: "log", id: "e1", status: "sent", note: "передано", next: "2026-12-06" }), // 10:12
      { type: "copied", id: "client-notification", regulation: SLUG, text: "Здравствуйте,\nАнна!" }, // 10:13
      { type: "draft", id: `log-note:${SLUG}`, text: "набираю" },
    ];
    for (const op of ops) assert.equal(store.apply("1", op).refused, null, op.type);
    const t = plain(store.get("1").ticket);
    assert.deepEqual(t.runs[SLUG], {
      title: "Эскалация",
      version: "1.0",
      started: "2026-12-05T10:01:00.000Z",
      ticks: { a1: "2026-12-05T10:01:00.000Z" },
      na: { s2: { reason: "не нужно", at: "2026-12-05T10:04:00.000Z" } },
      notes: { s1: "заметка" },
      cases: { "critical-error": { at: "2026-12-05T10:08:00.000Z", by: "priority=Критический" } },
      criteria: { "critical-bug": "2026-12-05T10:09:00.000Z" },
      decision: { at: "2026-12-05T10:10:00.000Z", warranted: true },
      checklist: { "need-confirmed": "2026-12-05T10:11:00.000Z" },
      log: [{ id: "e1", at: "2026-12-05T10:12:00.000Z", status: "sent", note: "передано", next: "2026-12-06" }],
    });
    assert.deepEqual(t.copied, [
      { template: "client-notification", regulation: SLUG, at: "2026-12-05T10:13:00.000Z", text: "Здравствуйте,\nАнна!" },
    ]);
    assert.deepEqual(t.drafts, { [`log-note:${SLUG}`]: "набираю" });
    assert.equal(t.updated, "2026-12-05T10:13:00.000Z", "a draft leaves `updated`");
  });

  test("«Шаг выполнен» ticks the step's remaining actions with one stamp", () => {
    const { store } = browser();
    store.create({ number: "1" });
    store.apply("1", onRun({ type: "tick", id: "a1" })); // 10:01
    const { ticket } = store.apply("1", onRun({ type: "step-done", actions: ["a1", "a2", "a3"] })); // 10:02
    assert.deepEqual(plain(ticket.runs[SLUG].ticks), {
      a1: "2026-12-05T10:01:00.000Z",
      a2: "2026-12-05T10:02:00.000Z",
      a3: "2026-12-05T10:02:00.000Z",
    });
  });

  test("a double click never makes two log entries", () => {
    const { storage, store } = browser();
    store.create({ number: "1" });
    const op = onRun({ type: "log", id: store.newId(), status: "sent", note: "передано" });
    store.apply("1", op);
    const before = snapshot(storage);
    assert.equal(store.apply("1", op).refused, null);
    assert.deepEqual(snapshot(storage), before);
    assert.equal(store.get("1").ticket.runs[SLUG].log.length, 1);
  });

  test("a draft typed for one ticket never appears in or is saved to another", () => {
    const { storage, store } = browser();
    store.create({ number: "1" });
    store.create({ number: "2" });
    store.apply("1", { type: "draft", id: "log-note", text: "для первого" });
    assert.equal("log-note" in store.get("2").ticket.drafts, false);
    assert.deepEqual(storage.json(V2 + "2").drafts, {});
    store.apply("1", { type: "draft", id: "log-note", text: "" });
    assert.deepEqual(storage.json(V2 + "1").drafts, {});
  });

  test("a second close with another outcome is refused unless confirmed", () => {
    const { store } = browser();
    store.create({ number: "1" });
    store.apply("1", { type: "close", outcome: "solved" });
    assert.equal(store.apply("1", { type: "close", outcome: "unsolved" }).refused, "closed-outcome");
    assert.equal(store.get("1").ticket.closed.outcome, "solved");
    const { ticket } = store.apply("1", { type: "close", outcome: "unsolved", confirm: true });
    assert.equal(ticket.closed.outcome, "unsolved");
    assert.deepEqual(
      ticket.events.map((e) => e.outcome),
      ["solved", "unsolved"],
    );
  });

  test("a closed ticket refuses every op but reopen and exported, and writes nothing", () => {
    const { storage, store } = browser();
    store.create({ number: "1" });
    store.apply("1", { type: "close", outcome: "not-needed" });
    const before = snapshot(storage);
    const refused = [
      { type: "field", id: "f", value: "x", base: "" },
      { type: "client", value: "x" },
      onRun({ type: "tick", id: "a" }),
      onRun({ type: "step-done", actions: ["a"] }),
      onRun({ type: "not-applicable", id: "s", reason: "r" }),
      onRun({ type: "note", id: "s", text: "t" }),
      onRun({ type: "case", id: "c" }),
      onRun({ type: "criterion", id: "c" }),
      onRun({ type: "decision", warranted: false }),
      onRun({ type: "checklist", id: "c" }),
      onRun({ type: "log", id: "e", status: "s" }),
      { type: "copied", id: "t", regulation: SLUG, text: "t" },
      { type: "draft", id: "d", text: "t" },
    ];
    for (const op of refused) assert.equal(store.apply("1", op).refused, "closed", op.type);
    assert.deepEqual(snapshot(storage), before);
    assert.equal(store.apply("1", { type: "exported" }).refused, null);
    const { ticket } = store.apply("1", { type: "reopen" });
    assert.equal(ticket.closed, null);
    assert.deepEqual(
      ticket.events.map((e) => e.kind),
      ["closed", "reopened"],
    );
    assert.equal(store.apply("1", onRun({ type: "tick", id: "a" })).refused, null);
  });

  test("a wrong value from the page is refused, never written", () => {
    const { storage, store } = browser();
    store.create({ number: "1" });
    const before = snapshot(storage);
    for (const op of [
      { type: "field", id: "f", value: 5 },
      { type: "field", value: "no id" },
      { type: "tick", id: "a" },
      { type: "close", outcome: "решено" },
      onRun({ type: "step-done", actions: "a1" }),
    ]) {
      assert.equal(store.apply("1", op).refused, "bad-op", JSON.stringify(op));
    }
    assert.deepEqual(snapshot(storage), before);
  });

  test("other tabs are told; a told tab gives its subscribers the ticket as stored", () => {
    const { posted, store: a, open } = browser();
    const b = open();
    a.create({ number: "1" });
    a.apply("1", { type: "field", id: "f", value: "из вкладки A", base: "" });
    assert.deepEqual(posted, [{ id: "1" }, { id: "1" }]);
    const heard = [];
    b.subscribe((change) => heard.push(change));
    b.handleExternal(b.idOfKey(V2 + "1"));
    assert.equal(heard.length, 1);
    assert.equal(heard[0].source, "external");
    assert.equal(heard[0].ticket.fields.f, "из вкладки A");
    assert.equal(b.idOfKey("kb.work.remember"), null);
  });
});
