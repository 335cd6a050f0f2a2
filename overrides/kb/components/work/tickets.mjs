/* «Мои обращения»: the tickets of this browser, open and closed, each a link to the work page
   of the regulation it was last worked on (pattern: data-kb-page, «{slug}» filled in). Tickets
   whose record was never copied or downloaded are marked. Used by the work page and the home page. */

function item(ticket, words, pattern, neverExported) {
  const li = document.createElement("li");
  const slugs = Object.keys(ticket.runs || {});
  const a = li.appendChild(document.createElement("a"));
  a.href = pattern.replace("{slug}", encodeURIComponent(slugs[slugs.length - 1] || "")) + "?ticket=" + encodeURIComponent(ticket.id);
  a.textContent = ticket.number + (ticket.client ? " · " + ticket.client : "");
  const titles = slugs.map((slug) => ticket.runs[slug].title).filter(Boolean);
  const extra = [...titles];
  if (ticket.closed) extra.push(words.outcomes[ticket.closed.outcome] || ticket.closed.outcome);
  if (neverExported) extra.push(words.not_exported);
  if (extra.length) li.append(" — " + extra.join("; "));
  return li;
}

export function showTickets(panel, store, words, pattern) {
  const { open, closed, ok } = store.list();
  panel.replaceChildren();
  const groups = [
    [words.tickets_open, open],
    [words.tickets_closed, closed],
  ];
  for (const [title, tickets] of groups) {
    const h = panel.appendChild(document.createElement("p"));
    h.className = "kb-work__list-title";
    h.textContent = `${title} (${tickets.length})`;
    if (!tickets.length) continue;
    const ul = panel.appendChild(document.createElement("ul"));
    for (const t of tickets) ul.appendChild(item(t, words, pattern, store.neverExported(t)));
  }
  if (!ok) panel.appendChild(document.createElement("p")).textContent = words.unsaved;
}
