/* The ticket workspace (loaded on first use by workspace.js): every tool's state belongs to a
   ticket; the run of the procedure is built inside the page's own steps from their stable ids
   (action-*, step-*, case-*, term-*) and the bar's data-kb-run. Tickets live only in this
   browser: localStorage "kb.ticket.v1.<number>"; the tab's active ticket in sessionStorage.
   Every change re-reads the stored ticket and applies itself to it, so two tabs on one ticket
   never drop each other's changes. Text from the URL or the user is set as text, never HTML. */
(function () {
  "use strict";
  var kb = window.kb;
  var FORMAT = "kb.ticket.v1";
  var PREFIX = kb.TICKET_PREFIX; // workspace.js, which loads this file
  var ACTIVE = "kb.ticket.active";
  var OUTCOMES = ["решено", "не решено", "эскалация не потребовалась"];
  var MONTHS = "янв. февр. мар. апр. мая июн. июл. авг. сент. окт. нояб. дек.".split(" ");
  var W = null; // the workspace of the current page

  // --- small helpers ---------------------------------------------------------------------------

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text != null) node.textContent = text;
    return node;
  }
  function button(text, action, extra) {
    var b = el("button", Object.assign({ type: "button", class: "kb-run__button", "data-run": action }, extra), text);
    return b;
  }
  // Ids (of steps, actions, cases, fields, templates, checklist items, regulations) are the
  // author's words: every table keyed by them has no prototype, the ones read from storage,
  // files and run.json included, so that an id such as "constructor" is found only if it is there.
  function table() {
    return Object.create(null);
  }
  function bare(value) {
    if (!value || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map(bare);
    var out = table();
    Object.keys(value).forEach(function (key) {
      out[key] = bare(value[key]);
    });
    return out;
  }
  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }
  function now() {
    return new Date().toISOString();
  }
  function when(iso) {
    var d = new Date(iso);
    return d.getDate() + " " + MONTHS[d.getMonth()] + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function localDate(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  function ruDate(ymd) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd || "");
    return m ? m[3] + "." + m[2] + "." + m[1] : "";
  }
  // Ticket number and client are one line wherever they come from (URL, form, file): control
  // characters, a newline above all, become a space.
  function oneLine(value) {
    return String(value).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").trim();
  }
  // A value in the Markdown record: one line, so that no value makes a line of the record (a
  // heading, an item, a checkbox), its inline Markdown escaped and its HTML as entities.
  // unmd() is its inverse, for the print view, which shows the record's text as text.
  function md(value) {
    return oneLine(value)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/[\\`*_[\]~|]/g, "\\$&");
  }
  function unmd(text) {
    return text
      .replace(/\\([\\`*_[\]~|])/g, "$1")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  }
  function plain(node) {
    // An action's own words, without its nested items and the run's controls.
    var copy = node.cloneNode(true);
    copy.querySelectorAll("ul, ol, .kb-run__ctl, .headerlink").forEach(function (n) {
      n.remove();
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }
  function hash(text) {
    var h = 2166136261;
    for (var i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return (h >>> 0).toString(16);
  }
  function session(value) {
    try {
      if (value === undefined) return sessionStorage.getItem(ACTIVE);
      if (value === null) sessionStorage.removeItem(ACTIVE);
      else sessionStorage.setItem(ACTIVE, value);
    } catch (e) {
      /* a tab without sessionStorage keeps its ticket in memory only */
    }
    return null;
  }

  // --- the store --------------------------------------------------------------------------------

  // The shape of a ticket, checked field by field before one from a file or from storage is
  // used: a file of the right format with wrong inner types is refused with the field named,
  // never saved half-usable. A check: (value, path) -> null, or «поле path: ожидается …».
  function kindOf(v) {
    if (v === undefined) return "его нет";
    if (v === null || Array.isArray(v)) return v ? "список" : "null";
    if (typeof v === "string") return "строка «" + (v.length > 40 ? v.slice(0, 40) + "…" : v) + "»";
    return { number: "число", boolean: "true/false", object: "объект" }[typeof v] || typeof v;
  }
  function must(what, test) {
    return function (v, path) {
      return test(v) ? null : "поле " + path + ": ожидается " + what + ", а в файле " + kindOf(v);
    };
  }
  function isText(v) {
    return typeof v === "string";
  }
  function isObject(v) {
    return !!v && typeof v === "object" && !Array.isArray(v);
  }
  var TEXT = must("строка", isText);
  var TIME = must("время (строка)", function (v) {
    return isText(v) && !isNaN(Date.parse(v));
  });
  var FLAG = must("true или false", function (v) {
    return typeof v === "boolean";
  });
  var VALUE = must("строка или список строк", function (v) {
    return isText(v) || (Array.isArray(v) && v.every(isText));
  });
  var OBJECT = must("объект", isObject);
  var LIST = must("список", Array.isArray);
  function maybe(check) {
    return function (v, path) {
      return v == null ? null : check(v, path);
    };
  }
  // The first wrong one of v's members `names`, each checked by checkOf(name).
  function firstWrong(v, path, names, checkOf) {
    for (var i = 0; i < names.length; i++) {
      var wrong = checkOf(names[i])(v[names[i]], path + (path ? "." : "") + names[i]);
      if (wrong) return wrong;
    }
    return null;
  }
  function shape(keys) {
    return function (v, path) {
      return OBJECT(v, path) || firstWrong(v, path, Object.keys(keys), function (k) {
        return keys[k];
      });
    };
  }
  function each(check) {
    return function (v, path) {
      return OBJECT(v, path) || firstWrong(v, path, Object.keys(v), function () {
        return check;
      });
    };
  }
  function list(check) {
    return function (v, path) {
      return LIST(v, path) || firstWrong(v, path, Object.keys(v), function () {
        return check;
      });
    };
  }
  var RUN = shape({
    title: maybe(TEXT),
    version: maybe(TEXT),
    started: maybe(TIME),
    fingerprint: maybe(TEXT),
    actions: maybe(each(TEXT)),
    ticks: each(TIME),
    notes: each(TEXT),
    na: each(shape({ reason: TEXT, at: TIME })),
    cases: each(shape({ at: TIME, by: maybe(TEXT) })),
    criteria: each(TIME),
    decision: maybe(shape({ at: TIME, warranted: FLAG })),
    checklist: each(TIME),
    log: list(shape({ at: TIME, status: TEXT, note: maybe(TEXT), next: maybe(TEXT) })),
  });
  var TICKET = shape({
    number: TEXT,
    client: maybe(TEXT),
    created: TIME,
    updated: TIME,
    closed: maybe(shape({ at: TIME, outcome: TEXT, unticked: list(TEXT) })),
    fields: each(VALUE),
    runs: each(RUN),
    copied: each(TIME),
  });

  // A stored value -> a ticket of the current format, or a reason it cannot be one ("newer",
  // "corrupt", or the field that is wrong). Older
  // formats are upgraded here (v1 is the first); a newer one is left untouched for its version.
  function upgrade(value) {
    value = bare(value);
    if (!value || typeof value !== "object" || typeof value.id !== "string" || !value.id) return "corrupt";
    if (value.format === FORMAT) {
      // The ticket's number in its texts; id is its name in this browser's list and storage,
      // which differs only for a copy kept beside it (importFile). Older records: the same.
      value.number = value.number || value.id;
      value.fields = value.fields || table();
      value.runs = value.runs || table();
      value.copied = value.copied || table();
      return TICKET(value, "") || value;
    }
    return /^kb\.ticket\.v\d+$/.test(value.format) ? "newer" : "corrupt";
  }

  function read(id) {
    var r = kb.storage.read(PREFIX + id);
    if (!r.ok) return { ok: false };
    if (r.corrupt) return { ok: true, bad: "corrupt" };
    if (r.value === null) return { ok: true, value: null };
    var t = upgrade(r.value);
    if (typeof t === "string") return { ok: true, bad: t === "newer" ? t : "corrupt" };
    return { ok: true, value: t };
  }

  // Every ticket of this browser; broken records are counted, never fatal.
  function all() {
    var out = { tickets: [], bad: [], ok: true };
    var keys = [];
    try {
      for (var i = 0; i < localStorage.length; i++) keys.push(localStorage.key(i));
    } catch (e) {
      out.ok = false;
      return out;
    }
    keys.forEach(function (key) {
      if (key.indexOf(PREFIX) !== 0) return;
      var r = read(key.slice(PREFIX.length));
      if (r.value) out.tickets.push(r.value);
      else if (r.bad) out.bad.push(key.slice(PREFIX.length));
    });
    return out;
  }

  // Closed tickets older than the keep days (data-kb-keep) are removed.
  function purge() {
    var limit = Date.now() - W.keepDays * 864e5;
    all().tickets.forEach(function (t) {
      if (t.closed && Date.parse(t.closed.at) < limit) kb.storage.remove(PREFIX + t.id);
    });
  }

  function blank(id, client) {
    var t = { format: FORMAT, id: id, number: id, client: client, created: now(), updated: now(), closed: null };
    t.fields = table();
    t.runs = table();
    t.copied = table();
    t.fields[W.data.number] = id;
    if (client) t.fields[W.data.client] = client;
    return t;
  }

  function runOf(t) {
    var slug = W.data.regulation;
    if (!t.runs[slug]) {
      t.runs[slug] = {
        title: W.title,
        version: W.data.version,
        started: now(),
        fingerprint: W.fingerprint,
        actions: W.actionHashes,
        ticks: table(),
        notes: table(),
        na: table(),
        cases: table(),
        criteria: table(),
        decision: null,
        checklist: table(),
        log: [],
      };
    }
    return t.runs[slug];
  }

  function save(t) {
    if (kb.storage.write(PREFIX + t.id, t)) {
      alarm("");
      return true;
    }
    alarm("Изменения не сохраняются: хранилище браузера недоступно или переполнено. Введённое остаётся на странице.");
    return false;
  }

  // Apply one change to the freshest stored copy of the active ticket (another tab may have
  // written since), then save it and show it.
  function change(fn) {
    var fresh = read(W.ticket.id);
    var t = fresh.value || W.ticket;
    fn(t, runOf(t));
    t.updated = now();
    W.ticket = t;
    save(t);
    sync();
  }

  // --- today's drafts and ticks (before tickets) ---------------------------------------------

  function oldDrafts() {
    var slug = W.data.regulation;
    var found = { values: table(), ticks: null, keys: [] };
    document.querySelectorAll("form.kb-gen").forEach(function (form) {
      var key = "kb.draft." + slug + "." + form.getAttribute("data-template");
      var r = kb.storage.read(key);
      if (r.ok && r.value && r.value.values && typeof r.value.values === "object") {
        Object.keys(r.value.values).forEach(function (id) {
          var v = r.value.values[id];
          var has = [].concat(v).some(function (x) {
            return x && String(x).trim();
          });
          if (has && found.values[id] === undefined) found.values[id] = v;
        });
        found.keys.push(key);
      }
    });
    var c = kb.storage.read("kb.checklist." + slug);
    if (c.ok && c.value && typeof c.value === "object" && Object.keys(c.value).length) {
      found.ticks = bare(c.value);
      found.keys.push("kb.checklist." + slug);
    }
    found.any = Object.keys(found.values).length > 0 || !!found.ticks;
    return found;
  }

  // --- the tools (generators, checklist) -------------------------------------------------------

  function tools() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-kb-tool=generator], [data-kb-tool=checklist]"));
  }

  // Give every tool the ticket's state (or, without a ticket, its own draft: null).
  function feed() {
    kb.ticket = W.ticket ? W.ticket.id : null;
    tools().forEach(function (tool) {
      if (!tool.kbState) return;
      if (!W.ticket) return tool.kbState.set(null);
      if (tool.getAttribute("data-kb-tool") === "checklist") tool.kbState.set(runOf(W.ticket).checklist);
      else tool.kbState.set(W.ticket.fields);
    });
  }

  function toolChanged(e) {
    if (!W || !W.ticket || !document.contains(W.bar)) return;
    var d = e.detail || {};
    if (d.tool === "checklist") {
      change(function (t, run) {
        var was = run.checklist;
        run.checklist = table();
        Object.keys(d.state).forEach(function (id) {
          if (d.state[id]) run.checklist[id] = was[id] || now();
        });
      });
    } else if (d.tool === "generator" && d.field) {
      change(function (t) {
        t.fields[d.field] = d.values[d.field];
      });
      trigger(d.field, d.values[d.field]);
    } else if (d.tool === "generator" && d.all) {
      change(function (t) {
        Object.keys(d.all).forEach(function (id) {
          t.fields[id] = d.all[id];
        });
      });
    } else if (d.tool === "generator" && d.copied) {
      change(function (t) {
        t.copied[d.copied] = now();
      });
    }
  }

  // A select option with `case:` applies its special case; another choice removes it again.
  function trigger(field, value) {
    Object.keys(W.data.triggers).forEach(function (rule) {
      var parts = rule.split("=");
      if (parts[0] !== field) return;
      var caseId = W.data.triggers[rule];
      var on = parts.slice(1).join("=") === value;
      var applied = runOf(W.ticket).cases[caseId];
      if (on && !applied) applyCase(caseId, "«" + value + "»");
      else if (!on && applied && applied.by === "«" + parts.slice(1).join("=") + "»") dropCase(caseId);
    });
  }

  function applyCase(id, by) {
    change(function (t, run) {
      run.cases[id] = { at: now(), by: by };
    });
  }
  function dropCase(id) {
    change(function (t, run) {
      delete run.cases[id];
    });
  }

  // Fields the run fills (field.source in the YAML): "criteria" — the criteria chosen in the
  // ticket, by their names, for the texts that need them (the tech doc at step 4).
  function fillSources(t, run) {
    Object.keys(W.data.sources).forEach(function (field) {
      if (W.data.sources[field] !== "criteria") return;
      var names = [];
      W.steps.forEach(function (s) {
        (s.criteria ? s.criteria.boxes : []).forEach(function (box) {
          if (run.criteria[box.getAttribute("data-criterion")]) names.push(plain(box.parentNode));
        });
      });
      t.fields[field] = names.join("; ");
    });
  }

  // --- the run: built into the page's steps ----------------------------------------------------

  function stepNumber(id) {
    return W.data.steps.indexOf(id) + 1;
  }

  // Checkboxes for an action list: the action and each nested item ("<action>.<n>").
  function tickable(list, into) {
    Array.prototype.forEach.call(list.children, function (li) {
      var id = li.getAttribute("data-action") || (li.id || "").replace(/^action-/, "");
      if (!id) return;
      addTick(li, id, into);
      li.querySelectorAll(":scope > ul > li").forEach(function (item, i) {
        addTick(item, id + "." + (i + 1), into);
      });
    });
  }

  function addTick(li, id, into) {
    var box = el("input", { type: "checkbox", class: "kb-run__ctl kb-run__tick", "data-tick": id, "aria-label": plain(li) });
    var at = el("span", { class: "kb-run__ctl kb-run__at" });
    li.insertBefore(box, li.firstChild);
    var sub = li.querySelector(":scope > ul");
    li.insertBefore(at, sub);
    into.push(id);
  }

  function buildStep(li, id) {
    var n = stepNumber(id);
    var panel = el("div", { class: "kb-run__ctl kb-run__step", "data-step": id });
    var s = { li: li, id: id, panel: panel, ticks: [], caseTicks: table() };
    tickable(li.querySelector("ol.kb-actions"), s.ticks);
    s.progress = panel.appendChild(el("p", { class: "kb-run__progress" }));

    var criteria = W.data.criteria[id];
    if (criteria) s.criteria = buildCriteria(panel, criteria, n);

    Object.keys(W.data.cases).forEach(function (caseId) {
      if (W.data.cases[caseId] !== id) return;
      var source = document.getElementById("case-" + caseId);
      if (!source) return;
      var box = panel.appendChild(el("div", { class: "kb-run__case", "data-case": caseId }));
      var head = box.appendChild(el("p"));
      head.append("Особый случай: ");
      head.appendChild(el("a", { href: "#case-" + caseId }, plain(source)));
      head.append(" ");
      head.appendChild(el("span", { class: "kb-run__case-state" }));
      box.appendChild(button("Применить", "case-on", { "data-id": caseId }));
      box.appendChild(button("Не применять", "case-off", { "data-id": caseId }));
      // A copy of the case's actions: the ticks keep the actions' ids, the copy has no ids of
      // its own (the case section keeps them).
      var actions = source.parentNode.querySelector("ol.kb-actions").cloneNode(true);
      Array.prototype.forEach.call(actions.children, function (node) {
        node.setAttribute("data-action", node.id.replace(/^action-/, ""));
      });
      actions.querySelectorAll("[id]").forEach(function (node) {
        node.removeAttribute("id");
      });
      var ticks = [];
      tickable(actions, ticks);
      box.appendChild(actions);
      s.caseTicks[caseId] = ticks;
      // The case itself says where it applies, with a link back.
      var where = el("p", { class: "kb-run__ctl kb-run__where" });
      where.append("Применяется на шаге " + n + ": ");
      where.appendChild(el("a", { href: "#step-" + id }, plain(li.querySelector("h3"))));
      source.insertAdjacentElement("afterend", where);
    });

    var monitoring = W.data.monitoring[id];
    if (monitoring) s.log = buildLog(panel, monitoring);

    s.tools = panel.appendChild(el("div", { class: "kb-run__tools" }));
    var note = el("label", { class: "kb-run__label", for: "run-note-" + id }, "Заметка к шагу " + n);
    s.note = el("textarea", { id: "run-note-" + id, rows: "2", "data-run-note": id });
    panel.append(note, s.note);

    s.na = panel.appendChild(el("div", { class: "kb-run__na" }));
    s.naText = s.na.appendChild(el("p", { class: "kb-run__na-text" }));
    s.naOpen = s.na.appendChild(button("Не применимо", "na-open", { "data-id": id }));
    s.naForm = s.na.appendChild(el("div", { class: "kb-run__na-form", hidden: "" }));
    s.naForm.appendChild(el("label", { class: "kb-run__label", for: "run-na-" + id }, "Почему шаг " + n + " не применим (обязательно)"));
    s.naError = s.naForm.appendChild(el("p", { class: "kb-run__error", id: "run-na-" + id + "-error", hidden: "" }, "Укажите причину"));
    s.naReason = s.naForm.appendChild(el("input", { type: "text", id: "run-na-" + id, "aria-describedby": "run-na-" + id + "-error" }));
    s.naForm.appendChild(button("Сохранить", "na-save", { "data-id": id }));
    s.naUndo = s.na.appendChild(button("Вернуть шаг", "na-undo", { "data-id": id }));
    li.appendChild(panel);
    return s;
  }

  function buildCriteria(panel, section, n) {
    var c = { section: section, boxes: [] };
    var set = panel.appendChild(el("fieldset", { class: "kb-run__criteria" }));
    var heading = document.getElementById("content-" + section);
    set.appendChild(el("legend", {}, (heading ? plain(heading) : "Критерии") + ": что подходит к обращению"));
    (W.data.terms[section] || []).forEach(function (term) {
      var source = document.getElementById("term-" + term);
      if (!source) return;
      var label = set.appendChild(el("label", { class: "kb-run__criterion" }));
      var box = el("input", { type: "checkbox", "data-criterion": term });
      label.append(box, " " + plain(source.querySelector("strong") || source));
      c.boxes.push(box);
    });
    set.appendChild(button("Ни один не подходит", "no-criteria"));
    c.verdict = panel.appendChild(el("div", { class: "kb-run__verdict", role: "status" }));
    return c;
  }

  function buildLog(panel, monitoring) {
    var g = { monitoring: monitoring };
    var box = panel.appendChild(el("fieldset", { class: "kb-run__log" }));
    box.appendChild(el("legend", {}, "Журнал статусов"));
    var id = "run-status";
    box.appendChild(el("label", { class: "kb-run__label", for: id }, "Статус"));
    g.status = box.appendChild(el("select", { id: id }));
    monitoring.statuses.forEach(function (s) {
      g.status.appendChild(el("option", { value: s.id }, s.title));
    });
    box.appendChild(el("label", { class: "kb-run__label", for: id + "-note" }, "Комментарий"));
    g.note = box.appendChild(el("input", { type: "text", id: id + "-note" }));
    box.appendChild(el("label", { class: "kb-run__label", for: id + "-next" }, "Следующая проверка"));
    g.next = box.appendChild(el("input", { type: "date", id: id + "-next" }));
    box.appendChild(button("Добавить в журнал", "log-add"));
    g.list = box.appendChild(el("ol", { class: "kb-run__entries" }));
    g.reminders = box.appendChild(el("p", { class: "kb-run__reminder" }));
    g.status.addEventListener("change", function () {
      nextDefault(g);
    });
    // A double click (or a held Enter) adds one entry: «Добавить» does nothing while the form is
    // as it was when an entry was added less than two seconds ago; a change to it or a later
    // click adds again.
    g.added = 0;
    ["input", "change"].forEach(function (type) {
      box.addEventListener(type, function () {
        g.added = 0;
      });
    });
    nextDefault(g);
    return g;
  }

  function statusOf(id) {
    var found = null;
    Object.keys(W.data.monitoring).forEach(function (step) {
      W.data.monitoring[step].statuses.forEach(function (s) {
        if (s.id === id) found = s;
      });
    });
    return found;
  }

  function nextDefault(g) {
    var s = statusOf(g.status.value);
    var d = new Date();
    d.setDate(d.getDate() + (g.monitoring.next_check_days || 3));
    g.next.value = s && s.final ? "" : localDate(d);
  }

  // --- showing the state -----------------------------------------------------------------------

  function done(run, id) {
    return !!run.ticks[id];
  }

  function stepDone(run, s) {
    if (run.na[s.id]) return { done: s.ticks.length, all: s.ticks.length, na: true };
    var ids = s.ticks.slice();
    Object.keys(s.caseTicks).forEach(function (c) {
      if (run.cases[c]) ids = ids.concat(s.caseTicks[c]);
    });
    return {
      done: ids.filter(function (id) {
        return done(run, id);
      }).length,
      all: ids.length,
    };
  }

  function sync() {
    if (!W || !document.contains(W.bar)) return;
    var t = W.ticket;
    W.bar.classList.toggle("kb-ws--ticket", !!t);
    document.body.classList.toggle("kb-run-on", !!t);
    if (!t) {
      W.state.textContent = "Черновик без обращения";
      moveTools(false);
      return;
    }
    var run = runOf(t);
    W.state.textContent = "";
    W.state.append("Обращение ");
    W.state.appendChild(el("strong", {}, t.id));
    if (t.client) W.state.append(" · " + t.client);
    if (t.closed) W.state.append(" · закрыто: " + t.closed.outcome);
    var totals = { done: 0, all: 0, steps: 0 };
    W.steps.forEach(function (s) {
      var p = stepDone(run, s);
      totals.done += p.done;
      totals.all += p.all;
      if (p.done === p.all) totals.steps += 1;
      s.panel.hidden = false;
      s.li.querySelectorAll("[data-tick]").forEach(function (box) {
        var at = run.ticks[box.getAttribute("data-tick")];
        box.checked = !!at;
        var stamp = box.parentNode.querySelector(":scope > .kb-run__at");
        stamp.textContent = at ? " (" + when(at) + ")" : "";
      });
      s.progress.textContent = p.na
        ? "Шаг не применим"
        : "Шаг " + stepNumber(s.id) + ": выполнено " + p.done + " из " + p.all;
      s.li.classList.toggle("kb-step--done", p.done === p.all);
      if (document.activeElement !== s.note) s.note.value = run.notes[s.id] || "";
      var na = run.na[s.id];
      s.li.classList.toggle("kb-step--na", !!na);
      s.naText.textContent = na ? "Не применимо: " + na.reason : "";
      s.naText.hidden = !na;
      s.naOpen.hidden = !!na || !s.naForm.hidden;
      s.naUndo.hidden = !na;
      if (na) s.naForm.hidden = true;
      Object.keys(s.caseTicks).forEach(function (c) {
        var box = s.panel.querySelector('[data-case="' + c + '"]');
        var on = run.cases[c];
        box.classList.toggle("kb-run__case--on", !!on);
        box.querySelector(".kb-run__case-state").textContent = on
          ? "— применяется" + (on.by ? " (выбран вариант " + on.by + ")" : "")
          : "— не применяется";
        box.querySelector("[data-run=case-on]").hidden = !!on;
        box.querySelector("[data-run=case-off]").hidden = !on;
        box.querySelector("ol").hidden = !on;
      });
      if (s.criteria) syncCriteria(run, s.criteria);
      if (s.log) syncLog(run, s.log);
    });
    W.progress.textContent =
      "Выполнено шагов: " + totals.steps + " из " + W.steps.length + ", действий: " + totals.done + " из " + totals.all;
    moveTools(true);
  }

  function syncCriteria(run, c) {
    c.boxes.forEach(function (box) {
      box.checked = !!run.criteria[box.getAttribute("data-criterion")];
    });
    c.verdict.replaceChildren();
    if (run.decision && run.decision.warranted === false) {
      c.verdict.appendChild(el("p", { class: "kb-run__stop" }, "Процесс не требуется: ни один критерий не подходит (" + when(run.decision.at) + ")."));
      var related = document.getElementById("related");
      var links = related ? related.parentNode.querySelectorAll("ul.kb-related li:not(.kb-planned) > a") : [];
      if (links.length) {
        c.verdict.appendChild(el("p", {}, "Что сделать вместо этого — связанные материалы:"));
        var ul = c.verdict.appendChild(el("ul"));
        links.forEach(function (a) {
          ul.appendChild(el("li")).appendChild(el("a", { href: a.getAttribute("href") }, a.textContent));
        });
      }
    }
  }

  function syncLog(run, g) {
    g.list.replaceChildren();
    run.log.forEach(function (entry) {
      var s = statusOf(entry.status);
      var text = when(entry.at) + " — " + (s ? s.title : entry.status);
      if (entry.note) text += " — " + entry.note;
      if (entry.next) text += " — следующая проверка " + ruDate(entry.next);
      g.list.appendChild(el("li", {}, text));
    });
    // What the client must hear: the step's actions its monitoring names (remind), until ticked.
    var tell = (g.monitoring.remind || [])
      .filter(function (id) {
        return !run.ticks[id];
      })
      .map(function (id) {
        return document.getElementById("action-" + id);
      })
      .filter(Boolean);
    g.reminders.textContent = tell.length
      ? "Напоминание: " + tell.map(plain).join("; ")
      : "";
  }

  // A generator sits in the step that needs it while a ticket is worked (template.step).
  function moveTools(on) {
    Object.keys(W.data.templates).forEach(function (tpl) {
      var form = document.querySelector('form.kb-gen[data-template="' + tpl + '"]');
      var step = W.byId[W.data.templates[tpl]];
      if (!form || !step) return;
      if (!form.kbHome) {
        form.kbHome = document.createComment("generator " + tpl);
        form.parentNode.insertBefore(form.kbHome, form);
      }
      var target = on ? step.tools : form.kbHome.parentNode;
      if (on && form.parentNode !== target) target.appendChild(form);
      if (!on && form.parentNode !== target) target.insertBefore(form, form.kbHome.nextSibling);
    });
    W.steps.forEach(function (s) {
      s.tools.hidden = !s.tools.children.length;
    });
  }

  // --- the bar ---------------------------------------------------------------------------------

  function alarm(text) {
    if (!W) return;
    W.alarm.textContent = text;
    W.alarm.hidden = !text;
  }
  function say(text) {
    W.notice.textContent = text;
    W.notice.hidden = !text;
  }

  function buildBar(bar) {
    bar.replaceChildren();
    W.state = bar.appendChild(el("p", { class: "kb-ws__state", role: "status" }));
    W.progress = bar.appendChild(el("p", { class: "kb-ws__progress" }));
    W.notice = bar.appendChild(el("p", { class: "kb-ws__notice", role: "status", hidden: "" }));
    W.alarm = bar.appendChild(el("p", { class: "kb-ws__alarm", role: "alert", hidden: "" }));
    var actions = bar.appendChild(el("p", { class: "kb-ws__actions" }));
    actions.appendChild(button("Работать по обращению", "start", { class: "md-button md-button--primary kb-ws__when-draft" }));
    actions.appendChild(button("Новое обращение", "start", { class: "md-button kb-ws__when-ticket" }));
    actions.appendChild(button("Мои обращения", "tickets", { class: "md-button" }));
    actions.appendChild(button("Закрыть обращение", "close", { class: "md-button kb-ws__when-ticket" }));
    actions.appendChild(button("Скачать запись .md", "export-md", { class: "md-button kb-ws__when-ticket" }));
    actions.appendChild(button("Печать", "print", { class: "md-button kb-ws__when-ticket", "aria-label": "Печать записи обращения" }));
    actions.appendChild(button("Скачать .json", "export-json", { class: "md-button kb-ws__when-ticket" }));
    actions.appendChild(button("Загрузить .json", "import", { class: "md-button" }));
    W.file = bar.appendChild(el("input", { type: "file", accept: ".json,application/json", hidden: "", "aria-label": "Файл обращения .json" }));

    // Start form: number required, client optional, today's drafts offered.
    var form = (W.start = bar.appendChild(el("form", { class: "kb-ws__form", hidden: "", novalidate: "", "aria-label": "Новое обращение" })));
    form.appendChild(el("label", { for: "ws-number", class: "kb-run__label" }, "Номер обращения"));
    W.numberError = form.appendChild(el("p", { class: "kb-run__error", id: "ws-number-error", hidden: "" }, "Укажите номер обращения"));
    W.number = form.appendChild(el("input", { type: "text", id: "ws-number", required: "", "aria-describedby": "ws-number-error", autocomplete: "off" }));
    form.appendChild(el("label", { for: "ws-client", class: "kb-run__label" }, "Клиент (необязательно)"));
    W.client = form.appendChild(el("input", { type: "text", id: "ws-client", autocomplete: "off" }));
    W.migrate = form.appendChild(el("p", { class: "kb-ws__migrate", hidden: "" }));
    var box = el("input", { type: "checkbox", id: "ws-migrate" });
    W.migrate.append(box, " ");
    W.migrate.appendChild(el("label", { for: "ws-migrate" }, "Перенести в это обращение черновик без обращения (поля шаблонов и отметки чек-листа). Иначе черновик останется как есть."));
    var go = form.appendChild(el("p", { class: "kb-ws__actions" }));
    go.appendChild(el("button", { type: "submit", class: "md-button md-button--primary" }, "Начать работу"));
    go.appendChild(button("Отмена", "cancel", { class: "md-button" }));

    // Close form: outcome; unticked checklist items are confirmed and recorded.
    var close = (W.closeForm = bar.appendChild(el("fieldset", { class: "kb-ws__close", hidden: "" })));
    close.appendChild(el("legend", {}, "Итог обращения"));
    OUTCOMES.forEach(function (o, i) {
      var label = close.appendChild(el("label", { class: "kb-run__criterion" }));
      label.append(el("input", { type: "radio", name: "ws-outcome", value: o, id: "ws-outcome-" + i }), " " + o);
    });
    close.appendChild(button("Закрыть", "close-save", { class: "md-button md-button--primary" }));
    close.appendChild(button("Отмена", "close-cancel", { class: "md-button" }));

    W.list = bar.appendChild(el("div", { class: "kb-ws__list", hidden: "" }));
  }

  function openStart() {
    W.closeForm.hidden = true;
    W.start.hidden = false;
    W.number.value = "";
    W.client.value = "";
    W.numberError.hidden = true;
    W.number.removeAttribute("aria-invalid");
    var drafts = oldDrafts();
    W.migrate.hidden = !drafts.any;
    W.migrate.querySelector("input").checked = false;
    W.number.focus();
  }

  function startSubmitted() {
    var id = oneLine(W.number.value);
    if (!id) {
      W.numberError.hidden = false;
      W.number.setAttribute("aria-invalid", "true");
      W.number.focus();
      return;
    }
    var drafts = W.migrate.hidden ? null : W.migrate.querySelector("input").checked ? oldDrafts() : null;
    W.start.hidden = true;
    activate(id, oneLine(W.client.value), drafts);
  }

  // Start or resume ticket `id` in this tab; every tool follows.
  function activate(id, client, drafts) {
    var r = read(id);
    var t = r.value;
    if (r.bad) {
      alarm(r.bad === "newer"
        ? "Обращение " + id + " сохранено более новой версией сайта и не открыто."
        : "Сохранённое обращение " + id + " повреждено и не открыто.");
      return;
    }
    if (t) {
      say("Восстановлено обращение " + t.id + ", изменено " + when(t.updated));
      if (client && !t.client) t.client = client;
    } else {
      t = blank(id, client);
      say("Начата работа по обращению " + id);
    }
    if (drafts) {
      Object.keys(drafts.values).forEach(function (f) {
        if (t.fields[f] === undefined || f !== W.data.number) t.fields[f] = drafts.values[f];
      });
      t.fields[W.data.number] = t.number;
      if (drafts.ticks) {
        var run = runOf(t);
        Object.keys(drafts.ticks).forEach(function (c) {
          if (drafts.ticks[c]) run.checklist[c] = now();
        });
      }
    }
    runOf(t);
    W.ticket = t;
    forget();
    session(id);
    if (save(t) && drafts) drafts.keys.forEach(kb.storage.remove);
    checkFingerprint(t);
    feed();
    sync();
  }

  function deactivate() {
    W.ticket = null;
    forget();
    session(null);
    feed();
    sync();
  }

  // What is typed for a ticket and not added yet (a status comment, a «Не применимо» reason, a
  // chosen outcome) is that ticket's alone: when the tab's ticket changes it is discarded, and
  // the step notes show the new ticket's own, focused or not (sync keeps a focused one).
  function forget() {
    W.closeForm.hidden = true;
    W.closeForm.querySelectorAll("input").forEach(function (radio) {
      radio.checked = false;
    });
    W.steps.forEach(function (s) {
      s.naForm.hidden = true;
      s.naError.hidden = true;
      s.naReason.value = "";
      s.naReason.removeAttribute("aria-invalid");
      s.note.value = W.ticket ? runOf(W.ticket).notes[s.id] || "" : "";
      if (s.log) {
        s.log.note.value = "";
        s.log.status.selectedIndex = 0;
        s.log.added = 0;
        nextDefault(s.log);
      }
    });
  }

  // A run records the actions it started with (id -> hash of the wording); report edits since.
  function checkFingerprint(t) {
    var run = runOf(t);
    if (run.fingerprint === W.fingerprint) return;
    var was = run.actions || table();
    var is = W.actionHashes;
    var added = [], changed = [], removed = [];
    Object.keys(is).forEach(function (id) {
      if (!(id in was)) added.push(id);
      else if (was[id] !== is[id]) changed.push(id);
    });
    Object.keys(was).forEach(function (id) {
      if (!(id in is)) removed.push(id);
    });
    var parts = [];
    if (added.length) parts.push("добавлены: " + added.join(", "));
    if (changed.length) parts.push("изменены: " + changed.join(", "));
    if (removed.length) parts.push("удалены: " + removed.join(", "));
    W.changed.textContent =
      "Регламент изменился с начала работы (версия " + run.version + " → " + W.data.version + "): " + parts.join("; ") +
      ". Отметки неизменённых действий сохранены.";
    W.changed.hidden = false;
  }

  function closeTicket() {
    var outcome = W.closeForm.querySelector("input:checked");
    if (!outcome) {
      say("Выберите итог обращения.");
      return;
    }
    // A closed ticket opened again: its outcome changes only when confirmed.
    var was = (read(W.ticket.id).value || W.ticket).closed;
    if (was && was.outcome !== outcome.value) {
      var question = "Обращение " + W.ticket.id + " уже закрыто " + when(was.at) + " с итогом «" + was.outcome + "». Изменить итог на «" + outcome.value + "»?";
      if (!window.confirm(question)) return;
    }
    var run = runOf(W.ticket);
    var open = W.data.checklist.filter(function (id) {
      return !run.checklist[id];
    });
    if (open.length) {
      var names = open.map(function (id) {
        var item = document.getElementById("check-" + id);
        return item ? plain(item) : id;
      });
      if (!window.confirm("Не отмечены пункты чек-листа:\n" + names.join("\n") + "\nЗакрыть обращение?")) return;
    }
    change(function (t) {
      t.closed = { at: now(), outcome: outcome.value, unticked: open };
    });
    W.closeForm.hidden = true;
    W.closed = W.ticket; // its record can still be printed from the notice
    say("Обращение " + W.ticket.id + " закрыто: " + outcome.value + " ");
    W.notice.appendChild(button("Печать записи", "print", { class: "md-button" }));
    deactivate();
  }

  // --- «Мои обращения» -------------------------------------------------------------------------

  function nextCheck(t) {
    var next = null;
    Object.keys(t.runs).forEach(function (slug) {
      var log = t.runs[slug].log || [];
      if (log.length) next = log[log.length - 1].next || null;
    });
    return next;
  }

  function progressOf(t) {
    var run = W.data && t.runs[W.data.regulation];
    var slug = Object.keys(t.runs)[0];
    run = run || t.runs[slug];
    if (!run) return "";
    return "отмечено действий: " + Object.keys(run.ticks || {}).length;
  }

  function showList() {
    purge();
    var found = all();
    W.list.replaceChildren();
    W.list.hidden = false;
    if (!W.home) W.list.appendChild(el("p", { class: "kb-ws__list-title" }, "Мои обращения"));
    W.list.appendChild(el("p", {}, "Данные хранятся только в этом браузере; закрытые обращения удаляются через " + W.keepWords + "."));
    if (!found.ok) return W.list.appendChild(el("p", {}, "Хранилище браузера недоступно: список обращений не прочитать."));
    if (found.bad.length) {
      W.list.appendChild(el("p", { class: "kb-ws__alarm" }, "Не прочитаны повреждённые записи: " + found.bad.join(", ")));
    }
    var today = localDate(new Date());
    var open = found.tickets.filter(function (t) {
      return !t.closed;
    });
    open.sort(function (a, b) {
      var an = nextCheck(a), bn = nextCheck(b);
      var ao = an && an < today ? 0 : 1, bo = bn && bn < today ? 0 : 1;
      if (ao !== bo) return ao - bo;
      return a.updated < b.updated ? 1 : -1;
    });
    if (!open.length) W.list.appendChild(el("p", {}, "Открытых обращений нет."));
    var table = el("table", { class: "kb-ws__tickets" });
    var head = table.appendChild(el("thead")).appendChild(el("tr"));
    var columns = ["Обращение", "Регламент", "Приоритет", "Ход работы", "Изменено", "Следующая проверка", "Действия"];
    columns.forEach(function (h) {
      head.appendChild(el("th", { scope: "col" }, h));
    });
    var body = table.appendChild(el("tbody"));
    open.forEach(function (t) {
      var tr = body.appendChild(el("tr", { "data-ticket": t.id }));
      var next = nextCheck(t);
      var slugs = Object.keys(t.runs);
      // data-label: the column's name, shown before the value on a phone (one block per ticket).
      [
        t.id + (t.client ? " · " + t.client : ""),
        slugs.map(function (s) {
          return t.runs[s].title || s;
        }).join(", "),
        t.fields.priority || "",
        progressOf(t),
        when(t.updated),
        next ? ruDate(next) + (next < today ? " — просрочено" : "") : "",
      ].forEach(function (text, i) {
        tr.appendChild(el("td", text ? { "data-label": columns[i] } : {}, text));
      });
      var cell = tr.appendChild(el("td"));
      if (W.home) {
        // Resume on the regulation's page: the link's ?ticket= opens it there.
        slugs.forEach(function (slug) {
          var href = W.home.replace("{slug}", encodeURIComponent(slug)) + "?ticket=" + encodeURIComponent(t.id);
          var label = "Открыть обращение " + t.id + (slugs.length > 1 ? " — " + (t.runs[slug].title || slug) : "");
          cell.appendChild(el("a", { href: href, class: "kb-run__button", "aria-label": label }, "Открыть"));
        });
      } else cell.appendChild(button("Открыть", "resume", { "data-id": t.id, "aria-label": "Открыть обращение " + t.id }));
      cell.appendChild(button("Удалить", "delete", { "data-id": t.id, "aria-label": "Удалить обращение " + t.id }));
    });
    if (open.length) W.list.appendChild(table);
  }

  // --- the record ------------------------------------------------------------------------------

  function fieldLabel(id) {
    var box = document.querySelector('form.kb-gen [data-field="' + CSS.escape(id) + '"]');
    if (!box) return id;
    // The generator's own reading of its markup (one rule for a field's label).
    return kb.templateOf(box.closest("form")).fields.filter(function (f) {
      return f.id === id;
    })[0].label;
  }

  function markdown(t) {
    var run = runOf(t);
    var out = ["# Обращение " + md(t.number) + (t.client ? " — " + md(t.client) : ""), ""];
    out.push("- Регламент: " + md(run.title) + " (версия " + md(run.version) + ")");
    out.push("- Начато: " + when(t.created));
    out.push("- Изменено: " + when(t.updated));
    if (t.closed) out.push("- Итог: " + md(t.closed.outcome) + " (закрыто " + when(t.closed.at) + ")");
    var fields = Object.keys(t.fields).filter(function (id) {
      return [].concat(t.fields[id]).join("").trim() && !W.data.sources[id];
    });
    if (fields.length) {
      out.push("", "## Поля", "");
      fields.forEach(function (id) {
        var v = t.fields[id];
        out.push("- " + md(fieldLabel(id)) + ": " + md(Array.isArray(v) ? v.filter(Boolean).join("; ") : v));
      });
    }
    var decided = W.steps.filter(function (s) {
      return s.criteria;
    });
    if (decided.length) {
      out.push("", "## Решение", "");
      decided.forEach(function (s) {
        var chosen = s.criteria.boxes.filter(function (b) {
          return run.criteria[b.getAttribute("data-criterion")];
        });
        if (run.decision && run.decision.warranted === false) out.push("- Процесс не требуется: ни один критерий не подходит");
        else if (chosen.length) {
          chosen.forEach(function (b) {
            out.push("- Критерий: " + md(plain(b.parentNode)));
          });
        } else out.push("- Критерии не отмечены");
      });
    }
    out.push("", "## Шаги");
    W.steps.forEach(function (s) {
      var p = stepDone(run, s);
      var na = run.na[s.id];
      out.push("", "### " + md(plain(s.li.querySelector("h3"))) + " — " + (na ? "не применимо: " + md(na.reason) : p.done + " из " + p.all));
      var line = function (id) {
        var box = s.li.querySelector('[data-tick="' + id + '"]');
        var at = run.ticks[id];
        return (id.indexOf(".") > 0 ? "  " : "") + "- [" + (at ? "x" : " ") + "] " + md(plain(box.parentNode)) + (at ? " (" + when(at) + ")" : "");
      };
      if (!na) {
        out.push("");
        s.ticks.forEach(function (id) {
          out.push(line(id));
        });
        Object.keys(s.caseTicks).forEach(function (c) {
          if (!run.cases[c]) return;
          out.push("", "Особый случай «" + md(plain(document.getElementById("case-" + c))) + "»:", "");
          s.caseTicks[c].forEach(function (id) {
            out.push(line(id));
          });
        });
      }
      if (run.notes[s.id]) out.push("", "Заметка: " + md(run.notes[s.id]));
    });
    out.push("");
    var cases = Object.keys(run.cases);
    if (cases.length) {
      out.push("## Особые случаи", "");
      cases.forEach(function (c) {
        var source = document.getElementById("case-" + c);
        var on = run.cases[c];
        out.push("- " + md(source ? plain(source) : c) + " — шаг " + stepNumber(W.data.cases[c]) + (on.by ? ", по выбору " + md(on.by) : "") + " (" + when(on.at) + ")");
      });
      out.push("");
    }
    var copied = Object.keys(t.copied);
    if (copied.length) {
      out.push("## Тексты", "");
      copied.forEach(function (tpl) {
        var title = document.getElementById("template-" + tpl);
        out.push("- " + md(title ? plain(title) : tpl) + " — скопирован " + when(t.copied[tpl]));
      });
      out.push("");
    }
    if (run.log.length) {
      out.push("## Журнал статусов", "");
      run.log.forEach(function (e) {
        var s = statusOf(e.status);
        out.push("- " + when(e.at) + " — " + md(s ? s.title : e.status) + (e.note ? " — " + md(e.note) : "") + (e.next ? " — следующая проверка " + ruDate(e.next) : ""));
      });
      out.push("");
    }
    if (W.data.checklist.length) {
      out.push("## Контрольный чек-лист", "");
      W.data.checklist.forEach(function (id) {
        var item = document.getElementById("check-" + id);
        out.push("- [" + (run.checklist[id] ? "x" : " ") + "] " + md(item ? plain(item) : id));
      });
      out.push("");
    }
    if (t.closed && t.closed.unticked.length) {
      var names = t.closed.unticked.map(function (id) {
        var item = document.getElementById("check-" + id);
        return md(item ? plain(item) : id);
      });
      out.push("Закрыто с неотмеченными пунктами: " + names.join("; "), "");
    }
    return out.join("\n").replace(/\n+$/, "\n");
  }

  // The print view: the record (the same lines as the .md) in a print-only block; print CSS
  // (workspace.css) hides the rest of the page while html has kb-print-record.
  function printRecord(t) {
    var box = document.querySelector("body > .kb-record") || document.body.appendChild(el("div", { class: "kb-record" }));
    var list = null;
    box.replaceChildren();
    markdown(t).split("\n").forEach(function (line) {
      var m = /^(#{1,3}) (.*)$/.exec(line);
      if (m) {
        list = null;
        return box.appendChild(el("h" + m[1].length, {}, unmd(m[2])));
      }
      m = /^( *)- (?:\[([ x])\] )?(.*)$/.exec(line);
      if (m) {
        list = list || box.appendChild(el("ul"));
        var mark = m[2] ? (m[2] === "x" ? "☑ " : "☐ ") : "";
        return list.appendChild(el("li", m[1] ? { class: "kb-record__item" } : {}, mark + unmd(m[3])));
      }
      list = null;
      if (line) box.appendChild(el("p", {}, unmd(line)));
    });
    document.documentElement.classList.add("kb-print-record");
    window.print();
  }
  window.addEventListener("afterprint", function () {
    document.documentElement.classList.remove("kb-print-record");
  });

  function download(name, text, type) {
    var link = el("a", { download: name });
    link.href = URL.createObjectURL(new Blob([text], { type: type + ";charset=utf-8" }));
    link.click();
    setTimeout(function () {
      URL.revokeObjectURL(link.href);
    }, 1000);
  }

  // «Keep both»: the copy's name in the list is the first free one of «N (копия)», «N (копия 2)»…
  // (its number stays N); nothing stored is ever overwritten without asking.
  function copyName(id) {
    for (var n = 1; ; n++) {
      var name = id + " (копия" + (n > 1 ? " " + n : "") + ")";
      var r = read(name);
      if (!r.ok || (!r.value && !r.bad)) return name;
    }
  }

  function importFile(file) {
    var reader = new FileReader();
    reader.onload = function () {
      var value;
      try {
        value = JSON.parse(reader.result);
      } catch (e) {
        return alarm("Файл «" + file.name + "» не прочитан: это не JSON. Ничего не изменено.");
      }
      var t = upgrade(value);
      if (t === "newer") return alarm("Файл «" + file.name + "» сохранён более новой версией сайта. Ничего не изменено.");
      if (t === "corrupt") return alarm("Файл «" + file.name + "» — не запись обращения. Ничего не изменено.");
      if (typeof t === "string") return alarm("Файл «" + file.name + "» не загружен: " + t + ". Ничего не изменено.");
      t.id = oneLine(t.id);
      t.number = oneLine(t.number) || t.id;
      if (t.client) t.client = oneLine(t.client);
      [W.data.number, W.data.client].forEach(function (f) {
        if (typeof t.fields[f] === "string") t.fields[f] = oneLine(t.fields[f]);
      });
      if (!t.id) return alarm("Файл «" + file.name + "» — не запись обращения. Ничего не изменено.");
      var existing = read(t.id);
      if (existing.value || existing.bad) {
        var copy = copyName(t.id);
        var replace = window.confirm(
          "Обращение " + t.id + " уже есть в этом браузере. Заменить его загруженным? (Отмена — сохранить оба: загруженное будет в списке как «" + copy + "», номер обращения в текстах — " + t.number + ")",
        );
        if (!replace) t.id = copy;
      }
      alarm("");
      if (!save(t)) return;
      activate(t.id);
      say("Загружено обращение " + t.id);
    };
    reader.readAsText(file);
  }

  // --- events ----------------------------------------------------------------------------------

  function clicked(e) {
    var b = e.target.closest("[data-run]");
    if (!b) return;
    var action = b.getAttribute("data-run");
    var id = b.getAttribute("data-id");
    if (action === "start") return openStart();
    if (action === "cancel") return (W.start.hidden = true);
    if (action === "tickets") return W.list.hidden ? showList() : (W.list.hidden = true);
    if (action === "resume") {
      W.list.hidden = true;
      return activate(id);
    }
    if (action === "delete") {
      if (!window.confirm("Удалить обращение " + id + " из этого браузера? Это нельзя отменить.")) return;
      kb.storage.remove(PREFIX + id);
      if (W.ticket && W.ticket.id === id) deactivate();
      return showList();
    }
    if (action === "import") return W.file.click();
    if (action === "close") {
      W.closeForm.hidden = false;
      W.closeForm.querySelector("input").focus();
      return;
    }
    if (action === "close-cancel") return (W.closeForm.hidden = true);
    if (action === "close-save") return closeTicket();
    if (action === "print") return (W.ticket || W.closed) && printRecord(W.ticket || W.closed);
    if (!W.ticket) return;
    if (action === "export-md") return download("ticket-" + W.ticket.id + ".md", markdown(W.ticket), "text/markdown");
    if (action === "export-json") return download("ticket-" + W.ticket.id + ".json", JSON.stringify(W.ticket, null, 2) + "\n", "application/json");
    var s = W.byId[b.closest("[data-step]") ? b.closest("[data-step]").getAttribute("data-step") : ""];
    if (action === "case-on") return applyCase(id, "");
    if (action === "case-off") return dropCase(id);
    if (action === "no-criteria") {
      change(function (t, run) {
        run.criteria = table();
        run.decision = { at: now(), warranted: false };
        fillSources(t, run);
      });
      return feed();
    }
    if (action === "na-open") {
      s.naForm.hidden = false;
      s.naOpen.hidden = true;
      s.naReason.focus();
    } else if (action === "na-save") {
      var reason = s.naReason.value.trim();
      s.naError.hidden = !!reason;
      if (!reason) {
        s.naReason.setAttribute("aria-invalid", "true");
        return s.naReason.focus();
      }
      s.naReason.removeAttribute("aria-invalid");
      s.naReason.value = "";
      change(function (t, run) {
        run.na[id] = { reason: reason, at: now() };
      });
      s.naUndo.focus();
    } else if (action === "na-undo") {
      change(function (t, run) {
        delete run.na[id];
      });
      s.naOpen.focus();
    } else if (action === "log-add") {
      var g = s.log;
      if (Date.now() - g.added < 2000) return;
      g.added = Date.now();
      var entry = { at: now(), status: g.status.value, note: g.note.value.trim(), next: g.next.value };
      var st = statusOf(entry.status);
      change(function (t, run) {
        run.log.push(entry);
      });
      if (st && st.case && !runOf(W.ticket).cases[st.case]) applyCase(st.case, "статус «" + st.title + "»");
      g.note.value = "";
    }
  }

  function changed(e) {
    var target = e.target;
    if (!W.ticket) return;
    if (target.hasAttribute("data-tick")) {
      var id = target.getAttribute("data-tick");
      var on = target.checked;
      change(function (t, run) {
        if (on) run.ticks[id] = now();
        else delete run.ticks[id];
      });
    } else if (target.hasAttribute("data-criterion")) {
      var term = target.getAttribute("data-criterion");
      var yes = target.checked;
      change(function (t, run) {
        if (yes) run.criteria[term] = now();
        else delete run.criteria[term];
        run.decision = Object.keys(run.criteria).length ? { at: now(), warranted: true } : null;
        fillSources(t, run);
      });
      feed();
    }
  }

  function typed(e) {
    if (!W.ticket || !e.target.hasAttribute("data-run-note")) return;
    var id = e.target.getAttribute("data-run-note");
    var text = e.target.value;
    change(function (t, run) {
      run.notes[id] = text;
    });
  }

  // Another tab changed a ticket: show this tab's ticket as stored now.
  function storageEvent(e) {
    if (!W || !W.ticket || e.key !== PREFIX + W.ticket.id) return;
    var r = read(W.ticket.id);
    if (!r.value) return;
    W.ticket = r.value;
    feed();
    sync();
  }

  function fromUrl() {
    var params = new URLSearchParams(location.search);
    var id = oneLine(params.get("ticket") || "");
    if (!id) return false;
    var client = oneLine(params.get("client") || "");
    params.delete("ticket");
    params.delete("client");
    var rest = params.toString();
    history.replaceState(history.state, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
    activate(id, client, null);
    return true;
  }

  kb.workspace = function (bar, action) {
    if (bar.kbRun) return;
    bar.kbRun = true;
    if (action === "home") return home(bar);
    var state = bar.querySelector(".kb-ws__state");
    fetch("run.json") // beside the page (kb.site.run)
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(
        function (data) {
          if (document.contains(bar)) mount(bar, bare(data), action);
        },
        function () {
          state.textContent = "Не удалось загрузить данные для работы по обращению.";
        },
      );
  };

  function style(bar) {
    var css = bar.getAttribute("data-kb-css");
    if (css && !document.querySelector('link[href="' + css + '"]')) {
      document.head.appendChild(el("link", { rel: "stylesheet", href: css }));
    }
    var keep = bar.getAttribute("data-kb-keep"); // «30 дней» (extra.kb.keep_closed_days)
    return { bar: bar, data: null, ticket: null, steps: [], byId: table(), keepDays: parseInt(keep, 10), keepWords: keep };
  }

  // The home page: «Мои обращения» alone, each ticket resumed on its regulation's page.
  function home(bar) {
    W = style(bar);
    W.home = bar.getAttribute("data-kb-page");
    bar.replaceChildren();
    W.list = bar.appendChild(el("div", { class: "kb-ws__list" }));
    W.alarm = W.notice = el("p");
    bar.addEventListener("click", clicked);
    showList();
  }

  function mount(bar, data, action) {
    W = style(bar);
    W.data = data;
    W.title = plain(document.querySelector("article.kb-regulation h1"));
    buildBar(bar);
    W.changed = bar.insertBefore(el("p", { class: "kb-ws__alarm", role: "alert", hidden: "" }), W.alarm);
    data.steps.forEach(function (id) {
      var h = document.getElementById("step-" + id);
      if (!h) return;
      var s = buildStep(h.closest("li.kb-step"), id);
      W.steps.push(s);
      W.byId[id] = s;
    });
    W.actionHashes = table();
    document.querySelectorAll("ol.kb-steps [data-tick], .kb-run__case [data-tick]").forEach(function (box) {
      W.actionHashes[box.getAttribute("data-tick")] = hash(box.getAttribute("aria-label"));
    });
    W.fingerprint = hash(JSON.stringify(W.actionHashes));
    W.steps.forEach(function (s) {
      s.panel.hidden = true;
    });
    bar.addEventListener("submit", function (e) {
      e.preventDefault();
      startSubmitted();
    });
    W.file.addEventListener("change", function () {
      if (W.file.files[0]) importFile(W.file.files[0]);
      W.file.value = "";
    });
    var article = bar.closest("article") || document;
    article.addEventListener("click", clicked);
    article.addEventListener("change", changed);
    article.addEventListener("input", typed);
    var active = session();
    if (!fromUrl()) {
      if (active) activate(active);
      else sync();
    }
    if (action === "start") openStart();
    if (action === "tickets") showList();
  }

  document.addEventListener("kb-change", toolChanged);
  window.addEventListener("storage", storageEvent);
})();
