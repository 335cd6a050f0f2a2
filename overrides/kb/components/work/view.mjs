/* What the work page shows of its ticket: render(page) writes the whole state into the page
   (states of the rail, ticks, fields, notes, cases, log, checklist, closing check), and
   openStep shows one step at a time. Nothing here changes the ticket: main.mjs does, through
   the store. Text from the ticket is set as text, never parsed as HTML. */

const $$ = (root, selector) => Array.from(root.querySelectorAll(selector));
const esc = (id) => CSS.escape(id);

export const stepOf = (node) => node.closest("[data-kb-step]").getAttribute("data-kb-step");

function when(iso, words) {
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getDate()} ${words.months[d.getMonth()]} ${d.getFullYear()}, ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function runOf(page) {
  return page.ticket?.runs?.[page.model.regulation] || null;
}

// A step's state, one word of the rail: what the specialist needs to see at a glance.
export function stateOf(step, run) {
  if (!run) return "todo";
  if (run.na?.[step.id]) return "na";
  const ticked = step.actions.filter((a) => run.ticks?.[a.id]).length;
  if (ticked === step.actions.length) return "done";
  if (step.cases.some((c) => run.cases?.[c])) return "case";
  return ticked || run.notes?.[step.id] ? "doing" : "todo";
}

const STATE_WORD = { todo: "step_new", doing: "step_doing", done: "step_done", na: "step_na", case: "step_case" };

function setValue(control, value, fresh) {
  // The control being typed in keeps its caret: only other controls follow the ticket (but
  // another ticket's page replaces everything: nothing typed for one shows in the other).
  if (!fresh && control === document.activeElement && control.type !== "radio" && control.type !== "checkbox") return;
  if (control.type === "radio") control.checked = control.value === value;
  else control.value = Array.isArray(value) ? value.join("\n") : value || "";
}

export function render(page, fresh = false) {
  const { root, model, words, ticket } = page;
  const run = runOf(page);
  const closed = !!ticket?.closed;
  root.classList.toggle("kb-work--closed", closed);
  root.classList.toggle("kb-work--none", !ticket);
  root.querySelector("[data-kb-open]").hidden = !!ticket;
  root.querySelector("[data-kb-current]").textContent = ticket
    ? `${words.ticket} ${ticket.number}${ticket.client ? " · " + ticket.client : ""}${closed ? " · " + words.closed + ": " + words.outcomes[ticket.closed.outcome] : ""}`
    : words.no_ticket;
  for (const button of $$(root, "[data-kb-do=record-copy], [data-kb-do=record-md], [data-kb-do=record-text], [data-kb-do=close]")) {
    button.disabled = !ticket;
  }
  // A closed ticket reads only: its controls are disabled until «Открыть снова».
  for (const control of $$(root, ".kb-work__steps :is(input, textarea, select, button)")) {
    // Still usable when closed: changing the outcome (asks), reopening, the record.
    if (control.matches("[data-kb-do=reopen], [data-kb-do^=record], [data-kb-do=close], [data-kb-outcome]")) {
      control.disabled = !ticket;
      continue;
    }
    control.disabled = !ticket || closed || control.hasAttribute("data-kb-check-step");
  }
  root.querySelector("[data-kb-do=reopen]").hidden = !closed;
  root.querySelector("[data-kb-do=reopen]").disabled = false;

  for (const step of model.steps) {
    const state = stateOf(step, run);
    const rail = root.querySelector(`[data-kb-state="${esc(step.id)}"]`);
    rail.textContent = words[STATE_WORD[state]];
    rail.closest("li").setAttribute("data-state", state);
    const na = run?.na?.[step.id];
    const section = root.querySelector(`[data-kb-step="${esc(step.id)}"]`);
    section.setAttribute("data-state", state);
    // «Не применимо» opens its reason (main.mjs); a step not applicable offers its way back.
    const back = section.querySelector("[data-kb-na-toggle]");
    const reason = section.querySelector("[data-kb-na]");
    back.textContent = na ? words.step_back : words.button_na;
    back.setAttribute("data-kb-do", na ? "step-back" : "step-na");
    if (na || fresh) reason.hidden = true;
    if (na) back.removeAttribute("aria-expanded");
    else back.setAttribute("aria-expanded", !reason.hidden);
    setValue(section.querySelector("[data-kb-note]"), run?.notes?.[step.id] || "", fresh);
  }
  for (const box of $$(root, "[data-kb-action]")) {
    const at = run?.ticks?.[box.getAttribute("data-kb-action")];
    box.checked = !!at;
    box.title = at ? when(at, words) : "";
  }
  for (const box of $$(root, "[data-kb-term]")) box.checked = !!run?.criteria?.[box.getAttribute("data-kb-term")];
  for (const box of $$(root, "[data-kb-case]")) {
    const applied = run?.cases?.[box.getAttribute("data-kb-case")];
    if (box.tagName === "DETAILS") {
      box.classList.toggle("kb-work__case--on", !!applied);
      if (applied) box.open = true;
      box.querySelector("[data-kb-do=case]").textContent = applied ? words.case_remove : words.case_apply;
    }
  }
  const fields = valuesOf(page, run);
  page.shown = Object.assign(Object.create(null), fields);
  for (const control of $$(root, "[data-kb-field]")) setValue(control, fields[control.getAttribute("data-kb-field")], fresh);
  // A generator being typed in keeps its own values (it shares them with the others itself).
  for (const form of $$(root, "form.kb-gen")) {
    if (fresh || !form.contains(document.activeElement)) form.kbState?.set(ticket ? fields : Object.create(null));
  }
  for (const draft of $$(root, "[data-kb-draft]")) {
    setValue(draft, ticket?.drafts?.[draft.getAttribute("data-kb-draft") + ":" + model.regulation] || "", fresh);
  }
  renderLog(page, run);
  renderFinal(page, run);
}

// The values every control and template shows: the ticket's fields, its number and client,
// and the fields the run fills itself (source: criteria — the criteria ticked, joined by «; »).
function valuesOf(page, run) {
  const { model, ticket } = page;
  const values = Object.assign(Object.create(null), ticket?.fields);
  if (!ticket) return values;
  values[model.ticket.number] = ticket.number;
  values[model.ticket.client] = ticket.client;
  const terms = model.steps.flatMap((s) => s.criteria || []);
  for (const [id, field] of Object.entries(model.fields)) {
    if (field.source === "criteria") values[id] = terms.filter((t) => run?.criteria?.[t.id]).map((t) => t.text).join("; ");
  }
  return values;
}

function renderLog(page, run) {
  const { root, model, words } = page;
  for (const box of $$(root, "[data-kb-log]")) {
    const list = box.querySelector("[data-kb-entries]");
    const step = model.steps.find((s) => s.id === box.getAttribute("data-kb-log"));
    const titles = Object.fromEntries(step.monitoring.statuses.map((s) => [s.id, s.title]));
    list.replaceChildren(
      ...(run?.log || []).map((entry) => {
        const li = document.createElement("li");
        const next = entry.next ? ` · ${words.log_next}: ${entry.next.split("-").reverse().join(".")}` : "";
        li.textContent = `${when(entry.at, words)} — ${titles[entry.status] || entry.status}${entry.note ? ": " + entry.note : ""}${next}`;
        return li;
      }),
    );
    // A fresh id per entry to add: a second click on the same one adds nothing (the store).
    const log = run?.log || [];
    box.querySelector("[data-kb-do=log-add]").setAttribute("data-kb-entry", "e" + (log.length + 1));
    // The status offered next: the one after the last logged (statuses are in their order).
    const select = box.querySelector("[data-kb-log-status]");
    const last = log.length ? step.monitoring.statuses.findIndex((s) => s.id === log[log.length - 1].status) : -1;
    // Offered once per entry: a status chosen by hand stays until it is added.
    if (select.getAttribute("data-kb-for") !== String(log.length)) {
      select.setAttribute("data-kb-for", String(log.length));
      select.selectedIndex = Math.min(last + 1, select.options.length - 1);
    }
  }
}

// The closing check: checklist items with a step follow their step; the list says what is
// not done yet, so that nothing is ticked twice.
function renderFinal(page, run) {
  const { root, model, words } = page;
  for (const box of $$(root, "[data-kb-check]")) {
    const step = box.getAttribute("data-kb-check-step");
    const s = step && model.steps.find((x) => x.id === step);
    box.checked = s ? ["done", "na"].includes(stateOf(s, run)) : !!run?.checklist?.[box.getAttribute("data-kb-check")];
  }
  const left = model.steps.filter((s) => !["done", "na"].includes(stateOf(s, run)));
  const box = root.querySelector("[data-kb-left]");
  box.replaceChildren();
  if (left.length && page.ticket) {
    const p = box.appendChild(document.createElement("p"));
    p.textContent = words.checklist_left + ":";
    const ul = box.appendChild(document.createElement("ul"));
    for (const s of left) ul.appendChild(document.createElement("li")).textContent = `${words.step} ${s.number}. ${s.title}`;
  }
  const closed = page.ticket?.closed;
  for (const radio of $$(root, "[data-kb-outcome]")) {
    if (closed) radio.checked = radio.value === closed.outcome;
  }
  const final = root.querySelector(`[data-kb-state="final"]`);
  if (final) final.textContent = closed ? words.outcomes[closed.outcome] : "";
}

// One step open at a time: the one named, else the first that is not done.
export function openStep(page, id, focus) {
  const { root, model } = page;
  id = id && id.replace(/^step-/, "");
  const run = runOf(page);
  const known = id === "final" || model.steps.some((s) => s.id === id);
  if (!known) id = (model.steps.find((s) => !["done", "na"].includes(stateOf(s, run))) || { id: "final" }).id;
  for (const section of $$(root, "[data-kb-step], [data-kb-final]")) {
    const mine = section.hasAttribute("data-kb-final") ? id === "final" : section.getAttribute("data-kb-step") === id;
    section.hidden = !mine;
  }
  for (const link of $$(root, "[data-kb-rail]")) {
    if (link.getAttribute("data-kb-rail") === id) link.setAttribute("aria-current", "step");
    else link.removeAttribute("aria-current");
  }
  const hash = id === "final" ? "#final" : "#step-" + id;
  if (location.hash !== hash) history.replaceState(history.state, "", hash);
  if (focus) {
    const heading = root.querySelector(`${hash} h2`);
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
    // The step from its top, below Material's header (the rail's strip above it on phones).
    const body = root.querySelector(".kb-work__body");
    const header = document.querySelector(".md-header")?.offsetHeight || 0;
    const top = body.getBoundingClientRect().top - header;
    if (top < 0 || top > innerHeight / 3) scrollTo({ top: scrollY + top - 8 });
  }
}
