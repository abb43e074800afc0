// The voucher page, live: the node's event stream (Server-Sent Events) tells it at once when the
// voucher was used, at our counter or a partner's. The page then shows 支払い完了 with the amount
// and the balance left, takes the used code off the screen, and updates the balance.
"use strict";
(function () {
  var root = document.getElementById("voucher");
  if (!root || !window.EventSource) { return; }
  var balance = document.getElementById("balance");
  var overlay = document.getElementById("paid");
  var last = root.getAttribute("data-point");
  var base = root.getAttribute("data-events-url");
  var source = null, wait = null, unusable = false;

  function yen(n) { return "¥" + n.toLocaleString("ja-JP"); }
  function qr() { return window.KippuQr || null; }

  function paid(data) {
    document.getElementById("paid-amount").textContent = yen(data.paid);
    document.getElementById("paid-balance").textContent = yen(data.balance);
    overlay.hidden = false;
    overlay.setAttribute("data-balance", String(data.balance));
    if (qr()) { qr().show("paid"); }
    if (navigator.vibrate) { navigator.vibrate([80, 40, 80]); }
    document.getElementById("paid-close").focus();
  }

  function changed(event) {
    var data = JSON.parse(event.data);
    if (event.lastEventId) { last = event.lastEventId; }
    balance.textContent = yen(data.balance);
    root.setAttribute("data-balance", String(data.balance));
    if (data.paid > 0) { paid(data); return; }
    if (!data.usable && qr()) { qr().show("unusable"); unusable = true; }
    else if (data.usable && unusable && qr()) { unusable = false; qr().refresh(); } // resumed
  }

  function connect() {
    clearTimeout(wait);
    source = new EventSource(base + "?after=" + encodeURIComponent(last));
    source.addEventListener("voucher", changed);
    source.addEventListener("signed_out", function () {
      source.close();
      if (qr()) { qr().show("signed-out"); }
    });
    source.addEventListener("replaced", function () { source.close(); }); // another page took over
    source.onerror = function () {
      if (source.readyState !== EventSource.CLOSED) { return; } // the browser reconnects itself
      // Refused (signed out, or the node's stream limit): the QR's own check says which.
      if (qr()) { qr().refresh(); }
      wait = setTimeout(connect, 30000);
    };
  }

  document.getElementById("paid-close").addEventListener("click", function () {
    overlay.hidden = true;
    if (qr()) { qr().refresh(); }
  });
  window.addEventListener("online", function () {
    if (source && source.readyState === EventSource.CLOSED) { connect(); }
  });
  connect();
})();
