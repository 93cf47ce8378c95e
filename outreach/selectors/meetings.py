"""Reads for the meeting pages and the calendar feed, each covered by a query-count test."""

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone

from core.periods import local_bounds
from core.sorting import SortColumn, Sorting
from outreach.models import FollowUp, Meeting
from partners.models import Organization

# How far back the private calendar feed reaches: enough for "what did we discuss last month".
FEED_PAST_DAYS = 90
# Further partners offered by the search box of the meeting form.
ORGANIZATION_MATCHES = 10
# A day of the month calendar shows this many meetings, then "+N more" (that day's list).
CALENDAR_DAY_MEETINGS = 3


def _attended_by(user: User) -> Q:
    # A subquery rather than a join: no duplicate rows, so no DISTINCT over the whole row.
    return Q(pk__in=Meeting.staff.through.objects.filter(user=user).values("meeting_id"))


# What a row of the meeting lists shows.
MEETING_LIST_FIELDS = ("title", "starts_at", "ends_at", "status", "organization__name")


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


def meeting_list(
    *,
    user: User,
    past: bool = False,
    mine: bool = False,
    day: dt.date | None = None,
    sort: str | None = None,
) -> QuerySet[Meeting]:
    """Upcoming meetings soonest first, or past ones newest first, cancelled ones included; or,
    with `day`, that day's meetings (in the current time zone), past or not, in time order;
    or as `sort` says (MEETING_SORTING)."""
    now = timezone.now()
    # The partners' names only: not their profiles' long texts.
    partners = Organization.objects.only("pk", "name")
    qs = (
        Meeting.objects.select_related("organization")
        .only(*MEETING_LIST_FIELDS)
        .prefetch_related(Prefetch("other_organizations", queryset=partners))
    )
    if mine:
        qs = qs.filter(_attended_by(user))
    order = MEETING_SORTING.order_by(sort, "-when" if past else "when")
    if day is not None:
        start, end = local_bounds(day, day)
        return qs.filter(starts_at__gte=start, starts_at__lt=end).order_by(*order)
    if past:
        return qs.filter(starts_at__lt=now).order_by(*order)
    return qs.filter(starts_at__gte=now).order_by(*order)


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
    """One meeting with its partners, attendees and logged touchpoint, in a fixed query count."""
    return (
        Meeting.objects.select_related("organization", "created_by", "touchpoint")
        .prefetch_related("other_organizations", "contacts", "staff")
        .get(pk=pk)
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
