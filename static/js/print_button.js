// "Print" buttons (data-print): hidden in the markup, because without JavaScript they could do
// nothing (the browser's own Print command always works); shown here, and they print the page.
// A static file rather than an inline script: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  for (const button of document.querySelectorAll("button[data-print]")) {
    button.hidden = false;
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("button[data-print]")) {
      window.print();
    }
  });
})();
