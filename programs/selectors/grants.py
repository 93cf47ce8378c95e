"""Reads for grant applications: the grants list, its totals, deadlines, and one program's grant."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypedDict

from django.db.models import Count, F, QuerySet, Sum
from django.utils import timezone

from core.sorting import SortColumn, Sorting
from partners.models import Organization
from programs.models import Grant, Program, ProgramPartner

# A deadline this close is highlighted while the application is still being written.
DUE_SOON_DAYS = 30
# Not yet sent to the funder: only these have a deadline to meet or to miss.
UNSUBMITTED = frozenset({Grant.Status.RESEARCHING, Grant.Status.DRAFTING})

# Everything the grant panel of the program page reads, so that it runs no query of its own:
# Program.objects.select_related(...).prefetch_related(*PANEL_PREFETCH).
PANEL_PREFETCH = (
    "grant__deliverables__owner",
    "grant__deliverables__followup",
    "grant__letters__organization",
)


@dataclass(frozen=True)
class DeadlineNote:
    """What the list and the program page say next to a deadline, and how they mark it."""

    text: str  # "due in 12 days", "due today", "deadline passed"
    level: str  # "soon" or "passed"


def deadline_note(grant: Grant, today: dt.date | None = None) -> DeadlineNote | None:
    """A note for a deadline that needs attention: within 30 days, or missed, while unsubmitted."""
    deadline = grant.submission_deadline
    if deadline is None or grant.status not in UNSUBMITTED:
        return None
    days = (deadline - (today or timezone.localdate())).days
    if days < 0:
        return DeadlineNote("deadline passed", "passed")
    if days > DUE_SOON_DAYS:
        return None
    if days == 0:
        return DeadlineNote("due today", "soon")
    if days == 1:
        return DeadlineNote("due tomorrow", "soon")
    return DeadlineNote(f"due in {days} days", "soon")


def _dated(field: str, label: str, *, css: str = "") -> SortColumn:
    """A column that may be empty: empty ones last either way, then by program."""
    return SortColumn(
        field,
        label,
        (F(field).asc(nulls_last=True), "program__title", "pk"),
        (F(field).desc(nulls_last=True), "program__title", "pk"),
        css=css,
    )


# A few hundred applications at 10,000 partners: sorted in well under a millisecond; the
# default order reads the grant_deadline index.
GRANT_SORTING = Sorting(
    SortColumn("program", "Program", ("program__title", "pk")),
    SortColumn("funder", "Funder", ("funder", "program__title", "pk")),
    SortColumn(
        "status", "Status", ("status", "program__title", "pk"), ("-status", "program__title", "pk")
    ),
    _dated("amount_requested", "Requested", css="text-end"),
    _dated("amount_awarded", "Awarded", css="text-end"),
    _dated("submission_deadline", "Submission deadline"),
    _dated("decision_expected", "Decision expected"),
    default="submission_deadline",
)


def grant_list(filters: dict[str, Any]) -> QuerySet[Grant]:
    """All grant applications, soonest deadline first and those without a deadline last, or
    as sorted (GRANT_SORTING)."""
    qs = Grant.objects.select_related("program").only(
        "funder",
        "status",
        "amount_requested",
        "amount_awarded",
        "submission_deadline",
        "decision_expected",
        "program__title",
    )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    return qs.order_by(*GRANT_SORTING.order_by(filters.get("sort")))


class GrantTotals(TypedDict):
    count: int
    requested: Decimal | None
    awarded: Decimal | None


def grant_totals(grants: QuerySet[Grant]) -> GrantTotals:
    """How many grants the (filtered) list has and the amounts requested and awarded over all of
    them, in one query: the list's pages take its count rather than counting again."""
    totals = grants.aggregate(
        count=Count("pk"), requested=Sum("amount_requested"), awarded=Sum("amount_awarded")
    )
    return GrantTotals(
        count=totals["count"], requested=totals["requested"], awarded=totals["awarded"]
    )


def partner_links(program: Program) -> list[ProgramPartner]:
    """The program's partners with their organizations, by organization name."""
    return list(
        ProgramPartner.objects.filter(program=program)
        .select_related("organization")
        .order_by("organization__name", "organization_id")
    )


def lead_of(links: list[ProgramPartner]) -> Organization | None:
    """The organization a program's follow-ups are with: its lead partner, else the first
    partner by name; None when the program has no partner organization."""
    for link in links:
        if link.role == ProgramPartner.Role.LEAD:
            return link.organization
    return links[0].organization if links else None


def lead_partner(program: Program) -> Organization | None:
    return lead_of(partner_links(program))


def partner_organizations(program: Program) -> list[Organization]:
    """Who can send the program's grant a letter of support: its partners, by name."""
    return [link.organization for link in partner_links(program)]
