/* Knowledge-base tools: one namespace (window.kb), safe storage, mounting that survives
   Material's instant navigation. Each tool registers itself with kb.tool(name, mount) and is
   bound to elements carrying data-kb-tool="name". */
(function () {
  "use strict";
  var kb = (window.kb = window.kb || {});
  var mounters = {};

  // localStorage may be missing, disabled (SecurityError), full (QuotaExceededError) or hold
  // junk written by someone else: every access goes through here and never throws.
  kb.storage = {
    // -> {ok: false} when storage is unavailable, else {ok: true, value, corrupt}
    read: function (key) {
      var raw;
      try {
        raw = window.localStorage.getItem(key);
      } catch (e) {
        return { ok: false };
      }
      try {
        return { ok: true, value: raw === null ? null : JSON.parse(raw) };
      } catch (e) {
        return { ok: true, value: null, corrupt: true };
      }
    },
    write: function (key, value) {
      try {
        window.localStorage.setItem(key, JSON.stringify(value));
        return true;
      } catch (e) {
        return false;
      }
    },
    remove: function (key) {
      try {
        window.localStorage.removeItem(key);
      } catch (e) {
        /* nothing stored, nothing to remove */
      }
    },
  };

  // The date as toLocaleDateString("ru-RU", {dateStyle: "long"}) writes it, without Intl: its
  // first use costs more than all our tools' mounting on a slow phone.
  var MONTHS = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря";
  mounters["print-date"] = function (el) {
    var d = new Date();
    el.textContent = d.getDate() + " " + MONTHS.split(" ")[d.getMonth()] + " " + d.getFullYear() + " г.";
  };

  // Built without its public address (site_url), a page prints the address it was read at.
  mounters["print-address"] = function (el) {
    el.textContent = location.origin + location.pathname;
  };

  // A tool that only some pages have names its script (data-kb-script): loaded once, when a
  // page that has it is shown (instant navigation too); its kb.tool() then mounts it.
  var loading = {};
  function load(src) {
    if (loading[src]) return;
    loading[src] = true;
    var script = document.createElement("script");
    script.src = src;
    document.head.appendChild(script);
  }

  function mountAll() {
    document.querySelectorAll("[data-kb-tool]").forEach(function (el) {
      var mount = mounters[el.getAttribute("data-kb-tool")];
      if (!mount && el.hasAttribute("data-kb-script")) load(el.getAttribute("data-kb-script"));
      // Instant navigation swaps the content in: new elements lack the flag and get mounted.
      if (mount && !el.kbMounted) {
        el.kbMounted = true;
        mount(el);
      }
    });
  }

  kb.tool = function (name, mount) {
    mounters[name] = mount;
    if (document.readyState !== "loading") mountAll();
  };

  // Material emits document$ on the first load and after every instant page switch.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mountAll);
  }
  document.addEventListener("DOMContentLoaded", mountAll);
})();
