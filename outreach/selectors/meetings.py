"""Reads for the meeting pages and the calendar feed, each covered by a query-count test."""

import datetime as dt
from collections import defaultdict

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.periods import local_bounds
from outreach.models import FollowUp, Meeting
from partners.models import Organization

# How far back the private calendar feed reaches: enough for "what did we discuss last month".
FEED_PAST_DAYS = 90
# Further partners offered by the search box of the meeting form.
ORGANIZATION_MATCHES = 10


def _attended_by(user: User) -> Q:
    # A subquery rather than a join: no duplicate rows, so no DISTINCT over the whole row.
    return Q(pk__in=Meeting.staff.through.objects.filter(user=user).values("meeting_id"))


def meeting_list(*, user: User, past: bool = False, mine: bool = False) -> QuerySet[Meeting]:
    """Upcoming meetings soonest first, or past ones newest first, cancelled ones included."""
    now = timezone.now()
    qs = Meeting.objects.select_related("organization").prefetch_related("other_organizations")
    if mine:
        qs = qs.filter(_attended_by(user))
    if past:
        return qs.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
    return qs.filter(starts_at__gte=now).order_by("starts_at", "pk")


def meetings_by_local_day(
    *, first_day: dt.date, last_day: dt.date, user: User, mine: bool = False
) -> dict[dt.date, list[Meeting]]:
    """Meetings starting on each day from first_day to last_day, days in the current time zone."""
    start, end = local_bounds(first_day, last_day)
    qs = Meeting.objects.filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "pk")
    if mine:
        qs = qs.filter(_attended_by(user))
    days: dict[dt.date, list[Meeting]] = defaultdict(list)
    for meeting in qs.only("pk", "title", "starts_at", "ends_at", "status"):
        days[timezone.localtime(meeting.starts_at).date()].append(meeting)
    return days


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
