"""What a browser would post for a page's form: the tests of edit forms post a page they opened
earlier, exactly as it was (hidden fields and all), with the person's changes on top."""

from html.parser import HTMLParser
from typing import Any

from django.http import HttpResponse


class _FormReader(HTMLParser):
    """Every POST form of a page, as (its id, what it would post)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self.textarea: str | None = None
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_multiple = False

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.inside, self.data = True, {}
            self.forms.append((a.get("id", ""), self.data))
        if not self.inside or "disabled" in a:
            return
        kind = a.get("type", "text")
        if tag == "input" and a.get("name") and kind not in ("submit", "button", "file"):
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._add(a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else ""))
        elif tag == "textarea":
            self.textarea = a["name"]
            self._add(self.textarea, "")
        elif tag == "select":
            self.select, self.select_first = a["name"], None
            self.select_multiple = "multiple" in a
        elif tag == "option" and self.select:
            if self.select_first is None:
                self.select_first = a.get("value", "")
            if "selected" in a:
                self._add(self.select, a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.data[self.textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self.textarea:
            # Browsers drop the newline that follows <textarea> (Django writes one).
            value = self.data[self.textarea][-1]
            self.data[self.textarea][-1] = value.removeprefix("\r\n").removeprefix("\n")
            self.textarea = None
        elif tag == "select" and self.select:
            # A single choice with nothing selected posts its first option.
            if not self.select_multiple and self.select not in self.data:
                self._add(self.select, self.select_first or "")
            self.select = None
        elif tag == "form":
            self.inside = False


def posted_form(response: HttpResponse, form_id: str | None = None, **changes: Any) -> dict:
    """The data of the page's POST form (by id, or the edit form: the one with a version),
    with `changes` on top: a value, a list for several, or None to leave the field out (an
    unticked box)."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    found = [
        data
        for id_, data in reader.forms
        if id_ == form_id or (form_id is None and any(n.endswith("version") for n in data))
    ]
    assert found, f"No such form on the page ({form_id or 'an edit form with a version'})"
    data: dict[str, Any] = {
        name: values if len(values) > 1 else values[0] for name, values in found[0].items()
    }
    data.pop("csrfmiddlewaretoken", None)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
