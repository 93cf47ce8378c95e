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

A preview nobody imports within PREVIEW_DAYS is removed, file and all
(import_previews_remove_abandoned): it holds no partner record, only a copy of a file, and a
librarian expects it gone from the import history, as an unsent draft is.
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import ForeignObjectRel, ManyToManyRel, Q
from django.utils import timezone

from core.history import history_context, is_historical, update_with_history
from core.tabular import read_upload, upload_name
from partners.models import Affiliation, Contact, OptOutChange, Organization
from transfer import parsing
from transfer.columns import auto_mapping, clean_mapping
from transfer.models import PREVIEW_DAYS, ImportRun, ImportRunItem
from transfer.validation import Plan, plan_import
from transfer.writers import BATCH, WRITERS

NAME_LENGTH = ImportRun._meta.get_field("original_name").max_length
CHANGED = (
    "Something changed since the preview (the file's rows now match other records). "
    "Nothing was imported: check the preview again."
)
FILE_GONE = "The uploaded file can no longer be read. Upload it again."


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
        raise ValidationError(FILE_GONE, code="file_gone")
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


def import_previews_remove_abandoned(*, now: dt.datetime | None = None) -> int:
    """Remove the previews nobody imported within PREVIEW_DAYS of their upload: the file, the
    rows kept from it and the run itself, which leaves the import history. Returns how many.

    Safe to run twice, or in two workers at once: each run is locked and checked again before
    it goes (a preview imported meanwhile stays), and a file already missing from storage is
    fine. The file goes before the row, in the row's transaction: a crash in between leaves a
    run whose file is missing, which the next run removes (never a file that no row points at).
    """
    now = now or timezone.now()
    due = ImportRun.objects.filter(
        status=ImportRun.Status.PREVIEW, created_at__lt=now - dt.timedelta(days=PREVIEW_DAYS)
    ).defer("table")
    removed = 0
    # A few runs a week: no index; the whole history is read by primary key.
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            run = due.select_for_update().filter(pk=pk).first()
            if run is None:  # imported meanwhile, or another worker was first
                continue
            if run.file:
                run.file.storage.delete(run.file.name)
            run.delete()  # a preview has nothing else: its items are made on import
        removed += 1
    return removed


def import_files_delete_old(*, now: dt.datetime | None = None) -> int:
    """Delete the uploaded files of imports settings.LIAISON_IMPORT_FILE_DAYS after they were
    confirmed. The runs stay, as history (undo works from their items). Returns how many went.

    Safe to run twice, or in two workers at once: each run is locked while its file goes and a
    run without a file is never due again; a file already missing from storage is fine. The
    file goes before the row says so: a crash in between leaves a row whose file is missing,
    which the next run finishes (never a file that no row points at).
    """
    now = now or timezone.now()
    due = ImportRun.objects.exclude(file="").filter(
        confirmed_at__lt=now - dt.timedelta(days=settings.LIAISON_IMPORT_FILE_DAYS)
    )
    deleted = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            run = due.select_for_update().filter(pk=pk).first()
            if run is None:  # another worker was first
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
            writer = WRITERS[run.kind]
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
    affiliations and opt-outs: touchpoints, meetings, subscriptions, other affiliations,
    emails…"""
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
        elif related is OptOutChange:  # an opt-out the file said goes with its contact
            rows = rows.exclude(source=OptOutChange.Source.IMPORT)
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
