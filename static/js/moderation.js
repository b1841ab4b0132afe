// Moderation desk keyboard shortcuts and in-place actions. Without this file every action is a
// plain form POST that returns to the same place in the queue.
(function () {
  "use strict";
  var current = null;

  function cards() { return Array.prototype.slice.call(document.querySelectorAll("#cards .card")); }

  function select(card) {
    if (!card) return;
    if (current) current.classList.remove("is-current");
    current = card;
    card.classList.add("is-current");
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var list = cards();
    if (!list.length) return;
    var i = list.indexOf(current);
    select(list[Math.min(list.length - 1, Math.max(0, i === -1 ? 0 : i + step))]);
  }

  function press(selector) {
    if (!current) return;
    var el = current.querySelector(selector);
    if (el) el.click();
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var dialog = document.getElementById("shortcuts");
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "a": press('[data-key="a"]'); break;
      case "f": press('[data-key="f"]'); break;
      case "r":
        if (!current) return;
        var picker = current.querySelector(".reject-picker");
        if (picker) { picker.open = true; var first = picker.querySelector('input[type="radio"]'); if (first) first.focus(); }
        break;
      case "b":
        if (!current) return;
        var users = current.querySelector(".user-actions");
        if (users) users.open = true;
        press('[data-key="b"]');
        break;
      case "x":
        if (current) { var box = current.querySelector('input[type="checkbox"]'); if (box) box.checked = !box.checked; }
        break;
      case "?":
        if (dialog) { dialog.open ? dialog.close() : dialog.showModal(); }
        break;
      default: return;
    }
    event.preventDefault();
  });

  // Ask before banning, with or without the keyboard.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
  }, true);

  // A card that leaves hands focus to the one after it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target.classList || !target.classList.contains("card")) return;
    if (event.detail.xhr.status >= 400) {
      event.detail.shouldSwap = true;
      event.detail.swapOverride = "none";  // keep the card; the status message still arrives
      return;
    }
    var list = cards();
    var i = list.indexOf(target);
    target.dataset.nextCard = (list[i + 1] || list[i - 1] || {}).id || "";
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var nextId = event.detail.target.dataset && event.detail.target.dataset.nextCard;
    if (nextId === undefined) return;
    var next = nextId && document.getElementById(nextId);
    if (next) select(next); else current = null;  // the queue page is empty now
  });

  document.addEventListener("DOMContentLoaded", function () {
    var list = cards();
    if (list.length) select(list[0]);
  });
})();
