// GOV.UK's error summary: on a page that shows one, move the focus to it when the page loads, so
// that a screen reader reads it and the keyboard starts from it. Without JavaScript it is the
// first thing in the main content, where the skip link leads. Its links lead to the fields.
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
}());
