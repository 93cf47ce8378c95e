"""Agreements with partners: the MOU, the data-sharing agreement, facility use, photo and media
consent, a grant sub-award — what a city attorney asks about first.

An agreement names its partner organizations (one or more) and the program it serves, if any.
Its owner gets a renewal follow-up `renewal_notice_days` before it ends (moved, never doubled,
when the date changes: agreements.services); one past its end becomes expired by itself (an
hourly task). Its signed copies are documents attached to it (the documents app).
"""

from django.conf import settings
from django.db import models

from core.aggregates import split_names
from core.http import pk_url
from core.models import TimeStampedModel
from outreach.models import FollowUp
from partners.models import LONG_TEXT, Organization
from programs.models import Program

# Between a partner's name and its number in `partner_names` (a control character no name has).
NAME_AND_NUMBER = "\x1e"


class Agreement(TimeStampedModel):
    class Kind(models.TextChoices):
        MOU = "mou", "Memorandum of understanding"
        DATA_SHARING = "data_sharing", "Data-sharing agreement"
        FACILITY_USE = "facility_use", "Facility use agreement"
        MEDIA_CONSENT = "media_consent", "Photo and media consent"
        SUBAWARD = "subaward", "Grant sub-award"
        OTHER = "other", "Other agreement"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        SIGNED = "signed", "Signed"
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired"
        TERMINATED = "terminated", "Terminated"

    # In force: what renews, what expires by itself, what a partner's page names.
    IN_FORCE = (Status.SIGNED, Status.ACTIVE)

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MOU)
    title = models.CharField(max_length=200)
    organizations = models.ManyToManyField(
        Organization, related_name="agreements", verbose_name="partner organizations"
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        help_text="The program it serves, if any.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    signed_on = models.DateField("signed on", null=True, blank=True)
    starts_on = models.DateField("starts", null=True, blank=True)
    ends_on = models.DateField(
        "ends", null=True, blank=True, help_text="Leave empty for an open-ended agreement."
    )
    renewal_notice_days = models.PositiveSmallIntegerField(
        "renewal notice (days)",
        default=60,
        help_text="The owner gets a follow-up this many days before it ends.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who looks after it and gets the renewal follow-up.",
    )
    library_signatory = models.CharField(
        "the library's signatory", max_length=200, blank=True, help_text="Name and title."
    )
    partner_signatory = models.CharField(
        "the partner's signatory", max_length=200, blank=True, help_text="Name and title."
    )
    obligations = models.TextField(
        "obligations", max_length=LONG_TEXT, blank=True, help_text="What each side promised."
    )
    # The owner's reminder to renew: moved with the end date, a new one for a new term.
    renewal_followup = models.OneToOneField(
        FollowUp, on_delete=models.SET_NULL, null=True, blank=True, related_name="agreement"
    )
    # The term the follow-up was made for: its end less the notice (before it was brought
    # forward to today). The follow-up moves, or a new one is made, only when this changes.
    renewal_term = models.DateField(null=True, blank=True, editable=False)
    # When it ended: expired (its end date) or terminated (the day it was); records retention
    # counts from it.
    ended_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "ends_on"], name="agreement_status_end"),
            # The list, soonest to end first (open-ended last: PostgreSQL's own order).
            models.Index(fields=["ends_on", "id"], name="agreement_end"),
            models.Index(fields=["-created_at", "-id"], name="agreement_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_it_starts",
                violation_error_message="The end comes before the start.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return pk_url("agreements:agreement_detail", self.pk)

    @property
    def partners_named(self) -> list[tuple[str, int]]:
        """(name, number) of each partner, by name: from `partner_names`, read with the
        agreement (agreements.selectors), else from the database."""
        joined = getattr(self, "partner_names", None)
        if joined is None and not hasattr(self, "partner_names"):
            return list(self.organizations.order_by("name").values_list("name", "pk"))
        found = []
        for item in split_names(joined):
            name, _, number = item.rpartition(NAME_AND_NUMBER)
            found.append((name, int(number)))
        return found

    @property
    def document_organization_id(self) -> int | None:
        """The partner whose page a document of this agreement is on too (documents.records):
        the first by name."""
        first = self.organizations.order_by("name").values_list("pk", flat=True).first()
        return first

    @property
    def in_force(self) -> bool:
        return self.status in self.IN_FORCE
