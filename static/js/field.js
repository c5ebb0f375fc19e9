// Field mode: the steward's pages keep working with no signal.
//
// After the steward ticks "This is my own phone", their own buildings' pages are kept in the
// "cg-field" cache (the service worker, /sw.js, answers from it when the network does not),
// and what they record offline (1-on-1s, structure test ticks, 10-minute meetings) is queued
// in IndexedDB with an idempotency key. The queue is sent, in order, when the signal returns,
// on page load and with "Send now"; the server applies each change once by its key.
//
// Signing out, the server saying so (session revoked, building lost) or 14 days without a
// sync empty the cache and the database. Nothing of a member goes into a URL or a log.
(function () {
  "use strict";
  var DB_NAME = "cg-field";
  var CACHE = "cg-field";
  var DAY_MS = 24 * 60 * 60 * 1000;
  var connection = null;

  function forget() {
    var steps = [];
    if (connection) {
      connection.then(function (db) { db.close(); }).catch(function () {});
      connection = null;
    }
    if (window.caches) {
      steps.push(caches.keys().then(function (names) {
        return Promise.all(names.map(function (name) { return caches.delete(name); }));
      }));
    }
    if (window.indexedDB) {
      steps.push(new Promise(function (resolve) {
        var request = indexedDB.deleteDatabase(DB_NAME);
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      }));
    }
    return Promise.all(steps).catch(function () {});
  }

  // Signing out from any page empties the phone first (the server's Clear-Site-Data header
  // does the same for browsers that honour it).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!/\/accounts\/logout\/$/.test(form.getAttribute("action") || "")) return;
    if (form.hasAttribute("data-field-forgotten")) return;
    event.preventDefault();
    forget().then(function () {
      form.setAttribute("data-field-forgotten", "");
      form.submit();
    });
  });

  // A page for someone signed out (the session ended or was revoked on the server) means this
  // phone must not keep anyone's buildings: forget them at the first contact.
  if (document.body.hasAttribute("data-field-forget")) {
    if (window.indexedDB && indexedDB.databases) {
      indexedDB.databases().then(function (list) {
        if (list.some(function (db) { return db.name === DB_NAME; })) forget();
      });
    }
    if (window.caches) {
      caches.keys().then(function (names) { if (names.length) forget(); });
    }
    return;
  }

  var panel = document.getElementById("field-panel");
  if (!panel || !window.indexedDB || !window.caches || !("serviceWorker" in navigator)) return;

  var text = panel.dataset;
  var building = Number(text.building);
  var optIn = panel.querySelector("[data-field-opt-in]");
  var syncedLine = panel.querySelector("[data-field-synced]");
  var offlineLine = panel.querySelector("[data-field-offline]");
  var queueRow = panel.querySelector("[data-field-queue]");
  var waitingLine = panel.querySelector("[data-field-waiting]");
  var sendButton = panel.querySelector("[data-field-send]");
  var refusedList = panel.querySelector("[data-field-refused]");
  var announcer = document.getElementById("announcer");
  var enabled = false;
  var sending = false;

  function announce(message) {
    if (!announcer) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = message; }, 50);
  }

  // IndexedDB, opened only once the steward has opted in (or the database already exists).
  function open() {
    if (!connection) {
      connection = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore("state");
          request.result.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return connection;
  }

  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(store, mode);
        var request = work(transaction.objectStore(store));
        transaction.oncomplete = function () { resolve(request ? request.result : undefined); };
        transaction.onerror = function () { reject(transaction.error); };
      });
    });
  }

  function getState(key) { return run("state", "readonly", function (s) { return s.get(key); }); }
  function setState(key, value) { return run("state", "readwrite", function (s) { return s.put(value, key); }); }
  function queued() { return run("queue", "readonly", function (s) { return s.getAll(); }); }
  function putQueued(item) { return run("queue", "readwrite", function (s) { return s.put(item); }); }
  function dropQueued(seq) { return run("queue", "readwrite", function (s) { return s.delete(seq); }); }

  function exists() {
    if (!indexedDB.databases) return Promise.resolve(true);
    return indexedDB.databases().then(function (list) {
      return list.some(function (db) { return db.name === DB_NAME; });
    });
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    try { return JSON.parse(document.body.getAttribute("data-hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function json(response) {
    return response.json().then(function (body) { return { status: response.status, body: body }; });
  }

  // What the server lets the phone keep: the steward's own buildings' pages, and the files
  // those pages use. Pages no longer on the list (a building lost) leave the cache.
  function keepPages(pages) {
    var assets = Array.prototype.map.call(
      document.querySelectorAll('link[rel="stylesheet"], link[rel="icon"], script[src]'),
      function (element) { return element.href || element.src; }
    );
    var wanted = pages.map(function (page) { return new URL(page, location.href).href; }).concat(assets);
    return caches.open(CACHE).then(function (cache) {
      return cache.addAll(wanted).then(function () { return cache.keys(); }).then(function (requests) {
        return Promise.all(requests.filter(function (request) {
          return wanted.indexOf(request.url) === -1;
        }).map(function (request) { return cache.delete(request); }));
      });
    });
  }

  function forgetAndSay() {
    enabled = false;
    return forget().then(function () {
      optIn.checked = false;
      syncedLine.textContent = text.textForgotten;
      render([]);
    });
  }

  function refresh() {
    return fetch(text.dataUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(json)
      .then(function (answer) {
        if (answer.body.wipe) return forgetAndSay();
        if (answer.status !== 200) return null;
        return keepPages(answer.body.pages).then(function () {
          return setState("synced", { at: answer.body.synced_at, text: answer.body.synced_text, days: answer.body.forget_after_days });
        }).then(showSynced);
      })
      .catch(function () {});
  }

  function showSynced() {
    return getState("synced").then(function (synced) {
      syncedLine.textContent = synced ? synced.text : text.textNotSynced;
    });
  }

  function label(item) {
    return text["text" + item.change.kind.charAt(0).toUpperCase() + item.change.kind.slice(1)] +
      (item.name ? " · " + item.name : "");
  }

  function render(items) {
    var pending = items.filter(function (item) { return !item.refused; });
    var refused = items.filter(function (item) { return item.refused; });
    offlineLine.hidden = !enabled || navigator.onLine;
    queueRow.hidden = pending.length === 0;
    waitingLine.textContent = text.textWaiting.replace("{count}", pending.length);
    sendButton.disabled = !navigator.onLine;
    refusedList.textContent = "";
    refused.forEach(function (item) {
      var row = document.createElement("li");
      row.className = "field-refused";
      var what = document.createElement("strong");
      what.textContent = label(item);
      var why = document.createElement("span");
      why.className = "message message-error";
      why.textContent = text.textRefused.replace("{reason}", item.refused);
      var actions = document.createElement("div");
      actions.className = "actions-row";
      var retry = document.createElement("button");
      retry.type = "button";
      retry.className = "button-small";
      retry.textContent = text.textRetry;
      retry.addEventListener("click", function () {
        item.refused = null;
        putQueued(item).then(send);
      });
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "button-small button-secondary";
      discard.textContent = text.textDiscard;
      discard.addEventListener("click", function () {
        dropQueued(item.seq).then(redraw);
      });
      actions.appendChild(retry);
      actions.appendChild(discard);
      row.appendChild(what);
      row.appendChild(document.createTextNode(" "));
      row.appendChild(why);
      row.appendChild(actions);
      refusedList.appendChild(row);
    });
    markRows(pending);
  }

  function redraw() {
    if (!enabled) return Promise.resolve(render([]));
    return queued().then(render);
  }

  // The page as last synced, with what is waiting to send laid over it.
  function markRows(pending) {
    Array.prototype.forEach.call(document.querySelectorAll(".field-pending"), function (el) { el.remove(); });
    pending.forEach(function (item) {
      var change = item.change;
      if (change.building !== building || !change.member) return;
      var row = document.querySelector('li[data-member="' + change.member + '"]');
      if (!row) return;
      if (change.kind === "participation") {
        var form = row.querySelector('form[data-field-test="' + change.test + '"]');
        if (form) showTick(form, change.took_part);
      }
      if (!row.querySelector(".field-pending")) {
        var note = document.createElement("p");
        note.className = "meta field-pending";
        note.textContent = text.textPending;
        row.querySelector(".talk-head").after(note);
      }
    });
  }

  function showTick(form, tookPart) {
    var button = form.querySelector(".test-toggle");
    button.setAttribute("aria-pressed", tookPart ? "true" : "false");
    button.querySelector(".tick").textContent = tookPart ? "✓" : "";
  }

  function enqueue(change, name) {
    change.key = newKey();
    change.recorded_at = new Date().toISOString();
    return putQueued({ change: change, name: name || "", refused: null }).then(function () {
      announce(text.textQueued);
      return redraw();
    });
  }

  function send() {
    if (sending || !enabled || !navigator.onLine) return Promise.resolve(0);
    sending = true;
    return queued().then(function (items) {
      var pending = items.filter(function (item) { return !item.refused; });
      if (!pending.length) return 0;
      var body = new URLSearchParams();
      body.set("changes", JSON.stringify(pending.map(function (item) { return item.change; })));
      return fetch(text.syncUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
        body: body
      }).then(json).then(function (answer) {
        if (answer.body.wipe) return forgetAndSay().then(function () { return 0; });
        if (answer.status !== 200) throw new Error("refused batch");
        var results = {};
        answer.body.results.forEach(function (result) { results[result.key] = result; });
        var saved = 0;
        return Promise.all(pending.map(function (item) {
          var result = results[item.change.key];
          if (!result) return null;
          if (result.status === "saved") {
            saved += 1;
            return dropQueued(item.seq);
          }
          item.refused = result.reason;
          return putQueued(item);
        })).then(function () {
          return setState("synced", { at: answer.body.synced_at, text: answer.body.synced_text, days: answer.body.forget_after_days });
        }).then(function () { return saved; });
      });
    }).catch(function () {
      waitingLine.textContent = text.textFailed;
      return 0;
    }).then(function (saved) {
      sending = false;
      // The page then shows what the server saved.
      if (saved) window.location.reload();
      else redraw().then(showSynced);
      return saved;
    });
  }

  // Offline, the page's forms record on the phone instead of posting. Listening in the
  // capture phase, before htmx, which would otherwise try the network.
  function offlineMode() { return enabled && !navigator.onLine; }

  function closeOpenForm() {
    var open = document.querySelector("form[data-field-conversation]");
    if (!open) return;
    var row = open.closest("li[data-member]");
    open.remove();
    var actions = row.querySelector(".talk-actions");
    if (actions) actions.hidden = false;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-field-log]");
    if (!link || !offlineMode()) return;
    event.preventDefault();
    event.stopPropagation();
    closeOpenForm();
    var row = link.closest("li[data-member]");
    var template = document.getElementById("field-conversation-form");
    var form = template.content.firstElementChild.cloneNode(true);
    var name = row.querySelector(".talk-name").textContent;
    form.querySelector("[data-field-heading]").textContent = text.textConversation + " · " + name;
    row.querySelector(".talk-actions").hidden = true;
    row.appendChild(form);
    var first = form.querySelector("[data-focus]");
    first.setAttribute("tabindex", "-1");
    first.focus();
    form.querySelector("[data-field-cancel]").addEventListener("click", function () {
      closeOpenForm();
      link.focus();
    });
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!offlineMode()) return;
    var row = form.closest("li[data-member]");
    if (form.hasAttribute("data-field-conversation")) {
      event.preventDefault();
      var fields = new FormData(form);
      var data = {};
      ["held_on", "outcome", "issues", "ask", "answer", "support_level"].forEach(function (name) {
        var value = fields.get(name);
        if (value !== null && value !== "") data[name] = value;
      });
      var name = row.querySelector(".talk-name").textContent;
      enqueue({ kind: "conversation", building: building, member: Number(row.dataset.member), data: data }, name)
        .then(function () {
          closeOpenForm();
          var link = row.querySelector("[data-field-log]");
          if (link) link.focus();
        });
    } else if (form.hasAttribute("data-field-test")) {
      event.preventDefault();
      event.stopPropagation();
      var button = form.querySelector(".test-toggle");
      var tookPart = button.getAttribute("aria-pressed") !== "true";
      showTick(form, tookPart);
      enqueue({
        kind: "participation", building: building, member: Number(row.dataset.member),
        test: Number(form.dataset.fieldTest), took_part: tookPart
      }, row.querySelector(".talk-name").textContent);
    } else if (form.hasAttribute("data-field-meeting")) {
      event.preventDefault();
      var values = new FormData(form);
      enqueue({
        kind: "meeting", building: building, data: {
          held_on: values.get("held_on") || "",
          agenda: values.get("agenda") || "",
          questions: values.get("questions") || "",
          attendees: values.getAll("attendees").map(Number)
        }
      }).then(function () {
        form.reset();
        waitingLine.textContent = text.textQueued + " " + waitingLine.textContent;
      });
    }
  }, true);

  optIn.addEventListener("change", function () {
    if (optIn.checked) {
      enabled = true;
      setState("own_phone", true).then(refresh).then(redraw);
      return;
    }
    queued().then(function (items) {
      if (items.length && !window.confirm(text.textConfirmForget)) {
        optIn.checked = true;
        return null;
      }
      return forgetAndSay();
    });
  });

  window.addEventListener("online", function () { redraw().then(send); });
  window.addEventListener("offline", redraw);
  sendButton.addEventListener("click", send);

  navigator.serviceWorker.register(text.swUrl, { scope: "/" }).catch(function () {});
  panel.hidden = false;

  exists().then(function (found) {
    if (!found) return null;
    return getState("own_phone").then(function (own) {
      if (!own) return null;
      return getState("synced").then(function (synced) {
        var days = synced && synced.days ? synced.days : 14;
        if (synced && Date.now() - Date.parse(synced.at) > days * DAY_MS) return forgetAndSay();
        enabled = true;
        optIn.checked = true;
        return redraw().then(showSynced).then(function () {
          if (!navigator.onLine) return null;
          return send().then(function (saved) { if (!saved) return refresh(); return null; });
        });
      });
    });
  });
})();
