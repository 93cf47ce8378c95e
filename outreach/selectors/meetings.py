"""Reads for the meeting pages and the calendar feed, each covered by a query-count test."""

import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone

from core.periods import local_bounds
from core.prepared import Prepared, PreparedList, PreparedLists, keep_prefetched
from core.sorting import SortColumn, Sorting
from outreach.models import FollowUp, Meeting
from partners.models import Contact, Organization

# How far back the private calendar feed reaches: enough for "what did we discuss last month".
FEED_PAST_DAYS = 90
# Further partners offered by the search box of the meeting form.
ORGANIZATION_MATCHES = 10
# A day of the month calendar shows this many meetings, then "+N more" (that day's list).
CALENDAR_DAY_MEETINGS = 3


def _attended_by(user: User) -> Q:
    # A subquery rather than a join: no duplicate rows, so no DISTINCT over the whole row.
    return Q(pk__in=Meeting.staff.through.objects.filter(user=user).values("meeting_id"))


# What a row of the meeting lists shows; its partner's name is read apart (with_partners).
MEETING_LIST_FIELDS = ("title", "starts_at", "ends_at", "status", "organization")


# By start time through meeting_start; the others sort the upcoming or past meetings (8,000 in
# all at 10,000 partners: a few ms), in time order within a title, a partner or a status.
MEETING_SORTING = Sorting(
    SortColumn("when", "When", ("starts_at", "pk")),
    SortColumn("title", "Meeting", ("title", "starts_at", "pk")),
    SortColumn(
        "organization",
        "With",
        ("organization__name", "organization_id", "starts_at", "pk"),
        ("-organization__name", "-organization_id", "starts_at", "pk"),
    ),
    SortColumn("status", "Status", ("status", "starts_at", "pk"), ("-status", "starts_at", "pk")),
    default="when",
)


def _meetings(
    sort: str,
    *,
    since: dt.datetime | None = None,
    before: dt.datetime | None = None,
    user_id: int | None = None,
) -> QuerySet[Meeting]:
    """The meetings from `since` and before `before`, those `user_id` attends only if given, in
    `sort` order (MEETING_SORTING); their partners are read apart (with_partners), by id: the
    plan compiled once for every page (core.prepared) hashed all 10,000 organizations' names to
    name a page's 25 partners (joined only to sort by their names)."""
    qs = Meeting.objects.only(*MEETING_LIST_FIELDS)
    if user_id is not None:
        # A subquery rather than a join: no duplicate rows, so no DISTINCT over the whole row.
        qs = qs.filter(
            pk__in=Meeting.staff.through.objects.filter(user_id=user_id).values("meeting_id")
        )
    if since is not None:
        qs = qs.filter(starts_at__gte=since)
    if before is not None:
        qs = qs.filter(starts_at__lt=before)
    return qs.order_by(*MEETING_SORTING.order_by(sort))


# The list in each order, and its ids for the count: compiled once per process for each set
# of filters in use (core.prepared).
_MEETING_LISTS = PreparedLists(_meetings)


def meeting_list(
    *,
    user: User,
    past: bool = False,
    mine: bool = False,
    day: dt.date | None = None,
    sort: str | None = None,
) -> PreparedList:
    """Upcoming meetings soonest first, or past ones newest first, cancelled ones included; or,
    with `day`, that day's meetings (in the current time zone), past or not, in time order;
    or as `sort` says (MEETING_SORTING). A page at a time, through prepared queries."""
    values: dict[str, Any] = {}
    if day is not None:
        values["since"], values["before"] = local_bounds(day, day)
    elif past:
        values["before"] = timezone.now()
    else:
        values["since"] = timezone.now()
    if mine:
        values["user_id"] = user.pk
    chosen = MEETING_SORTING.chosen(sort, "-when" if past else "when")
    return _MEETING_LISTS.of(chosen, **values)


def with_partners(page: Iterable[Meeting]) -> list[Meeting]:
    """The meetings of a page, each with its partner's name and its other partners' names (as
    other_organizations, by name): a query for each."""
    meetings = list(page)
    unnamed = {m.organization_id for m in meetings if not Meeting.organization.is_cached(m)}
    if unnamed:
        named = {o.pk: o for o in _NAMES.objects(organization_ids=sorted(unnamed))}
        for meeting in meetings:
            if meeting.organization_id in named:
                meeting.organization = named[meeting.organization_id]
    partners: dict[int, list[Organization]] = {meeting.pk: [] for meeting in meetings}
    if partners:
        for link in _JOINT_NAMES.objects(meeting_ids=list(partners)):
            partners[link.meeting_id].append(link.organization)
    for meeting in meetings:
        keep_prefetched(meeting, "other_organizations", partners[meeting.pk])
    return meetings


# Compiled once per process (core.prepared): every page of the meeting list reads them.
_NAMES = Prepared(
    lambda organization_ids: Organization.objects.filter(pk__any_of=organization_ids).only("name")
)
_JOINT_NAMES = Prepared(
    lambda meeting_ids: (
        Meeting.other_organizations.through.objects.filter(meeting_id__any_of=meeting_ids)
        .select_related("organization")
        .only("meeting_id", "organization__name")
        .order_by("organization__name", "organization_id")
    )
)


class CalendarDay(NamedTuple):
    meetings: list[Meeting]  # the first CALENDAR_DAY_MEETINGS, in time order
    total: int  # all of that day's meetings


def calendar_days(
    *,
    first_day: dt.date,
    last_day: dt.date,
    user: User,
    mine: bool = False,
    per_day: int = CALENDAR_DAY_MEETINGS,
) -> dict[dt.date, CalendarDay]:
    """The first `per_day` meetings of each day from first_day to last_day that has any, and
    how many it has, days in the current time zone, in one query: a page of at most 42 × 3
    meetings, however busy the days (a county-wide team's had 330 meetings)."""
    days = [first_day + dt.timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    if connection.vendor == "postgresql" and not mine:
        meetings: Iterable[Meeting] = _first_of_each_day(days, per_day)
    else:
        # One's own meetings in one pass: the query above would test each day's meetings
        # for the attendee twice, and a user attends a share of the meetings at most.
        meetings = _first_of_each_day_ranked(days, user if mine else None, per_day)
    shown: dict[dt.date, CalendarDay] = {}
    for meeting in meetings:
        day = timezone.localtime(meeting.starts_at).date()
        total: int = meeting.day_count  # type: ignore[attr-defined]
        shown.setdefault(day, CalendarDay([], total)).meetings.append(meeting)
    return shown


# For each day (its local midnights as [lo, hi)), how many meetings start in it and the first
# few: two index range scans on meeting_start a day, the second stopping after its LIMIT, so
# the month costs the same with 10 meetings a day or 300 (a ROW_NUMBER() over the six weeks'
# meetings sorted them all: 5 ms at 10,000 organizations, a tenth of that at 1,000).
FIRST_OF_EACH_DAY = """
SELECT m.id, m.title, m.starts_at, m.status, c.n AS day_count
FROM unnest(%(lo)s::timestamptz[], %(hi)s::timestamptz[]) AS d(lo, hi)
CROSS JOIN LATERAL (
    SELECT count(*) AS n FROM {meeting} WHERE starts_at >= d.lo AND starts_at < d.hi
) AS c
CROSS JOIN LATERAL (
    SELECT id, title, starts_at, status FROM {meeting}
    WHERE starts_at >= d.lo AND starts_at < d.hi
    ORDER BY starts_at, id LIMIT %(per_day)s
) AS m
ORDER BY m.starts_at, m.id
"""


def _first_of_each_day(days: list[dt.date], per_day: int) -> Iterable[Meeting]:
    bounds = [local_bounds(day, day) for day in days]
    sql = FIRST_OF_EACH_DAY.format(meeting=Meeting._meta.db_table)
    params = {"lo": [lo for lo, _ in bounds], "hi": [hi for _, hi in bounds], "per_day": per_day}
    return Meeting.objects.raw(sql, params)


def _first_of_each_day_ranked(
    days: list[dt.date], attendee: User | None, per_day: int
) -> QuerySet[Meeting]:
    """The same by ROW_NUMBER(), in one pass over the days' meetings (SQLite, a laptop's
    database, has no LATERAL)."""
    start, end = local_bounds(days[0], days[-1])
    qs = Meeting.objects.filter(starts_at__gte=start, starts_at__lt=end)
    if attendee is not None:
        qs = qs.filter(_attended_by(attendee))
    local_day = TruncDate("starts_at", tzinfo=timezone.get_current_timezone())
    ranked = qs.annotate(
        rank=Window(RowNumber(), partition_by=local_day, order_by=(F("starts_at"), F("pk"))),
        day_count=Window(Count("pk"), partition_by=local_day),
    ).filter(rank__lte=per_day)
    return ranked.only("pk", "title", "starts_at", "status").order_by("starts_at", "pk")


def meeting_detail(pk: int) -> Meeting:
    """One meeting with its partners, attendees and logged touchpoint, in four queries: the
    meeting, its other organizations and partner attendees (each in its model's own order, as
    prefetch_related reads them) and its staff, by name."""
    meeting = _MEETING_PAGE.one(pk=pk)
    keep_prefetched(meeting, "other_organizations", _JOINT_ORGANIZATIONS.objects(meeting_id=pk))
    keep_prefetched(meeting, "contacts", _PARTNER_ATTENDEES.objects(meeting_id=pk))
    keep_prefetched(meeting, "staff", _STAFF_ATTENDEES.objects(meeting_id=pk))
    return meeting


# Compiled once per process (core.prepared): every meeting's page reads them.
_MEETING_PAGE = Prepared(
    lambda pk: Meeting.objects.select_related("organization", "created_by", "touchpoint").filter(
        pk=pk
    )
)
_JOINT_ORGANIZATIONS = Prepared(
    lambda meeting_id: Organization.objects.filter(joint_meetings=meeting_id)
)
_PARTNER_ATTENDEES = Prepared(lambda meeting_id: Contact.objects.filter(meetings=meeting_id))
_STAFF_ATTENDEES = Prepared(
    lambda meeting_id: User.objects.filter(meetings=meeting_id).order_by(
        "first_name", "last_name", "username"
    )
)


def organization_matches(
    text: str, *, exclude: list[int], limit: int = ORGANIZATION_MATCHES
) -> list[Organization]:
    """Active organizations matching the search box, for the "other partners" checkboxes."""
    if not text.strip():
        return []
    qs = Organization.objects.active().search(text).exclude(pk__in=exclude)
    return list(qs.order_by("name", "pk")[:limit])


def feed_meetings(user: User) -> QuerySet[Meeting]:
    """The meetings in a user's private feed: attended or arranged, from 90 days ago on.

    Cancelled meetings stay in, marked cancelled, so that subscribed calendars drop them.
    """
    since = timezone.now() - dt.timedelta(days=FEED_PAST_DAYS)
    return (
        Meeting.objects.filter(_attended_by(user) | Q(created_by=user), starts_at__gte=since)
        .select_related("organization")
        .prefetch_related("other_organizations")
        .order_by("starts_at", "pk")
    )


def feed_followups(user: User) -> QuerySet[FollowUp]:
    """A user's open follow-ups, overdue ones included, for their private feed."""
    return (
        FollowUp.objects.filter(assignee=user, status=FollowUp.Status.OPEN)
        .select_related("organization")
        .order_by("due_on", "due_time", "pk")
    )
