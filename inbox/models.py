"""Captured email: one row per message read from the capture mailbox, whatever became of it."""

from email.utils import getaddresses

from django.conf import settings
from django.db import models

from core.models import TimeStampedModel
from outreach.models import Touchpoint
from partners.models import Organization

# Message-IDs are rarely longer; a longer one is stored as its hash (inbox.parsing).
MESSAGE_ID_LENGTH = 250


class CapturedEmailQuerySet(models.QuerySet["CapturedEmail"]):
    def unfiled(self) -> "CapturedEmailQuerySet":
        return self.filter(status=CapturedEmail.Status.UNFILED)


class CapturedEmail(TimeStampedModel):
    """A message that reached the capture mailbox (BCC'd, forwarded or written to it)."""

    class Status(models.TextChoices):
        FILED = "filed", "Filed"
        UNFILED = "unfiled", "Unfiled"
        DISCARDED = "discarded", "Discarded"

    class Direction(models.TextChoices):
        IN = "in", "From a partner"
        OUT = "out", "From the library"

    # The same message read twice (a retry, a second worker, a restart) is one row.
    message_id = models.CharField(max_length=MESSAGE_ID_LENGTH, unique=True)
    # The conversation: the Message-ID of its first message (References, else In-Reply-To).
    thread_key = models.CharField(max_length=MESSAGE_ID_LENGTH, db_index=True)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    from_name = models.CharField(max_length=200, blank=True)
    from_address = models.CharField(max_length=254)
    to_addresses = models.TextField(blank=True, help_text="One address per line.")
    cc_addresses = models.TextField(blank=True, help_text="One address per line.")
    sent_at = models.DateTimeField()
    subject = models.CharField(max_length=998, blank=True)
    text = models.TextField(blank=True)
    # The staff member who wrote, received or forwarded it; None when no one is recognised.
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="captured_emails",
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    # The library's mail server vouched for the From address (inbox.parsing.verified_sender);
    # None when no server is named to trust. An unverified email is never filed by itself.
    sender_verified = models.BooleanField(null=True)
    # The sender asked not to be contacted: still logged (it is their choice to write), flagged.
    from_do_not_contact = models.BooleanField(default=False)
    # Unfiled email filed or discarded by hand: who and when.
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    objects = CapturedEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-sent_at", "-id"], name="captured_status_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.subject or '(no subject)'} — {self.from_address}"

    @property
    def to_list(self) -> list[str]:
        return [line for line in self.to_addresses.splitlines() if line]

    @property
    def cc_list(self) -> list[str]:
        return [line for line in self.cc_addresses.splitlines() if line]

    @property
    def recipients(self) -> list[tuple[str, str]]:
        """(name, address) of everyone it was sent to (To, then Cc), addresses lower-cased."""
        found = getaddresses(self.to_list + self.cc_list)
        return [(name, address.lower()) for name, address in found if "@" in address]


class CapturedAttachment(TimeStampedModel):
    """A file that came with a captured email, served only to signed-in staff (inbox.views)."""

    email = models.ForeignKey(CapturedEmail, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="inbox/%Y/%m/", max_length=255)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


class FiledEmail(models.Model):
    """The touchpoint a captured email became on one organization: one per organization."""

    email = models.ForeignKey(CapturedEmail, on_delete=models.PROTECT, related_name="filings")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    touchpoint = models.OneToOneField(
        Touchpoint, on_delete=models.CASCADE, related_name="captured_email"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["email", "organization"], name="filed_email_once"),
        ]

    def __str__(self) -> str:
        return f"{self.email} on {self.organization}"


class SetAside(TimeStampedModel):
    """A message the mailbox reader moved aside for a person, and why: shown on the unfiled
    list until someone marks it seen."""

    class Reason(models.TextChoices):
        UNREADABLE = "unreadable", "Could not be read"
        TOO_LARGE = "too_large", "Too large"

    reason = models.CharField(max_length=20, choices=Reason.choices)
    detail = models.CharField(max_length=300)
    folder = models.CharField(max_length=100, help_text="Where it is in the capture mailbox.")
    sender = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    size = models.PositiveBigIntegerField()
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.subject or self.sender or self.folder}"
