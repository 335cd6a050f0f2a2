/* «Мои обращения»: the tickets of this browser, open and closed, each a link to the work page
   of the regulation it was last worked on (pattern: data-kb-page, «{slug}» filled in). Open
   tickets whose next status check is past come first; closed ones say their outcome; tickets
   whose record was never copied or downloaded are marked. Used by the work page and the home
   page (home.mjs, which also lets a ticket be deleted: options.remove). */
import { word as fill } from "./text.mjs";
import { date } from "./when.mjs";

const pad = (n) => String(n).padStart(2, "0");

// The next status check asked for: the last entry of the status log of its last run, «YYYY-MM-DD».
function nextCheck(ticket) {
  const logs = Object.values(ticket.runs).map((run) => run.log).filter((log) => log.length);
  return logs.length ? logs[logs.length - 1].at(-1).next : null;
}
const late = (ticket, today) => !ticket.closed && (nextCheck(ticket) || today) < today;

function add(parent, tag, text) {
  const el = parent.appendChild(document.createElement(tag));
  el.textContent = text;
  return el;
}

function item(ticket, c) {
  const li = document.createElement("li");
  const slugs = Object.keys(ticket.runs);
  const name = ticket.number + (ticket.client ? " · " + ticket.client : "");
  // A ticket opened and left before its first change has no run: its regulation is unknown.
  if (slugs.length) {
    const a = add(li, "a", name);
    a.href = c.pattern.replace("{slug}", encodeURIComponent(slugs.at(-1))) + "?ticket=" + encodeURIComponent(ticket.id);
  } else li.append(name);
  const extra = slugs.map((slug) => ticket.runs[slug].title).filter(Boolean);
  if (late(ticket, c.today)) extra.unshift(fill(c.words.ticket_overdue, { date: date(nextCheck(ticket), c.words) }));
  if (ticket.closed) extra.push(c.words.outcomes[ticket.closed.outcome] || ticket.closed.outcome);
  if (c.store.neverExported(ticket)) extra.push(c.words.not_exported);
  if (extra.length) li.append(" — " + extra.join("; "));
  if (c.remove) {
    const button = add(li, "button", c.words.ticket_delete);
    button.type = "button";
    button.className = "md-button";
    button.setAttribute("aria-label", fill(c.words.ticket_delete_label, { number: ticket.id }));
    button.addEventListener("click", () => c.remove(ticket));
  }
  return li;
}

export function showTickets(panel, store, words, pattern, options = {}) {
  const { open, closed, unreadable, ok } = store.list();
  const d = new Date();
  const today = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const c = { store, words, pattern, today, remove: null };
  if (options.remove) {
    c.remove = (ticket) => {
      if (!window.confirm(fill(words.ticket_delete_confirm, { number: ticket.id }))) return;
      store.remove(ticket.id);
      showTickets(panel, store, words, pattern, options);
      panel.focus();
    };
  }
  open.sort((a, b) => late(b, today) - late(a, today)); // stable: the newest change first within each
  panel.replaceChildren();
  if (!open.length && ok) add(panel, "p", words.tickets_none);
  const groups = [
    [words.tickets_open, open],
    [words.tickets_closed, closed],
  ];
  for (const [title, tickets] of groups) {
    if (!tickets.length) continue;
    add(panel, "p", `${title} (${tickets.length})`).className = "kb-work__list-title";
    const ul = panel.appendChild(document.createElement("ul"));
    for (const t of tickets) ul.appendChild(item(t, c));
  }
  if (unreadable.length) add(panel, "p", words.tickets_unreadable + " " + unreadable.join(", "));
  if (!ok) add(panel, "p", words.tickets_unavailable);
}
