"""The Annual reviews section of a partner's page: its reviews, newest year first, and this
year's to write or edit (one query, fetched once the page has loaded)."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from core.panels import panel
from partners.models import Organization
from reviews.selectors import SECTION_LIMIT, reviews_of_organization


@panel(
    page="organization",
    slot="side",
    order=24,
    template="reviews/panels/organization_reviews.html",
    # After the page: the partner's page keeps within its queries and time.
    deferred=True,
    title="Annual reviews",
)
def organization_reviews(request: HttpRequest, organization: Organization) -> dict[str, Any]:
    found = reviews_of_organization(organization.pk)
    year = timezone.localdate().year
    this_year = next((r for r in found if r.year == year and not r.is_archived), None)
    return {
        "reviews": found[:SECTION_LIMIT],
        "reviews_more": len(found) > SECTION_LIMIT,
        "review_year": year,
        "review_this_year": this_year,
        "review_new_url": reverse("reviews:review_create", args=[organization.pk]),
    }
