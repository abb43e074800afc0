// The customer's QR: a fresh one-time code from the node, redrawn when the countdown ends.
// Offline, signed out, or no longer usable, the code and its 18 digits are taken off the screen
// (a stale code at the counter only wastes the clerk's time) and the page says what to do.
// wallet-live.js drives it too (window.KippuQr): a payment hides the used code. The membership
// card (wallet_card.html) uses it as it is: its box says data-unit="pt" (a balance in points) and
// its frame is #member-card; its typed code has 16 digits.
"use strict";
(function () {
  var box = document.getElementById("qr");
  var codeBox = document.getElementById("code-box");
  if (!box || !codeBox) { return; }
  var manual = document.getElementById("manual-code");
  var balance = document.getElementById("balance");
  var panels = {
    offline: document.getElementById("offline"),
    "signed-out": document.getElementById("signed-out"),
    unusable: document.getElementById("not-usable")
  };
  var seconds = document.getElementById("countdown-s");
  var bar = document.getElementById("countdown-bar");
  var url = box.getAttribute("data-code-url");
  var inPoints = box.getAttribute("data-unit") === "pt";
  var frame = document.getElementById("voucher") || document.getElementById("member-card");
  var retry = null, ticker = null, due = 0, span = 1, state = "loading", asking = false;

  function forget() {
    clearInterval(ticker);
    box.innerHTML = "";
    box.removeAttribute("data-payload");
    manual.textContent = "—";
    seconds.textContent = "—";
  }

  function show(next) {
    state = next;
    codeBox.setAttribute("data-state", next);
    frame.setAttribute("data-state", next);
    codeBox.hidden = !(next === "showing" || next === "loading");
    Object.keys(panels).forEach(function (name) { panels[name].hidden = name !== next; });
    if (next !== "showing") { forget(); }
  }

  function draw(payload) {
    var qr = qrcode(0, "M");
    qr.addData(payload);
    qr.make();
    box.innerHTML = qr.createSvgTag({ cellSize: 4, margin: 4, scalable: true });
    box.setAttribute("data-payload", payload);
  }

  function tick() {
    var left = Math.max(0, Math.ceil((due - Date.now()) / 1000));
    seconds.textContent = String(left);
    bar.style.transform = "scaleX(" + (left / span) + ")";
    if (left <= 0) { refresh(); }
  }

  function later(ms) {
    clearTimeout(retry);
    retry = setTimeout(refresh, ms);
  }

  function shown(code) {
    draw(code.payload);
    manual.textContent = code.manual_code.length === 16
      ? code.manual_code.replace(/(\d{4})(\d{4})(\d{4})(\d{4})/, "$1 $2 $3 $4")
      : code.manual_code.replace(/(\d{4})(\d{4})(\d{4})(\d{6})/, "$1 $2 $3 $4");
    balance.textContent = inPoints
      ? code.balance.toLocaleString("ja-JP") + " pt"
      : "¥" + code.balance.toLocaleString("ja-JP");
    span = Math.max(1, code.refresh_after_s);
    due = Date.now() + span * 1000;
    show("showing");
    clearInterval(ticker);
    ticker = setInterval(tick, 250);
    tick();
  }

  function refresh() {
    clearTimeout(retry);
    if (state === "signed-out" || state === "paid" || asking) { return; }
    if (!navigator.onLine) { show("offline"); return; }
    asking = true;
    clearInterval(ticker);
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        asking = false;
        if (response.status === 401) { show("signed-out"); return null; }
        if (response.status === 404 || response.status === 409) { show("unusable"); return null; }
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json().then(shown);
      })
      .catch(function () {
        asking = false;
        show("offline"); // no answer from the node: the code may be dead, so it is not shown
        later(5000);
      });
  }

  window.addEventListener("offline", function () { show("offline"); });
  window.addEventListener("online", function () { if (state === "offline") { refresh(); } });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { refresh(); }
  });
  window.KippuQr = {
    refresh: function () { if (state === "paid") { state = "loading"; } refresh(); },
    show: show,
    state: function () { return state; }
  };
  refresh();
})();
