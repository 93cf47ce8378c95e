"""Logging a touchpoint from the organization page: in place with htmx, or as a plain POST."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.forms import apply_service_errors
from core.http import AuthenticatedHttpRequest, announce
from outreach import services
from outreach.forms.touchpoints import TouchpointForm
from outreach.models import FollowUp, Touchpoint
from outreach.selectors.timeline import TimelineEntry
from partners.models import Organization


def _logged_entries(touchpoint: Touchpoint, followup: FollowUp | None) -> list[TimelineEntry]:
    """The new touchpoint, and the follow-up it set, as rows to add to the timeline."""
    entries = [
        TimelineEntry(
            "touchpoint",
            touchpoint.occurred_on,
            touchpoint.created_at,
            touchpoint,
            people=list(touchpoint.contacts.all()),
        )
    ]
    if followup:
        created = followup.created_at
        entries.insert(
            0, TimelineEntry("followup_created", timezone.localdate(created), created, followup)
        )
    return entries


def _logged(
    request: HttpRequest, organization: Organization, touchpoint: Touchpoint
) -> HttpResponse:
    """After logging: back to the organization, or (htmx) the new rows and an empty form."""
    followup = touchpoint.followups.first()
    if not request.headers.get("HX-Request"):
        note = f" Follow-up due {followup.due_on:%b %-d}." if followup else ""
        messages.success(request, f"Touchpoint logged.{note}")
        return redirect(organization)
    context = {
        "entries": _logged_entries(touchpoint, followup),
        "organization": organization,
        "form": TouchpointForm(organization=organization),
    }
    response = render(request, "outreach/partials/quick_log_logged.html", context)
    said = f"{touchpoint.get_channel_display()} logged"
    said += f"; follow-up due {followup.due_on:%b %-d}." if followup else "."
    # The open follow-ups beside the timeline show the new one (core.panels).
    announce(response, said, changed=("followups",) if followup else ())
    return response


def _quick_log_errors(
    request: HttpRequest, organization: Organization, form: TouchpointForm
) -> HttpResponse:
    """htmx: the quick-log box again with its errors, in place of the whole box."""
    context = {"form": form, "organization": organization}
    response = render(request, "outreach/partials/quick_log.html", context)
    response["HX-Retarget"] = "#quick-log"
    response["HX-Reswap"] = "outerHTML"
    return response


def touchpoint_create(request: AuthenticatedHttpRequest, org_pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=org_pk)
    if request.method != "POST":
        form = TouchpointForm(organization=organization)
        context = {"form": form, "organization": organization}
        return render(request, "outreach/touchpoint_log.html", context)
    form = TouchpointForm(request.POST, organization=organization)
    if form.is_valid():
        try:
            touchpoint = services.touchpoint_log(
                organization=organization, staff=request.user, **form.service_fields()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _logged(request, organization, touchpoint)
    if request.headers.get("HX-Request"):
        return _quick_log_errors(request, organization, form)
    context = {"form": form, "organization": organization}
    return render(request, "outreach/touchpoint_log.html", context)
