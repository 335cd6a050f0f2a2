/* The ticket as a file and on paper. «Скачать JSON» writes the ticket as the store keeps it
   (the format store.importText reads); «Загрузить обращение (JSON)» hands the file to the store,
   which checks it field by field before anything is written: a bad file is one message naming
   the field, and a ticket here already asks inline (replace / keep both / cancel), every time.
   The print view is the record as text in a print-only <pre> (textContent), kept current. */
import { record } from "./record.mjs";

// A word with «{name}» parts filled in.
export const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, key) => values[key] ?? m);

export function save(name, text, type) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type: type + ";charset=utf-8" }));
  link.download = name.replace(/[^\p{L}\p{N}._-]+/gu, "-");
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

export function printable(page) {
  const { root, model, ticket, words } = page;
  root.querySelector("[data-kb-print]").textContent = ticket ? record(model, ticket, { format: "text", words }) : "";
}

// -> the DO entries of the file controls; `open(id)` shows a ticket, `alarm(text)` says a thing.
export function files(page, open, alarm) {
  const { root, store, words, model } = page;
  const ask = root.querySelector("[data-kb-ask]");
  const input = root.querySelector("[data-kb-import]");
  let file = null; // { name, text } waiting for the choice

  function load(mode) {
    const r = store.importText(file.text, mode && { mode });
    ask.hidden = !r.exists;
    if (r.exists) {
      ask.querySelector("p").textContent = fill(words.import_exists, { id: r.exists });
      return ask.querySelector("button").focus();
    }
    const name = file.name;
    file = null;
    if (r.error) return alarm(fill(words.import_bad, { file: name, error: r.error }));
    open(r.ticket.id);
    alarm(r.saved ? fill(words.imported, { id: r.ticket.id }) : words.unsaved + " " + words.unsaved_ops.import);
  }

  input.addEventListener("change", async () => {
    const chosen = input.files[0];
    input.value = ""; // the same file chosen again is read again
    if (chosen) {
      file = { name: chosen.name, text: await chosen.text() };
      load();
    }
  });

  return {
    "import-replace": () => file && load("replace"),
    "import-keep": () => file && load("keep-both"),
    "import-cancel": () => {
      file = null;
      ask.hidden = true;
    },
    export: () => {
      const t = page.ticket;
      if (t) save(`${t.id}-${model.regulation}.json`, JSON.stringify(t, null, 1), "application/json");
    },
    print: () => page.ticket && window.print(),
  };
}
