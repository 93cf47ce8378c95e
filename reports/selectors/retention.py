"""Records past their retention date, for a person to review: nothing is deleted by itself.

How long each kind is kept after it ends is a setting (LIAISON_RETAIN_*_YEARS): an agreement
after it ended (expired or terminated), a document after it was archived, a touchpoint after it
happened. The report lists what is past that, oldest first; the period does not apply (the
dates are today's).
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from agreements.models import Agreement
from core.http import pk_url
from documents.models import Document
from outreach.models import Touchpoint
from reports.selectors.common import Cell, Chart, Link, Report, Table


def retention_cutoffs(today: dt.date) -> dict[str, dt.date]:
    """For each kind, the day before which it is past its retention."""
    years = {
        "agreements": settings.LIAISON_RETAIN_AGREEMENTS_YEARS,
        "documents": settings.LIAISON_RETAIN_DOCUMENTS_YEARS,
        "touchpoints": settings.LIAISON_RETAIN_TOUCHPOINTS_YEARS,
    }
    return {kind: _years_before(today, n) for kind, n in years.items()}


def _years_before(today: dt.date, years: int) -> dt.date:
    """The same day `years` earlier (March 1st for a February 29th that year has not)."""
    year = today.year - years
    if year < dt.MINYEAR:
        return dt.date.min
    try:
        return today.replace(year=year)
    except ValueError:  # February 29th
        return dt.date(year, 3, 1)


def _shown(total: int, limit: int | None) -> dict[str, Any]:
    return {"total": total, "shown": "the oldest"} if limit is not None else {}


def retention_report(
    *, start: dt.date, end: dt.date, today: dt.date, limit: int | None = None
) -> Report:
    cutoffs = retention_cutoffs(today)
    # From the day each ended: expired at its end, terminated on the day it was.
    agreements = Agreement.objects.filter(
        status__in=[Agreement.Status.EXPIRED, Agreement.Status.TERMINATED],
        ended_on__lt=cutoffs["agreements"],
    ).order_by("ended_on", "pk")
    zone = timezone.get_current_timezone()
    archived_before = dt.datetime.combine(cutoffs["documents"], dt.time.min, tzinfo=zone)
    documents = Document.objects.filter(
        is_archived=True, purged_at__isnull=True, archived_at__lt=archived_before
    ).order_by("archived_at", "pk")
    touchpoints = Touchpoint.objects.filter(occurred_on__lt=cutoffs["touchpoints"]).order_by(
        "occurred_on", "pk"
    )
    counts = {
        "agreements": agreements.count(),
        "documents": documents.count(),
        "touchpoints": touchpoints.count(),
    }
    rows: dict[str, list[list[Cell]]] = {
        "agreements": [
            [
                Link(a.title, a.get_absolute_url()),
                a.get_kind_display(),
                a.get_status_display(),
                a.ended_on,
            ]
            for a in agreements[:limit]
        ],
        "documents": [
            [
                Link(d.title, d.get_absolute_url()),
                d.get_kind_display(),
                d.archived_at.date() if d.archived_at else None,
            ]
            for d in documents.only("title", "kind", "archived_at")[:limit]
        ],
        "touchpoints": [
            [
                Link(t.subject, pk_url("outreach:touchpoint_detail", t.pk)),
                Link(t.organization.name, t.organization.get_absolute_url()),
                t.occurred_on,
            ]
            for t in touchpoints.select_related("organization").only(
                "subject", "occurred_on", "organization__name"
            )[:limit]
        ],
    }
    return Report(
        slug="retention",
        title="Records past retention",
        start=start,
        end=end,
        chart=Chart(
            "Records past their retention date",
            [
                ("Agreements", counts["agreements"]),
                ("Documents", counts["documents"]),
                ("Touchpoints", counts["touchpoints"]),
            ],
        ),
        tables=[
            Table(
                key="agreements",
                title=f"Agreements that ended before {cutoffs['agreements']:%B %-d, %Y}",
                columns=["Agreement", "Kind", "Status", "Ended"],
                rows=rows["agreements"],
                empty="None past its retention.",
                **_shown(counts["agreements"], limit),
            ),
            Table(
                key="documents",
                title=f"Documents archived before {cutoffs['documents']:%B %-d, %Y}",
                columns=["Document", "Kind", "Archived"],
                rows=rows["documents"],
                empty="None past its retention.",
                **_shown(counts["documents"], limit),
            ),
            Table(
                key="touchpoints",
                title=f"Touchpoints before {cutoffs['touchpoints']:%B %-d, %Y}",
                columns=["Touchpoint", "Organization", "Day"],
                rows=rows["touchpoints"],
                empty="None past its retention.",
                **_shown(counts["touchpoints"], limit),
            ),
        ],
        definitions=[
            "How long each kind is kept after it ends is set by the library "
            f"(agreements {settings.LIAISON_RETAIN_AGREEMENTS_YEARS} years after they ended, "
            f"archived documents {settings.LIAISON_RETAIN_DOCUMENTS_YEARS} years, touchpoints "
            f"{settings.LIAISON_RETAIN_TOUCHPOINTS_YEARS} years). Counted from today: the "
            "period does not apply.",
            "Nothing is deleted by itself: review each record, and archive it, purge a "
            "document's files, or keep it, as the library's records schedule says.",
        ],
    )
