// Progressive enhancement: a "Copy" button beside each exact entry. Without JavaScript the
// entry is still selectable text (and selects whole on click, through CSS user-select: all).
(function () {
  "use strict";
  if (!navigator.clipboard) { return; }
  var live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("aria-live", "polite");
  (document.getElementById("main") || document.body).appendChild(live);
  document.querySelectorAll(".copy-value").forEach(function (code) {
    // The words come from the page, translated with the rest of it (result.html).
    var texts = code.closest("[data-copy]");
    if (!texts) { return; }
    var label = texts.getAttribute("data-copy");
    var done = texts.getAttribute("data-copied");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = label;
    button.setAttribute("aria-label", texts.getAttribute("data-copy-named") + " " + code.textContent);
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(code.textContent).then(function () {
        button.textContent = done;
        live.textContent = texts.getAttribute("data-copied-named") + " " + code.textContent;
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
    code.parentNode.appendChild(button);
  });
}());
