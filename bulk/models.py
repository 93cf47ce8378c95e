"""A bulk action: one change made to many records at once, kept for managers to review.

Nothing here is ever deleted: the row says who changed which records, how and when, even when
the change failed (and so changed nothing).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class BulkAction(models.Model):
    class Records(models.TextChoices):
        ORGANIZATIONS = "organizations", "Organizations"
        CONTACTS = "contacts", "Contacts"
        FOLLOWUPS = "followups", "Follow-ups"

    class Action(models.TextChoices):
        OWNER = "owner", "Give to another owner"
        STAGE = "stage", "Move to another stage"
        TAG_ADD = "tag_add", "Add a tag"
        TAG_REMOVE = "tag_remove", "Remove a tag"
        PROGRAM_ADD = "program_add", "Add to a program as a partner"
        EXPORT = "export", "Export as a spreadsheet"
        REASSIGN = "reassign", "Give to someone else"
        SNOOZE = "snooze", "Snooze to another day"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed: nothing was changed"

    records = models.CharField(max_length=20, choices=Records.choices)
    action = models.CharField(max_length=20, choices=Action.choices)
    # What the action sets, by primary key or value: {"owner": 5}, {"stage": "active",
    # "note": "…"}, {"tag": 3}, {"program": 2, "role": "co_host"}, {"until": "2026-12-20"}.
    parameters = models.JSONField(default=dict, blank=True)
    # The records to change, as the confirmation page counted them (a list: jsonb keeps order).
    record_ids = models.JSONField(default=list, blank=True)
    count = models.PositiveIntegerField("records to change")
    # Records of the selection left as they were (already so, or not the user's to change).
    skipped = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField("records changed", default=0)
    # In words, as the confirmation page said it: "80 organizations: owner Rosa Díaz → Marcus Lee".
    summary = models.CharField(max_length=500)
    # "All matching this filter" (else the rows ticked), and the list's filters (its query).
    selected_all = models.BooleanField(default=False)
    selection_filter = models.CharField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The confirmation page's one-time token: confirmed twice (a second tab, a double click,
    # back and Confirm again), it is the one action, not two.
    confirmation = models.CharField(max_length=40, unique=True, null=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The managers' list of bulk actions, newest first.
            models.Index(fields=["-created_at", "-id"], name="bulk_action_newest"),
        ]

    def __str__(self) -> str:
        return self.summary

    def get_absolute_url(self) -> str:
        return reverse("bulk:bulk_action_detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
