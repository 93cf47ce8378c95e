"""Annual partnership reviews: once a year the librarian and the partner look back on the
partnership — what worked, what did not, how satisfied the partner is (1–5, in their own words
too) and what to aim for next year. One review per partner per year; editing it is how it
changes (with its change history). A review is archived only by a merge (partners.merge: the
duplicate's review of a year the survivor has too is kept, archived, beside the survivor's)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from core.dates import FIRST_YEAR, LAST_YEAR
from core.history import History
from core.http import pk_url
from core.models import TimeStampedModel
from partners.models import LONG_TEXT, Organization


class Satisfaction(models.IntegerChoices):
    """How satisfied the partner says they are with the partnership."""

    VERY_DISSATISFIED = 1, "Very dissatisfied"
    DISSATISFIED = 2, "Dissatisfied"
    NEUTRAL = 3, "Neither satisfied nor dissatisfied"
    SATISFIED = 4, "Satisfied"
    VERY_SATISFIED = 5, "Very satisfied"


SATISFACTION_MAX = 5
NOT_ASKED = "Not asked"


def satisfaction_in_words(score: int | None) -> str:
    """ "4 of 5 · Satisfied", or "Not asked"."""
    if score is None:
        return NOT_ASKED
    return f"{score} of {SATISFACTION_MAX} · {Satisfaction(score).label}"


class PartnershipReview(TimeStampedModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="partnership_reviews"
    )
    year = models.PositiveSmallIntegerField(
        "year reviewed",
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
        help_text="The year of the partnership this review looks back on.",
    )
    reviewed_on = models.DateField("reviewed on", help_text="When you talked it over.")
    what_worked = models.TextField("what worked", max_length=LONG_TEXT, blank=True)
    what_did_not = models.TextField("what did not work", max_length=LONG_TEXT, blank=True)
    partner_satisfaction = models.PositiveSmallIntegerField(
        "the partner's satisfaction",
        choices=Satisfaction.choices,
        null=True,
        blank=True,
        help_text="As the partner rates the partnership, 1 to 5; leave “Not asked” if they "
        "were not asked.",
    )
    partner_words = models.TextField(
        "in the partner's own words",
        max_length=LONG_TEXT,
        blank=True,
        help_text="What they said about the partnership, as they said it.",
    )
    goals_next_year = models.TextField("goals for next year", max_length=LONG_TEXT, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="reviewed by",
    )
    # Only a merge archives a review (module docstring): kept, never counted in the report.
    is_archived = models.BooleanField("archived", default=False, editable=False)
    history = History()

    class Meta:
        ordering = ["-year", "-pk"]
        constraints = [
            # One review per partner per year: two librarians saving at once make one row.
            models.UniqueConstraint(
                fields=["organization", "year"],
                condition=Q(is_archived=False),
                name="review_one_per_partner_and_year",
                violation_error_message="This partner already has a review for that year.",
            ),
            models.CheckConstraint(
                condition=Q(partner_satisfaction__isnull=True)
                | Q(partner_satisfaction__gte=1, partner_satisfaction__lte=SATISFACTION_MAX),
                name="review_satisfaction_1_to_5",
                violation_error_message="The partner's satisfaction is from 1 to 5.",
            ),
        ]
        indexes = [
            # The report: a year's reviews (WHERE year = … AND NOT is_archived).
            models.Index(fields=["year", "is_archived"], name="review_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} review of {self.organization.name}"

    def get_absolute_url(self) -> str:
        return pk_url("reviews:review_detail", self.pk)

    @property
    def satisfaction_in_words(self) -> str:
        return satisfaction_in_words(self.partner_satisfaction)
