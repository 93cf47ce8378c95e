// A list's selection for bulk actions (bulk/partials/selection.html): "Select all on this
// page" ticks or clears every row's checkbox (data-row-select), and the form says how many
// are ticked. Hidden in the markup, as without JavaScript it could do nothing; the rows'
// own checkboxes and "all matching this filter" work without it. The list's results are
// swapped in by htmx when it is filtered: everything is found afresh, by delegation.
(function () {
  "use strict";

  function rows() {
    return Array.from(document.querySelectorAll("input[data-row-select]"));
  }

  function update() {
    const boxes = rows();
    const ticked = boxes.filter(function (box) { return box.checked; }).length;
    const page = document.getElementById("select-page");
    if (page) {
      page.checked = boxes.length > 0 && ticked === boxes.length;
      page.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    const count = document.querySelector("[data-selected-count]");
    if (count) {
      count.textContent = ticked ? ticked + " selected on this page" : "";
    }
  }

  function show() {
    for (const toggle of document.querySelectorAll("[data-select-page]")) {
      toggle.hidden = false;
    }
    update();
  }

  document.addEventListener("change", function (event) {
    const target = event.target;
    if (target.id === "select-page") {
      for (const box of rows()) {
        box.checked = target.checked;
      }
    }
    if (target.id === "select-page" || target.matches("input[data-row-select]")) {
      update();
    }
  });

  document.addEventListener("DOMContentLoaded", show);
  document.addEventListener("htmx:afterSwap", show);
})();
