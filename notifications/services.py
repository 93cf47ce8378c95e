"""The emails Liaison sends to its own staff.

- The **daily digest** at 08:00 in each person's own time zone (every day, weekdays only, or
  never): overdue and today's follow-ups, today's meetings, grant deadlines of the week.
- A **meeting reminder** the afternoon before (14:00 their time) to each library attendee.
- The **weekly manager summary** on Monday at 08:00: follow-ups a week overdue, partners gone
  quiet, grant deadlines of the next two weeks, last week's touchpoints by person.
- **Follow-up assigned**, when someone else gives a staff member a follow-up.

Everything goes through the outbox. Each email's key says what it is about and when, and the
outbox's unique key constraint (not a check made beforehand) makes sure it is queued at most
once, however often the scan runs, in however many workers, across restarts:

- ``digest:<user id>:<local date>``: one per person per local day, even across a DST change or
  a move to another time zone (the key is the day they live in, not an instant);
- ``meeting_reminder:<meeting id>:<user id>:<start in UTC>``: a rescheduled meeting gets a
  fresh reminder;
- ``manager_summary:<user id>:<ISO year>-W<ISO week>``: one per manager per week;
- ``followup_assigned:<follow-up id>:<assignee id>:<updated_at in UTC>``: one per assignment.

The scan (``staff_emails_queue_due``, every minute from beat) asks the clock and each person's
time zone what is due right now. A digest or summary is only ever queued on its own local day:
after a day with the workers down, today's goes out, not yesterday's.
"""

import datetime as dt
import logging
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from agreements.selectors import agreements_ending_between
from core.models import StaffProfile
from core.people import display_name, display_name_of_row
from core.periods import local_bounds
from core.profiles import profile_for, user_time_zone
from core.roles import LIBRARIAN, MANAGER, is_manager, role_names
from health.selectors import TurnedAtRisk, turned_at_risk
from mail.models import OutgoingEmail
from mail.outbox import Email, email_queue, emails_queue
from mail.rendering import render_email
from notifications.selectors import (
    drafts_to_review,
    existing_email_keys,
    grants_with_deadline_between,
    meetings_attended,
    open_followups_due_by,
    overdue_followups_with_managers,
    staff_recipients,
)
from outreach.models import FollowUp, Meeting
from outreach.selectors.activity import quiet_partners, touchpoints_by_person
from outreach.selectors.followups import group_by_due
from programs.models import Grant
from programs.selectors.grants import DeadlineNote, deadline_note

logger = logging.getLogger(__name__)

Kind = OutgoingEmail.Kind
Digest = StaffProfile.Digest

DIGEST_AT = dt.time(8, 0)
REMINDER_AT = dt.time(14, 0)  # on the day before the meeting
SUMMARY_AT = dt.time(8, 0)  # on Monday
DIGEST_GRANT_DAYS = 7
SUMMARY_GRANT_DAYS = 14
# Agreements in force that end this soon: the owner's, in the digest; everyone's (the quarter
# ahead), in the managers' summary.
DIGEST_AGREEMENT_DAYS = 30
SUMMARY_AGREEMENT_DAYS = 90
# A follow-up this many days overdue is mentioned to the assignee's manager.
ESCALATE_AFTER_DAYS = 7
SUMMARY_WEEK_DAYS = 7
# Items per list in an email; the rest are one link away.
LIST_LIMIT = 20
SUMMARY_PER_PERSON = 10
QUIET_LIMIT = 15
# How far ahead the reminder scan looks: the day after tomorrow starts at most 48 hours away.
REMINDER_HORIZON = dt.timedelta(days=2)


@dataclass
class StaffEmailReport:
    """How many emails of each kind one scan found due and not yet queued (two scans at the same
    moment may both count an email; the outbox still holds it once)."""

    digests: int = 0
    meeting_reminders: int = 0
    manager_summaries: int = 0

    def __str__(self) -> str:
        return (
            f"digests {self.digests}, meeting reminders {self.meeting_reminders}, "
            f"manager summaries {self.manager_summaries}"
        )


def staff_emails_queue_due(*, now: dt.datetime | None = None) -> StaffEmailReport:
    """Queue every staff email due at ``now``: digests, meeting reminders, manager summaries.

    Safe to run at any moment and as often as wanted: what was queued before is not queued
    again. The number of queries does not grow with the number of staff members.
    """
    now = now or timezone.now()
    staff = staff_recipients()
    digests = _due_digests(now=now, staff=staff)
    reminders = _due_meeting_reminders(now=now, staff=staff)
    summaries = _due_manager_summaries(now=now, staff=staff)
    emails = [*digests, *reminders, *summaries]
    if emails:
        # One INSERT … ON CONFLICT DO NOTHING for all of them, and one nudge to the sender.
        emails_queue(emails)
    return StaffEmailReport(
        digests=len(digests), meeting_reminders=len(reminders), manager_summaries=len(summaries)
    )


def followup_assigned_email_queue(*, followup: FollowUp, by: User | None) -> OutgoingEmail | None:
    """Tell the assignee that someone else gave them this follow-up.

    Called by every service that gives a follow-up a new assignee, in its transaction. It never
    fails the caller: a problem with the email is logged and the follow-up is saved anyway.
    """
    try:
        with transaction.atomic():
            return _followup_assigned_email_queue(followup=followup, by=by)
    except Exception:  # noqa: BLE001 — the follow-up matters more than the email about it
        logger.exception("Could not queue the “follow-up assigned” email for %s.", followup.pk)
        return None


# --- Who and when -------------------------------------------------------------------------


def _zone(user: User) -> zoneinfo.ZoneInfo:
    try:
        return user_time_zone(user)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        # A zone written straight into the database: the library's own keeps the emails going.
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _email(
    *,
    kind: str,
    key: str,
    user: User,
    template: str,
    context: dict,
    related_label: str = "",
    related_url: str = "",
) -> Email:
    rendered = render_email(template, {"recipient": user, **context}, time_zone=_zone(user))
    return Email(
        kind=kind,
        key=key,
        to_address=user.email,
        to_name=display_name(user),
        user=user,
        subject=rendered.subject,
        body_text=rendered.body_text,
        body_html=rendered.body_html,
        related_label=related_label,
        related_url=related_url,
    )


def _built(
    emails: Iterable[tuple[str, Any]], build: Callable[[str, Any], Email | None]
) -> list[Email]:
    """Build each email; one that cannot be built is logged and skipped, never the others."""
    result = []
    for key, item in emails:
        try:
            email = build(key, item)
        except Exception:  # noqa: BLE001 — one person's broken email must not stop everyone's
            logger.exception("Could not build the staff email %s.", key)
            continue
        if email is not None:
            result.append(email)
    return result


def _not_yet_queued(due: dict) -> dict:
    """Drop what was queued before, so that it is not rendered for nothing (the key constraint,
    not this check, is what keeps an email from being queued twice)."""
    for key in existing_email_keys(due):
        due.pop(key, None)
    return due


# --- The daily digest ---------------------------------------------------------------------


def _due_digests(*, now: dt.datetime, staff: list[User]) -> list[Email]:
    due: dict[str, tuple[User, dt.date]] = {}
    for user in staff:
        preference = profile_for(user).digest
        local = now.astimezone(_zone(user))
        day = local.date()
        if preference == Digest.OFF or local.time() < DIGEST_AT:
            continue
        if preference == Digest.WEEKDAYS and day.weekday() >= 5:
            continue
        due[f"digest:{user.pk}:{day.isoformat()}"] = (user, day)
    if not _not_yet_queued(due):
        return []

    user_ids = [user.pk for user, _ in due.values()]
    days = [day for _, day in due.values()]
    bounds = {user.pk: local_bounds(day, day, _zone(user)) for user, day in due.values()}
    followups: dict[int, list[FollowUp]] = defaultdict(list)
    for followup in open_followups_due_by(user_ids, max(days)):
        followups[followup.assignee_id].append(followup)
    meetings = meetings_attended(
        user_ids,
        starts_from=min(start for start, _ in bounds.values()),
        starts_before=max(end for _, end in bounds.values()),
    )
    # Grants of the programs the person leads, not every open grant: the digest is about one
    # person's day, and all grants would put the same lines in everyone's digest (and send a
    # digest to people with nothing else to do). Managers see every deadline in their summary;
    # a grant's deliverables already reach their owners as follow-ups.
    grants: dict[int, list[Grant]] = defaultdict(list)
    for grant in grants_with_deadline_between(
        min(days), max(days) + dt.timedelta(days=DIGEST_GRANT_DAYS), lead_ids=user_ids
    ):
        lead_id = grant.program.lead_id
        assert lead_id is not None  # chosen by lead
        grants[lead_id].append(grant)
    # Progress updates waiting for the person's review: partners hear nothing until they act.
    drafts = drafts_to_review(user_ids)
    agreements: dict[int, list[Agreement]] = defaultdict(list)
    for agreement in agreements_ending_between(
        min(days), max(days) + dt.timedelta(days=DIGEST_AGREEMENT_DAYS), owner_ids=user_ids
    ):
        assert agreement.owner_id is not None  # chosen by owner
        agreements[agreement.owner_id].append(agreement)

    at_risk = _turned_at_risk_this_week(due.values())

    def build(key: str, item: tuple[User, dt.date]) -> Email | None:
        user, day = item
        start, end = bounds[user.pk]
        turned = at_risk[user.pk]
        groups = group_by_due([f for f in followups[user.pk] if f.due_on <= day], day)
        todays_meetings = [m for m in meetings.get(user.pk, []) if start <= m.starts_at < end]
        deadlines = _deadlines(grants[user.pk], day, DIGEST_GRANT_DAYS)
        to_review = drafts.get(user.pk, [])
        ending = _ending(agreements[user.pk], day, DIGEST_AGREEMENT_DAYS)
        if not (
            groups.overdue
            or groups.today
            or todays_meetings
            or deadlines
            or to_review
            or ending
            or turned
        ):
            return None  # Nothing to say: no email.
        parts = [
            _counted(len(turned), "partnership turned at risk", "partnerships turned at risk"),
            _counted(len(groups.overdue), "overdue follow-up"),
            _counted(len(groups.today), "follow-up due today", "follow-ups due today"),
            _counted(len(todays_meetings), "meeting"),
            _counted(len(deadlines), "grant deadline"),
            _counted(len(to_review), "progress update to review", "progress updates to review"),
            _counted(len(ending), "agreement ending soon", "agreements ending soon"),
        ]
        how_often = "weekdays only" if profile_for(user).digest == Digest.WEEKDAYS else "every day"
        context = {
            "day": day,
            "parts": [part for part in parts if part],
            "overdue": groups.overdue[:LIST_LIMIT],
            "overdue_count": len(groups.overdue),
            "overdue_more": max(len(groups.overdue) - LIST_LIMIT, 0),
            "due_today": groups.today[:LIST_LIMIT],
            "due_today_count": len(groups.today),
            "due_today_more": max(len(groups.today) - LIST_LIMIT, 0),
            "meetings": todays_meetings,
            "deadlines": deadlines,
            "drafts": to_review[:LIST_LIMIT],
            "agreements": ending,
            "agreement_days": DIGEST_AGREEMENT_DAYS,
            "turned_at_risk": turned[:LIST_LIMIT],
            "reason": f"You get this digest at 8:00 AM {how_often} because your profile asks "
            "for it, and only on days with something in it.",
        }
        return _email(
            kind=Kind.DIGEST,
            key=key,
            user=user,
            template="digest",
            context=context,
            related_label=f"Follow-ups of {display_name(user)}",
            related_url=reverse("outreach:followup_list"),
        )

    return _built(due.items(), build)


def _turned_at_risk_this_week(
    due: Iterable[tuple[User, dt.date]],
) -> dict[int, list[TurnedAtRisk]]:
    """Early warning: each person's partnerships that turned at risk in the past week (the
    last seven days, today's included, in their time zone): whatever day it turned, the next
    digest has it, weekday digests after a weekend too."""
    week_starts = {
        user.pk: local_bounds(day - dt.timedelta(days=6), day, _zone(user))[0] for user, day in due
    }
    found: dict[int, list[TurnedAtRisk]] = defaultdict(list)
    for item in turned_at_risk(since=min(week_starts.values()), owner_ids=week_starts)[0]:
        owner_id = item.organization.owner_id
        changed = item.organization.health_changed_at
        if owner_id is not None and changed is not None and changed >= week_starts[owner_id]:
            found[owner_id].append(item)
    return found


def _counted(count: int, one: str, many: str = "") -> str:
    """Say "1 meeting", "3 meetings", or nothing ("") for none."""
    if not count:
        return ""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _ending(agreements: list[Agreement], today: dt.date, days: int) -> list[Agreement]:
    """Those that end from `today` to `days` later (a list read for the latest day asked)."""
    last = today + dt.timedelta(days=days)
    return [a for a in agreements if a.ends_on is not None and today <= a.ends_on <= last]


def _deadlines(
    grants: list[Grant], today: dt.date, days: int
) -> list[tuple[Grant, DeadlineNote | None]]:
    last = today + dt.timedelta(days=days)
    return [
        (grant, deadline_note(grant, today))
        for grant in grants
        if grant.submission_deadline is not None and today <= grant.submission_deadline <= last
    ]


# --- Meeting reminders --------------------------------------------------------------------


def _due_meeting_reminders(*, now: dt.datetime, staff: list[User]) -> list[Email]:
    wanted = {user.pk: user for user in staff if profile_for(user).meeting_reminders}
    if not wanted:
        return []
    attended = meetings_attended(
        list(wanted), starts_from=now, starts_before=now + REMINDER_HORIZON
    )
    due: dict[str, tuple[User, Meeting]] = {}
    for user_id, meetings in attended.items():
        user = wanted[user_id]
        zone = _zone(user)
        for meeting in meetings:
            if meeting.starts_at <= now:
                continue  # Started: a reminder now would be no help.
            day_before = meeting.starts_at.astimezone(zone).date() - dt.timedelta(days=1)
            # From 14:00 the day before, or later (workers down at 14:00, a meeting arranged
            # late), as long as the meeting has not started.
            if now < dt.datetime.combine(day_before, REMINDER_AT, tzinfo=zone):
                continue
            start = meeting.starts_at.astimezone(dt.UTC).isoformat()
            due[f"meeting_reminder:{meeting.pk}:{user.pk}:{start}"] = (user, meeting)
    if not _not_yet_queued(due):
        return []
    prefetch_related_objects(
        list({meeting.pk: meeting for _, meeting in due.values()}.values()),
        "other_organizations",
        "contacts",
        "staff",
    )

    def build(key: str, item: tuple[User, Meeting]) -> Email:
        user, meeting = item
        zone = _zone(user)
        local_day = meeting.starts_at.astimezone(zone).date()
        context = {
            "meeting": meeting,
            "when": "today" if local_day == now.astimezone(zone).date() else "tomorrow",
            "organizations": [meeting.organization, *meeting.other_organizations.all()],
            "colleagues": [person for person in meeting.staff.all() if person.pk != user.pk],
            "partner_attendees": list(meeting.contacts.all()),
            "reason": "You get this reminder because you are one of the library's attendees "
            "and meeting reminders are on in your profile.",
        }
        return _email(
            kind=Kind.MEETING_REMINDER,
            key=key,
            user=user,
            template="meeting-reminder",
            context=context,
            related_label=meeting.title,
            related_url=meeting.get_absolute_url(),
        )

    return _built(due.items(), build)


# --- The weekly manager summary -----------------------------------------------------------


@dataclass
class OverduePerson:
    """One person's follow-ups a week or more overdue, as a manager's summary lists them."""

    person: User
    followups: list[tuple[FollowUp, int]] = field(default_factory=list)  # (follow-up, days late)
    count: int = 0


def _escalated_to(followup: FollowUp, manager_ids: set[int]) -> set[int]:
    """The managers told about an overdue follow-up: the assignee's own manager, or every
    manager when nobody is named (or the one named is no longer a manager here)."""
    try:
        reports_to = followup.assignee.profile.reports_to_id
    except StaffProfile.DoesNotExist:
        reports_to = None
    return {reports_to} if reports_to in manager_ids else manager_ids


def _due_manager_summaries(*, now: dt.datetime, staff: list[User]) -> list[Email]:
    manager_ids = {user.pk for user in staff if is_manager(user)}
    due: dict[str, tuple[User, dt.date]] = {}
    for user in staff:
        if user.pk not in manager_ids or not profile_for(user).manager_summary:
            continue
        local = now.astimezone(_zone(user))
        if local.weekday() != 0 or local.time() < SUMMARY_AT:
            continue
        year, week, _ = local.date().isocalendar()
        due[f"manager_summary:{user.pk}:{year}-W{week:02d}"] = (user, local.date())
    if not _not_yet_queued(due):
        return []

    latest = max(day for _, day in due.values())
    overdue = overdue_followups_with_managers(latest - dt.timedelta(days=ESCALATE_AFTER_DAYS))
    # Managers are nearly always in one time zone, so this is nearly always one Monday.
    per_day: dict[dt.date, dict] = {}

    def for_day(today: dt.date) -> dict:
        if today not in per_day:
            quiet = quiet_partners(today).select_related("owner")
            week_start = today - dt.timedelta(days=SUMMARY_WEEK_DAYS)
            counts = list(touchpoints_by_person(week_start, today - dt.timedelta(days=1)))
            counted = {row["staff"] for row in counts}
            turned, turned_count = turned_at_risk(
                since=local_bounds(week_start, today, timezone.get_current_timezone())[0],
                limit=QUIET_LIMIT,
            )
            per_day[today] = {
                "turned_at_risk": turned,
                "turned_at_risk_count": turned_count,
                "quiet_partners": list(quiet[:QUIET_LIMIT]),
                "quiet_count": quiet.count(),
                "deadlines": _deadlines(
                    grants_with_deadline_between(
                        today, today + dt.timedelta(days=SUMMARY_GRANT_DAYS)
                    ),
                    today,
                    SUMMARY_GRANT_DAYS,
                ),
                "agreements": agreements_ending_between(
                    today, today + dt.timedelta(days=SUMMARY_AGREEMENT_DAYS)
                ),
                "week_start": week_start,
                "week_end": today - dt.timedelta(days=1),
                "touchpoint_counts": [
                    {
                        "name": display_name_of_row(row, "staff") or "Nobody recorded",
                        "staff": row["staff"],
                        "count": row["touchpoints"],
                    }
                    for row in counts
                ],
                "touchpoint_total": sum(row["touchpoints"] for row in counts),
                "nothing_logged": [
                    display_name(user)
                    for user in staff
                    if user.pk not in counted and {LIBRARIAN, MANAGER} & role_names(user)
                ],
            }
        return per_day[today]

    def build(key: str, item: tuple[User, dt.date]) -> Email | None:
        user, today = item
        week_late = today - dt.timedelta(days=ESCALATE_AFTER_DAYS)
        people: dict[int, OverduePerson] = {}
        for followup in overdue:
            if followup.due_on > week_late or user.pk not in _escalated_to(followup, manager_ids):
                continue
            group = people.setdefault(followup.assignee_id, OverduePerson(person=followup.assignee))
            group.count += 1
            if len(group.followups) < SUMMARY_PER_PERSON:
                group.followups.append((followup, (today - followup.due_on).days))
        shared = for_day(today)
        overdue_people = sorted(people.values(), key=lambda g: (-g.count, display_name(g.person)))
        if not (
            overdue_people
            or shared["turned_at_risk_count"]
            or shared["quiet_count"]
            or shared["deadlines"]
            or shared["agreements"]
            or shared["touchpoint_total"]
        ):
            return None  # A quiet week with nothing to report: no email.
        overdue_count = sum(group.count for group in overdue_people)
        parts = [
            _counted(
                shared["turned_at_risk_count"],
                "partnership turned at risk",
                "partnerships turned at risk",
            ),
            _counted(overdue_count, "follow-up a week overdue", "follow-ups a week overdue"),
            _counted(shared["quiet_count"], "quiet partner"),
            _counted(len(shared["deadlines"]), "grant deadline"),
            _counted(len(shared["agreements"]), "agreement ending", "agreements ending"),
            _counted(shared["touchpoint_total"], "touchpoint"),
        ]
        context = {
            "day": today,
            "parts": [part for part in parts if part],
            "overdue_people": overdue_people,
            "overdue_count": overdue_count,
            "escalate_after_days": ESCALATE_AFTER_DAYS,
            "quiet_days": settings.LIAISON_QUIET_DAYS,
            "grant_days": SUMMARY_GRANT_DAYS,
            "agreement_days": SUMMARY_AGREEMENT_DAYS,
            "reason": "You get this summary on Mondays because you are a manager in Liaison "
            "and the weekly manager summary is on in your profile.",
            **shared,
        }
        return _email(
            kind=Kind.MANAGER_SUMMARY,
            key=key,
            user=user,
            template="manager-summary",
            context=context,
            related_label=f"Week of {today:%B} {today.day}, {today.year}",
            related_url=reverse("home"),
        )

    return _built(due.items(), build)


# --- Follow-up assigned -------------------------------------------------------------------


def _followup_assigned_email_queue(*, followup: FollowUp, by: User | None) -> OutgoingEmail | None:
    assignee = followup.assignee
    if by is None or assignee.pk == by.pk:
        return None  # Nobody to tell about a follow-up one gives oneself.
    if followup.status != FollowUp.Status.OPEN or not assignee.is_active or not assignee.email:
        return None
    if not profile_for(assignee).followup_assigned_emails:
        return None
    stamp = followup.updated_at.astimezone(dt.UTC).isoformat()
    email = _email(
        kind=Kind.FOLLOWUP_ASSIGNED,
        key=f"followup_assigned:{followup.pk}:{assignee.pk}:{stamp}",
        user=assignee,
        template="followup-assigned",
        context={
            "followup": followup,
            "by": by,
            "by_name": display_name(by),
            "reason": "You get this email because the follow-up is now yours and “an email "
            "when someone else gives me a follow-up” is on in your profile.",
        },
        related_label=followup.title,
        related_url=reverse("outreach:followup_list") + f"?organization={followup.organization_id}",
    )
    return email_queue(email)
