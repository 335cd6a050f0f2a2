/* Ticket bar at load (see workspace.html): run.js loads on first use. */
(function () {
  "use strict";
  var kb = window.kb;
  // A ticket's localStorage key is this + its number (run.js keeps the records).
  kb.TICKET_PREFIX = "kb.ticket.v1.";
  try {
    kb.ticket = sessionStorage.getItem("kb.ticket.active");
  } catch (e) {
    kb.ticket = null;
  }
  // A page made of ES modules (the work page): its main module mounts it (and loads its style).
  kb.tool("module", function (el) {
    import(new URL(el.dataset.kbSrc, location)).then(function (m) {
      m.mount(el);
    });
  });
  kb.tool("workspace", function (bar) {
    function load(action) {
      // Later, not now: after instant navigation the tools below mount in this same pass.
      if (kb.workspace) return setTimeout(kb.workspace, 0, bar, action);
      var script = document.createElement("script");
      script.src = bar.getAttribute("data-kb-src");
      script.onload = function () {
        kb.workspace(bar, action);
      };
      document.head.appendChild(script);
    }
    if (bar.hasAttribute("data-kb-home")) {
      // The home page's «Мои обращения»: run.js draws the list only when a ticket is stored.
      var any = false;
      try {
        for (var i = 0; i < localStorage.length && !any; i++) any = localStorage.key(i).indexOf(kb.TICKET_PREFIX) === 0;
      } catch (e) {
        any = true; // run.js says that the storage cannot be read
      }
      if (any) load("home");
      else bar.firstElementChild.textContent = "Открытых обращений нет.";
      return;
    }
    function add(tag, text, action) {
      var el = bar.appendChild(document.createElement(tag));
      el.textContent = text;
      if (action) {
        el.className = "md-button";
        el.type = "button";
        el.setAttribute("data-action", action);
      }
      return el;
    }
    add("p", "Черновик без обращения").className = "kb-ws__state";
    add("button", "Работать по обращению", "start").className += " md-button--primary";
    add("button", "Мои обращения", "tickets");
    bar.addEventListener("click", function (e) {
      var b = e.target.closest("[data-action]");
      if (b && !bar.kbRun) load(b.getAttribute("data-action"));
    });
    if (kb.ticket || /[?&]ticket=/.test(location.search)) load();
  });
})();
