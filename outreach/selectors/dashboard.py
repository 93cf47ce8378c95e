"""Reads for the outreach panels of the dashboard (outreach/panels.py).

Each is one query whose cost follows what is on the person's (or the team's) plate and the few
rows shown, not the size of the log: lists are capped and come with their totals, so a panel
shows its first rows and links to "all N". config/tests/test_dashboard.py counts the queries.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from core.prepared import Prepared
from outreach.models import FollowUp, Meeting, Touchpoint
from outreach.selectors.activity import quiet_partners_since, quiet_since
from outreach.selectors.followups import ROW_FIELDS, week_end
from partners.models import Organization

# Rows a dashboard list shows before its "all N" link.
LIST_LIMIT = 10
# Follow-ups shown in each of the overdue, today and this-week sections before "+N more".
PER_SECTION = 3


@dataclass(frozen=True)
class DueCounts:
    """How many open follow-ups one person has, in the dashboard's sections."""

    open: int
    overdue: int
    today: int
    this_week: int

    @property
    def due(self) -> int:
        """Due by the end of the rolling week: what the dashboard's list is made of."""
        return self.overdue + self.today + self.this_week

    def of(self, section: str) -> int:
        return {"overdue": self.overdue, "today": self.today, "this-week": self.this_week}.get(
            section, 0
        )


@dataclass
class Team:
    """A manager's view of the team (its panels come after the page: outreach.panels)."""

    # Who has follow-ups overdue, most first: {"assignee", "assignee__first_name", …, "overdue"}.
    overdue: list[dict[str, Any]] = field(default_factory=list)
    # Touchpoints since the first day, most first: {"staff", "staff__first_name", …,
    # "touchpoints"}; a row with "staff" None counts those of former staff.
    touchpoints: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Figures:
    due: DueCounts
    team: Team | None


def figures(user: User, today: dt.date, *, team: bool) -> Figures:
    """The person's follow-up counts and, with `team` (managers), the team's figures.

    The counts come in one query, a UNION ALL of grouped branches, each a range of an index:
    the person's open follow-ups by section (followup_assignee_due), and for a manager the
    overdue ones of each person and this month's touchpoints of each (touchpoint_staff_day). So
    the cost follows the team and what is on its plate, never the size of the log. A manager's
    team's figures read the people first: their names, and the ids the branches list (driven by
    auth_user instead, whose statistics a small team may never trigger, the plan was priced for
    40 people and JIT-compiled: 160 ms). Both are compiled once per process (core.prepared).
    """
    week = week_end(today)
    if team:
        people = _PEOPLE.objects()
        rows = _COUNTS.objects(
            user_id=user.pk,
            today=today,
            week=week,
            team_ids=[person.pk for person in people],
            first_day=today.replace(day=1),
        )
    else:
        people = []
        rows = _COUNTS.objects(user_id=user.pk, today=today, week=week)
    counts: dict[tuple[str, int | None], int] = {
        (row["figure"], row["person"]): row["n"] for row in rows
    }
    mine = {figure: n for (figure, person), n in counts.items() if person == user.pk}
    due = DueCounts(
        open=sum(n for figure, n in mine.items() if not figure.startswith("team_")),
        overdue=mine.get("overdue", 0),
        today=mine.get("today", 0),
        this_week=mine.get("this_week", 0),
    )
    return Figures(due=due, team=_team(people, counts) if team else None)


def _counts(
    user_id: int,
    today: dt.date,
    week: dt.date,
    team_ids: list[int] | None = None,
    first_day: dt.date | None = None,
) -> QuerySet[Any, dict[str, Any]]:
    """The person's open follow-ups by section; with the team's ids, each one's overdue
    follow-ups and touchpoints since `first_day` too: rows of figure, person and n."""
    section = Case(
        When(due_on__lt=today, then=Value("overdue")),
        When(due_on=today, then=Value("today")),
        When(due_on__lte=week, then=Value("this_week")),
        default=Value("later"),
    )
    mine = (
        FollowUp.objects.filter(assignee_id=user_id, status=FollowUp.Status.OPEN)
        .annotate(figure=section, person=Value(user_id))
        .values("figure", "person")
        .annotate(n=Count("*"))
        .order_by()
    )
    if team_ids is None:
        return mine
    overdue = (
        FollowUp.objects.filter(
            assignee_id__any_of=team_ids, status=FollowUp.Status.OPEN, due_on__lt=today
        )
        .annotate(figure=Value("team_overdue"), person=F("assignee"))
        .values("figure", "person")
        .annotate(n=Count("*"))
        .order_by()
    )
    # Each person's this month through touchpoint_staff_day, and those of former staff (person
    # None) apart: one OR of the two would read the whole index for the month's days.
    touchpoints = [
        Touchpoint.objects.filter(staff, occurred_on__gte=first_day, occurred_on__lte=today)
        .annotate(figure=Value("team_touchpoints"), person=F("staff"))
        .values("figure", "person")
        .annotate(n=Count("*"))
        .order_by()
        for staff in (Q(staff_id__any_of=team_ids), Q(staff=None))
    ]
    return mine.union(overdue, *touchpoints, all=True)


def _people() -> QuerySet[User]:
    """Everyone who has signed in to Liaison, by name."""
    return User.objects.only("pk", "first_name", "last_name", "username").order_by(
        "first_name", "last_name", "username"
    )


# Compiled once per process (core.prepared): every dashboard reads them.
_COUNTS = Prepared(_counts)
_PEOPLE = Prepared(_people)


def _team(people: list[User], counts: dict[tuple[str, int | None], int]) -> Team:
    result = Team()
    # Most first; the sorts are stable, so by name within a count.
    overdue = [(p, counts.get(("team_overdue", p.pk), 0)) for p in people]
    result.overdue = [
        {**_names("assignee", person), "overdue": n}
        for person, n in sorted(overdue, key=lambda pair: -pair[1])
        if n
    ]
    touched = [(p, counts.get(("team_touchpoints", p.pk), 0)) for p in people]
    rows = [{**_names("staff", person), "touchpoints": n} for person, n in touched if n]
    if unattributed := counts.get(("team_touchpoints", None)):
        rows.append({"staff": None, "touchpoints": unattributed})
    result.touchpoints = sorted(rows, key=lambda row: -row["touchpoints"])
    return result


def _names(prefix: str, user: User) -> dict[str, Any]:
    """The keys a values() row over `prefix` would have: the panels' templates read these."""
    return {
        prefix: user.pk,
        f"{prefix}__first_name": user.first_name,
        f"{prefix}__last_name": user.last_name,
        f"{prefix}__username": user.username,
    }


def _due_branches(user_id: int, today: dt.date, week: dt.date) -> list[QuerySet[FollowUp]]:
    """The person's open follow-ups overdue, due today and due later this week (to `week`)."""
    mine = (
        FollowUp.objects.filter(assignee_id=user_id, status=FollowUp.Status.OPEN)
        .select_related("organization")
        .only(*ROW_FIELDS)
        .order_by("due_on", "due_time", "pk")
    )
    return [
        mine.filter(due_on__lt=today)[:PER_SECTION],
        mine.filter(due_on=today)[:PER_SECTION],
        mine.filter(due_on__gt=today, due_on__lte=week)[:PER_SECTION],
    ]


def _due_union(user_id: int, today: dt.date, week: dt.date) -> QuerySet[FollowUp]:
    branches = _due_branches(user_id, today, week)
    return branches[0].union(*branches[1:], all=True)


# Compiled once per process (core.prepared): every dashboard reads it.
_DUE = Prepared(_due_union)


def due_by_section(user: User, today: dt.date) -> list[FollowUp]:
    """The first PER_SECTION open follow-ups of the person overdue, due today and due later this
    week, soonest first.

    One query on PostgreSQL: a UNION ALL of one LIMITed branch per section, each a range of the
    followup_assignee_due index that stops after its rows, so a long overdue list costs no more
    than a short one. SQLite cannot LIMIT the branches of a UNION: one query per section there.
    """
    if connection.features.supports_slicing_ordering_in_compound:
        rows: list[FollowUp] = _DUE.objects(user_id=user.pk, today=today, week=week_end(today))
    else:
        branches = _due_branches(user.pk, today, week_end(today))
        rows = [followup for branch in branches for followup in branch]
    # A UNION promises no order: put the rows back in the list's (a time-less one last in its day).
    return sorted(
        rows, key=lambda f: (f.due_on, f.due_time is None, f.due_time or dt.time.min, f.pk)
    )


def upcoming_meetings_of(user: User) -> list[Meeting]:
    """The next scheduled meetings the person attends or arranged (MEETINGS_LIMIT).

    On PostgreSQL, the next few they arranged and the next few they attend, each read by walking
    the meeting_start index from now (testing each meeting against the attendees' unique index)
    and stopping at the limit, then the first of both. One EXISTS over "arranged or attends"
    read every attendance the person ever had into a hash first (4.4 ms for 8,300 at 10,000
    organizations, growing with the years); a join on the attendees needed DISTINCT over every
    upcoming meeting (27 ms).
    """
    return _MEETINGS.objects(user_id=user.pk, now=timezone.now())


MEETINGS_LIMIT = 5


def _upcoming(user_id: int, now: dt.datetime) -> QuerySet[Meeting]:
    upcoming = Meeting.objects.filter(starts_at__gte=now, status=Meeting.Status.SCHEDULED)
    if connection.features.supports_slicing_ordering_in_compound:
        first = upcoming.order_by("starts_at", "pk").values("pk")
        which = Q(
            pk__in=first.filter(created_by_id=user_id)[:MEETINGS_LIMIT].union(
                first.filter(staff__id=user_id)[:MEETINGS_LIMIT]
            )
        )
    else:  # SQLite: no LIMIT within a UNION
        attends = Meeting.staff.through.objects.filter(meeting=OuterRef("pk"), user_id=user_id)
        which = Q(created_by_id=user_id) | Q(Exists(attends))
    return (
        upcoming.filter(which)
        .select_related("organization")
        .only("title", "starts_at", "organization__name")
        .order_by("starts_at", "pk")[:MEETINGS_LIMIT]
    )


# Compiled once per process (core.prepared): every dashboard reads it.
_MEETINGS = Prepared(_upcoming)


def quiet_partners_shown(user: User, today: dt.date) -> tuple[list[Organization], int]:
    """The person's longest-quiet partners (outreach.selectors.activity), and how many there are.

    One query: the first LIST_LIMIT read in order from the org_owner_quiet_order index on
    PostgreSQL (partners migration 0011), the total counted beside them from org_owner_quiet
    without reading a row (a window count over the same set read every quiet partner's row).
    """
    rows = _QUIET.objects(user_id=user.pk, since=quiet_since(today))
    return rows, rows[0].quiet_total if rows else 0


def _quiet(user_id: int, since: dt.date) -> QuerySet[Organization]:
    mine = quiet_partners_since(since).filter(owner_id=user_id)
    total = mine.order_by().values("owner_id").annotate(n=Count("*")).values("n")
    # The columns the panel shows, not the partners' profiles.
    shown = mine.only("name", "last_touchpoint_on")
    return shown.annotate(quiet_total=Subquery(total))[:LIST_LIMIT]


# Compiled once per process (core.prepared): every dashboard reads it.
_QUIET = Prepared(_quiet)


RECENT_LIMIT = 5
# Compiled once per process (core.prepared): every dashboard reads it.
_RECENT = Prepared(
    lambda user_id: (
        Touchpoint.objects.filter(staff_id=user_id)
        .select_related("organization")
        .only("occurred_on", "channel", "subject", "organization__name")
        .order_by("-occurred_on", "-created_at")[:RECENT_LIMIT]
    )
)


def recent_touchpoints_of(user: User) -> list[Touchpoint]:
    """The person's latest touchpoints (RECENT_LIMIT), newest first."""
    return _RECENT.objects(user_id=user.pk)
