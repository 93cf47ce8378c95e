// In-place updates keep the page true, keep the keyboard where it was and say what happened.
//
// A response to an htmx action names what it changed and what to say (core.http.announce):
// the panels registered for that change fetch themselves again (core.panels: each panel's
// wrapper listens for "<name>-changed"), and "liaison:announce" puts the message in the polite
// live region at the foot of the page, where it is also shown for a while.
// When an action or a refresh takes away the element that had focus, focus moves to the same
// control in the new content, else to the next row's first control, else to the panel's heading.
(function () {
  "use strict";

  const SHOWN_FOR_MS = 8000;
  let hideTimer = null;
  // Where focus was when the last in-place request started: its element, the id of its row
  // (or itself), its panel and its position among the panel's controls.
  let lastFocus = null;

  function announcer() {
    return document.getElementById("announcer");
  }

  function say(message) {
    const region = announcer();
    if (!region || !message) return;
    // A new text node each time, so the same message twice is read twice.
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = message;
      region.classList.add("shown");
    }, 50);
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(function () {
      region.classList.remove("shown");
    }, SHOWN_FOR_MS);
  }

  function controls(container) {
    return Array.from(
      container.querySelectorAll("a[href], button:not([disabled]), input:not([type=hidden]), select, textarea")
    ).filter(function (el) {
      return !el.closest("[hidden]");
    });
  }

  function panelOf(el) {
    return el && el.closest ? el.closest(".liaison-panel, [data-focus-scope]") : null;
  }

  function remember() {
    const active = document.activeElement;
    if (!active || active === document.body) return;
    const panel = panelOf(active);
    const row = active.closest("[id]");
    lastFocus = {
      id: active.id || "",
      name: active.getAttribute("name") || "",
      rowId: row ? row.id : "",
      panelId: panel ? panel.id : "",
      index: panel ? controls(panel).indexOf(active) : -1,
    };
  }

  function focusLost() {
    const active = document.activeElement;
    return !active || active === document.body || !document.body.contains(active);
  }

  function restore() {
    if (!lastFocus || !focusLost()) return;
    const memory = lastFocus;
    let target = memory.id ? document.getElementById(memory.id) : null;
    const panel = memory.panelId ? document.getElementById(memory.panelId) : null;
    if (!target && memory.rowId) {
      const row = document.getElementById(memory.rowId);
      if (row) target = controls(row)[0] || null;
    }
    if (!target && panel && memory.index >= 0) {
      const all = controls(panel);
      target = all[Math.min(memory.index, all.length - 1)] || null;
    }
    if (!target && panel) {
      target = panel.querySelector("h2, h3");
      if (target && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    }
    if (target) target.focus();
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    // A panel fetching itself again is not where the person acted: keep the action's memory.
    if (!event.target.classList || !event.target.classList.contains("liaison-panel")) remember();
  });
  document.addEventListener("htmx:afterSettle", restore);
  document.addEventListener("liaison:announce", function (event) {
    const detail = event.detail || {};
    say(typeof detail === "string" ? detail : detail.value);
  });
})();
