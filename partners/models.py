"""Partner organizations, the people in them, and where each partnership stands."""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.db.models.expressions import BaseExpression
from django.utils import timezone

from core.history import History
from core.models import TimeStampedModel
from partners.choices import ORGANIZATION_PROFILE_FIELDS as ORGANIZATION_PROFILE_FIELDS
from partners.choices import TALKING_STAGES as TALKING_STAGES
from partners.choices import Cadence, Health, Stage
from partners.names import normalize_name
from partners.search import NameWords, full_text_filter, search_words

# Notes and profile texts: long enough for anything a librarian writes, short of abuse. Forms
# enforce it (Django passes a TextField's max_length to its form field, not to the database).
LONG_TEXT = 10_000


class FocusAreaQuerySet(models.QuerySet["FocusArea"]):
    def offered(self, *, keeping: Iterable[int] = ()) -> "FocusAreaQuerySet":
        """Those a form offers: not retired, and those a record has already (`keeping`: their
        ids), so that saving it never drops one quietly."""
        return self.filter(models.Q(is_retired=False) | models.Q(pk__in=list(keeping)))


class FocusArea(models.Model):
    """A theme a partner works on: education, health literacy, workforce… Managers keep the
    list (partners.focus_areas): add, rename, merge two, retire one."""

    name = models.CharField(max_length=80, unique=True)
    # No longer offered for new records; kept on those that have it, and in the filters.
    is_retired = models.BooleanField(default=False)

    objects = FocusAreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# Columns of the organization lists computed by apps above partners: the outreach log fills
# `next_followup_on` in its AppConfig.ready() (outreach/organization_columns.py). Each value makes
# the expression for one organization (OuterRef("pk")). The last touchpoint is no such column:
# it is stored on the organization (Organization.last_touchpoint_on).
ORGANIZATION_COLUMNS: dict[str, Callable[[], BaseExpression]] = {}


def organization_column(
    name: str,
) -> Callable[[Callable[[], BaseExpression]], Callable[[], BaseExpression]]:
    """Register the decorated function as the expression of the organization column `name`."""

    def register(expression: Callable[[], BaseExpression]) -> Callable[[], BaseExpression]:
        ORGANIZATION_COLUMNS[name] = expression
        return expression

    return register


# Organization.health and health_changed_at: kept by the health app (health.services.
# health_refresh, one UPDATE per level), never by a save of the organization, and not in its
# change history (a partnership's health is computed, not edited).
COMPUTED_FIELDS = ("last_touchpoint_on", "health", "health_changed_at", "health_reasons")

# Organization.last_touchpoint_on: kept by the outreach log (outreach.services.
# organization_last_touchpoint_refresh), never by a save of the organization.
LAST_TOUCHPOINT = "last_touchpoint_on"


class OrganizationQuerySet(models.QuerySet):
    def active(self) -> "OrganizationQuerySet":
        return self.filter(is_archived=False)

    def search(self, text: str) -> "OrganizationQuerySet":
        """Organizations whose name, or the name of anyone ever affiliated, matches `text`."""
        if not search_words(text):
            return self
        # Two index-driven subqueries rather than a per-row test: PostgreSQL evaluates each once
        # through its GIN index, and the cheap plan keeps its JIT compiler (which took 450 ms at
        # 10,000 organizations) out of the way.
        by_name = Organization.objects.filter(full_text_filter("name", text)).values("pk")
        by_contact = Affiliation.objects.filter(full_text_filter("contact__name", text)).values(
            "organization_id"
        )
        return self.filter(Q(pk__in=by_name) | Q(pk__in=by_contact))

    def with_column(self, name: str) -> "OrganizationQuerySet":
        """Annotate a column that an app above partners computes (see ORGANIZATION_COLUMNS)."""
        try:
            expression = ORGANIZATION_COLUMNS[name]
        except KeyError:
            raise LookupError(f"No app has registered the organization column {name!r}.") from None
        return self.annotate(**{name: expression()})

    def with_last_touchpoint(self) -> "OrganizationQuerySet":
        """With `last_touchpoint_on`, the day of the latest touchpoint (None if never), loaded.

        It is a column of the organization now, so this only makes sure that a queryset
        narrowed with only() or defer() still reads it (no query per row).
        """
        names, deferring = self.query.deferred_loading
        if deferring:
            if LAST_TOUCHPOINT not in names:
                return self
            return self.defer(None).defer(*(name for name in names if name != LAST_TOUCHPOINT))
        return self.only(*names, LAST_TOUCHPOINT)

    def with_next_followup(self) -> "OrganizationQuerySet":
        """Annotate `next_followup_on`: the due day of the earliest open follow-up."""
        return self.with_column("next_followup_on")

    def for_list(self) -> "OrganizationQuerySet":
        """What the organization list shows, each column without per-row queries (its focus
        areas' names too: partners.selectors.organization_list)."""
        return self.select_related("owner").with_last_touchpoint().with_next_followup()

    def possible_duplicates_of(
        self, name: str, *, exclude_pk: int | None = None
    ) -> "OrganizationQuerySet":
        qs = self.filter(normalized_name=normalize_name(name))
        if exclude_pk is not None:
            qs = qs.exclude(pk=exclude_pk)
        return qs


class Organization(TimeStampedModel):
    """A partner, or a prospective one: an agency, clinic, school, nonprofit…"""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "Government agency"
        HEALTH = "health", "Health organization"
        SCHOOL = "school", "School"
        NONPROFIT = "nonprofit", "Nonprofit"
        BUSINESS = "business", "Business"
        COMMUNITY = "community", "Community group"
        OTHER = "other", "Other"

    class GovernmentLevel(models.TextChoices):
        CITY = "city", "City"
        COUNTY = "county", "County"
        STATE = "state", "State"
        FEDERAL = "federal", "Federal"
        TRIBAL = "tribal", "Tribal"

    name = models.CharField(max_length=200)
    # normalize_name(name), kept in step by save() and the services: duplicate detection.
    normalized_name = models.CharField(max_length=200, editable=False, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    government_level = models.CharField(
        max_length=10,
        choices=GovernmentLevel.choices,
        blank=True,
        help_text="Only for government agencies.",
    )
    focus_areas = models.ManyToManyField(FocusArea, blank=True, related_name="organizations")
    mission = models.TextField("mission and priorities", max_length=LONG_TEXT, blank=True)
    initiatives = models.TextField("current initiatives", max_length=LONG_TEXT, blank=True)
    services = models.TextField(max_length=LONG_TEXT, blank=True)
    populations_served = models.TextField(max_length=LONG_TEXT, blank=True)
    common_ground = models.TextField(
        max_length=LONG_TEXT,
        blank=True,
        help_text="How the library's services support their goals.",
    )
    website = models.URLField(max_length=300, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(max_length=LONG_TEXT, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_organizations",
        help_text="The staff member who looks after this partnership.",
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.IDENTIFIED)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    is_archived = models.BooleanField("archived", default=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    # The day of the latest touchpoint (None: never), stored so that the lists, the board, the
    # dashboard's quiet partners and the reports read it instead of a subquery per row. Only
    # outreach.services.organization_last_touchpoint_refresh writes it (one UPDATE, from the
    # touchpoints), called by everything that logs, corrects, moves or loads touchpoints;
    # config/tests/test_last_touchpoint.py holds it to MAX(occurred_on). No change history:
    # a touchpoint is not an edit of the organization.
    last_touchpoint_on = models.DateField("last touchpoint", null=True, editable=False)
    # How often we agreed to be in touch, when it differs from the stage's default (set by
    # managers in the health app): "monthly, as agreed with Maya".
    cadence_days = models.PositiveSmallIntegerField(
        "agreed cadence",
        choices=Cadence.choices,
        null=True,
        blank=True,
        help_text="Leave empty to use the default for the partnership's stage.",
    )
    cadence_note = models.CharField(
        "cadence agreed",
        max_length=200,
        blank=True,
        help_text="For example: as agreed with Maya at the March meeting.",
    )
    # See COMPUTED_FIELDS: written by the health app only.
    health = models.CharField(
        max_length=10, choices=Health.choices, blank=True, default="", editable=False
    )
    # When the level last turned from another level (None: as first assessed). The digests'
    # early warning: partnerships that turned at risk this week.
    health_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Why, as found with the level: [{"signal", "text", "weight", "next_step"}], heaviest first
    # (the health page, the digests and the report read them rather than computing again).
    health_reasons = models.JSONField(default=list, blank=True, editable=False)

    objects = OrganizationQuerySet.as_manager()
    # Field-level change history: who changed what, when and why (core.history).
    history = History(excluded_fields=list(COMPUTED_FIELDS))

    class Meta:
        ordering = ["name"]
        indexes = [
            # Home page counts by stage and stage filter on the list: WHERE NOT is_archived
            # GROUP BY stage. And partners gone quiet (the dashboard, the manager summary, the
            # portfolio report): WHERE NOT is_archived AND stage IN (…) AND
            # (last_touchpoint_on IS NULL OR last_touchpoint_on < since), two index ranges.
            models.Index(
                fields=["is_archived", "stage", "last_touchpoint_on"],
                name="org_archived_stage_quiet",
            ),
            # "My organizations" and the owner filter.
            models.Index(fields=["owner", "is_archived"], name="org_owner_archived"),
            # One person's partners gone quiet (their dashboard and digest).
            models.Index(
                fields=["owner", "stage", "last_touchpoint_on"],
                condition=Q(is_archived=False),
                name="org_owner_quiet",
            ),
            # The organization list's default order (by name), read a page at a time.
            models.Index(fields=["name", "id"], name="org_name_id"),
            # The board: each stage's most recently moved cards, and its count, index-only.
            models.Index(
                fields=["is_archived", "stage", "stage_changed_at", "id"], name="org_board_column"
            ),
            # Partnerships by health (the health page, the list's and the board's filter).
            models.Index(
                fields=["health", "name", "id"],
                condition=Q(is_archived=False) & ~Q(health=""),
                name="org_health",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="government") | Q(government_level=""),
                name="org_government_level_only_for_agencies",
                violation_error_message="Only government agencies have a government level.",
            ),
            models.CheckConstraint(
                condition=Q(is_archived=False, archived_at__isnull=True)
                | Q(is_archived=True, archived_at__isnull=False),
                name="org_archived_at_iff_archived",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.normalized_name = normalize_name(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "normalized_name"}
        elif kwargs.get("update_fields") is None and not (
            self._state.adding or args or kwargs.get("force_insert")
        ):
            # A saved organization: every column but the computed ones, so that a copy read
            # before a touchpoint was logged never puts back the day it read (the outreach log
            # and the health app keep those columns).
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in COMPUTED_FIELDS and f.attname not in deferred
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from core.http import pk_url  # lists call this for every row: see pk_url

        return pk_url("partners:organization_detail", self.pk)


class StageTally(models.Model):
    """How many organizations (not archived) one person owns at one stage: the board's and the
    dashboard's counts read these few rows instead of counting 10,000 organizations.

    Kept by the database itself: triggers on partners_organization (migration 0012) add and
    take one as an organization is created, deleted (merged away), archived, restored, moved or
    given to someone else, whichever code does it (a service, an import, the admin). Nothing in
    Liaison writes it but partners.tally, which on SQLite makes the triggers again after a
    migration rebuilt the table (dropping them) and counts it afresh;
    config/tests/test_stage_tally.py holds it to a count of the rows.
    """

    # The owner's user id, 0 for nobody (a unique key does not match NULLs).
    owner_key = models.IntegerField()
    stage = models.CharField(max_length=20, choices=Stage.choices)
    organizations = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner_key", "stage"], name="stage_tally_key")
        ]

    def __str__(self) -> str:
        return f"{self.owner_key} {self.stage}: {self.organizations}"


class StageChange(models.Model):
    """One move of an organization through the pipeline, including where it started."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="stage_changes"
    )
    # Blank for the first entry, made when the organization was created.
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(max_length=LONG_TEXT, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [
            # Stage history on the organization page, newest first.
            models.Index(fields=["organization", "-changed_at"], name="stagechange_org_time"),
            # The pipeline report: who entered (or left for) a stage within the period.
            models.Index(fields=["to_stage", "changed_at"], name="stagechange_stage_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_stage=models.F("to_stage")),
                name="stagechange_is_a_change",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.from_stage or 'new'} → {self.to_stage}"


class Contact(TimeStampedModel):
    """A person the library deals with, at one or more organizations."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"
        LETTER = "letter", "Letter"
        IN_PERSON = "in_person", "In person"

    name = models.CharField(max_length=200)
    # Stored lower-cased (see services): one person, one email, whatever the capitals.
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    preferred_channel = models.CharField(
        max_length=20, choices=Channel.choices, default=Channel.EMAIL
    )
    notes = models.TextField(max_length=LONG_TEXT, blank=True)
    do_not_contact = models.BooleanField(
        default=False, help_text="Never contact this person, by any channel."
    )
    opted_out_of_updates = models.BooleanField(
        default=False, help_text="Does not want partner progress-update emails."
    )
    opted_out_at = models.DateTimeField(null=True, blank=True)

    history = History()

    class Meta:
        ordering = ["name"]
        indexes = [
            # The contact list's default order (by name), read a page at a time.
            models.Index(fields=["name", "id"], name="contact_name_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=~Q(email=""),
                name="contact_unique_email",
                violation_error_message="A contact with this email already exists.",
            ),
            models.CheckConstraint(
                condition=Q(opted_out_of_updates=False, opted_out_at__isnull=True)
                | Q(opted_out_of_updates=True, opted_out_at__isnull=False),
                name="contact_opted_out_at_iff_opted_out",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from core.http import pk_url  # lists call this for every row: see pk_url

        return pk_url("partners:contact_detail", self.pk)


# The names a search box finds, ignoring case and accents (partners.search).
for searched in (Organization, Contact):
    searched._meta.get_field("name").register_lookup(NameWords)


class OptOutChange(models.Model):
    """One change of a contact's consent to progress updates: the consent log.

    Written by the services only (partners/services.py): an unsubscribe link clicked, the box
    ticked on the contact form, or "Subscribe again", which always has a reason; and by an
    import whose file says the person opted out (transfer.writers, the file named as reason).
    """

    class Source(models.TextChoices):
        UNSUBSCRIBE_LINK = "unsubscribe_link", "Unsubscribe link in an email"
        CONTACT_FORM = "contact_form", "Contact form"
        RESUBSCRIBE = "resubscribe", "Subscribed again"
        IMPORT = "import", "Imported from a file"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="opt_out_changes")
    # The contact's state after the change: True for an opt-out, False for subscribing again.
    opted_out = models.BooleanField()
    source = models.CharField(max_length=20, choices=Source.choices)
    reason = models.TextField(max_length=LONG_TEXT, blank=True)
    # None: the contact themselves (the unsubscribe link) or Liaison.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [
            # The consent log on the contact page, newest first.
            models.Index(fields=["contact", "-changed_at"], name="optoutchange_contact_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(opted_out=True) | ~Q(reason=""),
                name="optoutchange_resubscribe_has_reason",
                violation_error_message="Say why the contact is subscribed again.",
            ),
        ]

    def __str__(self) -> str:
        what = "opted out" if self.opted_out else "subscribed again"
        return f"{self.contact} {what} ({self.get_source_display()})"


class AffiliationQuerySet(models.QuerySet):
    # An affiliation is ended on or before the day it is recorded (never in the future), so an
    # end date means "past".
    def current(self) -> "AffiliationQuerySet":
        return self.filter(end_date__isnull=True)

    def past(self) -> "AffiliationQuerySet":
        return self.filter(end_date__isnull=False)


class Affiliation(models.Model):
    """A contact's role at an organization. Ended affiliations are kept as history."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="affiliations")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="affiliations"
    )
    title = models.CharField("title or role", max_length=200, blank=True)
    is_primary = models.BooleanField("primary contact", default=False)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AffiliationQuerySet.as_manager()
    history = History()

    class Meta:
        ordering = ["-is_primary", "contact__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "organization"],
                condition=Q(end_date__isnull=True),
                name="affiliation_one_open_per_contact_and_org",
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(is_primary=True, end_date__isnull=True),
                name="affiliation_one_primary_per_org",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="affiliation_ends_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
        ]
        indexes = [
            # Contacts of one organization (detail page) and search by contact name.
            models.Index(fields=["organization", "end_date"], name="affiliation_org_end"),
        ]

    def __str__(self) -> str:
        return f"{self.contact} at {self.organization}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class Merge(models.Model):
    """Two records of one partner (or one person) made one: who merged what, and what moved.

    The merged record is deleted once everything pointing at it has moved to the survivor; its
    field values stay here (`snapshot`), with the survivor's values it replaced, so that a merge
    can be understood, and undone by hand, later.
    """

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", "Organization"
        CONTACT = "contact", "Contact"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The survivor: an organization or a contact, by kind.
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="merges"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="merges"
    )
    # The merged (deleted) record: its id, so that old links find the survivor, and its values.
    merged_id = models.PositiveBigIntegerField()
    merged_name = models.CharField(max_length=200)
    snapshot = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    survivor_before = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    # Field name → "survivor" or "other": whose value the survivor kept.
    choices = models.JSONField(default=dict)
    # "app.Model.field" → rows moved to the survivor, and rows dropped as duplicates of its own.
    moved = models.JSONField(default=dict)
    dropped = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    merged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-merged_at", "-pk"]
        indexes = [
            # A link to a merged record's page finds the survivor: WHERE kind = … AND merged_id = ….
            models.Index(fields=["kind", "merged_id"], name="merge_kind_merged_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="organization", organization__isnull=False, contact__isnull=True)
                | Q(kind="contact", organization__isnull=True, contact__isnull=False),
                name="merge_survivor_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.merged_name} merged into {self.survivor}"

    @property
    def survivor(self) -> Organization | Contact | None:
        return self.organization if self.kind == self.Kind.ORGANIZATION else self.contact


# Organizations related to organizations, and tags: modules of their own (this one is full),
# imported here so that Django registers their models with the partners app.
from partners.relations import OrganizationRelation  # noqa: E402, F401
from partners.tags import Tag  # noqa: E402, F401
