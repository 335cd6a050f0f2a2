/* «С вашего прошлого визита» (since.html): the version of each regulation a reader last saw
   stays in this browser (localStorage, this tool's own key) and nothing leaves it. On a newer
   version the entries of «Что изменилось» since then are shown until «Скрыть». */
(function () {
  "use strict";
  var kb = window.kb;
  kb.tool("since", function (box) {
    var key = "kb.since." + box.getAttribute("data-kb-slug");
    var now = box.getAttribute("data-kb-version");
    var seen = kb.storage.read(key);
    function keep() {
      kb.storage.write(key, now);
    }
    if (!seen.ok || seen.value === now) return;
    if (typeof seen.value !== "string") return keep(); // a first visit, or junk: from now on
    // Latest first; each block names the version it changed: copy until the one last read.
    var list = box.querySelector("ul");
    var blocks = document.querySelectorAll("[data-kb-changes] [data-kb-version]");
    for (var i = 0; i < blocks.length; i++) {
      blocks[i].querySelectorAll("li").forEach(function (li) {
        list.appendChild(li.cloneNode(true));
      });
      if (blocks[i].getAttribute("data-kb-version") === seen.value) break;
    }
    if (!list.children.length) return keep();
    box.querySelector("p").textContent = box.getAttribute("data-kb-title").replace("{version}", seen.value);
    box.hidden = false;
    box.querySelector("button").addEventListener("click", function () {
      keep();
      box.hidden = true;
    });
  });
})();
