// Draws a QR code for the link in each element's data-qr (a sold or gifted voucher's hand-over link).
"use strict";
(function () {
  document.querySelectorAll("[data-qr]").forEach(function (box) {
    var qr = qrcode(0, "M");
    qr.addData(box.getAttribute("data-qr"));
    qr.make();
    box.innerHTML = qr.createSvgTag({ cellSize: 4, margin: 4, scalable: true });
  });
})();
