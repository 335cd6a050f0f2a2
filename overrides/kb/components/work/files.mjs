/* The ticket as a file and on paper (the work page, main.mjs). «Скачать JSON» writes the
   ticket as the store keeps it (the format store.importText reads); «Загрузить обращение
   (JSON)» hands the file to the store, which checks it field by field
   before anything is written: a bad file is one message naming the field, and a ticket here
   already asks inline (replace / keep both / cancel), every time. The print view is the record
   as text in a print-only <pre> (textContent), kept current by main.mjs's show(). */
import { word as fill } from "./text.mjs";

export function save(name, text, type) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name.replace(/[^\p{L}\p{N}._-]+/gu, "-");
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

// -> the DO entries of the file controls; open(id, null, true) shows a ticket, alarm(text) says.
export function files(page, open, alarm) {
  const { root, store, words } = page;
  const ask = root.querySelector("[data-kb-ask]");
  const input = root.querySelector("[data-kb-import]");
  // { name, text } of the file waiting for the choice
  let file = null;

  function load(mode) {
    const r = store.importText(file.text, mode && { mode });
    ask.hidden = !r.exists;
    if (r.exists) {
      ask.querySelector("p").textContent = fill(words.import_exists, { id: r.exists });
      // The choice that loses nothing has the focus.
      return ask.querySelector("[data-kb-do=import-keep]").focus();
    }
    const name = file.name;
    file = null;
    if (r.error) return alarm(fill(words.import_bad, { file: name, error: r.error }));
    open(r.ticket.id, null, true);
    // Not saved: open() says so.
    if (r.saved) alarm(fill(words.imported, { id: r.ticket.id }));
  }

  input.addEventListener("change", async () => {
    const chosen = input.files[0];
    // The same file chosen again is read again.
    input.value = "";
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
      if (t) save(`${t.id}-${page.model.regulation}.json`, JSON.stringify(t), "application/json;charset=utf-8");
    },
    // Without a ticket, the procedure prints (work.css).
    print: () => window.print(),
  };
}
