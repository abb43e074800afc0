// The amount keypad (templates/_keypad.html): turns each [data-keypad] numeric field into a large
// ¥ display driven by on-screen keys and the hardware keyboard, without ever opening the phone's
// own keyboard (the field becomes a hidden, readonly input with inputmode="none"). Without this
// script the field stays a plain numeric input. Loaded once per keypad; each widget set up once.
"use strict";
(function () {
  var FULL_WIDTH = /[０-９]/g;

  function digitsOf(text) {
    return String(text || "").replace(FULL_WIDTH, function (d) {
      return String.fromCharCode(d.charCodeAt(0) - 0xfee0);
    }).replace(/[^0-9]/g, "").replace(/^0+/, "");
  }

  function formatYen(digits) {
    return "¥" + (digits || "0").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  function setUp(widget) {
    if (widget.hasAttribute("data-keypad-ready")) { return; }
    widget.setAttribute("data-keypad-ready", "1");
    var field = widget.querySelector(".keypad-field");
    var display = widget.querySelector(".keypad-display");
    var keys = widget.querySelector(".keypad-keys");
    var max = parseInt(widget.getAttribute("data-max"), 10) || 10000000;
    var limitText = widget.getAttribute("data-limit-text");
    var emptyText = widget.getAttribute("data-empty-text");
    var form = field.form;
    var digits = digitsOf(field.value);

    field.readOnly = true;
    field.setAttribute("inputmode", "none");
    field.type = "hidden";  // the display stands in for it; the form still posts its digits
    display.hidden = false;
    keys.hidden = false;
    widget.classList.add("keypad-on");

    function show(refused) {
      field.value = digits;
      display.textContent = formatYen(digits);
      widget.setAttribute("data-amount", digits || "0");
      widget.classList.toggle("keypad-refused", !!refused);
      if (refused) { display.textContent = formatYen(digits) + " — " + limitText; }
    }

    function press(key) {
      var next = digits;
      if (key === "clear") { next = ""; }
      else if (key === "back") { next = digits.slice(0, -1); }
      else if (/^[0-9]+$/.test(key)) { next = (digits + key).replace(/^0+/, ""); }
      else { return; }
      if (next && parseInt(next, 10) > max) { show(true); return; }
      digits = next;
      show(false);
    }

    keys.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-key]");
      if (button) { press(button.getAttribute("data-key")); }
    });

    // Typing on a hardware keyboard: when focus is inside this widget, or on nothing in
    // particular (the page itself), so a code field elsewhere on the page keeps its own keys.
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      var target = event.target;
      var isOurs = widget.contains(target);
      var isPage = target === document.body || target === document.documentElement;
      if (!isOurs && !(isPage && firstWidget() === widget)) { return; }
      var key = event.key;
      if (/^[0-9]$/.test(key)) { press(key); }
      else if (key === "Backspace") { press("back"); }
      else if (key === "Delete" || key === "Escape") { press("clear"); }
      else if (key === "Enter" && form && target.tagName !== "BUTTON") {
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      } else { return; }
      event.preventDefault();
    });

    if (form) {
      form.addEventListener("submit", function (event) {
        if (!digits) {
          event.preventDefault();
          display.textContent = formatYen("") + " — " + emptyText;
          widget.classList.add("keypad-refused");
          display.focus();
        }
      });
    }
    show(false);
  }

  function firstWidget() { return document.querySelector("[data-keypad]"); }

  function setUpAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-keypad]"), setUp);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setUpAll); }
  else { setUpAll(); }
})();
