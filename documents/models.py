"""Documents: the MOU, the flyer, the grant narrative, kept with the record they belong to.

A document is attached to one record: an organization or a contact (foreign keys, so merging
moves them: documents.merge_links), or a touchpoint, a meeting, a program or an agreement (apps
above this one, named by content type and id). A document on a touchpoint or a meeting also
names the touchpoint's organization, so it is on that partner's documents and timeline too.

Each upload of a document is a version; a new version keeps the old ones. The bytes are in the
storage (Django's storage API: var/media/ by default, S3 when STORAGE_URL says so) under a name
nobody can guess, and are only ever served by documents.views.version_download, to signed-in
staff. Nothing is deleted: a document is archived; a manager may purge its files for a legal
reason, which leaves the document, its versions' names and sizes, and who purged it and why.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from core.models import TimeStampedModel
from partners.models import LONG_TEXT, Contact, Organization


class DocumentQuerySet(models.QuerySet["Document"]):
    def current(self) -> "DocumentQuerySet":
        """Not archived (a purged document is archived too)."""
        return self.filter(is_archived=False)


class Document(TimeStampedModel):
    class Kind(models.TextChoices):
        AGREEMENT = "agreement", "Agreement"
        FLYER = "flyer", "Flyer"
        HANDOUT = "handout", "Handout"
        REPORT = "report", "Report"
        NARRATIVE = "narrative", "Narrative"
        BUDGET = "budget", "Budget"
        PHOTO = "photo", "Photo"
        OTHER = "other", "Other"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(max_length=LONG_TEXT, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    # A touchpoint, a meeting, a program or an agreement (documents.records): higher apps.
    record_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Signed, as primary keys are (core.prepared compiles its queries with negative stand-ins).
    record_id = models.BigIntegerField(null=True, blank=True)
    record = GenericForeignKey("record_type", "record_id")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The current version's name, type and size, kept here for the lists.
    file_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    versions_count = models.PositiveIntegerField(default=1)
    is_archived = models.BooleanField(default=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)
    purged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    purge_reason = models.TextField(max_length=LONG_TEXT, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="document_organization"),
            models.Index(fields=["contact", "-created_at"], name="document_contact"),
            models.Index(fields=["record_type", "record_id"], name="document_record"),
            models.Index(fields=["-created_at", "-id"], name="document_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organization__isnull=False)
                | models.Q(contact__isnull=False)
                | models.Q(record_type__isnull=False, record_id__isnull=False),
                name="document_attached",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from core.http import pk_url  # lists call this for every row: see pk_url

        return pk_url("documents:document_detail", self.pk)

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None


def stored_name(extension: str) -> str:
    """Where a version's bytes are stored: a random name (never the uploaded one, never
    guessable), with the extension of the type read from its content."""
    return f"documents/{uuid.uuid4().hex}{extension}"


class DocumentVersion(models.Model):
    """One upload of a document."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    # Empty once purged (documents.services.document_purge).
    file = models.FileField(upload_to="documents/", max_length=255, blank=True)
    # The name it was uploaded under (made safe to show and to offer for download).
    file_name = models.CharField(max_length=255)
    # Read from the content (documents.checks), not from the name or the browser.
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.document} (version {self.number})"

    def get_absolute_url(self) -> str:
        return reverse("documents:version_download", args=[self.pk])
