/* At load, on every page (see workspace.html): pages made of ES modules, and the old link of a
   reading page with a ticket, which now opens the regulation's work page. */
(function () {
  "use strict";
  var kb = window.kb;
  // The reading page's generators and checklist keep their own drafts: no ticket is worked there.
  kb.ticket = null;
  // A page of ES modules (the work page, «Мои обращения» on the home page): its module mounts it.
  kb.tool("module", function (el) {
    import(new URL(el.dataset.kbSrc, location)).then(function (m) {
      m.mount(el);
    });
  });
  // …/regulations/<slug>/?ticket=48213&client=… -> …/regulations/<slug>/work/?ticket=…, in place
  // of this page in the history (Back leads where the link was followed from).
  kb.tool("work-entry", function (link) {
    if (!new URLSearchParams(location.search).has("ticket")) return;
    var to = new URL(link.getAttribute("href"), location.href);
    to.search = location.search;
    to.hash = location.hash;
    location.replace(to.href);
  });
})();
