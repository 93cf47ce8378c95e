// The program form's partner boxes: htmx swaps in the organizations matching what is typed, each
// a button (data-input: the box's id, data-value: the organization's name and number). Choosing
// one fills the box and clears the list. One listener on the document serves every list htmx
// swaps in later; an attribute handler (hx-on) would need eval, which the
// Content-Security-Policy forbids.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-input][data-value]");
    if (!button) return;
    const box = document.getElementById(button.dataset.input);
    if (!box) return;
    box.value = button.dataset.value;
    box.focus();
    const list = button.closest("[aria-live]");
    if (list) list.replaceChildren();
  });
})();
