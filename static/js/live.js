// Live updates on a thread page (#live-updates in templates/articles/article_detail.html).
// Asks the thread's updates URL, now and then, how many comments were published since the
// version the page was built from, says "N new comments — Show", and on Show puts them under
// their parents in place. Marks the comments posted since the reader's last visit "New" (the
// newest comment time seen is kept in this browser's localStorage, per thread). The page works
// without this file: a reload shows everything.
(function () {
  "use strict";
  var live = document.getElementById("live-updates");
  var thread = document.getElementById("thread");
  if (!live || !thread || !window.fetch) return;

  var base = Math.max(0.05, parseFloat(live.getAttribute("data-poll-seconds")) || 10) * 1000;
  var longest = base * 6; // when nothing changes, and while the tab is hidden
  var since = live.getAttribute("data-version"); // the version of what the page holds
  var message = live.querySelector(".live-message");
  var button = live.querySelector(".live-show");
  var lastVersion = since, wait = base, timer = null, stopped = false, polling = false;
  var serverNew = 0; // published since `since`, as the last poll said
  var ownPublished = 0; // the reader's own posts since `since`: already on the page
  var own = {}; // ids of the reader's own posts on this page: never New to them
  var count = 0; // what the page says: serverNew less the reader's own

  // --- "New" since the last visit ---------------------------------------------------------
  var seenKey = "newsroom:seen:" + location.pathname;
  var seen = 0;
  try { seen = parseInt(localStorage.getItem(seenKey), 10) || 0; } catch (e) { /* storage off */ }
  function created(comment) {
    var time = comment.querySelector(":scope > details > .comment-when time");
    // Microseconds cut to milliseconds: ECMAScript's date format has three digits there.
    return time ? Date.parse(time.getAttribute("datetime").replace(/(\.\d{3})\d+/, "$1")) || 0 : 0;
  }
  function markNew(comment) {
    if (comment.classList.contains("is-new")) return;
    comment.classList.add("is-new");
    var author = comment.querySelector(":scope > details > summary .author");
    if (author) author.insertAdjacentHTML("afterend", '<span class="badge new">New</span>');
  }
  function remember() {
    var newest = seen;
    thread.querySelectorAll("article.comment").forEach(function (c) { newest = Math.max(newest, created(c)); });
    try { localStorage.setItem(seenKey, String(newest)); } catch (e) { /* storage off */ }
  }
  function markSince() { // what was posted since the last visit (none on the first)
    if (!seen) return;
    thread.querySelectorAll("article.comment").forEach(function (c) {
      if (created(c) > seen && !own[c.id]) markNew(c);
    });
  }
  markSince();
  remember();
  // A page of "More comments", which htmx appends to the thread: marked the same way.
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    if (event.detail.target !== thread) return;
    markSince();
    remember();
  });

  // --- polling ----------------------------------------------------------------------------
  function say(text, offer) {
    message.textContent = text;
    button.hidden = !offer;
    live.classList.toggle("has-news", Boolean(text));
  }
  function showCount() {
    var n = Math.max(0, serverNew - ownPublished);
    if (n === count) return;
    count = n;
    if (n) say(n + " new comment" + (n === 1 ? "" : "s") + " —", true);
    else if (!button.hidden) say("", false);
  }
  function schedule(ms) {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(poll, ms);
  }
  function poll() {
    if (polling) return;
    polling = true;
    var asked = since;
    var url = live.getAttribute("data-updates-url") + "?since=" + encodeURIComponent(asked);
    fetch(url, { credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.status === 404 || r.status === 400) stopped = true; // gone, or never will answer
        if (!r.ok) throw new Error("updates: " + r.status);
        return r.json();
      })
      .then(function (data) {
        if (asked !== since) return; // asked before Show moved the page on: out of date
        var changed = String(data.version) !== lastVersion;
        lastVersion = String(data.version);
        serverNew = data.new;
        showCount();
        wait = changed ? base : Math.min(longest, wait * 1.5);
      })
      .catch(function () { wait = Math.min(longest, wait * 2); })
      .then(function () {
        polling = false;
        schedule(document.hidden ? longest : wait);
      });
  }
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { wait = base; schedule(0); }
  });

  // --- Show: the new comments, each under its parent ---------------------------------------
  function place(comment, sort) {
    if (document.getElementById(comment.id)) return null; // on the page already (one's own)
    var parent = comment.getAttribute("data-parent");
    var box = parent ? document.getElementById("replies-" + parent) : thread;
    if (!box) return null; // under a comment this page does not show (a later page, deeper)
    if (!parent && sort === "newest") box.insertBefore(comment, box.firstChild);
    else box.appendChild(comment);
    if (window.htmx) window.htmx.process(comment);
    markNew(comment);
    return comment;
  }
  button.addEventListener("click", function () {
    button.disabled = true;
    var url = live.getAttribute("data-comments-url") + "?since=" + encodeURIComponent(since);
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) {
        if (!r.ok) throw new Error("new comments: " + r.status);
        return r.text();
      })
      .then(function (html) {
        var holder = document.createElement("template");
        holder.innerHTML = html;
        var batch = holder.content.querySelector(".live-batch");
        if (!batch) throw new Error("new comments: no batch");
        var sort = live.getAttribute("data-sort"), shown = [];
        Array.prototype.slice.call(batch.children).forEach(function (c) {
          if (c.matches("article.comment") && place(c, sort)) shown.push(c);
        });
        var missed = Math.max(0, count - shown.length);
        since = lastVersion = batch.getAttribute("data-version");
        serverNew = ownPublished = count = 0;
        say(
          (shown.length ? shown.length + " new comment" + (shown.length === 1 ? "" : "s") + " shown, marked New."
                        : "No new comments here.")
            + (missed ? " " + missed + " more in continued threads or on later pages." : ""),
          false
        );
        remember();
        if (shown.length) {
          shown[0].setAttribute("tabindex", "-1");
          shown[0].focus({ preventScroll: true });
          shown[0].scrollIntoView({ block: "nearest" });
        }
        wait = base;
      })
      .catch(function () { say("The new comments could not be loaded; try again.", true); })
      .then(function () { button.disabled = false; schedule(wait); });
  });

  // The reader's own post (htmx) is on the page: not news to them, and seen.
  document.addEventListener("htmx:afterSwap", function (event) {
    var from = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!from || !from.closest || !from.closest("form.comment-form") || event.detail.xhr.status !== 200) return;
    var found = /\bid="c(\d+)"/.exec(event.detail.xhr.responseText || "");
    var mine = found && document.getElementById("c" + found[1]);
    if (mine) own[mine.id] = true;
    if (mine && !mine.classList.contains("is-pending")) { ownPublished += 1; showCount(); }
    remember();
  });

  schedule(base);
})();
