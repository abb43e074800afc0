// The print button of the day close (日計): the page's print CSS (static/sales.css) does the rest.
"use strict";
(function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
