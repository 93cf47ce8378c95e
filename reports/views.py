"""Report pages and their CSV exports: managers and admins only.

Each page and its CSV call the same selector with the same period, so the file holds exactly
the tables on the page, save that the page shows some of the rows of a long list (with their
number and a link to the file) while the file holds every row.
"""

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.periods import quick_period_links
from core.roles import manager_required
from core.spreadsheets import defuse as text_cell
from reports import selectors
from reports.cache import report_as_of
from reports.forms import PeriodForm, YearForm
from reports.selectors.common import ROWS_SHOWN, Cell, Report

# A report builder: (start, end, today, how many rows of a long list; None for all) → Report.
Builder = Callable[[dt.date, dt.date, dt.date, int | None], Report]

# slug: (title, one-line description, builder)
REPORTS: dict[str, tuple[str, str, Builder]] = {
    "pipeline": (
        "Pipeline funnel",
        "Organizations entering each stage, conversion, time in stage, and who left and why.",
        lambda start, end, today, limit: selectors.pipeline_report(
            start=start, end=end, limit=limit
        ),
    ),
    "activity": (
        "Activity",
        "Touchpoints per month by staff member and channel, meetings held, follow-ups done.",
        lambda start, end, today, limit: selectors.activity_report(start=start, end=end),
    ),
    "portfolio": (
        "Partnership portfolio",
        "Partners by kind, level and focus area; quiet partners; partners without a primary "
        "contact.",
        lambda start, end, today, limit: selectors.portfolio_report(
            start=start, end=end, today=today, limit=limit
        ),
    ),
    "health": (
        "Partnership health",
        "The share of partnerships at risk month by month, and those at risk now with why.",
        lambda start, end, today, limit: selectors.health_report(start=start, end=end, limit=limit),
    ),
    "programs": (
        "Programs and impact",
        "Programs by status and kind, sessions and attendance per quarter, outcomes, grants.",
        lambda start, end, today, limit: selectors.programs_report(start=start, end=end),
    ),
    "retention": (
        "Records past retention",
        "Agreements, archived documents and touchpoints kept longer than the library's "
        "retention settings, for a person to review: nothing is deleted by itself.",
        lambda start, end, today, limit: selectors.retention_report(
            start=start, end=end, today=today, limit=limit
        ),
    ),
    "reviews": (
        "Annual partnership reviews",
        "For a year: the active and in-discussion partners reviewed and those not yet, the "
        "partners' satisfaction, and what worked and next year's goals, review by review.",
        lambda start, end, today, limit: selectors.reviews_report(year=start.year, limit=limit),
    ),
}
# Reports of one year, picked by its number (?year=, this year by default), not by dates.
YEARLY = frozenset({"reviews"})


@require_GET
@manager_required
def index(request: HttpRequest) -> HttpResponse:
    reports = [
        {"url_name": f"reports:{slug}", "title": title, "description": description}
        for slug, (title, description, _build) in REPORTS.items()
    ]
    return render(request, "reports/index.html", {"reports": reports})


def _period_form(request: HttpRequest, today: dt.date, slug: str) -> PeriodForm | YearForm:
    """The period in ?start=&end=; this year so far when neither is given. A yearly report's
    year in ?year=, this year when not given."""
    if slug in YEARLY:
        return YearForm({"year": request.GET.get("year", str(today.year)).strip()})
    if "start" not in request.GET and "end" not in request.GET:
        data = {"start": dt.date(today.year, 1, 1).isoformat(), "end": today.isoformat()}
    else:
        data = {name: request.GET.get(name, "").strip() for name in ("start", "end")}
    return PeriodForm(data)


@require_GET
@manager_required
def report_page(request: HttpRequest, slug: str) -> HttpResponse:
    title, _description, build = REPORTS[slug]
    today = timezone.localdate()
    form = _period_form(request, today, slug)
    report = computed_at = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        report, computed_at = report_as_of(
            slug=slug,
            start=start,
            end=end,
            build=lambda: build(start, end, today, ROWS_SHOWN),
            refresh="refresh" in request.GET,
        )
    return render(
        request,
        "reports/report.html",
        {
            "title": title,
            "slug": slug,
            "form": form,
            "report": report,
            "computed_at": computed_at,
            "quick_periods": []
            if slug in YEARLY
            else quick_period_links(today, (report.start, report.end) if report else None),
            "picker": "Year" if slug in YEARLY else "Period",
            "query": _query(slug, report),
            "csv_url": f"{reverse(f'reports:{slug}_csv')}?{_query(slug, report)}" if report else "",
        },
    )


def _query(slug: str, report: Report | None) -> str:
    """The report's own address's query: its period, or its year."""
    if report is None:
        return ""
    if slug in YEARLY:
        return urlencode({"year": report.start.year})
    return urlencode({"start": report.start, "end": report.end})


def csv_value(value: Cell) -> str:
    """A cell as the CSV holds it: numbers plain, days as 2026-12-04 (what spreadsheets read
    as a date anywhere), text guarded against formula injection."""
    if value is None:
        return ""
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return text_cell(str(value))


def report_csv_text(report: Report) -> str:
    """Every table of the report, one after the other, each under its title."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_value(report.title)])
    writer.writerow(["Period", report.start.isoformat(), report.end.isoformat()])
    for table in report.tables:
        writer.writerow([])
        writer.writerow([csv_value(table.title)])
        writer.writerow([csv_value(column) for column in table.columns])
        for row in table.rows:
            writer.writerow([csv_value(value) for value in row])
        if table.footer:
            writer.writerow([csv_value(value) for value in table.footer])
    return out.getvalue()


@require_GET
@manager_required
def report_csv(request: HttpRequest, slug: str) -> HttpResponse:
    _title, _description, build = REPORTS[slug]
    today = timezone.localdate()
    form = _period_form(request, today, slug)
    if not form.is_valid():
        errors = "; ".join(
            f"{name}: {' '.join(map(str, messages))}" for name, messages in form.errors.items()
        )
        return HttpResponse(
            f"Choose a valid period ({errors}).", status=400, content_type="text/plain"
        )
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    report = build(start, end, today, None)
    # The byte-order mark tells Excel the file is UTF-8, so accents show correctly.
    response = HttpResponse(
        "\ufeff" + report_csv_text(report), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{slug}-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.csv"'
    )
    return response
