// The gift's link: shared by the phone's own share sheet where it has one, or copied.
"use strict";
(function () {
  var box = document.getElementById("share");
  if (!box) { return; }
  var link = box.getAttribute("data-link");
  var text = box.getAttribute("data-text");
  var native = document.getElementById("share-native");
  if (navigator.share) {
    native.hidden = false;
    native.addEventListener("click", function () {
      navigator.share({ text: text, url: link }).catch(function () { /* closed: nothing to do */ });
    });
  }
  var copy = document.getElementById("copy-link");
  copy.addEventListener("click", function () {
    var done = function () { copy.textContent = copy.getAttribute("data-done"); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(link).then(done, function () { fallback(); done(); });
    } else {
      fallback();
      done();
    }
  });
  function fallback() {
    var area = document.createElement("textarea");
    area.value = link;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* the link stays shown to copy by hand */ }
    document.body.removeChild(area);
  }
})();
