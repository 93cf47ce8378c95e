// The pipeline board. A card moves by drag and drop or by its "Move to…" form; both send that
// same form and ask for JSON, so the board updates in place: the card lands at the top of its
// new column and every count is refreshed. The form is copied into a card from the page's
// <template> when it is needed (without JavaScript "Move to…" links to the stage form instead),
// which keeps the board's HTML small.
//
// By keyboard each column is one Tab stop (a roving tabindex): the card last focused in it, or
// its first. The arrow keys go from card to card (Home and End to the first and last), and to
// the next column; M opens the focused card's "Move to…" and Escape closes it. The stage links
// above the board skip to a column; on a phone (576px or less), where one column shows at a
// time, they choose that column instead.
(function () {
  "use strict";

  const board = document.getElementById("board");
  if (!board) return;
  const status = document.getElementById("board-status");
  const dialog = document.getElementById("move-dialog");
  const formTemplate = document.getElementById("board-move-form");
  const stages = document.getElementById("board-stages");
  const stageInput = document.getElementById("board-stage");
  const phone = window.matchMedia("(max-width: 576px)");
  // What the roving tabindex moves between in a column: its cards' names and its "Show more".
  const ITEM = ".board-card-name, .board-more a";
  let dragged = null;

  // What a move did is said where every in-place action says it (base.html #announcer,
  // static/js/liaison.js); a move that failed stays in red above the board until the next.
  function announce(text, isError) {
    status.textContent = isError ? text : "";
    status.classList.toggle("text-danger", Boolean(isError));
    if (!isError) {
      document.dispatchEvent(new CustomEvent("liaison:announce", { detail: { value: text } }));
    }
  }

  function nameOf(card) {
    return card.querySelector(".board-card-name").textContent;
  }

  // The card's "Move to…" form, made from the template the first time: its own ids, the
  // organization filled in, and every stage offered but the one the card is at.
  function moveForm(card) {
    const menu = card.querySelector(".board-move");
    const existing = menu.querySelector(".board-move-form");
    if (existing) return existing;
    const form = formTemplate.content.firstElementChild.cloneNode(true);
    const pk = card.id.slice("card-".length);
    form.elements.organization.value = pk;
    for (const field of form.querySelectorAll("[id]")) field.id += "-" + pk;
    for (const label of form.querySelectorAll("label[for]")) label.htmlFor += "-" + pk;
    const own = form.elements.to_stage.querySelector(`option[value="${card.dataset.stage}"]`);
    if (own) own.remove();
    for (const link of menu.querySelectorAll("a")) link.remove();
    menu.append(form);
    return form;
  }

  function columnFor(stage) {
    return document.getElementById("column-" + stage);
  }

  function cardsOf(column) {
    return column.querySelector(".board-cards");
  }

  function showEmptyColumns() {
    for (const column of board.querySelectorAll(".board-column")) {
      column.querySelector(".board-empty").hidden = cardsOf(column).children.length > 0;
    }
  }

  function updateCounts(counts) {
    for (const [stage, count] of Object.entries(counts)) {
      const text = count.toLocaleString("en-US");
      const element = document.getElementById("count-" + stage);
      if (element) element.textContent = text;
      for (const link of document.querySelectorAll(`.board-stage-count[data-stage="${stage}"]`)) {
        link.textContent = text;
      }
    }
    showEmptyColumns();
  }

  function elementFrom(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function putBack(card, origin) {
    origin.parent.insertBefore(card, origin.next);
    showEmptyColumns();
  }

  async function send(form) {
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
    } catch (error) {
      return { ok: false, message: "Not moved: the server could not be reached. Try again." };
    }
    try {
      return await response.json();
    } catch (error) {
      return {
        ok: false,
        message: `Not moved: the server answered ${response.status}. Reload the page and try again.`,
      };
    }
  }

  // Returns the card as the server now shows it, or null when the move failed.
  async function move(card, form, origin) {
    card.setAttribute("aria-busy", "true");
    const result = await send(form);
    card.removeAttribute("aria-busy");
    if (!result.ok) {
      if (origin) putBack(card, origin);
      announce(result.message, true);
      return null;
    }
    const fresh = elementFrom(result.card);
    if (result.moved) {
      card.remove();
      cardsOf(columnFor(result.stage)).prepend(fresh);
    } else {
      if (origin) putBack(card, origin);
      card.replaceWith(fresh);
    }
    updateCounts(result.counts);
    refreshStops();
    announce(result.message, false);
    return fresh;
  }

  // The roving tabindex: one item of each column in the Tab order, the others reached with the
  // arrow keys. A card's "Move to…" is left out of it too (M opens it).
  function itemsOf(column) {
    return Array.from(column.querySelectorAll(ITEM));
  }

  function makeStop(column, item) {
    for (const element of itemsOf(column)) element.tabIndex = element === item ? 0 : -1;
  }

  // After cards come or go: keep the column's stop if it is still there, else its first item.
  function refreshStops() {
    for (const column of board.querySelectorAll(".board-column")) {
      const items = itemsOf(column);
      const stop = items.find((item) => item.getAttribute("tabindex") === "0");
      makeStop(column, stop || items[0]);
      for (const summary of column.querySelectorAll(".board-move > summary")) {
        summary.tabIndex = -1;
      }
    }
  }

  function columns() {
    return Array.from(board.querySelectorAll(".board-column"));
  }

  // The column's stop, or its heading when it has no card.
  function focusColumn(column) {
    const stop = itemsOf(column).find((item) => item.tabIndex === 0);
    (stop || column.querySelector(".board-column-title")).focus();
  }

  function markCurrent(stage) {
    for (const link of stages.querySelectorAll("a[data-stage]")) {
      if (phone.matches && link.dataset.stage === stage) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    }
  }

  // On a phone: show this stage's column only, and keep it through a reload or a filter.
  function showStage(stage, url) {
    for (const column of columns()) {
      column.classList.toggle("is-current", column.dataset.stage === stage);
    }
    markCurrent(stage);
    stageInput.value = stage;
    if (url) window.history.replaceState(null, "", url.split("#")[0]);
  }

  function currentStage() {
    const column = board.querySelector(".board-column.is-current");
    return column ? column.dataset.stage : "";
  }

  // The item at the same height in the next column with cards that way (`step` -1 or +1).
  function across(column, step, index) {
    const all = columns();
    for (let i = all.indexOf(column) + step; i >= 0 && i < all.length; i += step) {
      const items = itemsOf(all[i]);
      if (!items.length) continue;
      if (phone.matches) showStage(all[i].dataset.stage, linkTo(all[i].dataset.stage));
      return items[Math.min(index, items.length - 1)];
    }
    return null;
  }

  function linkTo(stage) {
    const link = stages.querySelector(`a[data-stage="${stage}"]`);
    return link ? link.href : "";
  }

  function openMenu(card) {
    const menu = card.querySelector(".board-move");
    const form = moveForm(card);
    menu.open = true;
    form.elements.to_stage.focus();
  }

  // The optional note for a dropped card: resolves to the note, or null for Cancel (or Escape).
  function askForNote(card, column) {
    return new Promise((resolve) => {
      const note = dialog.querySelector("textarea");
      dialog.querySelector("#move-dialog-title").textContent =
        `Move ${nameOf(card)} to “${column.dataset.label}”`;
      note.value = "";
      dialog.returnValue = "";
      dialog.addEventListener(
        "close",
        () => resolve(dialog.returnValue === "move" ? note.value : null),
        { once: true },
      );
      dialog.showModal();
      note.focus();
    });
  }

  function clearDropTargets() {
    for (const column of board.querySelectorAll(".drop-target")) {
      column.classList.remove("drop-target");
    }
  }

  board.addEventListener("dragstart", (event) => {
    const card = event.target.closest && event.target.closest(".board-card");
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
    card.classList.add("dragging");
  });

  board.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    clearDropTargets();
  });

  board.addEventListener("dragover", (event) => {
    const column = event.target.closest(".board-column");
    if (!column || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!column.classList.contains("drop-target")) {
      clearDropTargets();
      column.classList.add("drop-target");
    }
  });

  board.addEventListener("drop", async (event) => {
    const column = event.target.closest(".board-column");
    const card = dragged;
    if (!column || !card) return;
    event.preventDefault();
    dragged = null;
    card.classList.remove("dragging");
    clearDropTargets();
    if (column.dataset.stage === card.dataset.stage) return;
    const origin = { parent: card.parentNode, next: card.nextSibling };
    cardsOf(column).prepend(card);
    showEmptyColumns();
    const note = await askForNote(card, column);
    if (note === null) {
      putBack(card, origin);
      announce(`${nameOf(card)} was not moved.`, false);
      return;
    }
    const form = moveForm(card);
    form.elements.to_stage.value = column.dataset.stage;
    form.elements.note.value = note;
    await move(card, form, origin);
  });

  // Opening "Move to…" (a click, or Enter or Space on it) puts the form in before it opens.
  board.addEventListener("click", (event) => {
    const summary = event.target.closest(".board-move > summary");
    if (summary) moveForm(summary.closest(".board-card"));
  });

  // The keyboard way (and the mouse way without dragging): the card's own "Move to…" form.
  board.addEventListener("submit", async (event) => {
    const form = event.target.closest(".board-move-form");
    if (!form) return;
    event.preventDefault();
    const card = form.closest(".board-card");
    const column = card.closest(".board-column");
    const fresh = await move(card, form, null);
    if (!fresh) return;
    // On a phone the card's new column is hidden: the keyboard stays in the one it left.
    if (phone.matches && !fresh.closest(".is-current")) focusColumn(column);
    else fresh.querySelector(".board-card-name").focus();
  });

  board.addEventListener("focusin", (event) => {
    const item = event.target.closest(ITEM);
    if (item) makeStop(item.closest(".board-column"), item);
  });

  board.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const menu = event.target.closest(".board-move[open]");
    if (menu && event.key === "Escape") {
      event.preventDefault();
      menu.open = false;
      menu.closest(".board-card").querySelector(".board-card-name").focus();
      return;
    }
    const item = event.target.closest(ITEM);
    if (!item) return;
    const column = item.closest(".board-column");
    const items = itemsOf(column);
    const index = items.indexOf(item);
    let target = null;
    switch (event.key) {
      case "ArrowDown":
        target = items[index + 1];
        break;
      case "ArrowUp":
        target = items[index - 1];
        break;
      case "Home":
        target = items[0];
        break;
      case "End":
        target = items[items.length - 1];
        break;
      case "ArrowLeft":
      case "ArrowRight":
        target = across(column, event.key === "ArrowLeft" ? -1 : 1, index);
        break;
      case "m":
      case "M": {
        const card = item.closest(".board-card");
        if (!card) return;
        event.preventDefault();
        openMenu(card);
        return;
      }
      default:
        return;
    }
    event.preventDefault();
    if (target) target.focus();
  });

  // The stage links: skip to a column; on a phone, show that column instead of the one shown.
  stages.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-stage]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    const column = columnFor(link.dataset.stage);
    if (phone.matches) {
      showStage(link.dataset.stage, link.href);
      column.querySelector(".board-column-title").focus();
    } else {
      focusColumn(column);
    }
  });
  phone.addEventListener("change", () => markCurrent(currentStage()));

  // "Show more" (htmx): drop a card already shown (a move since the page loaded shifts the
  // pages by one), and take the focus to the first card loaded, not back to the top.
  let shownBefore = 0;
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.target.classList.contains("board-cards")) {
      shownBefore = event.detail.target.children.length;
    }
  });
  document.body.addEventListener("htmx:afterSwap", (event) => {
    const list = event.detail.target;
    if (!list.classList.contains("board-cards")) return;
    const seen = new Set();
    for (const card of Array.from(list.children)) {
      if (seen.has(card.id)) card.remove();
      else seen.add(card.id);
    }
    refreshStops();
    const first = list.children[Math.min(shownBefore, list.children.length - 1)];
    if (first) first.querySelector(".board-card-name").focus();
  });

  refreshStops();
  markCurrent(currentStage());
  board.classList.add("board-keys");
  document.querySelector(".board-keys-help").hidden = false;
})();
