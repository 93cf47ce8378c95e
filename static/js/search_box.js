// "/" on any page puts the keyboard in the search box of the top bar (or, where the menu is
// folded away on a small screen, in the search page's), unless it is typing somewhere already.
// The search page has a button that turns the shortcut off in this browser (WCAG 2.1.4: a
// single-character shortcut can be turned off), and on again.
(function () {
  "use strict";

  const OFF = "liaison.searchShortcut";
  const NOT_TYPED_INTO = ["button", "checkbox", "color", "file", "hidden", "image", "radio",
    "range", "reset", "submit"];

  function turnedOff() {
    try {
      return window.localStorage.getItem(OFF) === "off";
    } catch (error) {
      return false;  // storage refused (a private window): the shortcut stays on
    }
  }

  function typing(element) {
    if (!element) return false;
    if (element.isContentEditable || element.tagName === "TEXTAREA" || element.tagName === "SELECT") {
      return true;
    }
    return element.tagName === "INPUT" && !NOT_TYPED_INTO.includes(element.type);
  }

  function said() {
    // The top bar's box says its shortcut only while it works.
    const box = document.getElementById("site-search");
    if (box && turnedOff()) {
      box.removeAttribute("aria-keyshortcuts");
      box.placeholder = "Search";
    }
    const toggle = document.getElementById("search-shortcut-toggle");
    if (toggle) {
      toggle.textContent = turnedOff() ? "Turn on the / shortcut" : "Turn off the / shortcut";
      toggle.hidden = false;
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    said();
    const toggle = document.getElementById("search-shortcut-toggle");
    if (!toggle) return;
    toggle.addEventListener("click", function () {
      try {
        if (turnedOff()) {
          window.localStorage.removeItem(OFF);
        } else {
          window.localStorage.setItem(OFF, "off");
        }
      } catch (error) {
        return;
      }
      const box = document.getElementById("site-search");
      if (box && !turnedOff()) {
        box.setAttribute("aria-keyshortcuts", "/");
        box.placeholder = "Search  ( / )";
      }
      said();
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (turnedOff() || typing(document.activeElement)) return;
    if (document.querySelector("dialog[open], .modal.show")) return;  // a dialog has the keyboard
    const boxes = [document.getElementById("search-page-q"), document.getElementById("site-search")];
    const box = boxes.find(function (input) { return input && input.offsetParent !== null; });
    const form = document.getElementById("site-search-form");
    if (!box && !form) return;  // no search here (the login page): the browser's own "/"
    event.preventDefault();
    if (box) {
      box.focus();
      box.select();
    } else {
      window.location.assign(form.action);
    }
  });
})();
