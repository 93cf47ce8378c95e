"""Checking one row of an import file: what both kinds of rows share (the organization and
contact checkers in transfer.validation and transfer.contact_rows build on it).

A row's cells come in as text; its values go out cleaned as the forms clean them (lengths,
emails, phone numbers, choices, dates), with an error naming the column for each cell that is
not right. Values a file exported by Liaison writes are read back as it wrote them: choices by
their labels, yes/no, ISO dates, and text that Liaison defused with a leading "'" (so that a
spreadsheet would not run it as a formula) without that "'".
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Field
from django.forms import Field as FormField
from django.forms import URLField
from django.utils import timezone

from core.spreadsheets import FORMULA_TRIGGERS
from partners.forms import validate_phone
from partners.models import Contact, Organization
from partners.tags import Tag
from transfer.columns import column_key

# What plan_import says of a row: a new record, a match with an existing one, errors, or (a
# contact's later rows) another role of the person in an earlier row with the same email.
NEW, MATCH, ERROR, ROLE = "new", "match", "error", "role"

# Text a spreadsheet would run as a formula when the data is opened again ("=HYPERLINK(…)",
# "+cmd|' /C calc'!A0", "@SUM(…)"). Phone numbers ("+1 (555) 010-2030") do not match.
FORMULA_RE = re.compile(r"^(=|[+\-@]\s*[A-Za-z_][\w.]*\(|[+\-@].*\|)", re.DOTALL)
YES = frozenset({"yes", "y", "true", "1", "x", "✓", "✔"})
NO = frozenset({"no", "n", "false", "0", ""})
YES_OR_NO = "Write yes or no (or leave the cell empty)."
# A website typed without a scheme ("county.gov") becomes https://county.gov, as in the form.
WEBSITE_FIELD = URLField(max_length=300, required=False, assume_scheme="https")
# ISO dates (as Liaison exports them, and as a workbook's date cells are read), and the US
# forms people type.
DATE_FIELD = forms.DateField(input_formats=["%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"])


@dataclass(frozen=True)
class Role:
    """A contact's role at an organization, from one row of the file."""

    row: int  # the spreadsheet row it came from
    organization_id: int
    organization_name: str
    title: str = ""
    is_primary: bool = False
    start_date: dt.date | None = None
    end_date: dt.date | None = None


@dataclass
class RowResult:
    number: int
    status: str = NEW
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    match_id: int | None = None
    match_label: str = ""
    # A ROLE row: the earlier row holding the person (their roles are gathered there).
    person_row: int | None = None

    @property
    def label(self) -> str:
        return str(self.values.get("name", ""))

    @property
    def roles(self) -> list[Role]:
        return self.values.get("roles", [])


@dataclass(frozen=True)
class Choices:
    """The values of a choice column, read by value or label, and the error naming them all."""

    what: str  # "stage", "kind of organization"…
    lookup: dict[str, str]
    labels: tuple[str, ...]

    @classmethod
    def of(cls, what: str, choices: Iterable[tuple[str, str]]) -> "Choices":
        """'In discussion', 'in_discussion' and 'IN DISCUSSION' all give 'in_discussion'."""
        lookup: dict[str, str] = {}
        labels = []
        for value, label in choices:
            lookup[column_key(value)] = value
            lookup.setdefault(column_key(label), value)
            labels.append(label)
        return cls(what=what, lookup=lookup, labels=tuple(labels))

    def unknown(self, value: str) -> str:
        return (
            f"“{short(value)}” is not a {self.what} Liaison knows. "
            f"Write one of: {', '.join(self.labels)}."
        )


def short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def website_key(website: str) -> str:
    """A website as compared for duplicates: scheme, "www.", case and a final "/" ignored.

    The path counts: "county.gov/health" and "county.gov/library" are different departments.
    """
    if not website:
        return ""
    parts = urlsplit(website if "//" in website else f"https://{website}")
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}{parts.path.rstrip('/').lower()}" if host else ""


def undefused(value: str) -> str:
    """A cell as it was before Liaison's export defused it ("'+1 555…" → "+1 555…")."""
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


class RowChecker:
    """Shared by both kinds: one row's raw cells in, cleaned values and errors out."""

    model: type[Organization] | type[Contact]

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names  # field → the file's column name, for messages
        self._form_fields: dict[tuple[Any, str], FormField] = {}
        self.flagged: set[str] = set()  # the current row's keys holding formulas
        self.today = timezone.localdate()
        # Every tag by name (partners.tags), when a column holds them: a retired one too, as
        # Liaison's own export writes it (kept where it is: transfer.writers.tags_set).
        self.tags: dict[str, tuple[int, str]] = {}
        if "tags" in names:
            for pk, name in Tag.objects.values_list("pk", "name"):
                self.tags[column_key(name)] = (pk, name)

    def named_ids(
        self,
        row: RowResult,
        raw: dict[str, str],
        key: str,
        known: dict[str, tuple[int, str]],
        refused: Callable[[str, bool], str],
    ) -> None:
        """Names separated by ";" (as Liaison exports them), each one of `known` (by
        column_key), into row.values[key] as ids; an empty cell leaves the record's as they
        are. `refused(quoted, several)` says what the names Liaison does not know are not."""
        names = [name.strip() for name in raw.get(key, "").split(";") if name.strip()]
        if not names:
            return
        found = [known.get(column_key(name)) for name in names]
        unknown = [name for name, item in zip(names, found, strict=True) if item is None]
        if unknown:
            quoted = ", ".join(f"“{short(name)}”" for name in unknown)
            self.error(row, key, refused(quoted, len(unknown) > 1))
            return
        row.values[key] = sorted({item[0] for item in found if item})

    def tag_ids(self, row: RowResult, raw: dict[str, str]) -> None:
        """The tags column, each a tag Liaison has, into row.values["tags"]."""
        self.named_ids(
            row,
            raw,
            "tags",
            self.tags,
            lambda quoted, several: (
                f"{quoted} {'are not tags' if several else 'is not a tag'} Liaison has: a "
                "manager adds tags under Manage → Tags. Separate several with “;”."
            ),
        )

    def error(self, row: RowResult, key: str, message: str) -> None:
        row.errors.append((self.names.get(key, key), message))

    def text(self, row: RowResult, raw: dict[str, str], key: str, model: Any = None) -> str:
        """The cell, checked as the model's form field checks it (length, email format)."""
        value = raw.get(key, "")
        if value:
            form_field = self._form_fields.get((model, key))
            if form_field is None:
                model_field = (model or self.model)._meta.get_field(key)
                assert isinstance(model_field, Field)  # a column: name, email…
                form_field = model_field.formfield()
                assert form_field is not None
                self._form_fields[model, key] = form_field
            value = self._checked(row, key, value, lambda v, _: form_field.clean(v))
        return value

    def _checked(self, row: RowResult, key: str, value: str, clean: Callable) -> Any:
        try:
            return clean(value, None)
        except ValidationError as error:
            for message in error.messages:
                self.error(row, key, message)
            return ""

    def choice(self, row: RowResult, raw: dict[str, str], key: str, choices: Choices) -> str:
        value = raw.get(key, "")
        if not value:
            return ""
        chosen = choices.lookup.get(column_key(value))
        if chosen is None:
            self.error(row, key, choices.unknown(value))
            return ""
        return chosen

    def yes_no(self, row: RowResult, raw: dict[str, str], key: str) -> bool | None:
        """True or False, or None for an empty cell (or one that is neither: an error)."""
        value = raw.get(key, "").casefold()
        if not value:
            return None
        if value in YES or value in NO:
            return value in YES
        self.error(row, key, YES_OR_NO)
        return None

    def date(
        self, row: RowResult, raw: dict[str, str], key: str, *, past: str = ""
    ) -> dt.date | None:
        """The cell's day, or None; with `past`, a day after today is an error saying that."""
        value = raw.get(key, "")
        if not value:
            return None
        try:
            day = DATE_FIELD.clean(value)
        except ValidationError:
            self.error(row, key, f"“{short(value)}” is not a date: write it as 2025-03-31.")
            return None
        if past and day > self.today:
            self.error(row, key, f"{day:%Y-%m-%d} is in the future: {past}")
            return None
        return day

    def formulas(self, row: RowResult, raw: dict[str, str]) -> dict[str, str]:
        """The cells, with those a spreadsheet would run as a formula reported and emptied."""
        safe, self.flagged = {}, set()
        for key, cell in raw.items():
            value = undefused(cell)
            if key != "phone" and FORMULA_RE.match(value):
                self.error(
                    row,
                    key,
                    f"“{short(value, 30)}” would run as a formula in a spreadsheet. Remove the "
                    f"“{value[0]}” at the start, or the value.",
                )
                value = ""
                self.flagged.add(key)
            safe[key] = value
        return safe

    def phone(self, row: RowResult, raw: dict[str, str]) -> str:
        value = self.text(row, raw, "phone")
        if value:
            value = self._checked(row, "phone", value, _valid_phone)
        return value


def _valid_phone(value: str, _instance: object) -> str:
    validate_phone(value)
    return value
