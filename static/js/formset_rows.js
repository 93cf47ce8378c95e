// The program form's "Add a partner" and "Add a session": a new, empty row, copied from the
// formset's empty form (a <template> beside the rows, "__prefix__" standing for the row's
// number), and the management form's TOTAL_FORMS counting it. The keyboard goes to the new
// row's first box. Without JavaScript each button is a submit that brings the form back with
// one more row (programs/views/programs.py), so the script only has to stop that submit.
(function () {
  "use strict";

  function number(id) {
    const input = document.getElementById(id);
    return input ? parseInt(input.value, 10) : NaN;
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-add-row]");
    if (!button) return;
    const prefix = button.dataset.addRow;
    const template = document.getElementById(prefix + "-empty-row");
    const rows = document.getElementById(prefix + "-rows");
    const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    const index = number("id_" + prefix + "-TOTAL_FORMS");
    const most = number("id_" + prefix + "-MAX_NUM_FORMS");
    if (!template || !rows || !total || isNaN(index)) return; // the plain submit does it
    event.preventDefault();
    if (!isNaN(most) && index >= most) return;
    rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
    total.value = String(index + 1);
    const row = rows.lastElementChild;
    if (window.htmx) window.htmx.process(row); // the partner box's matches as one types
    const first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
    if (!isNaN(most) && index + 1 >= most) button.hidden = true;
  });
})();
