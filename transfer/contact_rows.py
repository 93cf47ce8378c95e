"""Checking the rows of a contact import (transfer.validation.plan_import runs it).

A person with several roles has several rows, as Liaison's contact export writes them: one per
organization, their details repeated. Rows with the same email are one person: the first holds
their details, and each later row, whose details must be the same, adds a role (status ROLE).
Rows without an email are each a person of their own.
"""

from django.core.exceptions import ValidationError

from core.forms import clean_display_name
from partners.models import Affiliation, Contact, Organization, normalize_name
from partners.services import normalize_email
from transfer.rows import ERROR, MATCH, ROLE, Choices, Role, RowChecker, RowResult, short
from transfer.rows import website_key as _website_key

# A person's own details: the same on every row of theirs (labels for the message).
PERSON_FIELDS = {
    "name": "name",
    "phone": "phone",
    "preferred_channel": "preferred channel",
    "notes": "notes",
    "do_not_contact": "do not contact",
    "opted_out": "opted out of updates",
    "tags": "tags",
}
# The role columns, which need an organization (labels for the message).
ROLE_FIELDS = {
    "title": "A title",
    "is_primary": "A primary contact",
    "start_date": "A start date",
    "end_date": "An end date",
}


class ContactRows(RowChecker):
    model = Contact
    CHANNELS = Choices.of("channel", Contact.Channel.choices)

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
                key = _website_key(website)
                if key:
                    self.organizations.setdefault(f"//{key}", []).append((pk, name))
        self.seen_emails: dict[str, RowResult] = {}
        # The row making someone the primary contact of an organization (current roles).
        self.primaries: dict[int, int] = {}

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
        channel = self.choice(row, raw, "preferred_channel", self.CHANNELS)
        if channel:
            values["preferred_channel"] = channel
        notes = self.text(row, raw, "notes")
        if notes:
            values["notes"] = notes
        if self.yes_no(row, raw, "do_not_contact"):
            values["do_not_contact"] = True
        # "No" never undoes an opt-out: only "Subscribe again", with a reason, does.
        if self.yes_no(row, raw, "opted_out"):
            values["opted_out"] = True
        self.tag_ids(row, raw)
        role = self._role(row, raw)
        person = self._match(row, email) if email else row
        if role is not None and not row.errors:
            self._add_role(row, person, role)

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

    def _role(self, row: RowResult, raw: dict[str, str]) -> Role | None:
        """The row's role at an organization: title, primary contact, from and to."""
        title = self.text(row, raw, "title", model=Affiliation)
        is_primary = self.yes_no(row, raw, "is_primary")
        start = self.date(row, raw, "start_date")
        end = self.date(
            row,
            raw,
            "end_date",
            past="a role ends on or before today (leave the cell empty while it goes on).",
        )
        if start and end and end < start:
            self.error(row, "end_date", f"The role cannot end before it starts ({start:%Y-%m-%d}).")
        if not raw.get("organization"):
            given = {"title": title, "is_primary": is_primary, "start_date": start, "end_date": end}
            for key, what in ROLE_FIELDS.items():
                if given[key]:
                    self.error(
                        row, key, f"{what} needs an organization: add the organization column."
                    )
            return None
        organization = self._organization(row, raw["organization"])
        if organization is None:
            return None
        return Role(
            row=row.number,
            organization_id=organization[0],
            organization_name=organization[1],
            title=title,
            is_primary=bool(is_primary),
            start_date=start,
            end_date=end,
        )

    def _match(self, row: RowResult, email: str) -> RowResult:
        """The row holding this person: this one, or an earlier one with the same email (then
        this row is another of their roles). A person already in Liaison is a match."""
        first = self.seen_emails.get(email)
        if first is None:
            self.seen_emails[email] = row
            if email in self.by_email:
                row.status = MATCH
                row.match_id, row.match_label = self.by_email[email]
            return row
        if first.status == ERROR:
            self.error(row, "email", f"Row {first.number} has the same email, and errors.")
            return row
        differing = [
            label
            for key, label in PERSON_FIELDS.items()
            if row.values.get(key) != first.values.get(key)
        ]
        if differing:
            self.error(
                row,
                "email",
                f"Row {first.number} has the same email with another {', '.join(differing)}: "
                "one person has the same details on each of their rows.",
            )
            return row
        row.status = ROLE
        row.person_row = first.number
        row.match_label = first.label
        return first

    def _add_role(self, row: RowResult, person: RowResult, role: Role) -> None:
        current = role.end_date is None
        if current and any(
            other.organization_id == role.organization_id and other.end_date is None
            for other in person.roles
        ):
            self.error(
                row,
                "organization",
                f"Row {person.number} already has this person at {short(role.organization_name)}.",
            )
            return
        if current and role.is_primary:
            earlier = self.primaries.get(role.organization_id)
            if earlier is not None:
                self.error(
                    row,
                    "is_primary",
                    f"Row {earlier} already makes its person the primary contact at "
                    f"{short(role.organization_name)}: an organization has one.",
                )
                return
            self.primaries[role.organization_id] = row.number
        person.values.setdefault("roles", []).append(role)

    def _organization(self, row: RowResult, text: str) -> tuple[int, str] | None:
        candidates = self.organizations.get(normalize_name(text))
        if candidates is None and ("." in text and " " not in text.strip()):
            candidates = self.organizations.get(f"//{_website_key(text)}")
        if not candidates:
            self.error(
                row,
                "organization",
                f"No organization in Liaison is called “{short(text)}”. Import or add it first, "
                "or leave the cell empty.",
            )
            return None
        return candidates[0]
