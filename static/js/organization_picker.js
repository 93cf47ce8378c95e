// The organization box of the New pages (partners/partials/organization_picker.html) becomes a
// combobox: the WAI-ARIA pattern of a list autocomplete with manual selection. As a name is
// typed, the server's suggestions (at most 10, asked for 250 ms after the last key) fill the
// listbox and a polite status says how many there are. Up and Down go through them, Enter or a
// click chooses one, Escape closes the list. The chosen organization's number goes into the
// hidden "organization" field and an "organization-chosen" event is sent from the box (htmx
// listens for it to list that organization's people); typing again forgets the choice.
// Without JavaScript none of this runs: the box is a text field the server resolves by name.
(function () {
  "use strict";

  const DELAY_MS = 250;

  function setUp(picker) {
    const input = picker.querySelector("[data-organization-input]");
    const listbox = picker.querySelector("[data-organization-listbox]");
    const hidden = picker.querySelector("[data-organization-id]");
    const status = picker.querySelector("[data-organization-status]");
    const url = picker.dataset.suggestionsUrl;
    if (!input || !listbox || !hidden || !status || !url) return;

    let timer = null;
    let controller = null;
    let active = -1;
    let asked = null; // the text whose suggestions the list shows

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    listbox.setAttribute("role", "listbox");

    function options() {
      return Array.from(listbox.querySelectorAll("[role=option]"));
    }

    function say(text) {
      status.textContent = text;
    }

    function highlight(index) {
      const all = options();
      active = index;
      all.forEach(function (option, i) {
        const on = i === index;
        option.setAttribute("aria-selected", on ? "true" : "false");
        option.classList.toggle("active", on);
      });
      if (index >= 0 && all[index]) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (!options().length) return;
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      highlight(-1);
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function isOpen() {
      return !listbox.hidden;
    }

    function choose(pk, name) {
      const changed = hidden.value !== pk;
      input.value = name;
      hidden.value = pk;
      asked = null;
      close();
      say(name + " chosen.");
      if (changed) input.dispatchEvent(new CustomEvent("organization-chosen", { bubbles: true }));
    }

    function forget() {
      // The box no longer shows the chosen organization: the name typed counts again.
      if (!hidden.value) return;
      hidden.value = "";
      input.dispatchEvent(new CustomEvent("organization-chosen", { bubbles: true }));
    }

    function show(html, text) {
      const template = document.createElement("template");
      template.innerHTML = html; // inert: nothing in a template runs or loads
      const found = Array.from(template.content.querySelectorAll("[role=option]"));
      found.forEach(function (option, i) {
        option.id = listbox.id + "-" + i;
      });
      listbox.replaceChildren.apply(listbox, found);
      asked = text;
      highlight(-1);
      if (found.length && document.activeElement === input) open();
      else close();
      const sentence = template.content.querySelector("[data-announce]");
      say(sentence ? sentence.textContent.trim() : "");
    }

    function ask(text) {
      if (controller) controller.abort();
      controller = new AbortController();
      const address = url + "?q=" + encodeURIComponent(text);
      fetch(address, { signal: controller.signal, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok || response.redirected) throw new Error("no suggestions");
          return response.text();
        })
        .then(function (html) {
          if (input.value.trim() === text) show(html, text);
        })
        .catch(function (error) {
          if (error.name === "AbortError") return;
          listbox.replaceChildren();
          close();
          say("Suggestions are not available: type the organization's full name.");
        });
    }

    function askSoon() {
      window.clearTimeout(timer);
      const text = input.value.trim();
      if (!text) {
        if (controller) controller.abort();
        listbox.replaceChildren();
        asked = null;
        close();
        say("");
        return;
      }
      timer = window.setTimeout(function () {
        ask(text);
      }, DELAY_MS);
    }

    input.addEventListener("input", function () {
      forget();
      askSoon();
    });

    input.addEventListener("keydown", function (event) {
      const count = options().length;
      switch (event.key) {
        case "ArrowDown":
        case "ArrowUp": {
          event.preventDefault();
          if (!count) {
            if (input.value.trim() && asked !== input.value.trim()) ask(input.value.trim());
            return;
          }
          const down = event.key === "ArrowDown";
          if (!isOpen()) {
            open();
            if (!event.altKey) highlight(down ? 0 : count - 1);
            return;
          }
          if (down) highlight(active + 1 >= count ? 0 : active + 1);
          else highlight(active <= 0 ? count - 1 : active - 1);
          return;
        }
        case "Enter":
          if (isOpen() && active >= 0) {
            event.preventDefault(); // choosing is not sending the form
            const option = options()[active];
            choose(option.dataset.pk, option.dataset.name);
          }
          return;
        case "Escape":
          if (isOpen()) {
            event.preventDefault();
            event.stopPropagation();
            close();
          }
          return;
        case "Tab":
          close();
          return;
        default:
          return;
      }
    });

    input.addEventListener("blur", function () {
      close();
    });

    input.addEventListener("focus", function () {
      if (asked !== null && asked === input.value.trim() && !hidden.value) open();
    });

    // A pointer on the list must not take focus from the box (its blur would close the list).
    listbox.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });

    listbox.addEventListener("click", function (event) {
      const option = event.target.closest("[role=option]");
      if (option) choose(option.dataset.pk, option.dataset.name);
    });

    // The organizations offered beside the box (a contact's, or those an error named).
    picker.addEventListener("click", function (event) {
      const link = event.target.closest("a[data-organization-pick]");
      if (!link) return;
      event.preventDefault();
      choose(link.dataset.pk, link.dataset.name);
      input.focus();
    });
    picker.addEventListener("change", function (event) {
      const radio = event.target.closest("input[type=radio][data-organization-pick]");
      if (radio && radio.checked) choose(radio.dataset.pk, radio.dataset.name);
    });
  }

  function setUpAll() {
    document.querySelectorAll("[data-organization-picker]").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();
