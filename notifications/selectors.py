"""Reads for the emails Liaison sends to staff: each one query for everyone at once.

The scan runs every minute for every staff member, so nothing here is asked per person: callers
pass every person concerned and split the rows up themselves.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User

from core.models import StaffProfile
from core.roles import ALL_ROLES
from mail.models import OutgoingEmail
from outreach.models import FollowUp, Meeting
from outreach.selectors.followups import open_followups
from programs.models import Grant
from programs.selectors.grants import UNSUBMITTED
from updates.models import ProgressUpdate

# Keys per IN (…) list: well under SQLite's and PostgreSQL's parameter limits.
KEY_CHUNK = 500


def staff_recipients() -> list[User]:
    """Active staff with an email address, each with their profile and roles already loaded.

    Two queries for everyone. ``core.profiles.profile_for`` and ``core.roles.role_names`` read
    what is loaded here instead of asking again; someone who has never opened Liaison has no
    profile row yet and gets the defaults (the library's time zone, every email on).
    """
    users = list(
        User.objects.filter(is_active=True, groups__name__in=ALL_ROLES)
        .exclude(email="")
        .distinct()
        .select_related("profile")
        .prefetch_related("groups")
        .order_by("pk")
    )
    for user in users:
        try:
            profile = user.profile
        except StaffProfile.DoesNotExist:
            profile = StaffProfile(user=user, time_zone=settings.TIME_ZONE)
        user._liaison_profile = profile  # type: ignore[attr-defined]
        user._liaison_roles = frozenset(g.name for g in user.groups.all())  # type: ignore[attr-defined]
    return users


def existing_email_keys(keys: Iterable[str]) -> set[str]:
    """Which of these idempotency keys were queued already (so their emails need no rendering)."""
    keys = list(keys)
    found: set[str] = set()
    for start in range(0, len(keys), KEY_CHUNK):
        found.update(
            OutgoingEmail.objects.filter(
                idempotency_key__in=keys[start : start + KEY_CHUNK]
            ).values_list("idempotency_key", flat=True)
        )
    return found


def open_followups_due_by(assignee_ids: Iterable[int], day: dt.date) -> list[FollowUp]:
    """Open follow-ups of these people due on or before ``day``, soonest first."""
    return list(
        open_followups()
        .filter(assignee_id__in=list(assignee_ids), due_on__lte=day)
        .order_by("due_on", "due_time", "pk")
    )


def overdue_followups_with_managers(due_by: dt.date) -> list[FollowUp]:
    """Every open follow-up due on or before ``due_by``, with whom its assignee reports to."""
    return list(
        open_followups()
        .filter(due_on__lte=due_by)
        .select_related("assignee__profile")
        .order_by("assignee_id", "due_on", "pk")
    )


def meetings_attended(
    user_ids: Iterable[int], *, starts_from: dt.datetime, starts_before: dt.datetime
) -> dict[int, list[Meeting]]:
    """Meetings not cancelled that each person attends, starting in [from, before), in order.

    One query over the attendance table (a meeting appears under each of its attendees).
    """
    rows = (
        Meeting.staff.through.objects.filter(
            user_id__in=list(user_ids),
            meeting__starts_at__gte=starts_from,
            meeting__starts_at__lt=starts_before,
        )
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .select_related("meeting__organization")
        .order_by("meeting__starts_at", "meeting_id")
    )
    by_user: dict[int, list[Meeting]] = defaultdict(list)
    shared: dict[int, Meeting] = {}
    for row in rows:
        # One object per meeting, so that prefetching its attendees later loads them once.
        meeting = shared.setdefault(row.meeting_id, row.meeting)
        by_user[row.user_id].append(meeting)
    return by_user


def grants_with_deadline_between(
    first_day: dt.date, last_day: dt.date, *, lead_ids: Iterable[int] | None = None
) -> list[Grant]:
    """Applications not yet submitted whose deadline falls in [first_day, last_day]."""
    qs = Grant.objects.filter(
        status__in=UNSUBMITTED,
        submission_deadline__gte=first_day,
        submission_deadline__lte=last_day,
    ).select_related("program__lead")
    if lead_ids is not None:
        qs = qs.filter(program__lead_id__in=list(lead_ids))
    return list(qs.order_by("submission_deadline", "program__title", "pk"))


def drafts_to_review(user_ids: list[int]) -> dict[int, list[ProgressUpdate]]:
    """Partner progress updates drafted and waiting for their owner's review, by owner."""
    drafts: dict[int, list[ProgressUpdate]] = defaultdict(list)
    for update in (
        ProgressUpdate.objects.filter(
            status=ProgressUpdate.Status.DRAFT,
            subscription__owner_id__in=user_ids,
            subscription__is_active=True,
        )
        .select_related("subscription__organization", "subscription__program")
        .order_by("period_end", "pk")
    ):
        drafts[update.subscription.owner_id].append(update)
    return drafts
