"""Reads for the program pages: the list, the detail page and the choices of the program form."""

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple, TypedDict

from django.db import models
from django.db.models import (
    Case,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import formats, timezone

from core.aggregates import JoinedNames
from core.history_entries import HistorySource
from core.prepared import (
    Prepared,
    PreparedList,
    PreparedLists,
    filter_values,
    keep_prefetched,
)
from core.sorting import SortColumn, Sorting
from core.unions import ColumnType, column, loaded, union_part
from outreach.models import Meeting
from partners.models import FocusArea, Organization, full_text_filter, search_words
from partners.tags import joined_tags
from programs.models import (
    GrantDeliverable,
    Outcome,
    Program,
    ProgramPartner,
    ProgramSession,
    Story,
    SupportLetter,
    SurveyResult,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

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


# What a row of the program list shows (the long texts stay in the table).
PROGRAM_LIST_FIELDS = (
    "title",
    "kind",
    "status",
    "start_date",
    "end_date",
    "lead__first_name",
    "lead__last_name",
    "lead__username",
)


# 2,000 programs at 10,000 partners: each order sorts them in a few ms (Status reads
# program_status_start). Undated programs last either way; title, then pk, break ties.
PROGRAM_SORTING = Sorting(
    SortColumn("title", "Program", ("title", "pk")),
    SortColumn("kind", "Kind", ("kind", "title", "pk"), ("-kind", "title", "pk")),
    SortColumn(
        "status",
        "Status",
        ("status", F("start_date").desc(nulls_last=True), "title", "pk"),
        ("-status", F("start_date").desc(nulls_last=True), "title", "pk"),
    ),
    SortColumn(
        "dates",
        "Dates",
        (F("start_date").asc(nulls_last=True), "title", "pk"),
        (F("start_date").desc(nulls_last=True), "title", "pk"),
    ),
    SortColumn(
        "lead",
        "Lead",
        ("lead__first_name", "lead__last_name", "lead__username", "title", "pk"),
        ("-lead__first_name", "-lead__last_name", "-lead__username", "title", "pk"),
    ),
    SortColumn("partners", "Partners"),  # several names: no order of their own
    SortColumn(
        "attendance",
        "Attendance",
        (F("total_attendance").asc(nulls_first=True), "title", "pk"),
        (F("total_attendance").desc(nulls_last=True), "title", "pk"),
        css="text-end",
    ),
    default="-dates",
)


def _programs(
    sort: str,
    *,
    status: str | None = None,
    kind: str | None = None,
    focus_area_id: int | None = None,
    tag_id: int | None = None,
    year_start: dt.date | None = None,
    next_year_start: dt.date | None = None,
) -> QuerySet[Program]:
    """The list's programs narrowed by its filters but the texts (title, partner), in `sort`
    order. A year is running at some point of it: from `year_start` to `next_year_start`.

    Total attendance is a subquery per row rather than a Sum over a join: joined with the
    partners (or anything else) the sessions would be counted once per partner. The partners'
    names come the same way, in the one query (`partner_names`, for core.aggregates.split_names).
    """
    attendance = (
        ProgramSession.objects.filter(program=OuterRef("pk"))
        .order_by()
        .values("program")
        .annotate(total=Sum("attendance"))
        .values("total")
    )
    partner_names = (
        ProgramPartner.objects.filter(program=OuterRef("pk"))
        .order_by()
        .values("program")
        .annotate(names=JoinedNames("organization__name"))
        .values("names")
    )
    qs = (
        Program.objects.select_related("lead")
        .only(*PROGRAM_LIST_FIELDS)
        .annotate(total_attendance=Subquery(attendance), partner_names=Subquery(partner_names))
    )
    if status is not None:
        qs = qs.filter(status=status)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if focus_area_id is not None:
        # A subquery, not a join: no duplicate rows to remove.
        tagged = Program.focus_areas.through.objects.filter(focusarea_id=focus_area_id)
        qs = qs.filter(pk__in=tagged.values("program_id"))
    if tag_id is not None:
        with_tag = Program.tags.through.objects.filter(tag_id=tag_id)
        qs = qs.filter(pk__in=with_tag.values("program_id"))
    if year_start is not None and next_year_start is not None:
        # A program without a start date has no year.
        qs = qs.filter(start_date__lt=next_year_start).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=year_start)
        )
    return qs.order_by(*PROGRAM_SORTING.order_by(sort))


def _list_values(filters: dict[str, Any]) -> dict[str, Any]:
    """The list's filters but the texts, as values of a prepared query; a year as its first day
    and the next year's."""
    values = filter_values(filters, values=("status", "kind"), records=("focus_area", "tag"))
    if filters.get("year"):
        values["year_start"] = dt.date(filters["year"], 1, 1)
        values["next_year_start"] = dt.date(filters["year"] + 1, 1, 1)
    return values


def program_list(filters: dict[str, Any]) -> QuerySet[Program]:
    """Programs newest first (or as sorted), from the filter form's cleaned data: the list page
    (program_page_list) and the export."""
    qs = _programs(filters.get("sort") or "", **_list_values(filters))
    partner = (filters.get("partner") or "").strip()
    if search_words(partner):
        named = Organization.objects.filter(full_text_filter("name", partner)).values("pk")
        with_partner = ProgramPartner.objects.filter(organization__in=named)
        qs = qs.filter(pk__in=with_partner.values("program_id"))
    text = (filters.get("q") or "").strip()
    if text:
        qs = qs.filter(title__icontains=text)
    return qs


# The list page's rows in each of its orders, and their ids for its count: compiled once per
# process for each set of filters in use (core.prepared).
_LIST = PreparedLists(_programs)


def program_page_list(filters: dict[str, Any]) -> "QuerySet[Program] | PreparedList":
    """What the list page pages through: program_list's rows, read through prepared queries
    unless the list is searched by a title or a partner (words are no values to compile with)."""
    if (filters.get("q") or "").strip() or (filters.get("partner") or "").strip():
        return program_list(filters)
    sort = PROGRAM_SORTING.chosen(filters.get("sort"))
    return _LIST.of(sort, **_list_values(filters))


class FocusAreaNames(TypedDict):
    focus_area_names: str | None  # core.aggregates.split_names reads it
    tag_labels: str | None  # partners.tags.tags_from_joined reads it


def program_detail(pk: int) -> "WithAnnotations[Program, FocusAreaNames]":
    """One program with everything its page and the partials it includes show.

    The grant panel reads `program.grant…`: its deliverables and letters are read here too, so
    including it adds no queries. The focus areas' names come in the program's own query; its
    partners, sessions, and the grant's deliverables and letters in one query each, all
    compiled once per process (core.prepared); its outcomes, stories and survey results in one
    more (program_results).
    """
    program = _PROGRAM_PAGE.one(pk=pk)
    keep_prefetched(program, "program_partners", _PARTNERS.objects(program_id=pk))
    keep_prefetched(program, "sessions", _SESSIONS.objects(program_id=pk))
    grant = getattr(program, "grant", None)  # loaded with the program, or none
    if grant is not None:
        keep_prefetched(grant, "deliverables", _DELIVERABLES.objects(grant_id=grant.pk))
        keep_prefetched(grant, "letters", _LETTERS.objects(grant_id=grant.pk))
    return program


def _program_page(pk: int) -> QuerySet[Program]:
    focus_areas = (
        FocusArea.objects.filter(programs=OuterRef("pk"))
        .order_by()
        .values("programs")
        .annotate(names=JoinedNames("name"))
        .values("names")
    )
    return (
        Program.objects.select_related("lead", "grant")
        .annotate(
            focus_area_names=Subquery(focus_areas),
            tag_labels=joined_tags(Program.tags.through, "program_id"),
        )
        .filter(pk=pk)
    )


# Compiled once per process (core.prepared): every program's page reads them.
_PROGRAM_PAGE = Prepared(_program_page)
_PARTNERS = Prepared(lambda program_id: _partners_in_role_order().filter(program_id=program_id))
_SESSIONS = Prepared(
    lambda program_id: (
        ProgramSession.objects.filter(program_id=program_id)
        .select_related("meeting")
        .order_by("starts_at", "pk")
    )
)
# Each deliverable with its owner and follow-up, each letter with its organization, in their
# models' order.
_DELIVERABLES = Prepared(
    lambda grant_id: GrantDeliverable.objects.filter(grant_id=grant_id).select_related(
        "owner", "followup"
    )
)
_LETTERS = Prepared(
    lambda grant_id: SupportLetter.objects.filter(grant_id=grant_id).select_related("organization")
)


class Results(NamedTuple):
    outcomes: list[Outcome]
    stories: list[Story]
    surveys: list[SurveyResult]


# A program's outcomes, stories and survey results, read in one query (core.unions), each kind
# in its own order (its rank).
RESULT_COLUMNS: dict[str, ColumnType] = {
    "kind": models.CharField,
    "rank": models.IntegerField,
    "id": models.IntegerField,
    "value": Outcome._meta.get_field("value"),  # Outcome.value's digits
    "text": models.TextField,  # metric, story, file name
    "note": models.TextField,  # an outcome's note, who told a story
    "unit": models.CharField,
    "method": models.CharField,
    "day": models.DateField,
    "consent_to_share": models.BooleanField,
    "responses": models.IntegerField,
    "uploaded_at": models.DateTimeField,
}


def _result_rows(qs: QuerySet, kind: str, order: list[str], **values: Any) -> QuerySet:
    rank = Window(RowNumber(), order_by=order)
    return union_part(qs, RESULT_COLUMNS, kind=Value(kind), rank=rank, id="pk", **values)


def _results_of(program_id: int) -> QuerySet:
    """A program's outcomes, stories and survey results as rows of RESULT_COLUMNS, each kind in
    its own order."""
    return (
        _result_rows(
            Outcome.objects.filter(program_id=program_id),
            "outcome",
            ["-measured_on", "pk"],
            value="value",
            text="metric",
            note="note",
            unit="unit",
            method="method",
            day="measured_on",
        )
        .union(
            _result_rows(
                Story.objects.filter(program_id=program_id),
                "story",
                ["-told_on", "pk"],
                text="text",
                note="who",
                day="told_on",
                consent_to_share="consent_to_share",
            ),
            _result_rows(
                SurveyResult.objects.filter(program_id=program_id),
                "survey",
                ["-uploaded_at", "-pk"],
                text="original_name",
                responses="responses",
                uploaded_at="uploaded_at",
            ),
            all=True,
        )
        .order_by(column("kind"), column("rank"))
    )


# Compiled once per process (core.prepared): the page puts in its program's id.
RESULTS = Prepared(_results_of)


def program_results(program: Program) -> Results:
    """The program's outcomes (latest measured first), stories (latest told first) and survey
    results (latest uploaded first), all of them, in one query."""
    results = Results([], [], [])
    for (
        kind,
        _rank,
        pk,
        value,
        text,
        note,
        unit,
        method,
        day,
        consent,
        responses,
        uploaded_at,
    ) in RESULTS.rows(limit=None, program_id=program.pk):
        if kind == "outcome":
            results.outcomes.append(
                loaded(
                    Outcome,
                    id=pk,
                    metric=text,
                    value=value,
                    unit=unit,
                    method=method,
                    measured_on=day,
                    note=note,
                )
            )
        elif kind == "story":
            results.stories.append(
                loaded(Story, id=pk, text=text, who=note, told_on=day, consent_to_share=consent)
            )
        else:
            results.surveys.append(
                loaded(
                    SurveyResult,
                    id=pk,
                    original_name=text,
                    responses=responses,
                    uploaded_at=uploaded_at,
                )
            )
    return results


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


def _reach(sessions: list[ProgramSession]) -> Reach:
    counted = [s.attendance for s in sessions if s.attendance is not None]
    return Reach(attendance=sum(counted), sessions=len(sessions), counted_sessions=len(counted))


def _points(sessions: list[ProgramSession]) -> list[tuple[str, int]]:
    points = []
    for session in sessions:
        if session.attendance is None:
            continue
        label = formats.date_format(timezone.localtime(session.starts_at), "M j, Y")
        points.append((label, session.attendance))
    return points


def total_reach(program: Program) -> Reach:
    """From the prefetched sessions: people reached, sessions held, sessions with a head count."""
    return _reach(list(program.sessions.all()))


def attendance_points(program: Program) -> list[tuple[str, int]]:
    """(label, attendance) per session with a head count, in date order, for the chart."""
    return _points(list(program.sessions.all()))


def session_row(pk: int) -> ProgramSession:
    """A session with what its row on the program's page shows (its meeting) and its program."""
    return ProgramSession.objects.select_related("meeting", "program").get(pk=pk)


def attendance_totals(program: Program) -> tuple[Reach, list[tuple[str, int]]]:
    """The reach and the chart's points of the program's page, read again after a head count
    changed: one query."""
    sessions = list(
        ProgramSession.objects.filter(program=program)
        .order_by("starts_at", "pk")
        .only("starts_at", "attendance")
    )
    return _reach(sessions), _points(sessions)


def meetings_with(organization_ids: Iterable[int]) -> Q:
    """Meetings with these organizations, as the host or as another partner in it."""
    ids = list(organization_ids)
    own = Meeting.objects.filter(organization_id__any_of=ids).order_by().values("pk")
    joint = Meeting.other_organizations.through.objects.filter(organization_id__any_of=ids)
    # One IN over a UNION, not two INs joined by OR: PostgreSQL reads that by scanning every
    # meeting, this through the two indexes.
    return Q(pk__in=own.union(joint.order_by().values("meeting_id"), all=True))


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
        meetings_with(organization_ids)
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
