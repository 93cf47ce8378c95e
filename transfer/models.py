"""Imports of organizations and contacts from spreadsheets: what was uploaded, and what it did.

An ImportRun is made when a file is uploaded (status "preview"). The file is read once, then,
and what it holds is kept with the run (ImportRun.table): the preview and the confirmed import
both work from that copy, so what is imported is exactly what was previewed, never values
posted back by the browser, and a preview never reads the file again. Each organization or
contact the import created or updated is an ImportRunItem, which is what an undo works from.

Nothing is kept for ever (transfer.tasks.delete_old_import_files): a preview nobody confirmed
within PREVIEW_DAYS is removed, run and file; an import's file is deleted after
settings.LIAISON_IMPORT_FILE_DAYS, and the run stays, as history (undo does not need the file).
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from partners.models import Affiliation, Contact, Organization

# A preview not confirmed within this many days is removed, file and all
# (services.import_previews_remove_abandoned).
PREVIEW_DAYS = 7


class ImportRun(models.Model):
    class Kind(models.TextChoices):
        ORGANIZATIONS = "organizations", "Organizations"
        CONTACTS = "contacts", "Contacts"

    class Status(models.TextChoices):
        PREVIEW = "preview", "Not imported yet"
        DONE = "done", "Imported"
        UNDONE = "undone", "Undone"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Empty once delete_old_import_files has deleted an import's file (file_deleted_at says when).
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    file_deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The librarian's own file name, for display only: the stored file has a random name.
    original_name = models.CharField("file name", max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    # The field each column of the file goes to, in column order ("" = not imported), e.g.
    # ["name", "", "website"]. A list: PostgreSQL's jsonb keeps no key order.
    mapping = models.JSONField(default=list, blank=True)
    rows = models.PositiveIntegerField("rows in the file", default=0)
    # The file's header and rows as read at upload (parsing.Table.as_json()), so a preview
    # never parses the file again. Null once the import is confirmed (the rows are in Liaison
    # then), and for runs uploaded before it was kept (read from the file on first view).
    table = models.JSONField(null=True, blank=True, editable=False)
    # Filled in when the import is confirmed.
    update_existing = models.BooleanField(
        default=False, help_text="Rows matching an existing record updated it (else skipped)."
    )
    created_count = models.PositiveIntegerField("created", default=0)
    updated_count = models.PositiveIntegerField("updated", default=0)
    skipped_count = models.PositiveIntegerField("skipped", default=0)
    error_count = models.PositiveIntegerField("rows with errors", default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The import history page, newest first.
            models.Index(fields=["-created_at", "-id"], name="importrun_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="preview", confirmed_at__isnull=True)
                | Q(~Q(status="preview"), confirmed_at__isnull=False),
                name="importrun_confirmed_at_iff_imported",
            ),
            models.CheckConstraint(
                condition=Q(status="undone", undone_at__isnull=False)
                | Q(~Q(status="undone"), undone_at__isnull=True),
                name="importrun_undone_at_iff_undone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_kind_display().lower()})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("transfer:import_detail", args=[self.pk])

    @property
    def file_kept_until(self) -> dt.datetime | None:
        """When the uploaded file is deleted (None once it is); for a preview, when it is
        removed unless imported."""
        if self.file_deleted_at or not self.file:
            return None
        if self.confirmed_at is None:
            return self.created_at + dt.timedelta(days=PREVIEW_DAYS)
        return self.confirmed_at + dt.timedelta(days=settings.LIAISON_IMPORT_FILE_DAYS)


class ImportRunItem(models.Model):
    """One record an import created or updated (a contact's new affiliation rides along)."""

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="items")
    # The spreadsheet row (header = row 1) the record came from.
    row_number = models.PositiveIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices)
    # SET_NULL: a record merged or deleted since keeps the import's history readable.
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The affiliation the import made for a contact row that named an organization.
    affiliation = models.ForeignKey(
        Affiliation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["run", "row_number"]
        indexes = [
            # Undo: the records one run created (WHERE run_id = … AND action = 'created').
            models.Index(fields=["run", "action"], name="importrunitem_run_action"),
        ]

    def __str__(self) -> str:
        return f"Row {self.row_number}: {self.get_action_display().lower()}"
