"""The outbox and the heartbeats of the processes that fill and drain it.

The tables keep the names they had in the core app (`Meta.db_table`).
"""

from django.db import models
from django.utils import timezone


class OutgoingEmail(models.Model):
    """One email Liaison sends: the outbox row is the truth about it, from queued to sent.

    The idempotency key makes "queue this email" safe to repeat: the unique constraint, not a
    prior check, turns a second insert of the same key into a no-op.
    """

    class Kind(models.TextChoices):
        DIGEST = "digest", "Daily digest"
        MEETING_REMINDER = "meeting_reminder", "Meeting reminder"
        MANAGER_SUMMARY = "manager_summary", "Weekly manager summary"
        FOLLOWUP_ASSIGNED = "followup_assigned", "Follow-up assigned"
        PROGRESS_UPDATE = "progress_update", "Partner progress update"
        # Written in Liaison by a staff member (compose): to one person, or to many at once.
        PERSONAL = "personal", "Email from a staff member"
        GROUP = "group_email", "Group email"
        GROUP_APPROVAL = "group_email_approval", "Group email to approve"
        # Its body holds a link that sets the account's password: hidden in the delivery log and
        # blanked once sent (mail.password_reset).
        PASSWORD_RESET = "password_reset", "Password reset"
        TEST = "test", "Test email"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SUPPRESSED = "suppressed", "Suppressed"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    idempotency_key = models.CharField(max_length=200, unique=True)
    to_address = models.EmailField("recipient", max_length=254)
    to_name = models.CharField(max_length=200, blank=True)
    # Who the recipient is in Liaison (one of the two, or neither for an address typed by hand).
    user = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="emails"
    )
    contact = models.ForeignKey(
        "partners.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
    )
    # The capture mailbox, copied in (compose), so the library's own copy threads the replies.
    bcc = models.EmailField("blind copy", max_length=254, blank=True)
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # Extra headers (List-Unsubscribe…) as a JSON object of strings.
    headers = models.JSONField(default=dict, blank=True)
    # What the email is about, e.g. "outreach.meeting:42", for the delivery log.
    related_label = models.CharField(max_length=200, blank=True)
    related_url = models.CharField(max_length=500, blank=True)

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    suppressed_reason = models.CharField(max_length=200, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # While a sender holds the row: who (a random claim token) and until when.
    claimed_by = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # Chosen when the row is queued and kept across retries, so a repeat is recognisable.
    message_id = models.CharField("Message-ID", max_length=255)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        db_table = "core_outgoingemail"
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sender's claim: due queued rows, and sending rows whose lease ran out.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["kind", "-created_at"], name="outbox_kind_recent"),
            # The last group email sent, for the pace of the next (mail.outbox._claim_paced).
            models.Index(fields=["kind", "-sent_at"], name="outbox_kind_sent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sending") | models.Q(lease_expires_at__isnull=False),
                name="outbox_sending_has_lease",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to_address}"


class Heartbeat(models.Model):
    """When a periodic process (beat, the sender) last ran: one row each, updated every run."""

    BEAT = "beat"
    SENDER = "sender"

    name = models.CharField(max_length=40, primary_key=True)
    last_run_at = models.DateTimeField()
    runs = models.PositiveBigIntegerField(default=0)
    last_result = models.CharField(max_length=200, blank=True)

    class Meta:
        db_table = "core_heartbeat"

    def __str__(self) -> str:
        return f"{self.name} at {self.last_run_at:%Y-%m-%d %H:%M:%S}"
