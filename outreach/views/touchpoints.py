"""Touchpoint pages: the log across all partners, its CSV export, one touchpoint, corrections."""

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.forms import apply_service_errors
from core.http import htmx_targets, paginate, query_without
from outreach import services
from outreach.forms.touchpoint_filters import TouchpointFilterForm
from outreach.forms.touchpoints import TouchpointForm
from outreach.models import Touchpoint
from outreach.selectors import touchpoints as selectors

EXPORT_HEADER = [
    "Date",
    "Time",
    "Organization",
    "Organization kind",
    "Channel",
    "Subject",
    "Staff",
    "Contacts",
    "Notes",
    "Outcome",
    "Next step",
]
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@require_GET
def touchpoint_list(request: HttpRequest) -> HttpResponse:
    form = TouchpointFilterForm(request.GET)
    filters = form.filters()
    page = paginate(request, selectors.touchpoint_list(filters))
    query = query_without(request, "page")
    context = {"form": form, "page": page, "query": query, "filtered": bool(filters)}
    if htmx_targets(request, "results"):
        return render(request, "outreach/partials/touchpoint_results.html", context)
    return render(request, "outreach/touchpoint_list.html", context)


def _cell(value: str) -> str:
    """A text cell that a spreadsheet shows as text, never runs as a formula."""
    return f"'{value}" if value.startswith(FORMULA_TRIGGERS) else value


def _staff_name(touchpoint: Touchpoint) -> str:
    staff = touchpoint.staff
    return (staff.get_full_name() or staff.username) if staff else ""


def _export_row(touchpoint: Touchpoint) -> list[str]:
    texts = [
        touchpoint.organization.name,
        touchpoint.organization.get_kind_display(),
        touchpoint.get_channel_display(),
        touchpoint.subject,
        _staff_name(touchpoint),
        "; ".join(contact.name for contact in touchpoint.contacts.all()),
        touchpoint.notes,
        touchpoint.outcome,
        touchpoint.next_step,
    ]
    time = touchpoint.occurred_time
    return [
        touchpoint.occurred_on.isoformat(),
        time.strftime("%H:%M") if time else "",
        *(_cell(text) for text in texts),
    ]


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can stream."""

    def write(self, value: str) -> str:
        return value


@require_GET
def touchpoint_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered touchpoints as CSV, every page of them, streamed a chunk at a time.

    Any staff user may export for now; a later issue restricts exports to managers.
    """
    filters = TouchpointFilterForm(request.GET).filters()
    rows = selectors.touchpoint_list(filters)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        # The byte-order mark tells Excel the file is UTF-8, so accents show correctly.
        yield "\ufeff"
        yield writer.writerow(EXPORT_HEADER)
        # With chunk_size, the contacts are prefetched once per chunk of 2,000 rows.
        for touchpoint in rows.iterator(chunk_size=2000):
            yield writer.writerow(_export_row(touchpoint))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = f"touchpoints-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def touchpoint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        touchpoint = selectors.touchpoint_detail(pk)
    except Touchpoint.DoesNotExist as error:
        raise Http404("No such touchpoint.") from error
    return render(request, "outreach/touchpoint_detail.html", {"touchpoint": touchpoint})


def touchpoint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    touchpoint = get_object_or_404(Touchpoint.objects.select_related("organization"), pk=pk)
    organization = touchpoint.organization
    if request.method == "POST":
        form = TouchpointForm(
            request.POST, organization=organization, with_follow_up=False, instance=touchpoint
        )
        if form.is_valid():
            fields: dict[str, Any] = form.service_fields()
            fields.pop("follow_up_on", None)
            contacts = fields.pop("contacts")
            try:
                services.touchpoint_update(touchpoint=touchpoint, contacts=contacts, **fields)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "The touchpoint was saved.")
                return redirect("outreach:touchpoint_detail", pk=touchpoint.pk)
        # The form wrote the rejected values onto the instance; show the stored ones around it.
        touchpoint.refresh_from_db()
    else:
        form = TouchpointForm(organization=organization, with_follow_up=False, instance=touchpoint)
    return render(
        request,
        "outreach/touchpoint_form.html",
        {"form": form, "touchpoint": touchpoint, "organization": organization},
    )
