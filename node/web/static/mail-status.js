// A campaign mail's status page (admin_mail_status.html) while the mail is sending or about to:
// asks the node for the same page every data-refresh-ms and writes the new figures into the
// parts marked data-live (the state is a status region, read out by screen readers). No meta
// refresh: a page reloading itself on a timer fails WCAG 2.2.1 and loses a reader's place. When
// the mail's state changes (started, sent) the page is loaded once, for its new buttons; the
// 更新 link does the same by hand, without script.
"use strict";
(function () {
  var root = document.getElementById("mail-status");
  if (!root || !root.hasAttribute("data-refresh-ms")) { return; }
  var every = Number(root.getAttribute("data-refresh-ms")) || 3000;

  function shown(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var next = fresh.getElementById("mail-status");
    if (!next || next.getAttribute("data-status") !== root.getAttribute("data-status")) {
      location.reload();
      return;
    }
    var parts = document.querySelectorAll("[data-live]");
    for (var i = 0; i < parts.length; i++) {
      var now = fresh.getElementById(parts[i].id);
      if (now && now.innerHTML !== parts[i].innerHTML) { parts[i].innerHTML = now.innerHTML; }
    }
    if (next.hasAttribute("data-refresh-ms")) { setTimeout(check, every); }
  }

  function check() {
    fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (answer) {
        if (!answer.ok) { location.reload(); return; }
        return answer.text().then(shown);
      })
      .catch(function () { setTimeout(check, every); });  // offline for a moment: ask again
  }

  setTimeout(check, every);
})();
