// Progressive enhancement: the result page's "Print this page" button, hidden in the HTML
// (without JavaScript it could do nothing; the print stylesheet still gives a clean handout
// from the browser's own Print command).
(function () {
  "use strict";
  if (typeof window.print !== "function") { return; }
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
    button.hidden = false;
  });
}());
