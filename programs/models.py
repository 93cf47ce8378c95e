"""Joint programs: what the library and its partners run together, and what it achieved.

The tables keep the names they had in the outreach app (`Meta.db_table`), where these models
lived before the apps were split: moving a model never copies a row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.history import History
from core.http import pk_url
from core.models import TimeStampedModel
from outreach.models import FollowUp, Meeting
from partners.models import LONG_TEXT, Organization

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
    # The team's own labels (partners.tags), kept by managers.
    tags = models.ManyToManyField("partners.Tag", blank=True, related_name="programs")
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
    partners: "models.ManyToManyField[Organization, ProgramPartner]" = models.ManyToManyField(
        Organization, through="ProgramPartner", related_name="programs", blank=True
    )
    # Field-level change history (core.history); its table is new, so it has this app's name.
    history = History()

    class Meta:
        db_table = "outreach_program"
        ordering = ["-start_date", "title"]
        indexes = [
            # Program list filtered by status and year.
            models.Index(fields=["status", "-start_date"], name="program_status_start"),
            # The program list in its own order has an index on PostgreSQL only (SQLite takes no
            # NULLS LAST in an index): programs 0004. The search box's first programs, those
            # whose title holds the words, are read along it too (search.selectors.first).
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
        return pk_url("programs:program_detail", self.pk)  # for every row of a list: see pk_url


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
        db_table = "outreach_programpartner"
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


# The largest head count a session takes: above it is a typo (an extra zero or two).
MAX_ATTENDANCE = 1_000_000


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
        db_table = "outreach_programsession"
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
    support_letters: "models.ManyToManyField[Organization, SupportLetter]" = models.ManyToManyField(
        Organization,
        through="SupportLetter",
        related_name="support_letters_given",
        blank=True,
        verbose_name="letters of support",
    )

    class Meta:
        db_table = "outreach_grant"
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
        db_table = "outreach_supportletter"
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
        db_table = "outreach_grantdeliverable"
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
        db_table = "outreach_outcome"
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
        db_table = "outreach_story"
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
    # One line per summarised column, as programs.surveys builds it: {"index", "column", "kind"
    # ("numeric"|"choice"), "count", "blanks", "mean", "min", "max", "unit", "distribution":
    # [{"value", "count", "percent"}, …]} (a list: PostgreSQL's JSON keeps no key order).
    summary = models.JSONField(default=list)

    class Meta:
        db_table = "outreach_surveyresult"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.responses} responses)"
