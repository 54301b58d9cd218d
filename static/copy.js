// Progressive enhancement: a "Copy" button beside each exact entry. Without JavaScript the
// entry is still selectable text (and selects whole on click, through CSS user-select: all).
(function () {
  "use strict";
  if (!navigator.clipboard) { return; }
  var fr = document.documentElement.lang === "fr";
  var label = fr ? "Copier" : "Copy";
  var done = fr ? "Copié" : "Copied";
  var colon = fr ? "\u00a0: " : ": ";
  var live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("aria-live", "polite");
  (document.getElementById("main") || document.body).appendChild(live);
  document.querySelectorAll(".copy-value").forEach(function (code) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = label;
    button.setAttribute("aria-label", label + colon + code.textContent);
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(code.textContent).then(function () {
        button.textContent = done;
        live.textContent = done + colon + code.textContent;
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
    code.parentNode.appendChild(button);
  });
}());
