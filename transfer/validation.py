"""Checking every row of an import against the same rules as the forms, before anything is written.

`plan_import` reads the database in a fixed number of queries (the existing organizations,
contacts, staff and focus areas, whatever the number of rows) and returns a Plan: for each row,
the values to write, whether it is new, matches an existing record, or has errors (row number
as the spreadsheet shows it, column name, message). The confirmed import carries out a Plan
made afresh from the stored file; the preview shows one.

A file Liaison exported imports back as it is: every column it writes goes to a field, except
those Liaison works out itself (the last touchpoint, the next follow-up), which are recognised
and left alone (columns.Target.worked_out_from).
"""

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Q

from core.forms import clean_display_name
from core.roles import ALL_ROLES
from partners.models import FocusArea, Organization, Stage, normalize_name
from transfer.columns import column_key, targets_of
from transfer.contact_rows import ContactRows
from transfer.parsing import Table, column_letter
from transfer.rows import (
    ERROR,
    MATCH,
    NEW,
    ROLE,
    WEBSITE_FIELD,
    Choices,
    RowChecker,
    RowResult,
    short,
    website_key,
)

# The focus areas an error lists at most (Liaison has about 16).
FOCUS_AREAS_LISTED = 40


@dataclass
class Plan:
    kind: str
    rows: list[RowResult]
    # Problems with the mapping itself (no name column…): nothing can be imported until fixed.
    mapping_errors: list[str] = field(default_factory=list)
    # Columns mapped to a field Liaison works out itself: (column name, worked out from what).
    worked_out: list[tuple[str, str]] = field(default_factory=list)

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
    def roles(self) -> list[RowResult]:
        """Rows adding another role to a person of an earlier row (contacts only)."""
        return [row for row in self.rows if row.status == ROLE]

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
    mapped = {key: index for index, key in enumerate(mapping) if key}
    worked_out = [
        (_column_name(table.header, index), targets[key].worked_out_from)
        for key, index in mapped.items()
        if targets[key].worked_out_from
    ]
    columns = {key: index for key, index in mapped.items() if not targets[key].worked_out_from}
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
    return Plan(kind=kind, rows=rows, mapping_errors=mapping_errors, worked_out=worked_out)


def _column_name(header: list[str], index: int) -> str:
    return header[index] or f"Column {column_letter(index + 1)}"


class OrganizationRows(RowChecker):
    model = Organization
    KINDS = Choices.of("kind of organization", Organization.Kind.choices)
    LEVELS = Choices.of("government level", Organization.GovernmentLevel.choices)
    STAGES = Choices.of("stage", Stage.choices)
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
        # Everything rows are compared with, in four queries.
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
        self.focus_areas: dict[str, tuple[int, str]] = {}
        if "focus_areas" in names:
            for pk, name in FocusArea.objects.order_by("name").values_list("pk", "name"):
                self.focus_areas[column_key(name)] = (pk, name)
        self.seen_names: dict[str, int] = {}
        self.seen_websites: dict[str, int] = {}

    def check(self, row: RowResult, raw: dict[str, str]) -> None:
        raw = self.formulas(row, raw)
        values = row.values
        self._name(row, raw)
        kind = self.choice(row, raw, "kind", self.KINDS)
        level = self.choice(row, raw, "government_level", self.LEVELS)
        stage = self.choice(row, raw, "stage", self.STAGES)
        if kind:
            values["kind"] = kind
        if stage:
            values["stage"] = stage
        self._profile(row, raw)
        self._pipeline(row, raw)
        match = self._match(row, values)
        effective_kind = kind or (match["kind"] if match else Organization.Kind.OTHER)
        if level:
            if effective_kind == Organization.Kind.GOVERNMENT:
                values["government_level"] = level
            else:
                self.error(row, "government_level", "Only government agencies have a level.")

    def _profile(self, row: RowResult, raw: dict[str, str]) -> None:
        """Website, phone, email, address and the texts: what is known about the partner."""
        values = row.values
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
        self._focus_areas(row, raw)
        self.tag_ids(row, raw)

    def _pipeline(self, row: RowResult, raw: dict[str, str]) -> None:
        """The owner, since when the stage holds, and whether the partner is archived."""
        self._owner(row, raw)
        since = self.date(row, raw, "stage_since", past="a stage begins on or before today.")
        if since:
            row.values["stage_since"] = since
        archived = self.yes_no(row, raw, "archived")
        if archived is not None:
            row.values["archived"] = archived

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
                f"No staff member is “{short(raw['owner'])}”. Use their username, email or "
                "full name as Liaison shows it.",
            )
        else:
            row.values["owner_id"] = owner

    def _focus_areas(self, row: RowResult, raw: dict[str, str]) -> None:
        """Focus area names separated by ";" (as Liaison exports them), each one Liaison has."""
        known = [name for _, name in self.focus_areas.values()]
        listed = "; ".join(known[:FOCUS_AREAS_LISTED])
        if len(known) > FOCUS_AREAS_LISTED:
            listed += f" and {len(known) - FOCUS_AREAS_LISTED} more"
        self.named_ids(
            row,
            raw,
            "focus_areas",
            self.focus_areas,
            lambda quoted, several: (
                f"{quoted} {'are not focus areas' if several else 'is not a focus area'} "
                f"Liaison knows. The focus areas are: {listed}. Separate several with “;”."
            ),
        )

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
