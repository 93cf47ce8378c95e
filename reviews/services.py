"""Writing annual partnership reviews: one per partner per year, whoever saves first.

Two librarians writing the same partner's review for the same year at once: the first save
makes the review, the second is refused in words (the unique constraint decides, in a
savepoint, so nothing half-saved is left and no error page is shown).
"""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.dates import EARLIEST, FIRST_YEAR, LAST_YEAR, LATEST
from core.history import records_who
from reviews.models import SATISFACTION_MAX, PartnershipReview


def year_taken_message(review: PartnershipReview) -> str:
    return (
        f"{review.organization.name} already has a {review.year} review: "
        "open it from the partner's page and edit it instead."
    )


def _checked(review: PartnershipReview) -> None:
    if not FIRST_YEAR <= review.year <= LAST_YEAR:
        raise ValidationError({"year": f"Pick a year from {FIRST_YEAR} to {LAST_YEAR}."})
    if not EARLIEST <= review.reviewed_on <= LATEST:
        raise ValidationError({"reviewed_on": f"Pick a day from {FIRST_YEAR} to {LAST_YEAR}."})
    score = review.partner_satisfaction
    if score is not None and not 1 <= score <= SATISFACTION_MAX:
        raise ValidationError({"partner_satisfaction": "Choose from 1 to 5, or “Not asked”."})
    if _year_taken(review):
        raise ValidationError({"year": year_taken_message(review)})


def _year_taken(review: PartnershipReview) -> bool:
    """Whether the partner has another (unarchived) review of that year. A colleague's saved
    after this looked is caught by the constraint instead (review_save)."""
    taken = PartnershipReview.objects.filter(
        organization_id=review.organization_id, year=review.year, is_archived=False
    )
    return taken.exclude(pk=review.pk).exists()


@records_who
@transaction.atomic
def review_save(*, review: PartnershipReview, by: User) -> PartnershipReview:
    """Write a partner's review of a year, or save changes to one (reviewed by `by` unless it
    names someone)."""
    _checked(review)
    if review.reviewed_by_id is None:
        review.reviewed_by = by
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction goes on
            review.save()
    except IntegrityError as error:
        # A colleague saved this partner's review of the same year a moment ago.
        raise ValidationError({"year": year_taken_message(review)}, code="taken") from error
    return review
