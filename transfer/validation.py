"""Checking every row of an import against the same rules as the forms, before anything is written.

`plan_import` reads the database in a fixed number of queries (the existing organizations,
contacts and staff, whatever the number of rows) and returns a Plan: for each row, the values
to write, whether it is new, matches an existing record, or has errors (row number as the
spreadsheet shows it, column name, message). The confirmed import carries out a Plan made
afresh from the stored file; the preview shows one.
"""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Field, Q
from django.forms import Field as FormField
from django.forms import URLField

from core.forms import clean_display_name
from core.roles import ALL_ROLES
from partners.forms import validate_phone
from partners.models import Affiliation, Contact, Organization, Stage, normalize_name
from partners.services import normalize_email
from transfer.columns import column_key, targets_of
from transfer.parsing import Table, column_letter

NEW, MATCH, ERROR = "new", "match", "error"

# Text a spreadsheet would run as a formula when the data is opened again ("=HYPERLINK(…)",
# "+cmd|' /C calc'!A0", "@SUM(…)"). Phone numbers ("+1 (555) 010-2030") do not match.
FORMULA_RE = re.compile(r"^(=|[+\-@]\s*[A-Za-z_][\w.]*\(|[+\-@].*\|)", re.DOTALL)
YES = frozenset({"yes", "y", "true", "1", "x", "✓", "✔"})
NO = frozenset({"no", "n", "false", "0", ""})
# A website typed without a scheme ("county.gov") becomes https://county.gov, as in the form.
WEBSITE_FIELD = URLField(max_length=300, required=False, assume_scheme="https")


@dataclass
class RowResult:
    number: int
    status: str = NEW
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    match_id: int | None = None
    match_label: str = ""

    @property
    def label(self) -> str:
        return str(self.values.get("name", ""))


@dataclass
class Plan:
    kind: str
    rows: list[RowResult]
    # Problems with the mapping itself (no name column…): nothing can be imported until fixed.
    mapping_errors: list[str] = field(default_factory=list)

    @property
    def new(self) -> list[RowResult]:
        return [row for row in self.rows if row.status == NEW]

    @property
    def matches(self) -> list[RowResult]:
        return [row for row in self.rows if row.status == MATCH]

    @property
    def errors(self) -> list[RowResult]:
        return [row for row in self.rows if row.status == ERROR]

    @property
    def signature(self) -> str:
        """Changes when any row's outcome would: the confirm step checks it against the preview."""
        digest = hashlib.sha256(self.kind.encode())
        for message in self.mapping_errors:
            digest.update(message.encode())
        for row in self.rows:
            digest.update(f"{row.number}:{row.status}:{row.match_id};".encode())
        return digest.hexdigest()[:32]


def plan_import(kind: str, table: Table, mapping: list[str]) -> Plan:
    """What importing `table` with `mapping` would do, row by row; nothing is written."""
    targets = targets_of(kind)
    columns = {key: index for index, key in enumerate(mapping) if key}
    names = {key: _column_name(table.header, index) for key, index in columns.items()}
    mapping_errors = []
    name_columns = {"name"} if kind == "organizations" else {"name", "first_name", "last_name"}
    if not name_columns & set(columns):
        mapping_errors.append(
            f"Choose the column that holds the {targets['name'].label.lower()}: "
            "every row needs one."
        )
    checker = (OrganizationRows if kind == "organizations" else ContactRows)(names)
    rows = []
    for number, cells in table.rows:
        row = RowResult(number=number)
        raw = {key: cells[index] for key, index in columns.items()}
        checker.check(row, raw)
        if row.errors:
            row.status = ERROR
        rows.append(row)
    return Plan(kind=kind, rows=rows, mapping_errors=mapping_errors)


def _column_name(header: list[str], index: int) -> str:
    return header[index] or f"Column {column_letter(index + 1)}"


def _short(text: str, length: int = 60) -> str:
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


def choice_lookup(choices: list[tuple[str, str]]) -> dict[str, str]:
    """'In discussion', 'in_discussion' and 'IN DISCUSSION' all give 'in_discussion'."""
    lookup = {}
    for value, label in choices:
        lookup[column_key(value)] = value
        lookup.setdefault(column_key(label), value)
    return lookup


class RowChecker:
    """Shared by both kinds: one row's raw cells in, cleaned values and errors out."""

    model: type[Organization] | type[Contact]

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names  # field → the file's column name, for messages
        self._form_fields: dict[tuple[Any, str], FormField] = {}
        self.flagged: set[str] = set()  # the current row's keys holding formulas

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

    def _checked(self, row: RowResult, key: str, value: str, clean: Callable) -> str:
        try:
            return clean(value, None)
        except ValidationError as error:
            for message in error.messages:
                self.error(row, key, message)
            return ""

    def choice(
        self, row: RowResult, raw: dict[str, str], key: str, lookup: dict[str, str], what: str
    ) -> str:
        value = raw.get(key, "")
        if not value:
            return ""
        chosen = lookup.get(column_key(value))
        if chosen is None:
            self.error(row, key, f"“{_short(value)}” is not a {what} Liaison knows.")
            return ""
        return chosen

    def formulas(self, row: RowResult, raw: dict[str, str]) -> dict[str, str]:
        """The cells, with those a spreadsheet would run as a formula reported and emptied."""
        safe, self.flagged = {}, set()
        for key, value in raw.items():
            if key != "phone" and FORMULA_RE.match(value):
                self.error(
                    row,
                    key,
                    f"“{_short(value, 30)}” would run as a formula in a spreadsheet. Remove the "
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


class OrganizationRows(RowChecker):
    model = Organization
    KINDS = choice_lookup(Organization.Kind.choices)
    LEVELS = choice_lookup(Organization.GovernmentLevel.choices)
    STAGES = choice_lookup(Stage.choices)
    TEXTS = (
        "email",
        "address",
        "mission",
        "initiatives",
        "services",
        "populations_served",
        "common_ground",
    )

    def __init__(self, names: dict[str, str]) -> None:
        super().__init__(names)
        # Everything rows are compared with, in three queries.
        self.by_name: dict[str, dict] = {}
        self.by_website: dict[str, dict] = {}
        existing = Organization.objects.order_by("is_archived", "pk").values(
            "pk", "name", "normalized_name", "website", "kind", "is_archived"
        )
        for organization in existing:
            self.by_name.setdefault(organization["normalized_name"], organization)
            key = website_key(organization["website"])
            if key:
                self.by_website.setdefault(key, organization)
        self.staff = staff_lookup() if "owner" in names else {}
        self.seen_names: dict[str, int] = {}
        self.seen_websites: dict[str, int] = {}

    def check(self, row: RowResult, raw: dict[str, str]) -> None:
        raw = self.formulas(row, raw)
        values = row.values
        self._name(row, raw)
        kind = self.choice(row, raw, "kind", self.KINDS, "kind of organization")
        level = self.choice(row, raw, "government_level", self.LEVELS, "government level")
        stage = self.choice(row, raw, "stage", self.STAGES, "stage")
        if kind:
            values["kind"] = kind
        if stage:
            values["stage"] = stage
        website = raw.get("website", "")
        if website:
            website = self._checked(row, "website", website, lambda v, _: WEBSITE_FIELD.clean(v))
            if website:
                values["website"] = website
        phone = self.phone(row, raw)
        if phone:
            values["phone"] = phone
        for key in self.TEXTS:
            value = self.text(row, raw, key)
            if value:
                values[key] = value
        self._owner(row, raw)
        match = self._match(row, values)
        effective_kind = kind or (match["kind"] if match else Organization.Kind.OTHER)
        if level:
            if effective_kind == Organization.Kind.GOVERNMENT:
                values["government_level"] = level
            else:
                self.error(row, "government_level", "Only government agencies have a level.")

    def _name(self, row: RowResult, raw: dict[str, str]) -> None:
        if raw.get("name"):
            try:
                name = clean_display_name(raw["name"], what="the organization's name")
            except ValidationError as error:
                self.error(row, "name", error.messages[0])
            else:
                row.values["name"] = self.text(row, {"name": name}, "name")
        elif "name" not in self.flagged:
            self.error(row, "name", "Every organization needs a name.")

    def _owner(self, row: RowResult, raw: dict[str, str]) -> None:
        if not raw.get("owner"):
            return
        owner = self.staff.get(raw["owner"].casefold())
        if owner is None:
            self.error(
                row,
                "owner",
                f"No staff member is “{_short(raw['owner'])}”. Use their username, email or "
                "full name as Liaison shows it.",
            )
        else:
            row.values["owner_id"] = owner

    def _match(self, row: RowResult, values: dict[str, Any]) -> dict | None:
        name_key = normalize_name(values.get("name", ""))
        site_key = website_key(values.get("website", ""))
        for key, seen, what, column in (
            (name_key, self.seen_names, "the same name", "name"),
            (site_key, self.seen_websites, "the same website", "website"),
        ):
            if key and key in seen:
                self.error(row, column, f"Row {seen[key]} has {what}: is it the same organization?")
                return None
        if name_key:
            self.seen_names[name_key] = row.number
        if site_key:
            self.seen_websites[site_key] = row.number
        match = (self.by_name.get(name_key) if name_key else None) or (
            self.by_website.get(site_key) if site_key else None
        )
        if match is not None:
            row.status = MATCH
            row.match_id = match["pk"]
            row.match_label = match["name"] + (" (archived)" if match["is_archived"] else "")
        return match


class ContactRows(RowChecker):
    model = Contact
    CHANNELS = choice_lookup(Contact.Channel.choices)

    def __init__(self, names: dict[str, str]) -> None:
        super().__init__(names)
        self.by_email = {
            email: (pk, name)
            for pk, email, name in Contact.objects.exclude(email="").values_list(
                "pk", "email", "name"
            )
        }
        self.organizations: dict[str, list[tuple[int, str]]] = {}
        if "organization" in names:
            existing = Organization.objects.order_by("is_archived", "pk").values_list(
                "pk", "name", "normalized_name", "website"
            )
            for pk, name, normalized, website in existing:
                self.organizations.setdefault(normalized, []).append((pk, name))
                key = website_key(website)
                if key:
                    self.organizations.setdefault(f"//{key}", []).append((pk, name))
        self.seen_emails: dict[str, int] = {}

    def check(self, row: RowResult, raw: dict[str, str]) -> None:
        raw = self.formulas(row, raw)
        values = row.values
        self._name(row, raw)
        email = normalize_email(raw.get("email", ""))
        if email:
            email = self.text(row, {"email": email}, "email")
        if email:
            values["email"] = email
        phone = self.phone(row, raw)
        if phone:
            values["phone"] = phone
        channel = self.choice(row, raw, "preferred_channel", self.CHANNELS, "channel")
        if channel:
            values["preferred_channel"] = channel
        notes = self.text(row, raw, "notes")
        if notes:
            values["notes"] = notes
        flag = raw.get("do_not_contact", "").casefold()
        if flag in YES:
            values["do_not_contact"] = True
        elif flag not in NO:
            self.error(row, "do_not_contact", "Write yes or no (or leave the cell empty).")
        self._organization_and_title(row, raw)
        if email:
            self._match(row, email)

    def _name(self, row: RowResult, raw: dict[str, str]) -> None:
        """The name column, or the first and last name columns put together."""
        name_key = "name" if raw.get("name") else "first_name"
        name = raw.get("name") or " ".join(
            part for part in (raw.get("first_name"), raw.get("last_name")) if part
        )
        if name:
            try:
                name = clean_display_name(name, what="the person's name")
            except ValidationError as error:
                self.error(row, name_key, error.messages[0])
            else:
                row.values["name"] = self.text(row, {"name": name}, "name")
        elif not self.flagged & {"name", "first_name", "last_name"}:
            column = "name" if "name" in self.names else name_key
            self.error(row, column, "Every contact needs a name.")

    def _organization_and_title(self, row: RowResult, raw: dict[str, str]) -> None:
        title = self.text(row, raw, "title", model=Affiliation)
        if raw.get("organization"):
            organization = self._organization(row, raw["organization"])
            if organization is not None:
                row.values["organization_id"] = organization
                row.values["title"] = title
        elif title:
            self.error(row, "title", "A title needs an organization: add the organization column.")

    def _match(self, row: RowResult, email: str) -> None:
        """The contact already in Liaison with this email, unless an earlier row has it."""
        if email in self.seen_emails:
            self.error(row, "email", f"Row {self.seen_emails[email]} has the same email.")
            return
        self.seen_emails[email] = row.number
        if email in self.by_email:
            row.status = MATCH
            row.match_id, row.match_label = self.by_email[email]

    def _organization(self, row: RowResult, text: str) -> int | None:
        candidates = self.organizations.get(normalize_name(text))
        if candidates is None and ("." in text and " " not in text.strip()):
            candidates = self.organizations.get(f"//{website_key(text)}")
        if not candidates:
            self.error(
                row,
                "organization",
                f"No organization in Liaison is called “{_short(text)}”. Import or add it first, "
                "or leave the cell empty.",
            )
            return None
        return candidates[0][0]


def staff_lookup() -> dict[str, int]:
    """Staff who can own a partnership, by casefolded username, email and full name."""
    lookup: dict[str, int] = {}
    users = (
        User.objects.filter(Q(is_active=True) & Q(groups__name__in=ALL_ROLES))
        .distinct()
        .values_list("pk", "username", "email", "first_name", "last_name")
    )
    for pk, username, email, first, last in users:
        for key in (username, email, f"{first} {last}".strip()):
            if key:
                lookup.setdefault(key.casefold(), pk)
    return lookup
