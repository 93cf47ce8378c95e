"""Reading annual partnership reviews: a partner's (its page's section), one review's page, and
a review's change history."""

from django.db.models import QuerySet

from core.history_entries import HistorySource
from reviews.models import PartnershipReview

# A partner's page lists this many reviews, newest year first (a partnership of 20 years
# still has a short section); the rest are counted.
SECTION_LIMIT = 10


def reviews_of_organization(organization_id: int) -> list[PartnershipReview]:
    """A partner's reviews, newest year first (archived ones after their year's own), with
    who wrote them: one query, at most SECTION_LIMIT + 1 rows (the extra one says "more")."""
    found = (
        PartnershipReview.objects.filter(organization_id=organization_id)
        .select_related("reviewed_by")
        .order_by("-year", "is_archived", "-pk")
    )
    return list(found[: SECTION_LIMIT + 1])


def review_page(pk: int) -> PartnershipReview | None:
    """A review with its partner and who wrote it, for its page."""
    found: QuerySet[PartnershipReview] = PartnershipReview.objects.select_related(
        "organization", "reviewed_by"
    )
    return found.filter(pk=pk).first()


def review_history(review: PartnershipReview) -> list[HistorySource]:
    """What the review's History section and page show: its own recorded changes."""
    return [HistorySource(PartnershipReview.history.filter(id=review.pk))]
