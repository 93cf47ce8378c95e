"""Importing organizations and contacts: upload and preview, confirm, undo.

Nothing reaches the partner tables before the librarian confirms. The upload reads the file
once and stores it, with what it holds (its header and rows), on an ImportRun in status
"preview"; the preview and the confirmed import both work from those stored rows with the run's
saved column mapping, so what is imported is what was previewed (the confirm step also checks
that no row's outcome changed in between), and no page parses the file again.

Undo: organizations the import created are archived (never deleted: they may have touchpoints
and history since). Contacts cannot be archived, so a contact the import created is deleted,
with the affiliation the import gave them, only while nobody has touched it since: not edited,
and not linked to anything else (a touchpoint, a meeting, another organization…). Contacts
that have been touched stay, and undo says how many. Updates to existing records stay as they
are: the import keeps no copy of the values it replaced.
"""

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Field, ForeignObjectRel, ManyToManyRel, Model, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.history import acting, history_context, is_historical, record_rows, update_with_history
from core.tabular import read_upload, upload_name
from partners.models import (
    ORGANIZATION_PROFILE_FIELDS,
    Affiliation,
    Contact,
    Organization,
    StageChange,
    normalize_name,
)
from transfer import parsing
from transfer.columns import auto_mapping, clean_mapping
from transfer.models import PREVIEW_FILE_DAYS, ImportRun, ImportRunItem
from transfer.validation import Plan, RowResult, plan_import

NAME_LENGTH = ImportRun._meta.get_field("original_name").max_length
BATCH = 500
CHANGED = (
    "Something changed since the preview (the file's rows now match other records). "
    "Nothing was imported: check the preview again."
)
FILE_GONE = "The uploaded file can no longer be read. Upload it again."
EXPIRED = (
    "This preview has expired: Liaison deletes an uploaded file that was not imported after "
    f"{PREVIEW_FILE_DAYS} days. Upload the file again."
)


def import_preview(*, kind: str, upload: UploadedFile, by: User | None) -> ImportRun:
    """Store an uploaded file as an import awaiting confirmation, its columns matched by name.

    Raises ValidationError({"file": message}) for a file that is too large or cannot be read;
    then nothing is stored.
    """
    if kind not in ImportRun.Kind.values:
        raise ValidationError({"kind": "Choose what the file holds."})
    data = read_upload(upload, parsing.MAX_BYTES)
    try:
        table = parsing.read_table(data)
    except parsing.ImportFileError as error:
        raise ValidationError({"file": str(error)}, code="unreadable") from None
    run = ImportRun(
        kind=kind,
        original_name=upload_name(upload.name, default="import.csv", length=NAME_LENGTH),
        uploaded_by=by,
        mapping=auto_mapping(kind, table.header),
        rows=len(table.rows),
        table=table.as_json(),
    )
    suffix = ".xlsx" if data.startswith(b"PK") else ".csv"
    run.file.save(f"{uuid.uuid4().hex}{suffix}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            run.save()
    except BaseException:
        run.file.delete(save=False)
        raise
    return run


def import_table(run: ImportRun) -> parsing.Table:
    """The header and rows of a run's file, as read at upload; ValidationError if they are gone.

    A run uploaded before the rows were kept has its file read now, once: what it holds is
    stored on the run for the next time.
    """
    if run.table is not None:
        return parsing.Table.from_json(run.table)
    if not run.file:
        expired = run.file_deleted_at is not None and run.status == ImportRun.Status.PREVIEW
        raise ValidationError(EXPIRED if expired else FILE_GONE, code="file_gone")
    try:
        with run.file.open("rb") as stored:
            data = stored.read(parsing.MAX_BYTES + 1)
        table = parsing.read_table(data)
    except (OSError, ValueError, parsing.ImportFileError):
        raise ValidationError(FILE_GONE, code="file_gone") from None
    run.table = table.as_json()
    ImportRun.objects.filter(pk=run.pk, table__isnull=True).update(table=run.table)
    return table


def import_plan(run: ImportRun) -> tuple[parsing.Table, Plan]:
    table = import_table(run)
    mapping = clean_mapping(run.kind, run.mapping, len(table.header))
    return table, plan_import(run.kind, table, mapping)


def import_mapping_set(*, run: ImportRun, mapping: list[str]) -> ImportRun:
    """Change which field each column goes to, while the import is still a preview."""
    if run.status != ImportRun.Status.PREVIEW:
        raise ValidationError("This file has already been imported.")
    run.mapping = clean_mapping(run.kind, mapping, len(run.mapping))
    run.save(update_fields=["mapping"])
    return run


def import_files_delete_old(*, now: dt.datetime | None = None) -> int:
    """Delete the uploaded files past their keeping time, and the rows a preview kept: a
    preview's after PREVIEW_FILE_DAYS if nobody confirmed it, an import's after
    settings.LIAISON_IMPORT_FILE_DAYS. The runs stay, as history. Returns how many went.

    Safe to run twice, or in two workers at once: each run is locked while its file goes and a
    run without a file is never due again; a file already missing from storage is fine. The
    file goes before the row says so: a crash in between leaves a row whose file is missing,
    which the next run finishes (never a file that no row points at).
    """
    now = now or timezone.now()
    due = ImportRun.objects.exclude(file="").filter(
        Q(
            status=ImportRun.Status.PREVIEW,
            created_at__lt=now - dt.timedelta(days=PREVIEW_FILE_DAYS),
        )
        | Q(confirmed_at__lt=now - dt.timedelta(days=settings.LIAISON_IMPORT_FILE_DAYS))
    )
    deleted = 0
    # A few runs a week: no index; the whole history is read by primary key.
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            run = due.select_for_update().filter(pk=pk).first()
            if run is None:  # confirmed meanwhile, or another worker was first
                continue
            run.file.storage.delete(run.file.name)
            ImportRun.objects.filter(pk=pk).update(file="", table=None, file_deleted_at=now)
        deleted += 1
    return deleted


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    skipped: int
    errors: int


def import_confirm(
    *,
    run: ImportRun,
    by: User | None,
    update_existing: bool,
    skip_errors: bool,
    signature: str,
) -> ImportRun:
    """Write what the preview promised, in one transaction, and record it on the run.

    `signature` is the preview's Plan.signature: if any row's outcome changed since (another
    import, someone adding an organization), nothing is written. Rows with errors block the
    import unless `skip_errors`; rows matching an existing record update it when
    `update_existing`, and are skipped otherwise.
    """
    try:
        with transaction.atomic():
            run = ImportRun.objects.select_for_update().get(pk=run.pk)
            if run.status != ImportRun.Status.PREVIEW:
                raise ValidationError("This file has already been imported.", code="done")
            _, plan = import_plan(run)
            if plan.mapping_errors:
                raise ValidationError(" ".join(plan.mapping_errors), code="mapping")
            if plan.signature != signature:
                raise ValidationError(CHANGED, code="changed")
            if plan.errors and not skip_errors:
                raise ValidationError(
                    "Some rows have errors: fix them in the file and upload it again, or choose "
                    "to skip them.",
                    code="errors",
                )
            now = timezone.now()
            writer = (
                _OrganizationWriter if run.kind == ImportRun.Kind.ORGANIZATIONS else _ContactWriter
            )
            matches = plan.matches if update_existing else []
            with history_context(by=by, reason=f"Imported from {run.original_name}"):
                items = writer(run=run, by=by, now=now).write(plan.new, matches)
            ImportRunItem.objects.bulk_create(items, batch_size=BATCH)
            run.status = ImportRun.Status.DONE
            run.update_existing = update_existing
            run.created_count = len(plan.new)
            run.updated_count = len(matches)
            run.skipped_count = len(plan.matches) - len(matches) + len(plan.errors)
            run.error_count = len(plan.errors)
            # After every row is written: a contact changed after this was touched by someone.
            run.confirmed_at = timezone.now()
            # The rows are in Liaison now; the file stays for a while (delete_old_import_files).
            run.table = None
            run.save()
    except IntegrityError as error:  # someone saved the same email between check and write
        raise ValidationError(CHANGED, code="changed") from error
    return run


class _Writer:
    def __init__(self, *, run: ImportRun, by: User | None, now: dt.datetime) -> None:
        self.run, self.by, self.now = run, by, now

    def item(self, row: RowResult, action: str, **records: object) -> ImportRunItem:
        return ImportRunItem(run=self.run, row_number=row.number, action=action, **records)

    @staticmethod
    def create(model: type[Model], records: list[Any]) -> None:
        """bulk_create, with the "created" row of each record in its change history."""
        bulk_create_with_history(
            records, model, batch_size=BATCH, default_change_reason=acting().reason
        )


class _OrganizationWriter(_Writer):
    # On update, these overwrite the record when the row has a value (an empty cell keeps what
    # Liaison has). The name is what the row was matched by, so it is never changed.
    UPDATABLE = (
        "kind",
        "government_level",
        *ORGANIZATION_PROFILE_FIELDS,
        "owner_id",
    )

    def write(self, new: list[RowResult], matches: list[RowResult]) -> list[ImportRunItem]:
        created = [
            Organization(
                **row.values,
                normalized_name=normalize_name(row.values["name"]),
                stage_changed_at=self.now,
            )
            for row in new
        ]
        self.create(Organization, created)
        history = [
            StageChange(
                organization=organization,
                from_stage="",
                to_stage=organization.stage,
                changed_by=self.by,
                changed_at=self.now,
                note=self.note,
            )
            for organization in created
        ]
        items = [
            self.item(row, ImportRunItem.Action.CREATED, organization=organization)
            for row, organization in zip(new, created, strict=True)
        ]
        existing = dict(
            Organization.objects.filter(pk__in=[row.match_id for row in matches]).values_list(
                "pk", "stage"
            )
        )
        changes: dict[int, dict[str, Any]] = {}
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
            items.append(self.item(row, ImportRunItem.Action.UPDATED, organization_id=row.match_id))
        _bulk_fill(Organization, changes, (*self.UPDATABLE, "stage", "stage_changed_at"), self.now)
        # A kind changed away from "government" takes its level with it, as in the form.
        Organization.objects.filter(pk__in=list(changes)).exclude(
            kind=Organization.Kind.GOVERNMENT
        ).exclude(government_level="").update(government_level="")
        record_rows(Organization, changes)  # the UPDATEs above bypass the change history
        StageChange.objects.bulk_create(history, batch_size=BATCH)
        return items

    @property
    def note(self) -> str:
        return f"Imported from {self.run.original_name}."


class _ContactWriter(_Writer):
    UPDATABLE = ("name", "phone", "preferred_channel", "notes", "do_not_contact")

    def write(self, new: list[RowResult], matches: list[RowResult]) -> list[ImportRunItem]:
        contact_fields = {"name", "email", "phone", "preferred_channel", "notes", "do_not_contact"}
        created = [
            Contact(**{k: v for k, v in row.values.items() if k in contact_fields}) for row in new
        ]
        self.create(Contact, created)
        changes: dict[int, dict[str, Any]] = {}
        for row in matches:
            assert row.match_id is not None  # a match has one
            changes[row.match_id] = {k: row.values[k] for k in self.UPDATABLE if k in row.values}
        _bulk_fill(Contact, changes, self.UPDATABLE, self.now)
        record_rows(Contact, changes)  # the UPDATE bypasses the change history

        # Affiliations: one per row that names an organization the contact is not already at.
        rows = list(zip(new, created, strict=True)) + [
            (row, Contact(pk=row.match_id)) for row in matches
        ]
        # Only contacts that existed before can already be at an organization.
        wanted = [r.match_id for r in matches if "organization_id" in r.values]
        current = set()
        if wanted:
            current = set(
                Affiliation.objects.current()
                .filter(contact__in=wanted)
                .values_list("contact_id", "organization_id")
            )
        affiliations: dict[int, Affiliation] = {}
        for row, contact in rows:
            organization_id = row.values.get("organization_id")
            if organization_id and (contact.pk, organization_id) not in current:
                current.add((contact.pk, organization_id))
                affiliations[row.number] = Affiliation(
                    contact=contact,
                    organization_id=organization_id,
                    title=row.values.get("title", ""),
                )
        self.create(Affiliation, list(affiliations.values()))

        new_numbers = {row.number for row in new}
        return [
            self.item(
                row,
                ImportRunItem.Action.CREATED
                if row.number in new_numbers
                else ImportRunItem.Action.UPDATED,
                contact=contact,
                affiliation=affiliations.get(row.number),
            )
            for row, contact in rows
        ]


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
    as NULL and COALESCE keeps the current one (no imported field is nullable, so NULL never
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


@dataclass(frozen=True)
class UndoPlan:
    """What undoing a run does: organizations archived, contacts removed, contacts kept."""

    organizations: list[int]
    contacts_removed: list[int]
    contacts_kept: list[int]


def import_undo_plan(run: ImportRun) -> UndoPlan:
    created = run.items.filter(action=ImportRunItem.Action.CREATED)
    organizations = list(
        Organization.objects.filter(
            pk__in=created.filter(organization__isnull=False).values("organization_id"),
            is_archived=False,
        ).values_list("pk", flat=True)
    )
    contacts = dict(
        created.filter(contact__isnull=False).values_list("contact_id", "contact__updated_at")
    )
    touched = {
        pk for pk, updated in contacts.items() if run.confirmed_at and updated > run.confirmed_at
    }
    touched |= _contacts_linked_elsewhere(run, set(contacts) - touched)
    return UndoPlan(
        organizations=organizations,
        contacts_removed=sorted(set(contacts) - touched),
        contacts_kept=sorted(touched),
    )


def _contacts_linked_elsewhere(run: ImportRun, contact_ids: set[int]) -> set[int]:
    """The contacts among `contact_ids` that anything points at, other than this import's own
    affiliations: touchpoints, meetings, subscriptions, other affiliations, emails…"""
    if not contact_ids:
        return set()
    linked: set[int] = set()
    ours = run.items.filter(affiliation__isnull=False).values("affiliation_id")
    for relation in Contact._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete or relation.related_model is None:
            continue
        assert isinstance(relation, ForeignObjectRel)  # a relation to contacts, seen from here
        related = relation.field.model  # its related_model, typed as a model
        if related is ImportRunItem or is_historical(related):  # the past is no link
            continue
        if relation.many_to_many:
            assert isinstance(relation, ManyToManyRel)
            through = relation.through
            assert through is not None  # the ManyToManyField's (made or named) through model
            column = next(
                f.name
                for f in through._meta.get_fields()
                if getattr(f, "related_model", None) is Contact
            )
            rows = through._default_manager.filter(**{f"{column}__in": contact_ids})
            linked |= set(rows.values_list(f"{column}_id", flat=True))
            continue
        rows = related._default_manager.filter(**{f"{relation.field.name}__in": contact_ids})
        if related is Affiliation:
            rows = rows.exclude(pk__in=ours)
        linked |= set(rows.values_list(relation.field.attname, flat=True))
    return linked


def import_undo(*, run: ImportRun, by: User | None) -> UndoPlan:
    """Archive the organizations a run created and remove its untouched contacts (see above)."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.status != ImportRun.Status.DONE:
            raise ValidationError("Only an import that was carried out can be undone.")
        plan = import_undo_plan(run)
        now = timezone.now()
        with history_context(by=by, reason=f"Import of {run.original_name} undone"):
            update_with_history(
                Organization.objects.filter(pk__in=plan.organizations),
                is_archived=True,
                archived_at=now,
                updated_at=now,
            )
            # The affiliations go with their contacts (on_delete CASCADE); each deletion is in
            # the change history (a delete sends its signals, unlike an update).
            Contact.objects.filter(
                Q(pk__in=plan.contacts_removed) & Q(updated_at__lte=run.confirmed_at)
            ).delete()
        run.status = ImportRun.Status.UNDONE
        run.undone_at = now
        run.undone_by = by
        run.save(update_fields=["status", "undone_at", "undone_by"])
    return plan
