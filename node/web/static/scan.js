// The staff page: read the customer's QR with the camera (BarcodeDetector where the browser has
// it, else jsQR served by the node). Typing the code stays possible; the amount keypad is keypad.js.
"use strict";
(function () {
  var button = document.getElementById("scan");
  var scanner = document.getElementById("scanner");
  var video = document.getElementById("camera");
  var failed = document.getElementById("camera-error");
  var code = document.getElementById("code");
  var amount = document.getElementById(code.getAttribute("data-next") || "amount-display") ||
    document.getElementById("amount");
  // The codes this page takes: a voucher's (KIPPU1:) unless the field names others, e.g. the
  // points pages' membership card (KIPPUM1:) and voucher codes.
  var prefixes = (code.getAttribute("data-prefixes") || "KIPPU1:").split(" ");
  var startLabel = button.textContent;
  var stream = null;
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var detector = null;
  if ("BarcodeDetector" in window) {
    try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { detector = null; }
  }

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    scanner.hidden = true;
    button.textContent = startLabel;
  }

  function found(text) {
    code.value = text.trim();
    stop();
    amount.focus();
    document.body.setAttribute("data-scanned", "1");
    // A field that names a whole form to send (the wallet's store finder) sends it once read.
    if (code.hasAttribute("data-submit")) { code.form.submit(); }
  }

  function decodeFrame() {
    if (!stream) { return Promise.resolve(null); }
    if (detector) {
      return detector.detect(video).then(function (codes) {
        return codes.length ? codes[0].rawValue : null;
      });
    }
    var w = video.videoWidth, h = video.videoHeight;
    if (!w || !h) { return Promise.resolve(null); }
    canvas.width = w; canvas.height = h;
    context.drawImage(video, 0, 0, w, h);
    var image = context.getImageData(0, 0, w, h);
    var result = jsQR(image.data, w, h, { inversionAttempts: "attemptBoth" });
    return Promise.resolve(result ? result.data : null);
  }

  function loop() {
    if (!stream) { return; }
    decodeFrame().then(function (text) {
      var upper = text ? text.toUpperCase() : "";
      if (prefixes.some(function (p) { return upper.indexOf(p) === 0; })) { found(text); return; }
      setTimeout(loop, 150);
    }, function () { setTimeout(loop, 300); });
  }

  button.addEventListener("click", function () {
    if (stream) { stop(); return; }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      failed.hidden = false; code.focus(); return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        scanner.hidden = false;
        failed.hidden = true;
        button.textContent = button.getAttribute("data-stop");
        return video.play();
      })
      .then(loop)
      .catch(function () { stop(); failed.hidden = false; code.focus(); });
  });

})();
