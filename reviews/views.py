"""Annual reviews' pages: write a partner's review of a year, edit it, read it, its changes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.conflicts import save_unless_changed
from core.dates import FIRST_YEAR, LAST_YEAR
from core.forms import apply_service_errors
from core.history_entries import history_panel, history_response
from core.http import AuthenticatedHttpRequest, record_number
from partners.models import Organization
from reviews import selectors, services
from reviews.forms import ReviewForm
from reviews.models import PartnershipReview


def _current(organization: Organization, year: object) -> QuerySet[PartnershipReview]:
    return PartnershipReview.objects.filter(
        organization=organization, year=record_number(year) or 0, is_archived=False
    )


def review_create(request: AuthenticatedHttpRequest, org_pk: int) -> HttpResponse:
    """A partner's review of a year (?year=, this year by default); the one written already
    opens to be edited."""
    organization = get_object_or_404(Organization, pk=org_pk)
    today = timezone.localdate()
    year = record_number(request.GET.get("year")) or today.year
    year = year if FIRST_YEAR <= year <= LAST_YEAR else today.year
    written = _current(organization, year).first()
    if request.method != "POST" and written is not None:
        return redirect("reviews:review_edit", pk=written.pk)
    review = PartnershipReview(organization=organization)
    initial = {"year": year, "reviewed_on": today}
    form = ReviewForm(request.POST or None, instance=review, initial=initial)
    return _saved_or_form(request, form, review, f"Write the {year} review")


def review_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(PartnershipReview.objects.select_related("organization"), pk=pk)
    form = ReviewForm(request.POST or None, instance=review)
    return _saved_or_form(request, form, review, f"Edit the {review.year} review")


def _saved_or_form(
    request: AuthenticatedHttpRequest, form: ReviewForm, review: PartnershipReview, heading: str
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_unless_changed(
                form,
                lambda current: services.review_save(
                    review=form.save(commit=False), by=request.user
                ),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if saved is not None:
                messages.success(request, f"Saved: the {saved.year} review.")
                return redirect(saved)
    # Refused for a year already written (by a colleague, maybe a moment ago): a link to it.
    taken = None
    if form.is_bound and "year" in form.errors:
        taken = _current(review.organization, form.data.get("year")).exclude(pk=review.pk).first()
    context = {
        "form": form,
        "review": review,
        "organization": review.organization,
        "heading": f"{heading}: {review.organization.name}",
        "taken": taken,
    }
    return render(request, "reviews/review_form.html", context)


@require_GET
def review_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_page(pk)
    if review is None:
        raise Http404("No such review.")
    changes = history_panel(
        selectors.review_history(review),
        url=reverse("reviews:review_history", args=[review.pk]),
        known=[review.organization],
    )
    return render(request, "reviews/review_detail.html", {"review": review, **changes})


@require_GET
def review_history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every recorded change of a review."""
    review = get_object_or_404(PartnershipReview.objects.select_related("organization"), pk=pk)
    return history_response(
        request,
        review,
        selectors.review_history(review),
        list_url=review.organization.get_absolute_url(),
        list_label=review.organization.name,
    )
