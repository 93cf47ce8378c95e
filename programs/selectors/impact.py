"""The impact summary: what one program, or one partner and the library, achieved in a period.

Built once here for the impact page and for the progress-update email, so both tell the same
story from the same numbers. No requests and no HTML: plain data in dataclasses.

Days are the current time zone's days: a session at 23:30 on the last day of the period counts,
although it is stored as the next day in UTC. The email task activates its recipient's zone.

The cost is fixed: five queries for a program, six for an organization, however many programs,
sessions, outcomes and stories there are, and each goes through an index on the program or the
organization, so it does not grow with the rest of the data either. Every query is compiled
once per process (core.prepared): an impact page and a draft update's preview read them all.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.periods import local_bounds, month_label, months, period_in_words
from core.prepared import Prepared
from outreach.models import Meeting, Touchpoint
from partners.models import Organization
from programs.models import Outcome, Program, ProgramPartner, ProgramSession, Story

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# Past five years of months the chart shows one bar per year instead: still readable.
MAX_MONTH_POINTS = 60

# A program with no recorded activity in the period still belongs in a partner's summary while
# it was running: a joint grant or a shared resource has no sessions to show.
RUNNING_STATUSES = (Program.Status.PLANNING, Program.Status.ACTIVE, Program.Status.COMPLETED)
OPEN_ENDED_STATUSES = (Program.Status.PLANNING, Program.Status.ACTIVE)


@dataclass(frozen=True)
class ProgramImpact:
    """One program's share of the summary."""

    program: Program
    # The organization's role in this program ("Co-host"); "" in a program's own summary.
    role: str
    sessions: int
    attendance: int
    # Sessions held in the period with no head count yet; left out of `attendance`.
    unknown_attendance: int
    outcomes: list[Outcome]
    # Only stories told with consent to share.
    stories: list[Story]
    partners: list[ProgramPartner]


@dataclass(frozen=True)
class ImpactSummary:
    start: dt.date
    end: dt.date
    program: Program | None
    organization: Organization | None
    programs: list[ProgramImpact]
    sessions: int
    attendance: int
    unknown_attendance: int
    outcomes: int
    stories: int
    # [("Jan 2026", 42), …]: every month of the period, or every year past MAX_MONTH_POINTS.
    attendance_over_time: list[tuple[str, int]] = field(default_factory=list)
    # What one point of attendance_over_time covers: "month" or "year".
    over_time_by: str = "month"
    # Only for an organization: how often the library was in touch, and met, in the period.
    touchpoints: int | None = None
    meetings: int | None = None

    @property
    def heading(self) -> str:
        if self.organization is not None:
            return f"What {self.organization.name} and the library did together"
        assert self.program is not None
        return f"Impact of {self.program.title}"

    @property
    def period_in_words(self) -> str:
        return period_in_words(self.start, self.end)

    @property
    def people_reached(self) -> int:
        return self.attendance


def _over_time(
    start: dt.date, end: dt.date, by_month: dict[tuple[int, int], int]
) -> tuple[list[tuple[str, int]], str]:
    """Every month of the period with its attendance, zeros included; years for long periods."""
    every_month = months(start, end)
    if len(every_month) <= MAX_MONTH_POINTS:
        points = [
            (month_label(month), by_month.get((month.year, month.month), 0))
            for month in every_month
        ]
        return points, "month"
    by_year: dict[int, int] = {}
    for (year, _month), people in by_month.items():
        by_year[year] = by_year.get(year, 0) + people
    return [(str(year), by_year.get(year, 0)) for year in range(start.year, end.year + 1)], "year"


class PeriodRows(TypedDict):
    """What _programs prefetches onto each program: its rows of the period."""

    period_outcomes: list[Outcome]
    period_stories: list[Story]
    partner_roles: list[ProgramPartner]


def _program(program_id: int) -> QuerySet[Program]:
    return Program.objects.filter(pk=program_id)


def _partner_programs(
    organization_id: int, start: dt.date, end: dt.date, lo: dt.datetime, hi: dt.datetime
) -> QuerySet[Program]:
    """The organization's programs with a session, an outcome or a consented story in the
    period, or running then."""
    sessions = ProgramSession.objects.filter(
        program=OuterRef("pk"), starts_at__gte=lo, starts_at__lt=hi
    )
    outcomes = Outcome.objects.filter(
        program=OuterRef("pk"), measured_on__gte=start, measured_on__lte=end
    )
    stories = Story.objects.filter(
        program=OuterRef("pk"), consent_to_share=True, told_on__gte=start, told_on__lte=end
    )
    running = Q(status__in=RUNNING_STATUSES, start_date__lte=end) & (
        Q(end_date__gte=start) | Q(end_date__isnull=True, status__in=OPEN_ENDED_STATUSES)
    )
    return (
        Program.objects.filter(
            pk__in=ProgramPartner.objects.filter(organization_id=organization_id).values(
                "program_id"
            )
        )
        .filter(Exists(sessions) | Exists(outcomes) | Exists(stories) | running)
        .order_by(F("start_date").desc(nulls_last=True), "title", "pk")
    )


# Each read by every impact page and progress update: compiled once per process (core.prepared).
_PROGRAM = Prepared(_program)
_PARTNER_PROGRAMS = Prepared(_partner_programs)
_OUTCOMES = Prepared(
    lambda program_ids, start, end: Outcome.objects.filter(
        program_id__any_of=program_ids, measured_on__gte=start, measured_on__lte=end
    ).order_by("measured_on", "metric", "pk")
)
_STORIES = Prepared(
    lambda program_ids, start, end: Story.objects.filter(
        program_id__any_of=program_ids, consent_to_share=True, told_on__gte=start, told_on__lte=end
    ).order_by("told_on", "pk")
)
_PARTNER_ROLES = Prepared(
    lambda program_ids: (
        ProgramPartner.objects.filter(program_id__any_of=program_ids)
        .select_related("organization")
        .order_by("role", "organization__name", "pk")
    )
)


def _by_program(rows: list[Any]) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = {}
    for row in rows:
        found.setdefault(row.program_id, []).append(row)
    return found


def _programs(
    *,
    program: Program | None,
    organization: Organization | None,
    start: dt.date,
    end: dt.date,
    lo: dt.datetime,
    hi: dt.datetime,
) -> "list[WithAnnotations[Program, PeriodRows]]":
    """The programs of the summary, each with its outcomes and consented stories of the period
    and its partners' roles (PeriodRows): four queries, whatever the number of programs."""
    if program is not None:
        programs = _PROGRAM.objects(program_id=program.pk)
    else:
        assert organization is not None
        programs = _PARTNER_PROGRAMS.objects(
            organization_id=organization.pk, start=start, end=end, lo=lo, hi=hi
        )
    if not programs:
        return []
    ids = [each.pk for each in programs]
    outcomes = _by_program(_OUTCOMES.objects(program_ids=ids, start=start, end=end))
    stories = _by_program(_STORIES.objects(program_ids=ids, start=start, end=end))
    roles = _by_program(_PARTNER_ROLES.objects(program_ids=ids))
    for each in programs:
        each.period_outcomes = outcomes.get(each.pk, [])
        each.period_stories = stories.get(each.pk, [])
        each.partner_roles = roles.get(each.pk, [])
    return programs


def _count(queryset: QuerySet) -> Subquery:
    """`SELECT COUNT(*)` of `queryset` as a value in another query."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def _contact_counts(
    organization_id: int, start: dt.date, end: dt.date, lo: dt.datetime, hi: dt.datetime
) -> QuerySet[Organization, tuple[int, int, int]]:
    """Touchpoints with the organization in the period, and meetings held with it (its own and
    those it joined), in one row; each count goes through its own index."""
    held = Meeting.objects.filter(status=Meeting.Status.HELD, starts_at__gte=lo, starts_at__lt=hi)
    joined = held.filter(
        pk__in=Meeting.other_organizations.through.objects.filter(
            organization_id=organization_id
        ).values("meeting_id")
    ).exclude(organization_id=organization_id)
    return (
        Organization.objects.filter(pk=organization_id)
        .annotate(
            touchpoints_in_period=_count(
                Touchpoint.objects.filter(
                    organization_id=organization_id, occurred_on__gte=start, occurred_on__lte=end
                )
            ),
            own_meetings=_count(held.filter(organization_id=organization_id)),
            joined_meetings=_count(joined),
        )
        .values_list("touchpoints_in_period", "own_meetings", "joined_meetings")
    )


_CONTACT_COUNTS = Prepared(_contact_counts)


def _contact(
    organization: Organization, start: dt.date, end: dt.date, lo: dt.datetime, hi: dt.datetime
) -> tuple[int, int]:
    """Touchpoints with the organization in the period, and meetings held with it."""
    ((touchpoints, own, joined),) = _CONTACT_COUNTS.objects(
        organization_id=organization.pk, start=start, end=end, lo=lo, hi=hi
    )
    return touchpoints, own + joined


def _sessions_by_month(
    program_ids: list[int], lo: dt.datetime, hi: dt.datetime
) -> QuerySet[ProgramSession, dict[str, Any]]:
    """Sessions, people and sessions without a head count, per program and local month."""
    return (
        ProgramSession.objects.filter(
            program_id__any_of=program_ids, starts_at__gte=lo, starts_at__lt=hi
        )
        .annotate(month=TruncMonth("starts_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("program_id", "month")
        .annotate(
            sessions=Count("pk"),
            people=Sum("attendance"),
            unknown=Count("pk", filter=Q(attendance__isnull=True)),
        )
    )


# Compiled once per process and time zone (core.prepared).
_SESSIONS_BY_MONTH = Prepared(_sessions_by_month)


def impact_subject(
    *, program_id: int | None = None, organization_id: int | None = None
) -> Program | Organization | None:
    """The program or the organization an impact summary is asked for, None if there is none."""
    if program_id is not None:
        found = _SUBJECT_PROGRAM.objects(pk=program_id)
    else:
        found = _SUBJECT_ORGANIZATION.objects(pk=organization_id)
    return found[0] if found else None


# Compiled once per process (core.prepared): every impact summary reads one.
_SUBJECT_PROGRAM = Prepared(lambda pk: Program.objects.filter(pk=pk))
_SUBJECT_ORGANIZATION = Prepared(lambda pk: Organization.objects.filter(pk=pk))


def impact_summary(
    *,
    program: Program | None = None,
    organization: Organization | None = None,
    start: dt.date,
    end: dt.date,
) -> ImpactSummary:
    """Sessions, attendance, outcomes and consented stories from `start` to `end` inclusive.

    For a program: that program. For an organization: every program it is a partner in that
    had a session, an outcome or a consented story in the period, or was running then (its
    dates overlap the period), with the organization's role in each, plus how many touchpoints
    and held meetings the library had with it.
    """
    if (program is None) == (organization is None):
        raise ValueError("Give exactly one of program and organization.")
    if end < start:
        raise ValueError("The period ends before it starts.")
    lo, hi = local_bounds(start, end)
    programs = _programs(
        program=program, organization=organization, start=start, end=end, lo=lo, hi=hi
    )

    # One grouped query: per program and local month, so both the sections and the chart add up.
    zone = timezone.get_current_timezone()
    stats = {p.pk: {"sessions": 0, "attendance": 0, "unknown": 0} for p in programs}
    by_month: dict[tuple[int, int], int] = {}
    if programs:
        rows = _SESSIONS_BY_MONTH.objects(program_ids=list(stats), lo=lo, hi=hi)
        for row in rows:
            people = row["people"] or 0
            counts = stats[row["program_id"]]
            counts["sessions"] += row["sessions"]
            counts["attendance"] += people
            counts["unknown"] += row["unknown"]
            month = timezone.localtime(row["month"], zone)
            by_month[month.year, month.month] = by_month.get((month.year, month.month), 0) + people

    impacts = []
    for each in programs:
        role = ""
        if organization is not None:
            role = next(
                (
                    partner.get_role_display()
                    for partner in each.partner_roles
                    if partner.organization_id == organization.pk
                ),
                "",
            )
        counts = stats[each.pk]
        impacts.append(
            ProgramImpact(
                program=each,
                role=role,
                sessions=counts["sessions"],
                attendance=counts["attendance"],
                unknown_attendance=counts["unknown"],
                outcomes=each.period_outcomes,
                stories=each.period_stories,
                partners=each.partner_roles,
            )
        )

    touchpoints = meetings = None
    if organization is not None:
        touchpoints, meetings = _contact(organization, start, end, lo, hi)

    over_time, over_time_by = _over_time(start, end, by_month)
    return ImpactSummary(
        start=start,
        end=end,
        program=(programs[0] if programs else program) if program is not None else None,
        organization=organization,
        programs=impacts,
        sessions=sum(i.sessions for i in impacts),
        attendance=sum(i.attendance for i in impacts),
        unknown_attendance=sum(i.unknown_attendance for i in impacts),
        outcomes=sum(len(i.outcomes) for i in impacts),
        stories=sum(len(i.stories) for i in impacts),
        attendance_over_time=over_time,
        over_time_by=over_time_by,
        touchpoints=touchpoints,
        meetings=meetings,
    )
