"""Every write to the outreach log goes through these functions."""

import calendar
import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.text import Truncator

from core.dates import LATEST
from outreach.models import FollowUp, Meeting, Touchpoint
from outreach.signals import (
    followup_assigned,
    followup_cancelled,
    followup_completed,
    touchpoints_changed,
)
from partners.models import Affiliation, Contact, Organization

# The last day a follow-up may be due: calendar apps and the feed's end times (due + 1 day)
# cannot go past year 9999, so a typo like 9999-12-31 would break the owner's feed for good.


def _check_due(day: dt.date) -> None:
    if day > LATEST:
        raise ValidationError({"due_on": f"Pick a day in {LATEST.year} or earlier."})


def _check_contacts_belong(organizations: Iterable[Organization], contacts: Iterable[Contact]):
    """Only people affiliated (now or in the past) with one of the organizations may be listed."""
    contacts, organizations = list(contacts), list(organizations)
    if not contacts:
        return
    allowed = set(
        Affiliation.objects.filter(
            organization__in=list(organizations), contact__in=contacts
        ).values_list("contact_id", flat=True)
    )
    strangers = [c for c in contacts if c.pk not in allowed]
    if strangers:
        names = ", ".join(c.name for c in strangers)
        which = "this organization" if len(organizations) == 1 else "any of these organizations"
        raise ValidationError({"contacts": f"Not affiliated with {which}: {names}."})


@transaction.atomic
def organization_last_touchpoint_refresh(*, organization_ids: Iterable[int] | None) -> int:
    """Store on each organization the day of its latest touchpoint (None if it has none).

    The one writer of Organization.last_touchpoint_on, called in the same transaction by
    everything that logs, corrects, moves or loads touchpoints, with the organizations whose
    touchpoints changed (None: every organization, after a bulk load). The day is recomputed
    from the touchpoints in one UPDATE, so a second call changes nothing. The rows are locked
    first: an UPDATE that waited for another writer's lock would otherwise compute from
    before that writer's touchpoint. A QuerySet.update(), not a save: a touchpoint is no edit
    of the organization (no change history, no `updated_at`, no edit conflict).
    """
    organizations = Organization.objects.all()
    if organization_ids is not None:
        organizations = organizations.filter(pk__in=set(organization_ids))
    if not list(organizations.select_for_update().order_by("pk").values_list("pk", flat=True)):
        return 0
    own = Touchpoint.objects.filter(organization=OuterRef("pk")).order_by("-occurred_on")
    joint = Touchpoint.objects.filter(other_organizations=OuterRef("pk")).order_by("-occurred_on")
    # The later of its own latest and the latest it joined (a coalition meeting): two
    # subqueries an index answers each, rather than one with an OR that reads every touchpoint.
    own_day = Subquery(own.values("occurred_on")[:1])
    joint_day = Subquery(joint.values("occurred_on")[:1])
    latest = Greatest(Coalesce(own_day, joint_day), Coalesce(joint_day, own_day))
    changed = organizations.update(last_touchpoint_on=latest)
    touchpoints_changed.send(
        sender=Touchpoint,
        organization_ids=None if organization_ids is None else sorted(set(organization_ids)),
    )
    return changed


def _followup_title(*texts: str) -> str:
    """A follow-up's title from the first of `texts` with words in it (the title asked for,
    the touchpoint's next step): on one line, and cut to fit with an ellipsis when longer."""
    line = next((" ".join(text.split()) for text in texts if text.strip()), "")
    return Truncator(line).chars(FollowUp._meta.get_field("title").max_length or 200)


@transaction.atomic
def touchpoint_log(
    *,
    organization: Organization,
    staff: User | None,
    occurred_on: dt.date,
    subject: str,
    channel: str = Touchpoint.Channel.PHONE,
    occurred_time: dt.time | None = None,
    contacts: Iterable[Contact] = (),
    notes: str = "",
    outcome: str = "",
    next_step: str = "",
    meeting: Meeting | None = None,
    follow_up_on: dt.date | None = None,
    follow_up_title: str = "",
    conversation: str = "",
    other_organizations: Iterable[Organization] = (),
) -> Touchpoint:
    """Log a contact with a partner (and any further partners at it: a coalition meeting) and,
    when asked, the follow-up it promised: named by its next step when one is written (kept
    whole in the follow-up's details), else by its subject."""
    contacts = list(contacts)
    others = _others(organization, other_organizations)
    _check_contacts_belong([organization, *others], contacts)
    touchpoint = Touchpoint(
        organization=organization,
        staff=staff,
        occurred_on=occurred_on,
        occurred_time=occurred_time,
        channel=channel,
        subject=subject.strip(),
        notes=notes,
        outcome=outcome,
        next_step=next_step,
        meeting=meeting,
        conversation=conversation,
    )
    touchpoint.full_clean()
    touchpoint.save()
    touchpoint.contacts.set(contacts)
    touchpoint.other_organizations.set(others)
    organization_last_touchpoint_refresh(
        organization_ids=[organization.pk, *(other.pk for other in others)]
    )
    if follow_up_on is not None and staff is not None:
        followup_create(
            organization=organization,
            assignee=staff,
            created_by=staff,
            due_on=follow_up_on,
            title=_followup_title(follow_up_title, next_step, f"Follow up: {touchpoint.subject}"),
            details=next_step,
            touchpoint=touchpoint,
        )
    return touchpoint


def _others(organization: Organization, others: Iterable[Organization]) -> list[Organization]:
    """The further partners of a touchpoint or a meeting: each once, and not its organization."""
    seen = {organization.pk}
    kept = []
    for other in others:
        if other.pk not in seen:
            seen.add(other.pk)
            kept.append(other)
    return kept


@transaction.atomic
def meeting_save(
    *,
    meeting: Meeting,
    by: User,
    contacts: Iterable[Contact] = (),
    staff: Iterable[User] = (),
    other_organizations: Iterable[Organization] = (),
) -> Meeting:
    """Create or update a meeting with its attendees.

    An update locks the meeting and keeps its stored status and minutes: those change only
    through meeting_mark_held() and meeting_cancel(), perhaps since the caller loaded it.
    """
    contacts = list(contacts)
    other_organizations = _others(meeting.organization, other_organizations)
    _check_contacts_belong([meeting.organization, *other_organizations], contacts)
    if meeting.pk is None:
        meeting.created_by = by
    else:
        stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
        meeting.status, meeting.minutes = stored.status, stored.minutes
    meeting.full_clean()
    meeting.save()
    meeting.contacts.set(contacts)
    meeting.staff.set(staff)
    meeting.other_organizations.set(other_organizations)
    return meeting


@transaction.atomic
def meeting_mark_held(
    *, meeting: Meeting, by: User, minutes: str, log_touchpoint: bool = True
) -> Touchpoint | None:
    """The meeting took place: keep the minutes and, unless declined, log it as a touchpoint."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.status = Meeting.Status.HELD
    meeting.minutes = minutes
    meeting.save(update_fields=["status", "minutes", "updated_at"])
    if not log_touchpoint or Touchpoint.objects.filter(meeting=meeting).exists():
        return None
    local_start = timezone.localtime(meeting.starts_at)
    # Every partner at the meeting has been in touch: the touchpoint names them all.
    others = list(meeting.other_organizations.all())
    return touchpoint_log(
        organization=meeting.organization,
        other_organizations=others,
        staff=by,
        occurred_on=local_start.date(),
        occurred_time=local_start.time().replace(second=0, microsecond=0),
        channel=Touchpoint.Channel.VIDEO if meeting.video_link else Touchpoint.Channel.IN_PERSON,
        subject=meeting.title,
        notes=minutes,
        contacts=meeting.contacts.filter(
            affiliations__organization__in=[meeting.organization, *others]
        ).distinct(),
        meeting=meeting,
    )


def meeting_cancel(*, meeting: Meeting) -> None:
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])


def followup_create(
    *,
    organization: Organization,
    assignee: User,
    created_by: User | None,
    due_on: dt.date,
    title: str,
    details: str = "",
    due_time: dt.time | None = None,
    touchpoint: Touchpoint | None = None,
    meeting: Meeting | None = None,
    repeat: str = "",
    series_start: dt.date | None = None,
    repeat_of: FollowUp | None = None,
) -> FollowUp:
    _check_due(due_on)
    followup = FollowUp(
        organization=organization,
        assignee=assignee,
        created_by=created_by,
        due_on=due_on,
        due_time=due_time,
        title=title.strip(),
        details=details,
        touchpoint=touchpoint,
        meeting=meeting,
        repeat=repeat,
        series_start=(series_start or due_on) if repeat else None,
        repeat_of=repeat_of,
    )
    followup.full_clean()
    followup.save()
    # Made for someone else (by a manager, for a grant deliverable's owner): they are told.
    followup_assigned.send(sender=FollowUp, followup=followup, by=created_by)
    return followup


@transaction.atomic
def followup_complete(*, followup: FollowUp, by: User) -> FollowUp:
    """Mark done; done twice (a double click, two tabs) records the first completion only. One
    that repeats makes the next of its series, due from its own due day (not from today)."""
    now = timezone.now()
    updated = FollowUp.objects.filter(pk=followup.pk, status=FollowUp.Status.OPEN).update(
        status=FollowUp.Status.DONE, completed_by=by, completed_at=now, updated_at=now
    )
    followup.refresh_from_db()
    if not updated and followup.status == FollowUp.Status.CANCELLED:
        raise ValidationError("This follow-up was cancelled.")
    if updated:
        # Inside this transaction: a playbook's next step is scheduled with the completion, or
        # neither is kept.
        followup_completed.send(sender=FollowUp, followup=followup, by=by)
    if updated and followup.repeat:
        start = followup.series_start or followup.due_on
        followup_create(
            organization=followup.organization,
            assignee=followup.assignee,
            created_by=by,
            due_on=next_due(followup.due_on, followup.repeat, start),
            due_time=followup.due_time,
            title=followup.title,
            details=followup.details,
            repeat=followup.repeat,
            series_start=start,
            repeat_of=followup,
        )
    return followup


def next_due(due_on: dt.date, repeat: str, start: dt.date) -> dt.date:
    """The next due day of a series: some weeks later, or some months later on the day of the
    month it started on (the month's last day where it has no such day: Jan 31 → Feb 28 →
    Mar 31)."""
    count, unit = int(repeat[:-1]), repeat[-1]
    if unit == "w":
        return due_on + dt.timedelta(weeks=count)
    months = due_on.year * 12 + due_on.month - 1 + count
    year, month = divmod(months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(start.day, last))


def followup_snooze(*, followup: FollowUp, until: dt.date) -> FollowUp:
    if followup.status != FollowUp.Status.OPEN:
        raise ValidationError("Only open follow-ups can be snoozed.")
    if until < timezone.localdate():
        raise ValidationError({"due_on": "Snooze to today or a later day."})
    _check_due(until)
    followup.due_on = until
    followup.save(update_fields=["due_on", "updated_at"])
    return followup


def followup_reassign(*, followup: FollowUp, assignee: User, by: User | None = None) -> FollowUp:
    """Give the follow-up to someone else; they are emailed unless they gave it to themselves."""
    changed = followup.assignee_id != assignee.pk
    followup.assignee = assignee
    followup.save(update_fields=["assignee", "updated_at"])
    if changed:
        followup_assigned.send(sender=FollowUp, followup=followup, by=by)
    return followup


# What an edit may change: not the organization, the touchpoint or meeting it came from, or its
# status (Done, Cancelled and Snooze have their own services).
FOLLOWUP_EDITABLE = frozenset({"title", "details", "due_on", "due_time", "assignee", "repeat"})


@transaction.atomic
def followup_update(*, followup: FollowUp, by: User, **fields: object) -> FollowUp:
    """Change an open follow-up's title, details, due day and time or assignee; a new assignee
    is told (followup_assigned), as when a manager reassigns it. A due day that changes must be
    today or later; an overdue one left as it was stays."""
    unknown = set(fields) - FOLLOWUP_EDITABLE
    if unknown:
        raise TypeError(f"followup_update cannot change {', '.join(sorted(unknown))}")
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if followup.status != FollowUp.Status.OPEN:
        status = followup.get_status_display().lower()
        raise ValidationError(f"This follow-up was marked {status} meanwhile: nothing was saved.")
    due_on = fields.get("due_on", followup.due_on)
    if due_on != followup.due_on:
        assert isinstance(due_on, dt.date)
        if due_on < timezone.localdate():
            raise ValidationError({"due_on": "Pick today or a later day."})
        _check_due(due_on)
    assignee = fields.get("assignee", followup.assignee)
    handed_over = isinstance(assignee, User) and assignee.pk != followup.assignee_id
    if isinstance(fields.get("title"), str):
        fields["title"] = str(fields["title"]).strip()
    moved = due_on != followup.due_on
    for name, value in fields.items():
        setattr(followup, name, value)
    # Set to repeat (or moved): its series runs from this due day; set not to: it has none.
    if not followup.repeat:
        followup.series_start = None
    elif followup.series_start is None or moved:
        followup.series_start = followup.due_on
    followup.full_clean()
    followup.save()
    if handed_over:
        followup_assigned.send(sender=FollowUp, followup=followup, by=by)
    return followup


@transaction.atomic
def followup_cancel(*, followup: FollowUp) -> FollowUp:
    """Cancel an open follow-up (kept, marked cancelled): only one still open when the row is
    written, so one done meanwhile stays done."""
    if followup.status != FollowUp.Status.OPEN:
        return followup
    cancelled = FollowUp.objects.filter(pk=followup.pk, status=FollowUp.Status.OPEN).update(
        status=FollowUp.Status.CANCELLED, updated_at=timezone.now()
    )
    if cancelled:
        followup.status = FollowUp.Status.CANCELLED
        followup_cancelled.send(sender=FollowUp, followup=followup)
    return followup


# What a correction may change: not the organization, the staff member or the meeting recorded.
TOUCHPOINT_EDITABLE = frozenset(
    {"occurred_on", "occurred_time", "channel", "subject", "notes", "outcome", "next_step"}
)


@transaction.atomic
def touchpoint_update(
    *,
    touchpoint: Touchpoint,
    contacts: Iterable[Contact],
    other_organizations: Iterable[Organization] | None = None,
    **fields: object,
) -> Touchpoint:
    """Correct a logged touchpoint (and, when given, the further partners at it); its contacts
    stay people of its organizations. Each partner added or taken off has its last touchpoint
    counted again."""
    unknown = set(fields) - TOUCHPOINT_EDITABLE
    if unknown:
        raise TypeError(f"touchpoint_update cannot change {', '.join(sorted(unknown))}")
    contacts = list(contacts)
    before = set(touchpoint.other_organizations.values_list("pk", flat=True))
    if other_organizations is None:
        others = list(Organization.objects.filter(pk__in=before))
    else:
        others = _others(touchpoint.organization, other_organizations)
    _check_contacts_belong([touchpoint.organization, *others], contacts)
    subject = fields.get("subject")
    if isinstance(subject, str):
        fields["subject"] = subject.strip()
    for name, value in fields.items():
        setattr(touchpoint, name, value)
    touchpoint.full_clean()
    touchpoint.save()
    touchpoint.contacts.set(contacts)
    touchpoint.other_organizations.set(others)
    changed = before | {o.pk for o in others} | {touchpoint.organization_id}
    organization_last_touchpoint_refresh(organization_ids=changed)
    return touchpoint
