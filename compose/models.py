"""Email written in Liaison: the templates managers keep, group emails, and each email sent.

Every message goes out through the outbox (mail.OutgoingEmail); the rows here say what it was
for: which contact and organization, which group email, which touchpoint logged it.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from core.models import TimeStampedModel
from mail.models import OutgoingEmail
from outreach.models import Touchpoint
from partners.models import LONG_TEXT, Contact, Organization


class EmailTemplateQuerySet(models.QuerySet["EmailTemplate"]):
    def current(self) -> "EmailTemplateQuerySet":
        return self.filter(is_archived=False)


class EmailTemplate(TimeStampedModel):
    """A starting point for an email, kept by managers: a subject and a body with merge fields
    (compose.merge)."""

    name = models.CharField(max_length=120, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=LONG_TEXT)
    # Never deleted: an archived template leaves the choices, the emails written from it stay.
    is_archived = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = EmailTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("compose:template_edit", args=[self.pk])


class GroupEmail(TimeStampedModel):
    """One email written once and sent to many partners, each personalised."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for a manager’s approval"
        SENT = "sent", "Sent"
        DECLINED = "declined", "Declined"

    # Chosen when the form is opened: posting it twice makes one group email, not two.
    key = models.UUIDField(unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=LONG_TEXT)
    # Who it was for, in words: "Primary contacts of organizations: kind Health organization".
    audience = models.CharField(max_length=500)
    # The list's filters, to choose the recipients again when a manager approves it.
    audience_query = models.TextField(blank=True)
    template = models.ForeignKey(
        EmailTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="group_emails"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("compose:group_email_detail", args=[self.pk])


class SentEmail(models.Model):
    """One person's email written in Liaison, alone or as part of a group email; or, for a group
    email, a person on its list who was left out, with the reason."""

    group_email = models.ForeignKey(
        GroupEmail, on_delete=models.CASCADE, null=True, blank=True, related_name="recipients"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="sent_emails")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The address it went to, as it was then.
    address = models.CharField(max_length=254, blank=True)
    # Why it was not sent to this person ("" when it was).
    left_out = models.CharField(max_length=200, blank=True)
    outgoing = models.OneToOneField(
        OutgoingEmail, on_delete=models.PROTECT, null=True, blank=True, related_name="sent_email"
    )
    touchpoint = models.OneToOneField(
        Touchpoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="sent_email"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_out="", outgoing__isnull=False)
                | (~models.Q(left_out="") & models.Q(outgoing__isnull=True)),
                name="sent_email_sent_or_left_out",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact} ({self.left_out or 'sent'})"
