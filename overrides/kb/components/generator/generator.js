/* Template generator: fills a regulation template from a form rendered at build time.
   Everything template-specific comes from the markup (kb.templateOf): the body from the
   template's <pre>, the fields from their data attributes. The user's text is only ever set
   through .value / .textContent, never parsed as HTML. */
(function () {
  "use strict";
  var kb = window.kb;
  var PLACEHOLDER = /\[([^[\]\n]+)\]/g;
  var live = []; // generators of the current page: a field id typed once fills them all

  // Field ids, placeholders and template ids are the author's words: every table keyed by them
  // has no prototype (no [constructor] or [toString] found in it), and the form is never asked
  // for a property (form.id, form.hidden): a field named "id" or "hidden" would answer.
  function own(values) {
    return Object.assign(Object.create(null), values);
  }

  // The placeholder rule (kb.fill); kb/placeholders.py is its Python twin, kept equal by a test.
  // A value counts when it has a non-blank character (a list: in any of its rows).
  function filled(value) {
    return [].concat(value).some(function (v) {
      return v != null && String(v).trim() !== "";
    });
  }

  // Body -> paragraphs -> lines -> parts (text or {field, name}). The n-th occurrence of a
  // placeholder belongs to the field with occurrence n, else to the field naming it without one.
  function compile(body, fields) {
    var owner = own();
    var seen = own();
    var listed = own();
    fields.forEach(function (f) {
      [].concat(f.placeholder || []).forEach(function (name) {
        owner[name + "#" + (f.occurrence || "*")] = f;
      });
    });
    return body.split("\n\n").map(function (para) {
      return para.split("\n").map(function (text) {
        var line = { text: text, parts: [], list: null };
        var at = 0;
        var m;
        PLACEHOLDER.lastIndex = 0;
        while ((m = PLACEHOLDER.exec(text))) {
          seen[m[1]] = (seen[m[1]] || 0) + 1;
          var f = owner[m[1] + "#" + seen[m[1]]] || owner[m[1] + "#*"];
          if (!f) continue;
          line.parts.push(text.slice(at, m.index), { field: f, name: m[1] });
          at = m.index + m[0].length;
          if (f.type === "list") {
            line.list = f;
            line.first = !listed[f.id];
            listed[f.id] = true;
          }
        }
        line.parts.push(text.slice(at));
        return line;
      });
    });
  }

  function markdownValue(value) {
    return value.replace(/[\\`*_[\]<>#|~]/g, "\\$&");
  }

  function show(f, value, md) {
    var text = String(value).replace(/\r\n?/g, "\n").trim();
    if (f.type === "date") text = text.replace(/^(\d{4})-(\d{2})-(\d{2})$/, "$3.$2.$1");
    return md ? markdownValue(text) : text;
  }

  // The rule for empty optional fields: a line holding an empty optional placeholder is dropped;
  // a paragraph that had placeholders and kept none of their lines is dropped whole (with its
  // label lines such as «Временные решения:»). Empty required fields keep their [placeholder].
  function render(paragraphs, values, md) {
    var out = [];
    paragraphs.forEach(function (lines) {
      var kept = [];
      var had = false;
      var used = false;
      lines.forEach(function (line) {
        if (line.parts.length === 1) return kept.push(line.text);
        had = true;
        if (line.list) {
          var items = [].concat(values[line.list.id] || []).filter(filled);
          if (!items.length && line.list.required) {
            kept.push(line.text);
            used = true;
          } else if (items.length && line.first) {
            items.forEach(function (item, i) {
              // Numbering follows the first line's prefix: "1. " -> "2. ", "- " stays "- ".
              var prefix = line.parts[0].replace(/^(\s*)\d+/, "$1" + (i + 1));
              kept.push(prefix + show(line.list, item, md) + line.parts[2]);
            });
            used = true;
          }
          return;
        }
        var text = "";
        for (var i = 0; i < line.parts.length; i++) {
          var part = line.parts[i];
          if (typeof part === "string") {
            text += part;
          } else if (filled(values[part.field.id])) {
            text += show(part.field, values[part.field.id], md);
          } else if (part.field.required) {
            text += "[" + part.name + "]";
          } else {
            return;
          }
        }
        kept.push(text);
        used = true;
      });
      if (!had || used) out.push(kept.join("\n"));
    });
    return md ? hardBreaks(out) : out.join("\n\n");
  }

  kb.fill = function (body, fields, values, md) {
    return render(compile(body, fields), own(values), md);
  };

  // Markdown joins the lines of a paragraph: end each with "\" (a hard break) unless a list
  // item follows or it is the last line, where a backslash would show literally.
  function hardBreaks(paragraphs) {
    var item = /^\s*(\d+[.)]|[-*+])\s/;
    return paragraphs
      .map(function (para) {
        var lines = para.split("\n");
        return lines
          .map(function (line, i) {
            var next = lines[i + 1];
            return next === undefined || item.test(next) || item.test(line) ? line : line + "\\";
          })
          .join("\n");
      })
      .join("\n\n");
  }

  // Today's local date as a date input writes it (YYYY-MM-DD): now, moved by the zone's offset.
  function today() {
    return new Date(Date.now() - new Date().getTimezoneOffset() * 6e4).toISOString().slice(0, 10);
  }

  function initial(f) {
    if (f.type === "list") {
      return f.placeholder.map(function () {
        return "";
      });
    }
    if (f.default === "today") return today();
    return f.default || "";
  }

  // --- the form -------------------------------------------------------------------------------

  function read(g) {
    var values = own();
    g.spec.fields.forEach(function (f) {
      var el = f.box;
      if (f.type === "list") {
        values[f.id] = Array.prototype.map.call(el.querySelectorAll("li input"), function (i) {
          return i.value;
        });
      } else if (f.type === "select") {
        var checked = el.querySelector("input:checked");
        values[f.id] = checked ? checked.value : "";
      } else {
        values[f.id] = el.querySelector("input, textarea").value;
      }
    });
    return values;
  }

  function write(g, f, value) {
    var el = f.box;
    if (f.type === "list") {
      var list = el.querySelector("ol");
      var rows = [].concat(value);
      if (!rows.length) rows = [""];
      while (list.children.length > rows.length) list.lastElementChild.remove();
      while (list.children.length < rows.length) list.appendChild(f.row.cloneNode(true));
      list.querySelectorAll("input").forEach(function (input, i) {
        input.value = rows[i];
      });
      relabel(g, f);
    } else if (f.type === "select") {
      el.querySelectorAll("input").forEach(function (radio) {
        radio.checked = radio.value === value;
      });
    } else {
      el.querySelector("input, textarea").value = Array.isArray(value) ? value.join("\n") : value;
    }
  }

  // Rows are numbered by position: labels, ids and button names follow every add/move/remove.
  function relabel(g, f) {
    var el = f.box;
    var base = el.querySelector("ol").getAttribute("data-item-label").replace(/\s*\d+$/, "");
    var prefix = g.id + "-" + f.id + "_";
    el.querySelectorAll("li").forEach(function (li, i) {
      var name = base + " " + (i + 1);
      li.querySelector("label").textContent = name;
      li.querySelector("label").htmlFor = li.querySelector("input").id = prefix + (i + 1);
      li.querySelectorAll("button").forEach(function (b) {
        b.setAttribute("aria-label", b.textContent + ": " + name);
      });
    });
  }

  function message(f) {
    if (f.type === "select") return "Выберите вариант в поле «" + f.label + "»";
    if (f.type === "date") return "Укажите дату в поле «" + f.label + "»";
    if (f.type === "list") return "Заполните хотя бы одну строку в поле «" + f.label + "»";
    return "Заполните поле «" + f.label + "»";
  }

  // Inline error of one field: message (after the label and hint), red border, aria-invalid
  // and the message in the control's description; or none of them.
  function mark(g, f, bad) {
    var el = f.box;
    var id = g.id + "-" + f.id + "_error";
    var old = document.getElementById(id);
    var described = el.matches("fieldset") ? el : el.querySelector("input, textarea");
    var refs = (described.getAttribute("aria-describedby") || "").replace(id, "").trim();
    if (old) old.remove();
    el.classList.toggle("kb-gen__field--error", bad);
    el.querySelectorAll("input, textarea").forEach(function (c) {
      if (bad) c.setAttribute("aria-invalid", "true");
      else c.removeAttribute("aria-invalid");
    });
    if (bad) {
      var error = document.createElement("p");
      var hidden = document.createElement("span");
      error.className = "kb-gen__error";
      error.id = id;
      hidden.className = "kb-visually-hidden";
      hidden.textContent = "Ошибка: ";
      error.append(hidden, message(f));
      (el.querySelector(":scope > .kb-gen__hint") || el.firstElementChild).after(error);
      refs = (refs + " " + id).trim();
    }
    if (refs) described.setAttribute("aria-describedby", refs);
    else described.removeAttribute("aria-describedby");
  }

  // The error summary, added once the form mounts and hidden until a check fails.
  function summaryOf(form, id) {
    var summary = document.createElement("div");
    var title = document.createElement("p");
    summary.className = "kb-gen__summary";
    summary.setAttribute("role", "alert");
    summary.tabIndex = -1;
    summary.hidden = true;
    title.className = "kb-gen__summary-title";
    title.id = id + "_summary";
    title.textContent = "Исправьте ошибки, чтобы получить текст";
    summary.setAttribute("aria-labelledby", title.id);
    summary.append(title, document.createElement("ul"));
    form.querySelector(".kb-gen__title").after(summary);
    return summary;
  }

  // GOV.UK pattern: a summary that takes focus and links to each field, plus inline messages.
  function validate(g, focus) {
    var values = read(g);
    var list = g.summary.querySelector("ul");
    list.replaceChildren();
    g.spec.fields.forEach(function (f) {
      var value = values[f.id];
      var bad = !!f.required && !filled(value);
      mark(g, f, bad);
      if (!bad) return;
      var link = document.createElement("a");
      link.href = "#" + f.box.querySelector("input, textarea").id;
      link.textContent = message(f);
      var li = document.createElement("li");
      li.appendChild(link);
      list.appendChild(li);
    });
    g.summary.hidden = !list.children.length;
    if (focus && list.children.length) g.summary.focus();
    return !list.children.length;
  }

  function update(g, values) {
    g.preview.textContent = render(g.paragraphs, values);
    g.status.textContent = "";
    if (!g.summary.hidden) validate(g, false);
    if (kb.ticket) return; // the ticket's fields: the workspace stores them (kb-change)
    if (!kb.storage.write(g.key, { values: values })) {
      g.note.textContent = "Черновик не сохраняется: хранилище браузера недоступно или переполнено.";
    }
  }

  function changed(g, target) {
    var values = read(g);
    var id = target.name;
    update(g, values);
    tell(g, { field: id, values: values });
    live.forEach(function (other) {
      var f = other.byId[id];
      if (other === g || !f || !g.byId[id] || f.type !== g.byId[id].type) return;
      write(other, f, values[id]);
      update(other, read(other));
    });
  }

  // What the ticket workspace listens to: a field typed, the fields cleared, a text copied.
  function tell(g, detail) {
    detail.tool = "generator";
    g.form.dispatchEvent(new CustomEvent("kb-change", { bubbles: true, detail: detail }));
  }

  function say(g, text) {
    g.status.textContent = "";
    // A fresh text node each time so that a repeated message is announced again.
    window.requestAnimationFrame(function () {
      g.status.textContent = text;
    });
  }

  function copy(g) {
    if (!validate(g, true)) return;
    var text = render(g.paragraphs, read(g));
    var failed = function () {
      say(g, "Не удалось скопировать автоматически: выделите текст результата и нажмите Ctrl+C.");
    };
    if (!navigator.clipboard) return failed();
    navigator.clipboard.writeText(text).then(function () {
      say(g, "Текст скопирован в буфер обмена.");
      tell(g, { copied: g.spec.template });
    }, failed);
  }

  function download(g, format) {
    if (!validate(g, true)) return;
    var values = read(g);
    var md = format === "md";
    var name = g.spec.filename.replace(/\{([^{}]*)\}/g, function (_, id) {
      return values[id] ? String(values[id]).trim() : "";
    });
    // Keep names portable: letters (any script), digits, "-", "_", "."; the rest become "-".
    name = name.replace(/[^\p{L}\p{N}._-]+/gu, "-").replace(/-{2,}/g, "-").replace(/^[-.]+|[-.]+$/g, "");
    var blob = new Blob([render(g.paragraphs, values, md) + "\n"], {
      type: (md ? "text/markdown" : "text/plain") + ";charset=utf-8",
    });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = (name || g.spec.template) + "." + format;
    link.click();
    setTimeout(function () {
      URL.revokeObjectURL(link.href);
    }, 1000);
    say(g, "Файл " + link.download + " скачан.");
  }

  function clear(g) {
    if (!window.confirm("Очистить все поля шаблона «" + g.spec.title + "»? Черновик будет удалён.")) return;
    kb.storage.remove(g.key);
    // Every field back to its initial value, no error shown.
    g.fill(null);
    tell(g, { all: read(g) });
    say(g, "Поля очищены.");
  }

  function listAction(g, button, action) {
    var f = g.byId[button.closest("[data-field]").getAttribute("data-field")];
    var list = f.box.querySelector("ol");
    var li = button.closest("li");
    var focus = button;
    if (action === "add") {
      li = list.appendChild(f.row.cloneNode(true));
      li.querySelector("input").value = "";
      focus = li.querySelector("input");
    } else if (action === "up" && li.previousElementSibling) {
      list.insertBefore(li, li.previousElementSibling);
    } else if (action === "down" && li.nextElementSibling) {
      list.insertBefore(li.nextElementSibling, li);
    } else if (action === "remove") {
      var next = li.nextElementSibling || li.previousElementSibling;
      if (next) li.remove();
      else li.querySelector("input").value = "";
      focus = (next || li).querySelector("input");
    }
    relabel(g, f);
    focus.focus();
    changed(g, { name: f.id });
  }

  // The template as the YAML defines it (id, title, body, filename, fields without their hints
  // and options, which the markup shows), read back from the form that generator.html renders.
  kb.templateOf = function (form) {
    var d = function (name) {
      return form.getAttribute("data-" + name);
    };
    return {
      regulation: d("regulation"),
      template: d("template"),
      title: d("title"),
      filename: d("filename"),
      body: document.querySelector('[data-kb-body="' + form.getAttribute("id") + '"]').textContent,
      fields: Array.prototype.map.call(form.querySelectorAll("[data-field]"), function (el) {
        var a = el.dataset;
        var control = el.querySelector("ol, [type=radio], textarea, input");
        var f = {
          id: a.field,
          label: el.querySelector("label, legend").firstChild.data,
          type: control.tagName === "OL" ? "list" : control.type === "radio" ? "select" : control.type,
          required: "required" in a,
        };
        if ("placeholder" in a) f.placeholder = a.placeholder.split("\n");
        if (a.occurrence) f.occurrence = Number(a.occurrence);
        if ("default" in a) f.default = a.default;
        return f;
      }),
    };
  };

  kb.tool("generator", function (form) {
    var spec = kb.templateOf(form);
    var id = form.getAttribute("id");
    var g = {
      form: form,
      id: id,
      spec: spec,
      key: "kb.draft." + spec.regulation + "." + spec.template,
      paragraphs: compile(spec.body, spec.fields),
      byId: own(),
      preview: form.querySelector("[data-preview]"),
      summary: summaryOf(form, id),
      status: form.querySelector(".kb-gen__status"),
      note: form.querySelector(".kb-gen__storage"),
    };
    live = live.filter(function (other) {
      return document.contains(other.form);
    });
    // Each field keeps its box (templateOf reads the fields in this order) and a list its row.
    var boxes = form.querySelectorAll("[data-field]");
    spec.fields.forEach(function (f, i) {
      g.byId[f.id] = f;
      f.box = boxes[i];
      if (f.type === "list") f.row = f.box.querySelector("li").cloneNode(true);
    });

    // Without a ticket: this page's draft; with one (kb.ticket), the ticket's fields, which the
    // workspace sets through form.kbState (null: back to the draft).
    function draft() {
      g.note.textContent = "";
      var saved = kb.storage.read(g.key);
      var values = saved.value && typeof saved.value.values === "object" ? saved.value.values : null;
      if (!saved.ok) {
        g.note.textContent = "Черновик не сохраняется: хранилище браузера недоступно.";
      } else if (saved.corrupt || (saved.value && !values)) {
        g.note.textContent = "Сохранённый черновик повреждён и не восстановлен.";
      }
      return values;
    }
    function fill(values, shared) {
      values = own(values);
      spec.fields.forEach(function (f) {
        var value = initial(f);
        var mine = values[f.id];
        // A value of the wrong shape (edited YAML, junk in storage) is ignored.
        if (f.type === "list" ? Array.isArray(mine) : typeof mine === "string") value = mine;
        // Offer what was typed into the same field of another generator on this page.
        live.forEach(function (other) {
          var theirs = shared && other !== g && other.byId[f.id] && read(other)[f.id];
          if (!filled(value) && theirs && other.byId[f.id].type === f.type) value = theirs;
        });
        write(g, f, value);
        mark(g, f, false);
      });
      g.summary.hidden = true;
      g.preview.textContent = render(g.paragraphs, read(g));
    }
    g.fill = fill;
    fill(kb.ticket ? null : draft(), true);
    form.kbState = {
      set: function (fields) {
        fill(fields || draft(), false);
      },
    };
    live.push(g);

    form.addEventListener("input", function (event) {
      if (event.target.name) changed(g, event.target);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    form.addEventListener("click", function (event) {
      var target = event.target.closest("a, button");
      if (!target) return;
      var action = target.getAttribute("data-action");
      if (target.tagName === "A" && g.summary.contains(target)) {
        // Summary links focus their field (and keep Material's instant navigation out of it).
        event.preventDefault();
        event.stopPropagation();
        var field = document.getElementById(target.hash.slice(1));
        field.focus();
        field.scrollIntoView({ block: "center" });
      } else if (action === "copy") copy(g);
      else if (action === "download") download(g, target.getAttribute("data-format"));
      else if (action === "clear") clear(g);
      else if (action) listAction(g, target, action);
    });
    // Working layout: the raw template folds away (the form fills it; print shows it), and the
    // result with its buttons is one block that sits beside the fields on wide screens.
    var raw = document.querySelector('[data-kb-body="' + id + '"]');
    var fold = document.createElement("button");
    fold.type = "button";
    fold.className = "kb-gen__small kb-gen__fold";
    fold.textContent = "Исходный текст шаблона";
    fold.setAttribute("aria-expanded", "false");
    fold.addEventListener("click", function () {
      var open = fold.getAttribute("aria-expanded") !== "true";
      fold.setAttribute("aria-expanded", String(open));
      raw.classList.toggle("kb-template__body--folded", !open);
    });
    raw.classList.add("kb-template__body--folded");
    raw.before(fold);
    var out = document.createElement("div");
    out.className = "kb-gen__out";
    var result = g.preview.previousElementSibling; // «Результат:»
    form.insertBefore(out, result);
    out.append(result, g.preview, form.querySelector(".kb-gen__actions"), g.status);
    form.removeAttribute("hidden");
  });
})();
