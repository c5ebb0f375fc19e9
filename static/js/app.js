// After an htmx swap, tell screen-reader users what changed and put keyboard focus
// somewhere sensible. A fragment marks its message with data-announce and, optionally,
// the element to focus with data-focus.
(function () {
  "use strict";
  var announcer = document.getElementById("announcer");

  function announce(text) {
    if (!announcer || !text) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var root = event.detail.elt && event.detail.elt.isConnected ? event.detail.elt : event.detail.target;
    var scope = root && root.isConnected ? root : document;
    var message = scope.querySelector("[data-announce]") || document.querySelector("[data-announce]");
    if (message) {
      announce(message.getAttribute("data-announce"));
      message.removeAttribute("data-announce");
    }
    var focus = scope.querySelector("[data-focus]") || document.querySelector("[data-focus]");
    if (focus) {
      if (!focus.hasAttribute("tabindex")) focus.setAttribute("tabindex", "-1");
      focus.focus();
      focus.removeAttribute("data-focus");
    }
  });

  // Forms and buttons marked data-confirm ask before doing something that cannot be undone.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);
})();
