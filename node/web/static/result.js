// The counter's result screens (staff_done.html, staff_voided.html): a short buzz where the phone
// supports it (one for ✓, three for ✗) and focus on the heading, so a screen reader reads it out
// at once (the section is also role=status, or role=alert for a refusal).
"use strict";
(function () {
  var result = document.getElementById("result");
  if (!result) { return; }
  var outcome = result.getAttribute("data-outcome");
  var patterns = { accepted: 120, refused: [90, 60, 90, 60, 90], rejected: [90, 60, 90, 60, 90],
    voided: [60, 40, 60] };
  if (navigator.vibrate && patterns[outcome] !== undefined) {
    try { navigator.vibrate(patterns[outcome]); } catch (e) { /* not allowed: the colour says it */ }
  }
  result.setAttribute("data-vibrated", navigator.vibrate ? "1" : "0");
  var title = document.getElementById("result-title");
  if (title) { title.focus(); }
})();
