// The waiting room's page (campaigns/wait.html): asks the node for this ticket's page again every
// data-refresh-ms, writes the new place into the status line (read out by screen readers), and
// once the ticket is decided goes to the answer: the granted coupon, or the refusal. No meta
// refresh: a page that reloads itself on a timer fails WCAG 2.2.1 (axe-core's meta-refresh), and
// reloading would move a screen reader's place. "Check now" does the same by hand, without script.
"use strict";
(function () {
  var box = document.getElementById("waiting");
  var place = document.getElementById("place");
  if (!box || !place) { return; }
  var timer = null;

  function every(from) { return Number(from.getAttribute("data-refresh-ms")) || 5000; }

  function later(ms) {
    clearTimeout(timer);
    timer = setTimeout(check, ms);
  }

  function shown(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var waiting = fresh.getElementById("waiting");
    var text = fresh.getElementById("place");
    if (!waiting || !text) { location.reload(); return; }  // not the wait page: show what it is
    box.setAttribute("data-position", waiting.getAttribute("data-position"));
    if (place.textContent !== text.textContent) { place.textContent = text.textContent; }
    later(every(waiting));
  }

  function check() {
    fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (answer) {
        // Decided: the node answers the coupon's page (a redirect) or the refusal (not 200).
        if (answer.redirected) { location.assign(answer.url); return; }
        if (!answer.ok) { location.reload(); return; }
        return answer.text().then(shown);
      })
      .catch(function () { later(every(box)); });  // offline for a moment: ask again later
  }

  later(every(box));
})();
