/* The work page (kb/site/templates/work.html): one regulation's procedure run on one ticket.
   mount(root) reads the model beside the page (data-kb-model, written by kb/site/work.py),
   opens the ticket named in the address (?ticket=…&client=…), and from then on every user
   action is one store operation (store.mjs: read fresh → apply → write whole → tell other
   tabs) followed by one render (view.mjs). Clicks are dispatched through the DO table.
   Data safety: an edit carries its base (what this tab showed), so the store merges what two
   tabs typed; the alarm names what the storage could not keep (or says the ticket lives in this
   tab only); «Очистить» in a template clears only what no other template or step uses, and can
   be undone. The ticket as a file and on paper: files.mjs. */
import { table } from "./shape.mjs";
import { oneLine, word as fill } from "./text.mjs";
import { browserStorage, createStore, ticketsChannel } from "./store.mjs";
import { record } from "./record.mjs";
import { render, openStep, stepOf } from "./view.mjs";
import { showTickets } from "./tickets.mjs";
import { files, save } from "./files.mjs";

// This tab's ticket on the work pages (sessionStorage); the reading pages' workspace has its own.
const ACTIVE = "kb.work.active";

// Persistent storage is asked for once, when the first ticket is made: the browser then does
// not evict the tickets under storage pressure.
let persisting = false;

const same = (a, b) => JSON.stringify(a ?? "") === JSON.stringify(b ?? "");

function remember(id) {
  try {
    sessionStorage.setItem(ACTIVE, id);
  } catch (e) {
    /* the tab keeps its ticket in the address */
  }
}

// The generators (generator.js) keep a draft of their own while no ticket is open
// (kb.ticket, set by the reading page's workspace). On the work page every value is the
// ticket's: kb.ticket answers for it while a work page is in the document, and the value the
// reading pages set otherwise (instant navigation swaps pages without reloading scripts).
function claimGenerators() {
  const kb = window.kb;
  if (Object.getOwnPropertyDescriptor(kb, "ticket")?.get) return;
  let value = kb.ticket;
  Object.defineProperty(kb, "ticket", {
    get: () => (document.querySelector("[data-kb-work]") ? "work" : value),
    set: (ticket) => (value = ticket),
  });
}

export async function mount(root) {
  claimGenerators();
  const response = await fetch(new URL(root.getAttribute("data-kb-model"), location.href));
  const model = await response.json();
  const words = model.words;
  const channel = ticketsChannel();
  const storage = browserStorage();
  // Blocked storage (disabled by the browser): the tickets live in this tab.
  const blocked = !storage;
  const store = createStore({ storage, channel });
  // Closed tickets older than the keep days go (extra.kb.keep_closed_days), as on the home page.
  store.purge(Number(root.getAttribute("data-kb-keep")));
  const page = { root, model, words, store, ticket: null, shown: Object.create(null) };
  root.classList.add("kb-work--live");

  const slug = model.regulation;
  const alarm = (text) => {
    root.querySelector("[data-kb-alarm]").textContent = text || "";
  };

  // What the storage could not keep of the ticket on screen (all of it, when it is blocked).
  function storageAlarm() {
    if (blocked) return words.storage_blocked;
    const what = page.ticket ? store.unsaved(page.ticket.id) : [];
    return what.length ? words.unsaved + " " + what.map((kind) => words.unsaved_ops[kind]).join(", ") : "";
  }

  // Every change goes through here: one op, one write, one render.
  function apply(op) {
    if (!page.ticket) return null;
    const result = store.apply(page.ticket.id, { regulation: slug, title: model.title, version: model.version, ...op });
    if (result.refused) {
      alarm(words.read_only);
      show();
      return result;
    }
    page.ticket = result.ticket;
    const conflicts = result.conflicts;
    const names = conflicts.map((id) => model.fields[id]?.label || words.note).join(", ");
    alarm([storageAlarm(), conflicts.length ? words.conflict + " " + names : ""].join(" ").trim());
    // Both versions kept: the control being typed in shows them too.
    show(conflicts.length > 0);
    return result;
  }

  // The base of an edit (store: merge per field): what this tab showed of the value before it,
  // by field id and «note:<step>». A control being typed in is not refreshed by render, so its
  // base stays what this tab last wrote there; another tab's change meanwhile is then merged.
  const basis = table();
  function shownNow() {
    const now = Object.assign(table(), page.shown);
    for (const step of model.steps) now["note:" + step.id] = page.ticket?.runs?.[slug]?.notes?.[step.id];
    return now;
  }
  // An edit of `key` was written: its base is now what the store kept. Never shown: empty.
  const based = (key) => (basis[key] = shownNow()[key] ?? "");
  const baseOf = (key) => basis[key] ?? "";

  function show(fresh = false) {
    render(page, fresh);
    // The keys of the control with focus (all the fields of a generator with focus) keep theirs.
    const at = !fresh && root.contains(document.activeElement) && document.activeElement;
    const form = at && at.closest("form.kb-gen");
    const busy = form
      ? [...form.querySelectorAll("[data-field]")].map((f) => f.getAttribute("data-field"))
      : [at && at.getAttribute("data-kb-field"), at && "note:" + at.getAttribute("data-kb-note")];
    const now = shownNow();
    for (const key of Object.keys({ ...basis, ...now })) if (!busy.includes(key)) basis[key] = now[key] ?? "";
    // The print view: the record alone, as text.
    const text = page.ticket ? record(model, page.ticket, { format: "text", words }) : "";
    root.querySelector("[data-kb-print]").textContent = text;
  }

  function open(number, client, push) {
    number = oneLine(number ?? "");
    client = oneLine(client ?? "");
    if (!number) return;
    const remembered = Object.keys(model.fields).filter((id) => model.fields[id].remember);
    const { ticket, created, refused } = store.create({ number, client, remembered });
    // A corrupted ticket is named with what is wrong in it; the others open as always.
    if (refused === "unreadable") {
      return alarm(fill(words.storage_corrupt, { id: number, error: store.get(number).error }));
    }
    if (!ticket) return alarm(words.unsaved);
    if (created && !persisting) {
      persisting = true;
      navigator.storage?.persist?.().catch(() => {});
    }
    page.ticket = ticket;
    page.undo = null;
    undo.hidden = true;
    alarm(storageAlarm());
    if (client && !ticket.client) apply({ type: "client", value: client });
    // Worked here from now on: «Мои обращения» links the ticket to this page.
    if (!ticket.closed && !ticket.runs[slug]) apply({ type: "start" });
    remember(ticket.id);
    const url = new URL(location.href);
    url.search = "?ticket=" + encodeURIComponent(ticket.id);
    if (push) history.pushState({ ticket: ticket.id }, "", url);
    else history.replaceState({ ticket: ticket.id }, "", url);
    // Drafts typed in the page belong to the ticket that was open: the view refills them.
    page.shown = Object.create(null);
    show(true);
    openStep(page, location.hash.slice(1) || null);
  }

  // What each [data-kb-do] button does.
  const DO = {
    "step-done": (button) => {
      const step = model.steps.find((s) => s.id === stepOf(button));
      // Done moves on, as a checked task does in a run: to the next step not done yet.
      if (apply({ type: "step-done", actions: step.actions.map((a) => a.id) })?.refused) return;
      openStep(page, null, true);
    },
    // «Не применимо» opens the step's reason field; its button (or Enter there) marks the step.
    "step-na": (button) => {
      const form = button.closest("[data-kb-step]").querySelector("[data-kb-na]");
      const input = form.querySelector("[data-kb-draft]");
      if (!form.contains(button)) {
        form.hidden = !form.hidden;
        button.setAttribute("aria-expanded", !form.hidden);
        return form.hidden || input.focus();
      }
      const reason = input.value.trim();
      input.setAttribute("aria-invalid", !reason);
      if (!reason) return input.focus();
      if (apply({ type: "not-applicable", id: stepOf(button), reason })?.refused) return;
      input.value = "";
      apply({ type: "draft", id: input.getAttribute("data-kb-draft") + ":" + slug, text: "" });
    },
    "step-back": (button) => apply({ type: "applicable", id: stepOf(button) }),
    next: (button) => openStep(page, button.getAttribute("href").slice(1), true),
    "not-needed": () => {
      apply({ type: "decision", warranted: false });
      apply({ type: "close", outcome: "not-needed", confirm: true });
      openStep(page, "final", true);
    },
    case: (button) => {
      const id = button.getAttribute("data-kb-case-id");
      const on = !page.ticket.runs[slug]?.cases?.[id];
      apply({ type: "case", id, on, by: null });
    },
    "log-add": (button) => {
      const box = button.closest("[data-kb-log]");
      const note = box.querySelector("[data-kb-draft]");
      const entry = {
        id: button.getAttribute("data-kb-entry"),
        status: box.querySelector("[data-kb-log-status]").value,
        note: note.value.trim(),
        next: box.querySelector("[data-kb-log-next]").value || null,
      };
      const status = box.querySelector("[data-kb-log-status]").selectedOptions[0];
      if (apply({ type: "log", ...entry })?.refused) return;
      if (status && status.getAttribute("data-kb-case")) {
        apply({ type: "case", id: status.getAttribute("data-kb-case"), on: true, by: "status:" + entry.status });
      }
      note.value = "";
      apply({ type: "draft", id: "log-note:" + slug, text: "" });
    },
    close: () => {
      const chosen = root.querySelector("[data-kb-outcome]:checked");
      if (!chosen) {
        openStep(page, "final", true);
        root.querySelector("[data-kb-outcome]").focus();
        return;
      }
      const outcome = chosen.value;
      const closed = page.ticket.closed;
      const confirm = !closed || closed.outcome === outcome || window.confirm(words.close_again);
      if (confirm) apply({ type: "close", outcome, confirm: true });
    },
    reopen: () => apply({ type: "reopen" }),
    "record-copy": () => {
      const text = record(model, page.ticket, { format: "md", words });
      navigator.clipboard.writeText(text).then(
        () => {
          apply({ type: "exported" });
          alarm(words.copied_record);
        },
        () => alarm(words.copy_failed),
      );
    },
    "record-md": () => download("md"),
    "record-text": () => download("text"),
    "undo-clear": () => undoClear(),
    ...files(page, open, alarm),
    tickets: (button) => {
      const panel = root.querySelector("[data-kb-tickets]");
      const opened = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(opened));
      panel.hidden = !opened;
      if (opened) showTickets(panel, store, words, root.getAttribute("data-kb-page"));
    },
  };

  function download(format) {
    const text = record(model, page.ticket, { format, words });
    save(`${page.ticket.number}-${slug}.${format === "md" ? "md" : "txt"}`, text, "text/plain;charset=utf-8");
    apply({ type: "exported" });
  }

  root.addEventListener("click", (event) => {
    const target = event.target.closest("[data-kb-do], [data-kb-rail]");
    if (!target || !root.contains(target)) return;
    // The rail and «Далее» are links for reading without JavaScript; here they open a step,
    // and Material's instant navigation (a listener on the document) must not load the page.
    event.preventDefault();
    event.stopPropagation();
    if (target.hasAttribute("data-kb-rail")) return openStep(page, target.getAttribute("data-kb-rail"), true);
    const action = DO[target.getAttribute("data-kb-do")];
    if (!action) return;
    // One click, one entry: a button stays busy until its change is written and shown.
    if (target.kbBusy) return;
    target.kbBusy = true;
    try {
      action(target);
    } finally {
      requestAnimationFrame(() => (target.kbBusy = false));
    }
  });

  root.addEventListener("change", (event) => {
    const t = event.target;
    const on = t.checked;
    const KINDS = { "data-kb-action": "tick", "data-kb-term": "criterion", "data-kb-check": "checklist" };
    for (const [attribute, type] of Object.entries(KINDS)) {
      if (t.hasAttribute(attribute)) apply({ type, id: t.getAttribute(attribute), on });
    }
  });

  root.addEventListener("input", (event) => {
    const t = event.target;
    if (t.hasAttribute("data-kb-field")) setField(t.getAttribute("data-kb-field"), valueOf(t));
    else if (t.hasAttribute("data-kb-note")) {
      const id = t.getAttribute("data-kb-note");
      apply({ type: "note", id, text: t.value, base: baseOf("note:" + id) });
      based("note:" + id);
    }
    else if (t.hasAttribute("data-kb-draft")) apply({ type: "draft", id: t.getAttribute("data-kb-draft") + ":" + slug, text: t.value });
  });

  function valueOf(control) {
    if (control.hasAttribute("data-kb-list")) return control.value.split("\n").filter((line) => line.trim());
    return control.value;
  }

  // One value per field id: the step's control, every generator and the record share it. A
  // value chosen for a field with cases applies its case; another value removes it.
  function setField(id, value) {
    // The ticket's number is the ticket's name; its client is the ticket's own (one line).
    if (id === model.ticket.number) return;
    if (id === model.ticket.client) return apply({ type: "client", value });
    // Both versions of a one-line value, kept, stay on one line.
    apply({ type: "field", id, value, base: baseOf(id), sep: model.fields[id]?.type === "text" && " / " });
    based(id);
    if (model.fields[id]?.remember) store.remember(id, value);
    for (const option of model.fields[id]?.options || []) {
      if (!option.case) continue;
      const on = value === option.value;
      const by = id + "=" + option.value;
      const applied = page.ticket.runs[slug]?.cases?.[option.case];
      if (on || (applied && applied.by === by)) apply({ type: "case", id: option.case, on, by });
    }
  }

  // The generators (generator.js) tell what was typed, cleared or copied.
  root.addEventListener("kb-change", (event) => {
    const d = event.detail;
    if (d.field) setField(d.field, d.values[d.field]);
    if (d.all) clear(event.target, d.all);
    if (d.copied) {
      // The text copied, whole, as the generator filled it (its one fill rule, kb.fill).
      const spec = window.kb.templateOf(event.target);
      apply({ type: "copied", id: d.copied, text: window.kb.fill(spec.body, spec.fields, page.shown) });
    }
  });

  // «Очистить» in a template (generator.js has emptied its form): on the ticket only the values
  // no other template or step uses are cleared, the others stay and are named; «Вернуть» brings
  // back what was cleared (a value typed since stays).
  // The answer (data-kb-undo, in the ticket bar's markup) goes below the template's form.
  const undo = root.querySelector("[data-kb-undo]");
  function clear(form, now) {
    const kept = [];
    const was = table();
    for (const id of Object.keys(now)) {
      const f = model.fields[id];
      if (f.step || f.source || Object.values(model.ticket).includes(id) || f.templates.length > 1) {
        kept.push(f.label);
      } else if (!same(page.shown[id], now[id])) {
        was[id] = page.shown[id];
        setField(id, now[id]);
      }
    }
    form.kbState?.set(page.shown);
    const cleared = Object.keys(was).map((id) => model.fields[id].label);
    page.undo = { form, was, now };
    form.after(undo);
    undo.hidden = false;
    undo.firstChild.textContent = [[words.cleared, cleared], [words.clear_kept, kept]]
      .map(([word, labels]) => (labels.length ? fill(word, { fields: labels.join(", ") }) : ""))
      .join(" ");
  }
  function undoClear() {
    const { form, was, now } = page.undo || {};
    page.undo = null;
    undo.hidden = true;
    if (!form) return;
    for (const id of Object.keys(was)) if (same(page.shown[id], now[id])) setField(id, was[id]);
    form.kbState?.set(page.shown);
  }

  root.querySelector("[data-kb-open]").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    open(form.querySelector("[data-kb-open-number]").value, form.querySelector("[data-kb-open-client]").value, true);
  });

  // Another tab changed a ticket: the one on screen is shown as stored now.
  store.subscribe(({ id, ticket, source }) => {
    if (source === "external" && ticket && page.ticket && id === page.ticket.id) {
      page.ticket = ticket;
      show();
    }
  });
  // Instant navigation mounts a new page without reloading: a page that left the document
  // answers nothing more.
  const gone = () => !root.isConnected;
  if (channel) channel.onmessage = (event) => (gone() ? channel.close() : store.handleExternal(event.data.id));
  window.addEventListener("storage", (event) => {
    const id = store.idOfKey(event.key);
    if (id !== null && !gone()) store.handleExternal(id);
  });
  window.addEventListener("popstate", () => {
    if (gone()) return;
    const id = new URLSearchParams(location.search).get("ticket");
    if (id) open(id, null, false);
  });

  const params = new URLSearchParams(location.search);
  let active = params.get("ticket");
  if (!active) {
    try {
      active = sessionStorage.getItem(ACTIVE);
    } catch (e) {
      active = null;
    }
  }
  if (active) return open(active, params.get("client"), false);
  show();
  openStep(page, location.hash.slice(1) || null);
}
