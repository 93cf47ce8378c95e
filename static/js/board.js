// The pipeline board. A card moves by drag and drop or by its "Move to…" form; both send that
// same form and ask for JSON, so the board updates in place: the card lands at the top of its
// new column and every count is refreshed. The form is copied into a card from the page's
// <template> when it is needed (without JavaScript "Move to…" links to the stage form instead),
// which keeps the board's HTML small.
(function () {
  "use strict";

  const board = document.getElementById("board");
  if (!board) return;
  const status = document.getElementById("board-status");
  const dialog = document.getElementById("move-dialog");
  const formTemplate = document.getElementById("board-move-form");
  let dragged = null;

  function announce(text, isError) {
    status.textContent = text;
    status.classList.toggle("text-danger", Boolean(isError));
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
      const element = document.getElementById("count-" + stage);
      if (element) element.textContent = count.toLocaleString("en-US");
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
    announce(result.message, false);
    return fresh;
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
    const fresh = await move(form.closest(".board-card"), form, null);
    if (fresh) fresh.querySelector(".board-card-name").focus();
  });

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
    const first = list.children[Math.min(shownBefore, list.children.length - 1)];
    if (first) first.querySelector(".board-card-name").focus();
  });
})();
