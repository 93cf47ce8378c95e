"""Logging a touchpoint from the organization page: in place with htmx, or as a plain POST."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.forms import apply_service_errors
from outreach import services
from outreach.forms.touchpoints import TouchpointForm
from outreach.selectors.timeline import TimelineEntry
from partners.models import Organization


def touchpoint_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=org_pk)
    htmx = bool(request.headers.get("HX-Request"))
    if request.method == "POST":
        form = TouchpointForm(request.POST, organization=organization)
        if form.is_valid():
            try:
                touchpoint = services.touchpoint_log(
                    organization=organization, staff=request.user, **form.service_fields()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                followup = touchpoint.followups.first()
                note = f" Follow-up due {followup.due_on:%b %-d}." if followup else ""
                if not htmx:
                    messages.success(request, f"Touchpoint logged.{note}")
                    return redirect(organization)
                entries = [
                    TimelineEntry(
                        "touchpoint", touchpoint.occurred_on, touchpoint.created_at, touchpoint
                    )
                ]
                if followup:
                    entries.insert(
                        0,
                        TimelineEntry(
                            "followup_created",
                            timezone.localdate(followup.created_at),
                            followup.created_at,
                            followup,
                        ),
                    )
                return render(
                    request,
                    "outreach/partials/quick_log_logged.html",
                    {
                        "entries": entries,
                        "organization": organization,
                        "form": TouchpointForm(organization=organization),
                        "status": f"Logged “{touchpoint.subject}”.{note}",
                    },
                )
        if htmx:
            response = render(
                request,
                "outreach/partials/quick_log.html",
                {"form": form, "organization": organization},
            )
            response["HX-Retarget"] = "#quick-log"
            response["HX-Reswap"] = "outerHTML"
            return response
    else:
        form = TouchpointForm(organization=organization)
    return render(
        request, "outreach/touchpoint_log.html", {"form": form, "organization": organization}
    )
