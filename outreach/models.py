"""The outreach log: every contact with a partner, the meetings, and the promises to follow up."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

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
        return reverse("outreach:meeting_detail", args=[self.pk])


class FollowUp(TimeStampedModel):
    """A promise to get back to a partner, due on a day, owned by one staff member."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

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

    class Meta:
        ordering = ["due_on", "due_time", "pk"]
        indexes = [
            # "My follow-ups" and the dashboard: open ones of one person by due date.
            models.Index(fields=["assignee", "status", "due_on"], name="followup_assignee_due"),
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


# Joint programs: what the library and its partners run together, and what it achieved.


class Program(TimeStampedModel):
    class Kind(models.TextChoices):
        EVENT_SERIES = "event_series", "Event series"
        WORKSHOP = "workshop", "Workshop or seminar"
        FAIR = "fair", "Health or information fair"
        GRANT = "grant", "Joint grant application"
        SHARED_RESOURCE = "shared_resource", "Shared resource"
        CAMPAIGN = "campaign", "Outreach campaign"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        PLANNING = "planning", "Planning"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WORKSHOP)
    description = models.TextField(max_length=LONG_TEXT, blank=True)
    goals = models.TextField(max_length=LONG_TEXT, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNING)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_programs",
        verbose_name="lead staff member",
    )
    focus_areas = models.ManyToManyField("partners.FocusArea", blank=True, related_name="programs")
    audience = models.TextField(
        "audience", max_length=LONG_TEXT, blank=True, help_text="Populations served."
    )
    budget = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    library_resources = models.TextField(
        "library resources contributed",
        max_length=LONG_TEXT,
        blank=True,
        help_text="Books, databases, rooms, staff time…",
    )
    partners = models.ManyToManyField(
        Organization, through="ProgramPartner", related_name="programs", blank=True
    )

    class Meta:
        ordering = ["-start_date", "title"]
        indexes = [
            # Program list filtered by status and year.
            models.Index(fields=["status", "-start_date"], name="program_status_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="program_ends_after_start",
                violation_error_message="The program cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="program_budget_not_negative",
                violation_error_message="The budget cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outreach:program_detail", args=[self.pk])


class ProgramPartner(models.Model):
    """An organization in a program, with its role and what it brings."""

    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        CO_HOST = "co_host", "Co-host"
        FUNDER = "funder", "Funder"
        VENUE = "venue", "Venue"
        PROMOTER = "promoter", "Promoter"
        PRESENTER = "presenter", "Presenter"
        REFERRAL = "referral", "Referral partner"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="program_partners")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="program_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CO_HOST)
    contribution = models.TextField("what they contribute", max_length=LONG_TEXT, blank=True)

    class Meta:
        ordering = ["role", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "organization"],
                name="program_partner_once",
                violation_error_message="This organization is already a partner in the program.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()}) in {self.program}"


class ProgramSession(models.Model):
    """One occurrence of a program: a workshop night, a fair day."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField("date and time")
    location = models.CharField(max_length=300, blank=True)
    attendance = models.PositiveIntegerField(
        "attendance", null=True, blank=True, help_text="Head count; leave empty until known."
    )
    notes = models.TextField(max_length=LONG_TEXT, blank=True)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="program_sessions",
        help_text="The meeting where this session was planned.",
    )

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            # Sessions of a program in order; attendance over time; impact summary by period.
            models.Index(fields=["program", "starts_at"], name="session_program_start"),
        ]

    def __str__(self) -> str:
        return f"{self.program} on {self.starts_at:%Y-%m-%d}"


class Grant(TimeStampedModel):
    """The joint grant application of a program of that kind."""

    class Status(models.TextChoices):
        RESEARCHING = "researching", "Researching"
        DRAFTING = "drafting", "Drafting"
        SUBMITTED = "submitted", "Submitted"
        AWARDED = "awarded", "Awarded"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="grant")
    funder = models.CharField(max_length=200)
    amount_requested = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    amount_awarded = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    submission_deadline = models.DateField(null=True, blank=True)
    decision_expected = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RESEARCHING)
    support_letters = models.ManyToManyField(
        Organization,
        through="SupportLetter",
        related_name="support_letters_given",
        blank=True,
        verbose_name="letters of support",
    )

    class Meta:
        ordering = ["submission_deadline"]
        indexes = [
            # Grants list by deadline.
            models.Index(fields=["submission_deadline"], name="grant_deadline"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(amount_requested__isnull=True) | Q(amount_requested__gte=0))
                & (Q(amount_awarded__isnull=True) | Q(amount_awarded__gte=0)),
                name="grant_amounts_not_negative",
                violation_error_message="Amounts cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder}: {self.program}"


class SupportLetter(models.Model):
    """A letter of support for a grant application, received from a partner organization."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="letters")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    received_on = models.DateField()

    class Meta:
        ordering = ["received_on"]
        constraints = [
            models.UniqueConstraint(fields=["grant", "organization"], name="support_letter_once"),
        ]

    def __str__(self) -> str:
        return f"Letter of support from {self.organization} ({self.received_on:%Y-%m-%d})"


class GrantDeliverable(models.Model):
    """Something the grant promises by a date; each is a follow-up for its owner."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="deliverables")
    title = models.CharField(max_length=200)
    due_on = models.DateField("due date")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The follow-up that reminds the owner; moved, never duplicated, when the date changes.
    followup = models.OneToOneField(
        FollowUp, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliverable"
    )

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Outcome(models.Model):
    """A measured result of a program, e.g. “reporting more confidence: 78 %”."""

    class Method(models.TextChoices):
        SURVEY = "survey", "Survey"
        HEAD_COUNT = "head_count", "Head count"
        PRE_POST = "pre_post", "Pre/post test"
        PARTNER_REPORT = "partner_report", "Partner report"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="outcomes")
    metric = models.CharField("what was measured", max_length=200)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField(max_length=40, blank=True, help_text="%, people, books…")
    measured_on = models.DateField()
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.SURVEY)
    note = models.TextField(max_length=LONG_TEXT, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-measured_on", "pk"]
        indexes = [models.Index(fields=["program", "measured_on"], name="outcome_program_day")]

    def __str__(self) -> str:
        return f"{self.metric}: {self.value}{(' ' + self.unit) if self.unit else ''}"


class Story(models.Model):
    """A testimonial or success story. Without consent it never leaves Liaison."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="stories")
    text = models.TextField(max_length=LONG_TEXT)
    who = models.CharField(
        max_length=200, default="Anonymous participant", help_text="A name, or “anonymous”."
    )
    told_on = models.DateField("date")
    consent_to_share = models.BooleanField(
        default=False,
        help_text="Required before the story can appear in any email, summary or export.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-told_on", "pk"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return f"{self.who}: {self.text[:40]}"


class SurveyResult(models.Model):
    """An uploaded CSV of survey responses and its column summaries."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="surveys")
    file = models.FileField(upload_to="surveys/%Y/%m/")
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    responses = models.PositiveIntegerField()
    # One line per summarised column, as outreach.surveys builds it: {"index", "column", "kind"
    # ("numeric"|"choice"), "count", "blanks", "mean", "min", "max", "unit", "distribution":
    # [{"value", "count", "percent"}, …]} (a list: PostgreSQL's JSON keeps no key order).
    summary = models.JSONField(default=list)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.responses} responses)"


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
        return reverse("outreach:progress_update_review", args=[self.pk])
