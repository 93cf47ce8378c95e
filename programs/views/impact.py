"""The impact summary page: one program, or one partner and the library, over a period."""

import datetime as dt
import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.dates import FIRST_YEAR, LAST_YEAR
from core.http import record_number
from core.periods import quick_period_links
from partners.models import Organization
from programs.models import Program
from programs.selectors import impact as selectors

DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _pk(value: str | None) -> int | None:
    """A program's or an organization's number (core.http.record_number)."""
    return record_number(value)


def _subject(request: HttpRequest) -> tuple[Program | None, Organization | None]:
    """The program or the organization in ?program= or ?organization= (exactly one), or 404."""
    given = {name for name in ("program", "organization") if request.GET.get(name)}
    if len(given) != 1:
        raise Http404("Choose one program or one organization.")
    if "program" in given:
        pk = _pk(request.GET["program"])
        program = selectors.impact_subject(program_id=pk) if pk else None
        if not isinstance(program, Program):
            raise Http404("No such program.")
        return program, None
    pk = _pk(request.GET["organization"])
    organization = selectors.impact_subject(organization_id=pk) if pk else None
    if not isinstance(organization, Organization):
        raise Http404("No such organization.")
    return None, organization


def _date(value: str) -> dt.date | None:
    if not DATE_RE.fullmatch(value):
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def _program_dates(program: Program | None, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The program's own period, when it has a date: a missing end is today (or its start, if
    later), a missing start the first of January of the end's year."""
    if program is None or (program.start_date is None and program.end_date is None):
        return None
    end = program.end_date or max(today, program.start_date or today)
    return program.start_date or dt.date(end.year, 1, 1), end


def _period(
    request: HttpRequest, today: dt.date, program_dates: tuple[dt.date, dt.date] | None
) -> tuple[dt.date, dt.date, list[str]]:
    """?start= and ?end=, each YYYY-MM-DD; by default the program's own dates, or this calendar
    year so far.

    A missing end is today, a missing start the first of January of the end's year. Anything
    that is not a date gives the default period and says so; reversed dates are swapped.
    """
    default = program_dates or (dt.date(today.year, 1, 1), today)
    raw_start = request.GET.get("start", "").strip()
    raw_end = request.GET.get("end", "").strip()
    if not raw_start and not raw_end:
        return *default, []
    start, end = _date(raw_start), _date(raw_end)
    bad = [raw for raw, day in ((raw_start, start), (raw_end, end)) if raw and day is None]
    if bad:
        return (
            *default,
            [
                f"“{bad[0][:40]}” is not a date between {FIRST_YEAR} and {LAST_YEAR} "
                "(use YYYY-MM-DD), so this is "
                + ("the whole program." if program_dates else "the year so far.")
            ],
        )
    end = end or today
    start = start or dt.date(end.year, 1, 1)
    if end < start:
        return end, start, ["The end date came before the start date, so they were swapped."]
    return start, end, []


@require_GET
def impact_summary(request: HttpRequest) -> HttpResponse:
    program, organization = _subject(request)
    today = timezone.localdate()
    program_dates = _program_dates(program, today)
    start, end, notices = _period(request, today, program_dates)
    summary = selectors.impact_summary(
        program=program, organization=organization, start=start, end=end
    )
    if program is not None:
        subject = {"program": program.pk}
    else:
        assert organization is not None  # _subject gives exactly one of the two
        subject = {"organization": organization.pk}
    return render(
        request,
        "programs/impact_summary.html",
        {
            "summary": summary,
            "program": summary.program,
            "organization": organization,
            "subject_name": next(iter(subject)),
            "subject_pk": next(iter(subject.values())),
            "quick_periods": quick_period_links(
                today,
                (start, end),
                subject,
                [("Whole program", *program_dates)] if program_dates else None,
            ),
            "notices": notices,
            "today": today,
        },
    )
