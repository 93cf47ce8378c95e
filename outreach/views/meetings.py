"""Meeting pages: lists, the month calendar, the form (from an organization's page, or with the
organization typed by name: the New menu), marking held, cancelling, .ics."""

import calendar
import datetime as dt
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.conflicts import save_unless_changed
from core.dates import FIRST_YEAR, LAST_YEAR
from core.forms import apply_service_errors
from core.http import COUNT_LIMIT, AuthenticatedHttpRequest, htmx_targets, paginate, query_without
from documents.panels import documents_section
from outreach import ical, services
from outreach.forms.meetings import MeetingForm, MeetingHeldForm
from outreach.forms.other_partners import posted_ids
from outreach.models import Meeting, Touchpoint
from outreach.selectors import meetings as selectors
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

MONTH_RE = re.compile(r"(\d{4})-(\d{1,2})")
DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
# US libraries: weeks start on Sunday.
WEEK = calendar.Calendar(firstweekday=calendar.SUNDAY)
DAY_NAMES = [calendar.day_name[(calendar.SUNDAY + i) % 7] for i in range(7)]
# Where a service's error about a model field belongs on the form.
FORM_FIELD_OF = {"starts_at": "start_time", "ends_at": "end_time", "organization": None}


def _apply_meeting_errors(form: MeetingForm, error: ValidationError) -> None:
    """Like core.forms.apply_service_errors, with the model's times shown at the form's."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = FORM_FIELD_OF.get(name, name)
        form.add_error(field if field in form.fields else None, errors)


def _mine(request: HttpRequest) -> bool:
    return request.GET.get("who") == "mine"


def _day(value: str | None) -> dt.date | None:
    """The day of ?day=YYYY-MM-DD (a calendar day's "+N more"), or None if missing or nonsense."""
    if not DAY_RE.fullmatch(value or ""):
        return None
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


@require_GET
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    day = _day(request.GET.get("day"))
    past = day is None and request.GET.get("when") == "past"
    mine = _mine(request)
    sort = request.GET.get("sort")
    meetings = selectors.meeting_list(user=request.user, past=past, mine=mine, day=day, sort=sort)
    page = paginate(request, meetings, count_limit=COUNT_LIMIT)
    selectors.with_partners(page.object_list)
    default = "-when" if past else "when"
    return render(
        request,
        "outreach/meeting_list.html",
        {
            "page": page,
            "headers": selectors.MEETING_SORTING.headers(request, sort, default),
            "day": day,
            "past": past,
            "mine": mine,
            "query": query_without(request, "page"),
            "time_zone": timezone.get_current_timezone_name(),
        },
    )


def _month(value: str | None, today: dt.date) -> dt.date:
    """The first day of ?month=YYYY-MM, or of this month when it is missing or nonsense."""
    match = MONTH_RE.fullmatch(value or "")
    if match:
        year, month = int(match[1]), int(match[2])
        if FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12:
            return dt.date(year, month, 1)
    return today.replace(day=1)


def _calendar_day(
    day: dt.date, month: dt.date, today: dt.date, by_day: dict[dt.date, selectors.CalendarDay]
) -> dict:
    """One cell of the month calendar: its first meetings, and how many more it has."""
    shown = by_day.get(day, selectors.CalendarDay([], 0))
    return {
        "date": day,
        "in_month": day.month == month.month,
        "is_today": day == today,
        "meetings": shown.meetings,
        "more": shown.total - len(shown.meetings),
    }


@require_GET
def meeting_calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    first = _month(request.GET.get("month"), today)
    mine = _mine(request)
    weeks = WEEK.monthdatescalendar(first.year, first.month)
    by_day = selectors.calendar_days(
        first_day=weeks[0][0], last_day=weeks[-1][-1], user=request.user, mine=mine
    )
    previous_month = (first - dt.timedelta(days=1)).replace(day=1)
    next_month = (first + dt.timedelta(days=31)).replace(day=1)
    return render(
        request,
        "outreach/meeting_calendar.html",
        {
            "month": first,
            "weeks": [[_calendar_day(day, first, today, by_day) for day in week] for week in weeks],
            "day_names": DAY_NAMES,
            "previous_month": previous_month if previous_month.year >= FIRST_YEAR else None,
            "next_month": next_month if next_month.year <= LAST_YEAR else None,
            "this_month": today.replace(day=1),
            "mine": mine,
            "time_zone": timezone.get_current_timezone_name(),
        },
    )


def _meeting_save(request: AuthenticatedHttpRequest, form: MeetingForm) -> Meeting | None:
    """The meeting saved from a valid form, or None with the service's errors on the form (or
    `form.conflict`: someone saved the meeting since the form was opened)."""
    try:
        return save_unless_changed(
            form,
            lambda current: services.meeting_save(
                meeting=form.apply_to(current or form.instance),
                by=request.user,
                contacts=form.cleaned_data["contacts"],
                staff=form.cleaned_data["staff"],
                other_organizations=form.cleaned_data["other_organizations"],
            ),
        )
    except ValidationError as error:
        _apply_meeting_errors(form, error)
        return None


def _meeting_form_page(
    request: AuthenticatedHttpRequest, organization: Organization, meeting: Meeting | None
) -> HttpResponse:
    """Create and edit share everything but the instance and the words on the page."""
    if request.method == "GET" and htmx_targets(request, "other-organizations"):
        return other_partners_search(
            request,
            organization,
            lambda initial: MeetingForm(
                instance=meeting, organization=organization, user=request.user, initial=initial
            ),
        )
    if request.method == "POST":
        form = MeetingForm(
            request.POST, instance=meeting, organization=organization, user=request.user
        )
        saved = _meeting_save(request, form) if form.is_valid() else None
        if saved is not None:
            verb = "saved" if meeting else "scheduled"
            messages.success(request, f"“{saved.title}” was {verb}.")
            return redirect(saved)
        if meeting is not None:
            # The form wrote the typed values onto the instance; the page shows the saved ones.
            meeting.refresh_from_db()
    else:
        # Without JavaScript the search box reloads the page with ?org_q=: matches show below.
        form = MeetingForm(instance=meeting, organization=organization, user=request.user)
    return render(
        request,
        "outreach/meeting_form.html",
        {
            "form": form,
            "organization": organization,
            "meeting": meeting,
            "time_zone": timezone.get_current_timezone_name(),
            **other_partners_context(form, organization, search_text(request)),
        },
    )


def meeting_create(request: AuthenticatedHttpRequest, org_pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=org_pk)
    return _meeting_form_page(request, organization, None)


def _attendees_of_chosen(request: AuthenticatedHttpRequest) -> HttpResponse:
    """htmx: the people of the organization just chosen in the box (and of the other partners
    ticked), to tick as partner attendees."""
    organization = picked_organization(request.GET)
    others = posted_ids(request.GET.getlist("other_organizations"))
    contact = contact_in(request.GET)  # opened from their page: ticked
    initial = {"other_organizations": others, "contacts": [contact.pk] if contact else []}
    form = MeetingForm(organization=organization, user=request.user, initial=initial)
    return render(
        request,
        "outreach/partials/organization_contacts.html",
        {"field": form["contacts"], "organization": organization},
    )


def meeting_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    start = start_from(request.GET)
    if request.method == "GET" and htmx_targets(request, "organization-contacts"):
        return _attendees_of_chosen(request)
    if request.method == "GET" and htmx_targets(request, "other-organizations"):
        organization = picked_organization(request.GET)
        return other_partners_search(
            request,
            organization,
            lambda initial: MeetingForm(
                organization=organization, user=request.user, initial=initial
            ),
        )
    if request.method == "POST":
        picker = OrganizationPickerForm(request.POST)
        organization = picker.chosen()
        form = MeetingForm(request.POST, organization=organization, user=request.user)
        valid = form.is_valid() and organization is not None
        saved = _meeting_save(request, form) if valid else None
        if saved is not None:
            messages.success(request, f"“{saved.title}” was scheduled.")
            return redirect(saved)
    else:
        organization = start.organization
        picker = OrganizationPickerForm(organization=organization)
        ticked = [start.contact.pk] if start.contact else []
        form = MeetingForm(
            organization=organization, user=request.user, initial={"contacts": ticked}
        )
    context = {"form": form, "picker": picker, "start": start, "organization": organization}
    context["time_zone"] = timezone.get_current_timezone_name()
    context.update(other_partners_context(form, organization, search_text(request)))
    return render(request, "outreach/meeting_form.html", context)


def meeting_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("organization"), pk=pk)
    return _meeting_form_page(request, meeting.organization, meeting)


@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meeting = selectors.meeting_detail(pk)
    except Meeting.DoesNotExist as error:
        raise Http404("No such meeting.") from error
    return render(
        request,
        "outreach/meeting_detail.html",
        {
            "meeting": meeting,
            "organizations": [meeting.organization, *meeting.other_organizations.all()],
            "touchpoint": getattr(meeting, "touchpoint", None),
            "time_zone": timezone.get_current_timezone_name(),
            "started": meeting.starts_at <= timezone.now(),
            **documents_section(meeting),
        },
    )


def meeting_held(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("organization"), pk=pk)
    if meeting.status == Meeting.Status.CANCELLED:
        messages.info(request, f"“{meeting.title}” was cancelled, so it cannot be marked held.")
        return redirect(meeting)
    already_logged = Touchpoint.objects.filter(meeting=meeting).exists()
    if request.method == "POST":
        form = MeetingHeldForm(request.POST, meeting=meeting, already_logged=already_logged)
        if form.is_valid():
            log = form.cleaned_data.get("log_touchpoint", False)
            try:
                touchpoint = services.meeting_mark_held(
                    meeting=meeting,
                    by=request.user,
                    minutes=form.cleaned_data["minutes"],
                    log_touchpoint=log,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if touchpoint is not None:
                    messages.success(
                        request, f"“{meeting.title}” was held and is logged as a touchpoint."
                    )
                else:
                    messages.success(request, f"“{meeting.title}” is marked as held.")
                return redirect(meeting.organization)
    else:
        form = MeetingHeldForm(meeting=meeting, already_logged=already_logged)
    return render(
        request,
        "outreach/meeting_held.html",
        {"form": form, "meeting": meeting, "already_logged": already_logged},
    )


@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    if meeting.status != Meeting.Status.SCHEDULED:
        messages.info(
            request, f"“{meeting.title}” is {meeting.get_status_display().lower()} already."
        )
    else:
        services.meeting_cancel(meeting=meeting)
        messages.success(
            request,
            f"“{meeting.title}” was cancelled. Calendars subscribed to Liaison will show it "
            "as cancelled.",
        )
    return redirect(meeting)


@require_GET
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(
        Meeting.objects.select_related("organization").prefetch_related("other_organizations"),
        pk=pk,
    )
    response = HttpResponse(ical.meeting_ics(meeting), content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response
