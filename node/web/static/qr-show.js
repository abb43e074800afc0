// The customer's QR: a fresh one-time code from the node, redrawn before the old one expires.
"use strict";
(function () {
  var box = document.getElementById("qr");
  if (!box) { return; }
  var manual = document.getElementById("manual-code");
  var balance = document.getElementById("balance");
  var url = box.getAttribute("data-code-url");
  var timer = null;

  function draw(payload) {
    var qr = qrcode(0, "M");
    qr.addData(payload);
    qr.make();
    box.innerHTML = qr.createSvgTag({ cellSize: 4, margin: 4, scalable: true });
    box.setAttribute("data-payload", payload);
  }

  function schedule(seconds) {
    clearTimeout(timer);
    timer = setTimeout(refresh, Math.max(1, seconds) * 1000);
  }

  function refresh() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (code) {
        draw(code.payload);
        manual.textContent = code.manual_code.replace(/(\d{4})(\d{4})(\d{4})(\d{6})/, "$1 $2 $3 $4");
        balance.textContent = "¥" + code.balance.toLocaleString("ja-JP");
        schedule(code.refresh_after_s);
      })
      .catch(function () {
        box.innerHTML = "";
        box.removeAttribute("data-payload");
        schedule(5);
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { refresh(); }
  });
  refresh();
})();
