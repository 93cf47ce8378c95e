"""The outreach log: every contact with a partner, the meetings, and the promises to follow up."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.http import pk_url
from core.models import TimeStampedModel
from partners.models import LONG_TEXT, Contact, Organization


class Touchpoint(TimeStampedModel):
    """One logged contact with a partner: a call, an email, a visit, a council meeting…"""

    class Channel(models.TextChoices):
        PHONE = "phone", "Phone call"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        IN_PERSON = "in_person", "In-person meeting"
        VIDEO = "video", "Video call"
        COUNCIL = "council", "Council or board meeting"
        EVENT = "event", "Community event"
        CONFERENCE = "conference", "Conference"
        OTHER = "other", "Other"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="touchpoints"
    )
    # A coalition meeting or a joint call with several partners: logged once, on each one's
    # timeline, and counted in each one's last touchpoint.
    other_organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="joint_touchpoints",
        help_text="Further partners at a coalition meeting or a joint call.",
    )
    contacts = models.ManyToManyField(Contact, blank=True, related_name="touchpoints")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="touchpoints",
        help_text="Who at the library was in touch.",
    )
    # The day in the librarian's own calendar; the time is optional ("called this morning").
    occurred_on = models.DateField("date")
    occurred_time = models.TimeField("time", null=True, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.PHONE)
    subject = models.CharField(max_length=200)
    notes = models.TextField(max_length=LONG_TEXT, blank=True)
    outcome = models.TextField(max_length=LONG_TEXT, blank=True)
    next_step = models.TextField(max_length=LONG_TEXT, blank=True)
    # Touchpoints of one email conversation share it (the thread's first Message-ID, set by
    # inbox): the timeline shows a conversation's messages together.
    conversation = models.CharField(max_length=250, blank=True, default="")
    # Set when the touchpoint records a held meeting, so a meeting is logged once.
    meeting = models.OneToOneField(
        "Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="touchpoint"
    )

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        indexes = [
            # Timeline and "last touchpoint" column: latest per organization.
            models.Index(fields=["organization", "-occurred_on"], name="touchpoint_org_day"),
            # Touchpoint list by staff member and date; dashboard "my recent touchpoints".
            models.Index(fields=["staff", "-occurred_on"], name="touchpoint_staff_day"),
            models.Index(fields=["-occurred_on", "-created_at"], name="touchpoint_day"),
            # The touchpoint list sorted by channel (newest first in each) or by subject.
            models.Index(
                fields=["channel", "-occurred_on", "-created_at", "-id"],
                name="touchpoint_channel_day",
            ),
            models.Index(fields=["subject", "id"], name="touchpoint_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} with {self.organization}: {self.subject}"


class Meeting(TimeStampedModel):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="meetings"
    )
    other_organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="joint_meetings",
        help_text="Further partners at a multi-partner meeting.",
    )
    title = models.CharField(max_length=200)
    # Stored in UTC like every datetime; shown in each user's own time zone.
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField("location", max_length=300, blank=True)
    video_link = models.URLField("video link", max_length=500, blank=True)
    agenda = models.TextField(max_length=LONG_TEXT, blank=True)
    contacts = models.ManyToManyField(
        Contact, blank=True, related_name="meetings", verbose_name="partner attendees"
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="meetings",
        verbose_name="library attendees",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    minutes = models.TextField(max_length=LONG_TEXT, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            # Upcoming and past lists, calendar month, dashboard: by start time.
            models.Index(fields=["starts_at"], name="meeting_start"),
            models.Index(fields=["organization", "-starts_at"], name="meeting_org_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message="The meeting must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return pk_url("outreach:meeting_detail", self.pk)  # for every row of a list: see pk_url


class FollowUp(TimeStampedModel):
    """A promise to get back to a partner, due on a day, owned by one staff member. One that
    repeats makes the next of its series when it is done (outreach.services.followup_complete)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    class Repeat(models.TextChoices):
        NEVER = "", "Does not repeat"
        WEEK = "1w", "Every week"
        TWO_WEEKS = "2w", "Every 2 weeks"
        FOUR_WEEKS = "4w", "Every 4 weeks"
        MONTH = "1m", "Every month"
        QUARTER = "3m", "Every quarter"
        YEAR = "12m", "Every year"

    title = models.CharField(max_length=200)
    details = models.TextField(max_length=LONG_TEXT, blank=True)
    due_on = models.DateField("due date")
    due_time = models.TimeField("due time", null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="followups"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="followups"
    )
    touchpoint = models.ForeignKey(
        Touchpoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="followups"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="followups"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    repeat = models.CharField(
        "repeats", max_length=4, choices=Repeat.choices, default=Repeat.NEVER, blank=True
    )
    # The series' first due day: a monthly one due on the 31st comes back on the 31st (or the
    # month's last day), whatever months it passed through.
    series_start = models.DateField(null=True, blank=True, editable=False)
    # The one it follows in its series: each has at most one next.
    repeat_of = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_in_series"
    )

    class Meta:
        ordering = ["due_on", "due_time", "pk"]
        indexes = [
            # "My follow-ups" and the dashboard: open ones of one person by due date.
            models.Index(
                fields=["assignee", "status", "due_on", "due_time"], name="followup_assignee_due"
            ),
            # Everyone's open follow-ups (the manager's list), soonest first, a page at a time.
            models.Index(
                fields=["due_on", "due_time", "id"],
                condition=Q(status="open"),
                name="followup_open_due",
            ),
            # "Next follow-up" column of the organization list.
            models.Index(fields=["organization", "status", "due_on"], name="followup_org_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", completed_at__isnull=False)
                | (~Q(status="done") & Q(completed_at__isnull=True)),
                name="followup_completed_at_iff_done",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return pk_url("outreach:followup_detail", self.pk)  # for every row of a list: see pk_url
