// The confirmation a resident shows staff after paying at a store: the clock shows the time now,
// second by second, so a screenshot of the page shows a stopped one (the band's slide is CSS).
"use strict";
(function () {
  var clock = document.getElementById("live-clock");
  if (!clock) { return; }
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var now = new Date();
    clock.textContent = two(now.getHours()) + ":" + two(now.getMinutes()) + ":" + two(now.getSeconds());
    clock.setAttribute("data-ticked", String(now.getTime()));
  }
  tick();
  setInterval(tick, 1000);
})();
