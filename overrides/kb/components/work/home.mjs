/* «Мои обращения» on the home page (components/workspace/workspace.html, macro my_tickets): the
   tickets of this browser from their store, listed as the work page lists them (tickets.mjs),
   each deletable. Closed tickets older than the keep days (data-kb-keep) are removed first;
   another tab's change is shown at once. */
import { browserStorage, createStore, ticketsChannel } from "./store.mjs";
import { showTickets } from "./tickets.mjs";

export function mount(root) {
  const words = JSON.parse(root.getAttribute("data-kb-words"));
  const panel = root.querySelector("[data-kb-tickets]");
  panel.tabIndex = -1; // where focus goes when a deleted ticket's button is gone
  const channel = ticketsChannel();
  const store = createStore({ storage: browserStorage(), channel });
  store.purge(Number(root.getAttribute("data-kb-keep")));
  // How long tickets are kept is said under a list that has some (the first screen is short).
  const keep = root.querySelector(".kb-tickets__keep");
  const show = () => {
    showTickets(panel, store, words, root.getAttribute("data-kb-page"), { remove: true });
    keep.hidden = !panel.querySelector("li");
  };
  show();
  // Instant navigation swaps the page without reloading: a list that left it answers no more.
  const again = () => (root.isConnected ? show() : channel?.close());
  if (channel) channel.onmessage = again;
  window.addEventListener("storage", (event) => store.idOfKey(event.key) !== null && root.isConnected && show());
}
