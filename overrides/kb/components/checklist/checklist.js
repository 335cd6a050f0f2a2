/* Interactive checklist: progress «N из M», ticks remembered per regulation and keyed by the
   item id (not its wording or position), «Сбросить» clears them. Without JavaScript the
   checkboxes still work, they are just not remembered. */
(function () {
  "use strict";
  var kb = window.kb;

  kb.tool("checklist", function (root) {
    var article = root.closest("[data-kb-regulation]");
    var key = "kb.checklist." + (article ? article.getAttribute("data-kb-regulation") : location.pathname);
    var boxes = Array.prototype.slice.call(root.querySelectorAll("input[type=checkbox]"));
    var progress = root.querySelector(".kb-checklist__progress");
    var note = root.querySelector(".kb-checklist__storage");
    var saved = kb.storage.read(key);
    if (!saved.ok) note.textContent = "Отметки не сохраняются: хранилище браузера недоступно.";
    var state = saved.value && typeof saved.value === "object" ? saved.value : {};

    function show() {
      var done = boxes.filter(function (box) {
        return box.checked;
      }).length;
      progress.textContent = "Выполнено: " + done + " из " + boxes.length;
    }

    function save() {
      state = {};
      boxes.forEach(function (box) {
        if (box.checked) state[box.name] = true;
      });
      if (!kb.storage.write(key, state)) {
        note.textContent = "Отметки не сохраняются: хранилище браузера недоступно или переполнено.";
      }
    }

    function apply() {
      boxes.forEach(function (box) {
        // Own ticks only: an item id such as "constructor" finds nothing in Object.prototype.
        box.checked = {}.hasOwnProperty.call(state, box.name) && !!state[box.name];
      });
      show();
    }
    apply();
    root.addEventListener("change", function () {
      save();
      show();
    });
    root.querySelector("[data-action=reset]").addEventListener("click", function () {
      boxes.forEach(function (box) {
        box.checked = false;
      });
      kb.storage.remove(key);
      show();
    });
    progress.hidden = false;
    root.querySelector(".kb-checklist__actions").hidden = false;
  });
})();
