"""Reads for the program pages: the list, the detail page and the choices of the program form."""

import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.utils import formats, timezone

from core.history_entries import HistorySource
from core.periods import local_bounds
from outreach.models import Meeting, Touchpoint
from partners.models import Organization, full_text_filter, search_words
from programs.models import (
    GrantDeliverable,
    Program,
    ProgramPartner,
    ProgramSession,
    SupportLetter,
    SurveyResult,
)

# "Related touchpoints and meetings" on the detail page: the newest few of each.
RELATED_LIMIT = 10
# Meetings offered for linking a session: those of the partners within a year either side.
MEETING_WINDOW = dt.timedelta(days=366)
MEETING_CHOICES_LIMIT = 200
# Partners in the order of their roles' importance, not alphabetically by role code.
ROLE_ORDER = Case(
    *(When(role=role, then=Value(i)) for i, role in enumerate(ProgramPartner.Role.values)),
    default=Value(len(ProgramPartner.Role.values)),
    output_field=IntegerField(),
)


def _partners_in_role_order() -> QuerySet[ProgramPartner]:
    return (
        ProgramPartner.objects.select_related("organization")
        .annotate(role_order=ROLE_ORDER)
        .order_by("role_order", "organization__name", "pk")
    )


def program_list(filters: dict[str, Any]) -> QuerySet[Program]:
    """Programs newest first, from the filter form's cleaned data.

    Total attendance is a subquery per row rather than a Sum over a join: joined with the
    partners (or anything else) the sessions would be counted once per partner.
    """
    attendance = (
        ProgramSession.objects.filter(program=OuterRef("pk"))
        .order_by()
        .values("program")
        .annotate(total=Sum("attendance"))
        .values("total")
    )
    qs = (
        Program.objects.select_related("lead")
        .annotate(total_attendance=Subquery(attendance))
        .prefetch_related(
            Prefetch("partners", queryset=Organization.objects.only("pk", "name").order_by("name"))
        )
    )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("focus_area"):
        # A subquery, not a join: no duplicate rows to remove.
        tagged = Program.focus_areas.through.objects.filter(focusarea=filters["focus_area"])
        qs = qs.filter(pk__in=tagged.values("program_id"))
    partner = (filters.get("partner") or "").strip()
    if search_words(partner):
        named = Organization.objects.filter(full_text_filter("name", partner)).values("pk")
        with_partner = ProgramPartner.objects.filter(organization__in=named)
        qs = qs.filter(pk__in=with_partner.values("program_id"))
    if filters.get("year"):
        # Running at some point of that year; a program without a start date has no year.
        year = filters["year"]
        qs = qs.filter(start_date__lt=dt.date(year + 1, 1, 1)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=dt.date(year, 1, 1))
        )
    text = (filters.get("q") or "").strip()
    if text:
        qs = qs.filter(title__icontains=text)
    # Undated programs last on every database; pk last for a stable order across pages.
    return qs.order_by(F("start_date").desc(nulls_last=True), "title", "pk")


def program_detail(pk: int) -> Program:
    """One program with everything its page and the partials it includes show.

    The grant panel and the surveys partial read `program.grant…` and `program.surveys`: they
    are prefetched here, so including them adds no queries.
    """
    return (
        Program.objects.select_related("lead", "grant")
        .prefetch_related(
            "focus_areas",
            Prefetch("program_partners", queryset=_partners_in_role_order()),
            Prefetch(
                "sessions",
                queryset=ProgramSession.objects.select_related("meeting").order_by(
                    "starts_at", "pk"
                ),
            ),
            "outcomes",
            "stories",
            Prefetch(
                "surveys",
                queryset=SurveyResult.objects.select_related("uploaded_by").order_by(
                    "-uploaded_at", "-pk"
                ),
            ),
            # grant__deliverables__owner, __followup and grant__letters__organization, each
            # joined to its rows: two queries rather than five.
            Prefetch(
                "grant__deliverables",
                queryset=GrantDeliverable.objects.select_related("owner", "followup"),
            ),
            Prefetch(
                "grant__letters", queryset=SupportLetter.objects.select_related("organization")
            ),
        )
        .get(pk=pk)
    )


def partners_for_form(program: Program) -> QuerySet[ProgramPartner]:
    if program.pk is None:
        return ProgramPartner.objects.none()
    return _partners_in_role_order().filter(program=program)


def sessions_for_form(program: Program) -> QuerySet[ProgramSession]:
    if program.pk is None:
        return ProgramSession.objects.none()
    return program.sessions.order_by("starts_at", "pk")


class Reach(NamedTuple):
    attendance: int
    sessions: int
    counted_sessions: int


def total_reach(program: Program) -> Reach:
    """From the prefetched sessions: people reached, sessions held, sessions with a head count."""
    sessions = list(program.sessions.all())
    counted = [s.attendance for s in sessions if s.attendance is not None]
    return Reach(attendance=sum(counted), sessions=len(sessions), counted_sessions=len(counted))


def attendance_points(program: Program) -> list[tuple[str, int]]:
    """(label, attendance) per session with a head count, in date order, for the chart."""
    points = []
    for session in program.sessions.all():
        if session.attendance is None:
            continue
        label = formats.date_format(timezone.localtime(session.starts_at), "M j, Y")
        points.append((label, session.attendance))
    return points


def _meetings_of(organization_ids: Iterable[int]) -> Q:
    ids = list(organization_ids)
    joint = Meeting.other_organizations.through.objects.filter(organization_id__in=ids)
    return Q(organization_id__in=ids) | Q(pk__in=joint.values("meeting_id"))


class Related(NamedTuple):
    rows: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def _newest(qs: QuerySet, limit: int) -> Related:
    # The total rides along as a window over the whole match, so one query gives both.
    rows = list(qs.annotate(total=Window(Count("pk")))[:limit])
    return Related(rows, rows[0].total if rows else 0)


def related_outreach(program: Program, *, limit: int = RELATED_LIMIT) -> dict[str, Related]:
    """Touchpoints and meetings of the program's partners within its dates, newest first."""
    partner_ids = [p.organization_id for p in program.program_partners.all()]
    if not partner_ids:
        return {"touchpoints": Related([], 0), "meetings": Related([], 0)}
    touchpoints = Touchpoint.objects.filter(organization_id__in=partner_ids)
    meetings = Meeting.objects.filter(_meetings_of(partner_ids))
    if program.start_date:
        touchpoints = touchpoints.filter(occurred_on__gte=program.start_date)
        meetings = meetings.filter(
            starts_at__gte=local_bounds(program.start_date, program.start_date)[0]
        )
    if program.end_date:
        touchpoints = touchpoints.filter(occurred_on__lte=program.end_date)
        meetings = meetings.filter(
            starts_at__lt=local_bounds(program.end_date, program.end_date)[1]
        )
    return {
        "touchpoints": _newest(
            touchpoints.select_related("organization", "staff").order_by(
                "-occurred_on", "-created_at", "-pk"
            ),
            limit,
        ),
        "meetings": _newest(
            meetings.select_related("organization").order_by("-starts_at", "-pk"), limit
        ),
    }


def session_meeting_choices(
    *, organization_ids: Iterable[int], linked_ids: Iterable[int] = ()
) -> list[Meeting]:
    """Meetings a session may be linked to: the partners' from a year ago to a year ahead.

    Meetings already linked stay offered whatever their date, so that editing a program never
    drops a link the librarian did not touch.
    """
    organization_ids, linked_ids = list(organization_ids), list(linked_ids)
    if not organization_ids and not linked_ids:
        return []
    now = timezone.now()
    nearby = (
        _meetings_of(organization_ids)
        & Q(starts_at__gte=now - MEETING_WINDOW)
        & Q(starts_at__lte=now + MEETING_WINDOW)
    )
    qs = (
        Meeting.objects.filter(nearby | Q(pk__in=linked_ids))
        .select_related("organization")
        .only("pk", "title", "starts_at", "organization__name")
    )
    # Linked meetings first, so that the limit can never drop one.
    linked_first = Case(When(pk__in=linked_ids, then=Value(0)), default=Value(1))
    return list(qs.order_by(linked_first, "-starts_at", "-pk")[:MEETING_CHOICES_LIMIT])


def organization_matches(text: str, *, limit: int = 8) -> list[Organization]:
    """Organizations whose name matches the text, for the partner picker and its errors."""
    if not search_words(text):
        return []
    qs = Organization.objects.filter(full_text_filter("name", text))
    return list(qs.only("pk", "name", "is_archived").order_by("is_archived", "name", "pk")[:limit])


def program_history(program: Program) -> list[HistorySource]:
    """What the program's History panel and page show: its own recorded changes."""
    return [HistorySource(Program.history.filter(id=program.pk))]
