// The paper sheet: Enter moves to the next line's first box, and on the last line adds a
// line, so a sheet is typed in without the mouse. Without JavaScript the form is a plain set
// of lines and Enter checks the sheet.
(function () {
  "use strict";
  var body = document.querySelector("[data-paper-rows]");
  if (!body) return;
  var total = document.getElementById("id_row-TOTAL_FORMS");
  var max = document.getElementById("id_row-MAX_NUM_FORMS");

  function rows() { return body.querySelectorAll("[data-paper-row]"); }

  function addRow() {
    var all = rows();
    var last = all[all.length - 1];
    var index = all.length;
    if (max && index >= parseInt(max.value, 10)) return null;
    var row = last.cloneNode(true);
    row.className = "";
    row.querySelectorAll(".errorlist").forEach(function (e) { e.remove(); });
    row.querySelector("[data-row-check]").textContent = "";
    row.querySelector("[data-row-number]").textContent = String(index + 1);
    row.querySelectorAll("input, label").forEach(function (el) {
      ["id", "name", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) el.setAttribute(attr, value.replace(/row-\d+-/, "row-" + index + "-"));
      });
      if (el.tagName === "INPUT") el.value = "";
    });
    body.appendChild(row);
    total.value = String(index + 1);
    return row;
  }

  body.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.target.tagName !== "INPUT") return;
    event.preventDefault();
    var row = event.target.closest("[data-paper-row]");
    var next = row.nextElementSibling || addRow();
    if (next) next.querySelector("input").focus();
  });
})();
