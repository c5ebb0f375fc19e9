// Pickers (campaigns/pickers.py): the plain form's search box becomes an ARIA 1.2 combobox
// whose listbox fills from the picker's JSON endpoint as one types, and the ticked boxes
// become chips with a remove button. Keys: Down/Up move through the matches, Enter chooses,
// Escape closes the list (or clears the box), Backspace in an empty box removes the last chip.
(function () {
  "use strict";
  var announcer = document.getElementById("announcer");
  var count = 0;

  function announce(text) {
    if (!announcer || !text) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function Picker(root) {
    count += 1;
    this.root = root;
    this.name = root.getAttribute("data-name");
    this.url = root.getAttribute("data-url");
    this.multiple = root.hasAttribute("data-multiple");
    this.chosen = root.querySelector(".picker-chosen");
    this.input = root.querySelector(".picker-search input");
    this.results = [];
    this.active = -1;
    this.sequence = 0;
    this.timer = null;
    this.build(count);
  }

  Picker.prototype.build = function (number) {
    var self = this;
    // Without JavaScript the search submits the form and lists matches to tick; here the
    // listbox does both, so those parts go.
    ["picker-submit", "picker-matches", "picker-empty"].forEach(function (name) {
      var element = self.root.querySelector("." + name);
      if (element) element.remove();
    });
    var ticked = Array.prototype.slice.call(this.chosen.querySelectorAll("input"));
    this.chosen.textContent = "";
    ticked.forEach(function (box) {
      if (box.checked) self.addChip(box.value, box.parentNode.textContent.trim(), false);
    });
    this.input.value = "";
    this.listbox = document.createElement("ul");
    this.listbox.id = "picker-listbox-" + number;
    this.listbox.className = "picker-listbox";
    this.listbox.setAttribute("role", "listbox");
    this.listbox.hidden = true;
    this.input.parentNode.appendChild(this.listbox);
    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-expanded", "false");
    this.input.setAttribute("aria-controls", this.listbox.id);
    this.input.addEventListener("input", function () { self.schedule(); });
    this.input.addEventListener("keydown", function (event) { self.key(event); });
    this.input.addEventListener("blur", function () {
      window.setTimeout(function () { self.close(); }, 150);
    });
    this.listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) self.choose(Number(option.getAttribute("data-index")));
    });
    this.chosen.addEventListener("click", function (event) {
      var button = event.target.closest(".chip-remove");
      if (button) self.removeChip(button.closest("li"), true);
    });
  };

  Picker.prototype.addChip = function (value, label, speak) {
    if (!this.multiple) this.chosen.textContent = "";
    if (this.chosen.querySelector('input[value="' + CSS.escape(value) + '"]')) return;
    var item = document.createElement("li");
    item.className = "chip";
    var text = document.createElement("span");
    text.textContent = label;
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = this.name;
    hidden.value = value;
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "chip-remove";
    remove.setAttribute("aria-label", this.root.getAttribute("data-remove-label") + " " + label);
    remove.textContent = "×";
    item.appendChild(text);
    item.appendChild(hidden);
    item.appendChild(remove);
    this.chosen.appendChild(item);
    if (speak) announce(label + " " + this.root.getAttribute("data-added"));
  };

  Picker.prototype.removeChip = function (item, speak) {
    if (!item) return;
    var label = item.querySelector("span").textContent;
    item.remove();
    this.input.focus();
    if (speak) announce(label + " " + this.root.getAttribute("data-removed"));
  };

  Picker.prototype.schedule = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.fetch(); }, 150);
  };

  Picker.prototype.fetch = function () {
    var self = this;
    var term = this.input.value.trim();
    if (!term) { this.close(); return; }
    this.sequence += 1;
    var mine = this.sequence;
    var address = this.url + (this.url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(term);
    window.fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { if (mine === self.sequence) self.show(data.results || []); })
      .catch(function () { self.close(); });
  };

  Picker.prototype.show = function (results) {
    var self = this;
    this.results = results;
    this.active = -1;
    this.listbox.textContent = "";
    if (!results.length) {
      var none = document.createElement("li");
      none.className = "picker-none";
      none.textContent = this.root.getAttribute("data-no-match");
      this.listbox.appendChild(none);
    }
    results.forEach(function (result, index) {
      var option = document.createElement("li");
      option.id = self.listbox.id + "-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-index", String(index));
      option.textContent = result.label;
      if (result.meta) {
        var meta = document.createElement("span");
        meta.className = "meta";
        meta.textContent = " · " + result.meta;
        option.appendChild(meta);
      }
      self.listbox.appendChild(option);
    });
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    this.input.removeAttribute("aria-activedescendant");
    announce(results.length ? String(results.length) : this.root.getAttribute("data-no-match"));
  };

  Picker.prototype.close = function () {
    this.listbox.hidden = true;
    this.active = -1;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  };

  Picker.prototype.move = function (step) {
    if (!this.results.length) return;
    if (this.listbox.hidden) this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    var options = this.listbox.querySelectorAll("[role=option]");
    if (this.active >= 0) options[this.active].setAttribute("aria-selected", "false");
    this.active = (this.active + step + options.length) % options.length;
    var option = options[this.active];
    option.setAttribute("aria-selected", "true");
    option.scrollIntoView({ block: "nearest" });
    this.input.setAttribute("aria-activedescendant", option.id);
  };

  Picker.prototype.choose = function (index) {
    var result = this.results[index];
    if (!result) return;
    this.addChip(String(result.id), result.label, true);
    this.input.value = "";
    this.results = [];
    this.close();
    this.input.focus();
  };

  Picker.prototype.key = function (event) {
    var open = !this.listbox.hidden;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      this.move(1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      this.move(-1);
    } else if (event.key === "Enter") {
      // Enter in the search box chooses; it never sends the whole form half filled.
      if (open || this.input.value.trim()) event.preventDefault();
      if (open) this.choose(this.active >= 0 ? this.active : this.results.length === 1 ? 0 : -1);
    } else if (event.key === "Escape") {
      if (open) { event.preventDefault(); this.close(); } else if (this.input.value) {
        event.preventDefault();
        this.input.value = "";
      }
    } else if (event.key === "Backspace" && !this.input.value) {
      var chips = this.chosen.querySelectorAll(".chip");
      if (chips.length) this.removeChip(chips[chips.length - 1], true);
    }
  };

  document.querySelectorAll("[data-picker]").forEach(function (root) { new Picker(root); });
})();
