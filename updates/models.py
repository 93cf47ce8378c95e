"""Partner progress updates: a regular email to a partner about what was achieved together.

The tables keep the names they had in the outreach app (`Meta.db_table`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import TimeStampedModel
from partners.models import LONG_TEXT, Contact, Organization
from programs.models import Program

# Partner progress updates: a regular email to a partner about what was achieved together.


class ProgressSubscription(TimeStampedModel):
    """Who at a partner hears how a partnership (or one program) is going, and how often.

    At the end of each period Liaison drafts an update from the impact summary; the owner reviews
    it (or it goes out by itself in automatic mode).
    """

    class Cadence(models.TextChoices):
        MONTHLY = "monthly", "Every month"
        QUARTERLY = "quarterly", "Every quarter (January, April, July, October)"

    class Mode(models.TextChoices):
        REVIEW = "review", "Draft it for me to review and send"
        AUTO = "auto", "Send it automatically"

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="progress_subscriptions",
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="progress_subscriptions",
    )
    cadence = models.CharField(max_length=12, choices=Cadence.choices, default=Cadence.QUARTERLY)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.REVIEW)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="progress_subscriptions",
        help_text="The staff member who reviews each update before it goes out.",
    )
    recipients = models.ManyToManyField(Contact, blank=True, related_name="progress_subscriptions")
    is_active = models.BooleanField(
        "active", default=True, help_text="Inactive subscriptions draft no more updates."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        db_table = "outreach_progresssubscription"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False, program__isnull=True)
                | Q(organization__isnull=True, program__isnull=False),
                name="progress_subscription_organization_xor_program",
                violation_error_message="An update is about one organization or one program.",
            ),
        ]

    def __str__(self) -> str:
        return f"Progress updates about {self.about}"

    @property
    def about(self) -> Organization | Program:
        """What the updates are about: the organization, or the program."""
        return self.organization if self.organization_id else self.program  # type: ignore[return-value]


class ProgressUpdate(TimeStampedModel):
    """One period's update of a subscription: drafted once, then sent or skipped."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Awaiting review"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped"

    subscription = models.ForeignKey(
        ProgressSubscription, on_delete=models.CASCADE, related_name="updates"
    )
    # The period covered, first and last day inclusive, in the library's time zone.
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    subject = models.CharField(max_length=200)
    # The owner's own words above the figures: prefilled when drafted, edited before sending.
    message = models.TextField(max_length=LONG_TEXT, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    skipped_at = models.DateTimeField(null=True, blank=True)
    # Emails queued for delivery when it was sent (suppressed recipients not counted).
    recipients_count = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "outreach_progressupdate"
        ordering = ["-period_end", "-pk"]
        indexes = [
            # The progress-updates page: drafts awaiting review first, then the newest periods.
            models.Index(fields=["status", "-period_end"], name="progress_update_status_end"),
        ]
        constraints = [
            # Drafting is idempotent because of this, not because of a prior SELECT.
            models.UniqueConstraint(
                fields=["subscription", "period_start"], name="progress_update_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="progress_update_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False)
                | (~Q(status="sent") & Q(sent_at__isnull=True)),
                name="progress_update_sent_at_iff_sent",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("updates:progress_update_review", args=[self.pk])
