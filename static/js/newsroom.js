// Newsroom's progressive enhancement. Every page works without this file; with it, reply forms
// open in place (htmx), reaction buttons toggle in place, and moderators get keyboard shortcuts
// (moderation.js).
(function () {
  "use strict";
  // Focus the textarea of a reply form that htmx just opened.
  document.addEventListener("htmx:afterSwap", function (event) {
    var area = event.target.querySelector && event.target.querySelector("textarea");
    if (area && event.target.classList.contains("reply-slot")) area.focus();
  });
  // A new comment swapped in: clear the top-level form and scroll to the comment.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target;
    if (form.tagName === "FORM" && event.detail.successful && form.classList.contains("comment-form")) {
      var area = form.querySelector("textarea");
      if (area) area.value = "";
    }
  });
  // Validation errors come back as 400 with the form: show them in place of the form.
  // A refused reaction comes back as the button with the reason beside it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 400 || event.detail.xhr.status === 403 || event.detail.xhr.status === 429) {
      var form = event.detail.requestConfig.elt.closest("form.comment-form");
      if (form) { event.detail.shouldSwap = true; event.detail.target = form; event.detail.swapOverride = "outerHTML"; }
      if (event.detail.target.classList.contains("react-form")) { event.detail.shouldSwap = true; }
    }
  });
  // A reaction answered: its comment's data-reactions follows the button's count.
  document.addEventListener("htmx:afterSwap", function (event) {
    var form = event.target.closest && event.target.closest("form.react-form");
    var count = form && form.querySelector(".react-count"), comment = form && form.closest("article.comment");
    if (count && comment) comment.setAttribute("data-reactions", count.textContent);
  });
})();
