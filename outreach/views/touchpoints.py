"""Touchpoint pages: the log across all partners, one touchpoint, corrections, and logging one
with any organization, chosen by typing its name (the New menu, a contact's page).

The log's CSV and Excel export is transfer.export.touchpoint_export.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_GET

from core.conflicts import save_unless_changed
from core.forms import apply_service_errors
from core.http import COUNT_LIMIT, AuthenticatedHttpRequest, htmx_targets, paginate, query_without
from core.panels import panels_for
from outreach import services
from outreach.forms.touchpoint_filters import TouchpointFilterForm
from outreach.forms.touchpoints import TouchpointForm
from outreach.models import Touchpoint
from outreach.selectors import touchpoints as selectors
from outreach.views.other_partners import (
    other_partners_context,
    other_partners_search,
    search_text,
)
from partners.models import Organization
from partners.organization_picker import (
    OrganizationPickerForm,
    contact_in,
    picked_organization,
    start_from,
)


@require_GET
def touchpoint_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TouchpointFilterForm(request.GET)
    filters = form.filters()
    page = paginate(request, selectors.touchpoint_page_list(filters), count_limit=COUNT_LIMIT)
    query = query_without(request, "page")
    context = {
        "form": form,
        "page": page,
        "query": query,
        "headers": selectors.TOUCHPOINT_SORTING.headers(request, filters.get("sort")),
        "filtered": any(name != "sort" for name in filters),
        "panels": panels_for("touchpoint_list", request),
    }
    if htmx_targets(request, "results"):
        return render(request, "outreach/partials/touchpoint_results.html", context)
    return render(request, "outreach/touchpoint_list.html", context)


def _contacts_of_chosen(request: HttpRequest) -> HttpResponse:
    """htmx: the people of the organization just chosen in the box, to tick who was there."""
    organization = picked_organization(request.GET)
    contact = contact_in(request.GET)  # opened from their page: ticked
    form = TouchpointForm(
        organization=organization, initial={"contacts": [contact.pk] if contact else []}
    )
    return render(
        request,
        "outreach/partials/organization_contacts.html",
        {"field": form["contacts"], "organization": organization},
    )


def _logged(
    request: AuthenticatedHttpRequest, form: TouchpointForm, organization: Organization
) -> bool:
    """Log the touchpoint of a valid form, and say so; False with the service's errors on the
    form."""
    try:
        touchpoint = services.touchpoint_log(
            organization=organization, staff=request.user, **form.service_fields()
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return False
    followup = touchpoint.followups.first()
    note = f" Follow-up due {followup.due_on:%b %-d}." if followup else ""
    partners = len(form.cleaned_data["other_organizations"])
    more = f" and {partners} other partner{pluralize(partners)}" if partners else ""
    messages.success(request, f"Touchpoint with {organization}{more} logged.{note}")
    return True


def touchpoint_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    start = start_from(request.GET)
    if htmx_targets(request, "organization-contacts"):
        return _contacts_of_chosen(request)
    if htmx_targets(request, "other-organizations"):
        chosen = picked_organization(request.GET)
        return other_partners_search(
            request, chosen, lambda initial: TouchpointForm(organization=chosen, initial=initial)
        )
    if request.method == "POST":
        picker = OrganizationPickerForm(request.POST)
        organization = picker.chosen()
        form = TouchpointForm(request.POST, organization=organization)
        if form.is_valid() and organization is not None and _logged(request, form, organization):
            return redirect(start.contact or organization)
    else:
        organization = start.organization
        picker = OrganizationPickerForm(organization=organization)
        ticked = [start.contact.pk] if start.contact else []
        form = TouchpointForm(organization=organization, initial={"contacts": ticked})
    context = {"form": form, "picker": picker, "start": start}
    context.update(other_partners_context(form, organization, search_text(request)))
    return render(request, "outreach/touchpoint_new.html", context)


@require_GET
def touchpoint_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        touchpoint = selectors.touchpoint_detail(pk)
    except Touchpoint.DoesNotExist as error:
        raise Http404("No such touchpoint.") from error
    return render(
        request,
        "outreach/touchpoint_detail.html",
        {"touchpoint": touchpoint, "panels": panels_for("touchpoint", request, touchpoint)},
    )


def _corrected(form: TouchpointForm) -> bool:
    """Save a valid correction; False with the service's errors on the form, or with
    `form.conflict` when someone saved the touchpoint since the form was opened."""
    fields: dict[str, Any] = form.service_fields()
    fields.pop("follow_up_on", None)
    try:
        saved = save_unless_changed(
            form, lambda current: services.touchpoint_update(touchpoint=current, **fields)
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return False
    return saved is not None


def touchpoint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    touchpoint = get_object_or_404(Touchpoint.objects.select_related("organization"), pk=pk)
    organization = touchpoint.organization

    def form_with(initial: dict[str, Any]) -> TouchpointForm:
        return TouchpointForm(
            organization=organization, with_follow_up=False, instance=touchpoint, initial=initial
        )

    if request.method == "GET" and htmx_targets(request, "other-organizations"):
        return other_partners_search(request, organization, form_with)
    if request.method == "POST":
        form = TouchpointForm(
            request.POST, organization=organization, with_follow_up=False, instance=touchpoint
        )
        if form.is_valid() and _corrected(form):
            messages.success(request, "The touchpoint was saved.")
            return redirect("outreach:touchpoint_detail", pk=touchpoint.pk)
        # The form wrote the rejected values onto the instance; show the stored ones around it.
        touchpoint.refresh_from_db()
    else:
        form = form_with({})
    context = {"form": form, "touchpoint": touchpoint, "organization": organization}
    context.update(other_partners_context(form, organization, search_text(request)))
    return render(request, "outreach/touchpoint_form.html", context)
