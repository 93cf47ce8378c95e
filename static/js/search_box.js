// "/" on any page puts the keyboard in the search box of the top bar (or, where the menu is
// folded away on a small screen, in the search page's), unless it is typing somewhere already.
(function () {
  "use strict";

  function typing(element) {
    if (!element) return false;
    const tag = element.tagName;
    return element.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(document.activeElement)) return;
    const boxes = [document.getElementById("search-page-q"), document.getElementById("site-search")];
    const box = boxes.find(function (input) { return input && input.offsetParent !== null; });
    event.preventDefault();
    if (box) {
      box.focus();
      box.select();
    } else {
      const form = document.getElementById("site-search-form");
      if (form) window.location.assign(form.action);
    }
  });
})();
