"""Writing a confirmed import: the records its rows create, and the records they update.

services.import_confirm runs a writer inside its transaction and history_context, with the rows
of a Plan made afresh. Everything is written in bulk, a fixed number of queries per batch of
BATCH rows, with the change history written alongside (bulk writes send no signals).

On update a non-empty cell overwrites what Liaison has and an empty one keeps it; a name is
never changed (it is what the row was matched by). Two flags only ever go one way: an import
marks a contact "do not contact" or opted out of updates, and never takes either back (only
"Subscribe again", with a reason, undoes an opt-out).
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.history import acting, record_rows, update_with_history
from partners.models import (
    ORGANIZATION_PROFILE_FIELDS,
    Affiliation,
    Contact,
    OptOutChange,
    Organization,
    StageChange,
    normalize_name,
)
from partners.tags import Tag
from transfer.models import ImportRun, ImportRunItem
from transfer.rows import RowResult

BATCH = 500


class Writer:
    def __init__(self, *, run: ImportRun, by: User | None, now: dt.datetime) -> None:
        self.run, self.by, self.now = run, by, now
        self.note = f"Imported from {run.original_name}."

    def item(self, number: int, action: str, **records: object) -> ImportRunItem:
        return ImportRunItem(run=self.run, row_number=number, action=action, **records)

    @staticmethod
    def create(model: type[Model], records: list[Any]) -> None:
        """bulk_create, with the "created" row of each record in its change history."""
        bulk_create_with_history(
            records, model, batch_size=BATCH, default_change_reason=acting().reason
        )


class OrganizationWriter(Writer):
    # What a row's values set on an organization it creates.
    FIELDS = ("name", "kind", "government_level", "stage", *ORGANIZATION_PROFILE_FIELDS, "owner_id")
    # On update: all but the name (the stage goes through the stage history).
    UPDATABLE = ("kind", "government_level", *ORGANIZATION_PROFILE_FIELDS, "owner_id")

    def write(self, new: list[RowResult], matches: list[RowResult]) -> list[ImportRunItem]:
        created = [self._organization(row.values) for row in new]
        self.create(Organization, created)
        # Every new organization starts its stage history, as one created by hand does.
        history = [
            StageChange(
                organization=organization,
                from_stage="",
                to_stage=organization.stage,
                changed_by=self.by,
                changed_at=organization.stage_changed_at,
                note=self.note,
            )
            for organization in created
        ]
        items = [
            self.item(row.number, ImportRunItem.Action.CREATED, organization=organization)
            for row, organization in zip(new, created, strict=True)
        ]
        history += self._update(matches)
        items += [
            self.item(row.number, ImportRunItem.Action.UPDATED, organization_id=row.match_id)
            for row in matches
        ]
        StageChange.objects.bulk_create(history, batch_size=BATCH)
        records: list[tuple[RowResult, int | None]] = [
            (row, organization.pk) for row, organization in zip(new, created, strict=True)
        ]
        records += [(row, row.match_id) for row in matches]
        self._focus_areas(
            {pk: row.values["focus_areas"] for row, pk in records if "focus_areas" in row.values}
        )
        tags_set(
            Tag.organizations.through,
            "organization_id",
            {pk: row.values["tags"] for row, pk in records if "tags" in row.values},
        )
        return items

    def _organization(self, values: dict[str, Any]) -> Organization:
        since = values.get("stage_since")
        organization = Organization(
            **{name: values[name] for name in self.FIELDS if name in values},
            normalized_name=normalize_name(values["name"]),
            # The file's "Stage since", as the start of that day here.
            stage_changed_at=(
                timezone.make_aware(dt.datetime.combine(since, dt.time.min)) if since else self.now
            ),
        )
        if values.get("archived"):
            organization.is_archived, organization.archived_at = True, self.now
        return organization

    def _update(self, matches: list[RowResult]) -> list[StageChange]:
        """Update the matched organizations; their stage changes, for the stage history."""
        existing = dict(
            Organization.objects.filter(pk__in=[row.match_id for row in matches]).values_list(
                "pk", "stage"
            )
        )
        history, changes = [], {}
        for row in matches:
            assert row.match_id is not None  # a match has one
            values = {name: row.values[name] for name in self.UPDATABLE if name in row.values}
            stage = row.values.get("stage")
            if stage and stage != existing[row.match_id]:
                history.append(
                    StageChange(
                        organization_id=row.match_id,
                        from_stage=existing[row.match_id],
                        to_stage=stage,
                        changed_by=self.by,
                        changed_at=self.now,
                        note=self.note,
                    )
                )
                values |= {"stage": stage, "stage_changed_at": self.now}
            changes[row.match_id] = values
        _bulk_fill(Organization, changes, (*self.UPDATABLE, "stage", "stage_changed_at"), self.now)
        # A kind changed away from "government" takes its level with it, as in the form.
        Organization.objects.filter(pk__in=list(changes)).exclude(
            kind=Organization.Kind.GOVERNMENT
        ).exclude(government_level="").update(government_level="")
        self._archive(matches)
        record_rows(Organization, changes)  # the UPDATEs above bypass the change history
        return history

    def _archive(self, matches: list[RowResult]) -> None:
        """Archive or restore the matched organizations whose "Archived" cell says so."""
        said = {row.match_id: row.values["archived"] for row in matches if "archived" in row.values}
        archive = [pk for pk, archived in said.items() if archived]
        restore = [pk for pk, archived in said.items() if not archived]
        if archive:
            Organization.objects.filter(pk__in=archive, is_archived=False).update(
                is_archived=True, archived_at=self.now, updated_at=self.now
            )
        if restore:
            Organization.objects.filter(pk__in=restore, is_archived=True).update(
                is_archived=False, archived_at=None, updated_at=self.now
            )

    @staticmethod
    def _focus_areas(focus_areas: dict[Any, list[int]]) -> None:
        """Give these organizations exactly these focus areas (organization pk → area pks)."""
        if not focus_areas:
            return
        through = Organization.focus_areas.through
        through.objects.filter(organization_id__in=list(focus_areas)).delete()
        through.objects.bulk_create(
            [
                through(organization_id=pk, focusarea_id=area)
                for pk, areas in focus_areas.items()
                for area in areas
            ],
            batch_size=BATCH,
        )


def tags_set(through: Any, owner: str, tags: dict[Any, list[int]]) -> None:
    """Give these records these tags (record pk → tag pks) through the many-to-many table
    `through`, whose column for the record is `owner`: exactly these of the tags still given;
    a retired tag stays on a record that has it, and is given to none that has not."""
    if not tags:
        return
    retired = set(Tag.objects.filter(retired_at__isnull=False).values_list("pk", flat=True))
    links = through.objects.filter(**{f"{owner}__in": list(tags)})
    kept = set(links.filter(tag_id__in=retired).values_list(owner, "tag_id"))
    links.exclude(tag_id__in=retired).delete()
    through.objects.bulk_create(
        [
            through(**{owner: pk}, tag_id=tag)
            for pk, ids in tags.items()
            for tag in ids
            if tag not in retired and (pk, tag) not in kept
        ],
        batch_size=BATCH,
    )


class ContactWriter(Writer):
    FIELDS = ("name", "email", "phone", "preferred_channel", "notes", "do_not_contact")
    UPDATABLE = ("name", "phone", "preferred_channel", "notes", "do_not_contact")

    def write(self, new: list[RowResult], matches: list[RowResult]) -> list[ImportRunItem]:
        created = [self._contact(row.values) for row in new]
        self.create(Contact, created)
        opted_out = {contact.pk for contact in created if contact.opted_out_of_updates}
        opted_out |= self._update(matches)
        OptOutChange.objects.bulk_create(
            [
                OptOutChange(
                    contact_id=pk,
                    opted_out=True,
                    source=OptOutChange.Source.IMPORT,
                    reason=self.note,
                    changed_by=self.by,
                    changed_at=self.now,
                )
                for pk in sorted(opted_out)
            ],
            batch_size=BATCH,
        )
        people = list(zip(new, created, strict=True)) + [
            (row, Contact(pk=row.match_id)) for row in matches
        ]
        affiliations = self._affiliations(people, matches)
        tags = {contact.pk: row.values["tags"] for row, contact in people if "tags" in row.values}
        tags_set(Tag.contacts.through, "contact_id", tags)
        # One item per row: the person's first row, and each further row of theirs (a role).
        new_numbers = {row.number for row in new}
        return [
            self.item(
                number,
                ImportRunItem.Action.CREATED
                if row.number in new_numbers
                else ImportRunItem.Action.UPDATED,
                contact=contact,
                affiliation=affiliations.get(number),
            )
            for row, contact in people
            for number in sorted({row.number, *(role.row for role in row.roles)})
        ]

    def _contact(self, values: dict[str, Any]) -> Contact:
        contact = Contact(**{name: values[name] for name in self.FIELDS if name in values})
        if values.get("opted_out"):
            contact.opted_out_of_updates, contact.opted_out_at = True, self.now
        return contact

    def _update(self, matches: list[RowResult]) -> set[int]:
        """Update the matched contacts; the ids of those the import opts out of updates."""
        changes: dict[int, dict[str, Any]] = {}
        for row in matches:
            assert row.match_id is not None  # a match has one
            changes[row.match_id] = {k: row.values[k] for k in self.UPDATABLE if k in row.values}
        opting_out = [row.match_id for row in matches if row.values.get("opted_out")]
        opted_out = set()
        if opting_out:
            opted_out = set(
                Contact.objects.select_for_update()
                .filter(pk__in=opting_out, opted_out_of_updates=False)
                .values_list("pk", flat=True)
            )
        for pk in opted_out:
            changes[pk] |= {"opted_out_of_updates": True, "opted_out_at": self.now}
        fields = (*self.UPDATABLE, "opted_out_of_updates", "opted_out_at")
        _bulk_fill(Contact, changes, fields, self.now)
        record_rows(Contact, changes)  # the UPDATE bypasses the change history
        return opted_out

    def _affiliations(
        self, people: list[tuple[RowResult, Contact]], matches: list[RowResult]
    ) -> dict[int, Affiliation]:
        """Each role of the file a person does not have yet, by the row it came from.

        A current role is one the person has when they are not at that organization now; an
        ended one, when they have no role there that ended the same day. A new primary contact
        replaces the organization's current one, as on the contact form.
        """
        # (contact, organization, end date): a current role has None, and is one at most.
        held: set[tuple[int, int, dt.date | None]] = set()
        known = [row.match_id for row in matches if row.roles]
        if known:
            held = set(
                Affiliation.objects.filter(contact__in=known).values_list(
                    "contact_id", "organization_id", "end_date"
                )
            )
        affiliations: dict[int, Affiliation] = {}
        for row, contact in people:
            for role in row.roles:
                key = (contact.pk, role.organization_id, role.end_date)
                if key in held:
                    continue
                held.add(key)
                affiliations[role.row] = Affiliation(
                    contact=contact,
                    organization_id=role.organization_id,
                    title=role.title,
                    is_primary=role.is_primary,
                    start_date=role.start_date,
                    end_date=role.end_date,
                )
        primaries = {
            a.organization_id for a in affiliations.values() if a.is_primary and a.end_date is None
        }
        if primaries:
            update_with_history(
                Affiliation.objects.filter(
                    organization_id__in=primaries, is_primary=True, end_date__isnull=True
                ),
                is_primary=False,
            )
        self.create(Affiliation, list(affiliations.values()))
        return affiliations


WRITERS: dict[str, type[OrganizationWriter] | type[ContactWriter]] = {
    ImportRun.Kind.ORGANIZATIONS: OrganizationWriter,
    ImportRun.Kind.CONTACTS: ContactWriter,
}


def _column(model: type[Model], name: str) -> Field:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)  # a column of the table, not a reverse relation
    return field


def _bulk_fill(
    model: type[Model], changes: dict[int, dict[str, Any]], fields: Sequence[str], now: dt.datetime
) -> None:
    """Set each record's given fields (pk → {field: value}), keeping the others, and stamp
    updated_at, in one UPDATE … FROM (VALUES …) per batch.

    Django's bulk_update builds a CASE WHEN per row and field in Python, which took 85 s for
    10,000 organizations; this takes about a second. A value missing from a row's dict is sent
    as NULL and COALESCE keeps the current one (an import never empties a field, so NULL never
    means "clear"). Runs on PostgreSQL and on SQLite 3.33 or later (UPDATE … FROM).
    """
    if not changes:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [_column(model, name) for name in fields]

    def value(column: Any, index: int) -> str:
        # PostgreSQL types a VALUES column from its literals (text, or nothing when all NULL);
        # SQLite must not cast, or a date string would become a number.
        if connection.vendor == "postgresql":
            return f"CAST(v.column{index} AS {column.cast_db_type(connection)})"
        return f"v.column{index}"

    assignments = ", ".join(
        f"{quote(column.column)} = COALESCE({value(column, index)}, {table}.{quote(column.column)})"
        for index, column in enumerate(columns, start=2)
    )
    updated_at = _column(model, "updated_at")
    sql = (
        f"UPDATE {table} SET {assignments}, {quote(updated_at.column)} = %s "
        "FROM (VALUES {rows}) AS v "
        f"WHERE {table}.{quote(model._meta.pk.column)} = v.column1"
    )
    limit = connection.features.max_query_params or 30_000
    batch = max(1, min(BATCH, (limit - 1) // (len(fields) + 1)))
    placeholder = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
    items = list(changes.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), batch):
            chunk = items[start : start + batch]
            params: list[Any] = [updated_at.get_db_prep_save(now, connection)]
            for pk, values in chunk:
                params.append(pk)
                for name, column in zip(fields, columns, strict=True):
                    given = values.get(name)
                    params.append(
                        None if given is None else column.get_db_prep_save(given, connection)
                    )
            cursor.execute(sql.format(rows=", ".join([placeholder] * len(chunk))), params)
