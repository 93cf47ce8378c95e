"""Partner progress updates: subscriptions, drafting at each period's end, sending, skipping.

A subscription says who at a partner hears how the partnership (or one program) is going, and
how often. When a period has ended in the library's time zone, the periodic task drafts the
update — once: the unique (subscription, period_start) constraint makes a second draft of the
same period impossible, not a prior check. In review mode the owner edits and approves it; in
automatic mode it is sent at once. Sending queues one outbox email per recipient under the key
``progress:<subscription>:<period start>:<contact>``, so sending again never doubles an email,
and the outbox suppresses (with the reason) anyone who opted out or must not be contacted —
at queue time and again at send time.
"""

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from core.periods import local_bounds, quarter_of
from core.profiles import user_localtime
from mail.models import OutgoingEmail
from mail.outbox import emails_queue, suppression_reason
from outreach.models import Touchpoint
from outreach.services import touchpoint_log
from partners.models import LONG_TEXT, Contact, Organization
from programs.models import Program
from updates.emails import (
    default_message,
    default_subject,
    library_zone,
    period_summary,
    progress_email,
)
from updates.models import ProgressSubscription, ProgressUpdate
from updates.selectors import (
    current_recipients,
    organizations_of_recipients,
    recipient_candidates,
    unavailable_reason,
)

logger = logging.getLogger(__name__)

SUBJECT_LENGTH = Touchpoint._meta.get_field("subject").max_length or 200

Cadence, Mode, Status = (
    ProgressSubscription.Cadence,
    ProgressSubscription.Mode,
    ProgressUpdate.Status,
)


# Subscriptions ------------------------------------------------------------------------------


def _check_recipients(
    recipients: list[Contact], *, organization: Organization | None, program: Program | None
) -> None:
    """Each recipient is at the organization (or a program partner) now and may be emailed."""
    if not recipients:
        raise ValidationError({"recipients": "Choose at least one person to send the updates to."})
    allowed = set(
        recipient_candidates(organization=organization, program=program).values_list(
            "pk", flat=True
        )
    )
    where = organization.name if organization is not None else f"a partner of {program}"
    errors = []
    for contact in recipients:
        if contact.pk not in allowed:
            errors.append(f"{contact.name} is not currently at {where}.")
            continue
        reason = unavailable_reason(contact)
        if reason:
            errors.append(f"{contact.name} cannot receive progress updates: {reason}.")
    if errors:
        raise ValidationError({"recipients": errors})


def _check_choices(*, cadence: str, mode: str, owner: User) -> None:
    errors = {}
    if cadence not in Cadence.values:
        errors["cadence"] = f"Unknown cadence: {cadence!r}."
    if mode not in Mode.values:
        errors["mode"] = f"Unknown mode: {mode!r}."
    if not owner.is_active:
        errors["owner"] = f"{owner} can no longer sign in, so cannot review updates."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def progress_subscription_create(
    *,
    by: User | None,
    owner: User,
    cadence: str,
    mode: str,
    recipients: Iterable[Contact],
    organization: Organization | None = None,
    program: Program | None = None,
) -> ProgressSubscription:
    """Start progress updates about one organization or one program (exactly one)."""
    if (organization is None) == (program is None):
        raise ValueError("Give exactly one of organization and program.")
    recipients = list(recipients)
    _check_choices(cadence=cadence, mode=mode, owner=owner)
    _check_recipients(recipients, organization=organization, program=program)
    subscription = ProgressSubscription(
        organization=organization,
        program=program,
        cadence=cadence,
        mode=mode,
        owner=owner,
        created_by=by,
    )
    subscription.full_clean()
    subscription.save()
    subscription.recipients.set(recipients)
    return subscription


@transaction.atomic
def progress_subscription_update(
    *,
    subscription: ProgressSubscription,
    owner: User,
    cadence: str,
    mode: str,
    recipients: Iterable[Contact],
    is_active: bool,
) -> ProgressSubscription:
    """Change who receives the updates, how often, and how; or pause them.

    Drafts already made keep their period; a new cadence applies from the next period's end.
    """
    recipients = list(recipients)
    _check_choices(cadence=cadence, mode=mode, owner=owner)
    _check_recipients(
        recipients, organization=subscription.organization, program=subscription.program
    )
    subscription.owner = owner
    subscription.cadence = cadence
    subscription.mode = mode
    subscription.is_active = is_active
    subscription.full_clean()
    subscription.save()
    subscription.recipients.set(recipients)
    return subscription


# Drafting -----------------------------------------------------------------------------------


def last_ended_period(cadence: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The most recent whole month, or calendar quarter, that ended before `today` began."""
    if cadence == Cadence.MONTHLY:
        end = today.replace(day=1) - dt.timedelta(days=1)
        return end.replace(day=1), end
    end = quarter_of(today) - dt.timedelta(days=1)
    return quarter_of(end), end


def progress_update_draft(
    *, subscription: ProgressSubscription, period_start: dt.date, period_end: dt.date
) -> ProgressUpdate | None:
    """Draft the update of one period, prefilled for the owner; None if it was drafted before."""
    update = ProgressUpdate(
        subscription=subscription,
        period_start=period_start,
        period_end=period_end,
        subject=default_subject(subscription, period_start, period_end),
        message=default_message(subscription, period_start, period_end),
    )
    try:
        with transaction.atomic():
            update.save()
    except IntegrityError:
        if ProgressUpdate.objects.filter(
            subscription=subscription, period_start=period_start
        ).exists():
            return None
        raise
    return update


def progress_updates_draft_due(*, now: dt.datetime | None = None) -> list[ProgressUpdate]:
    """Draft each active subscription's update for the last period that has ended.

    That is the last whole month or calendar quarter in the library's time zone, and only if it
    ended after the subscription was made: a subscription started mid-March first reports on
    April (or on the second quarter). Automatic subscriptions are sent at once. Safe to run
    again and again: a period is drafted once. Returns the drafts made by this run.
    """
    now = now or timezone.now()
    today = timezone.localtime(now, library_zone()).date()
    periods = {cadence: last_ended_period(cadence, today) for cadence in Cadence.values}
    subscriptions = list(
        ProgressSubscription.objects.filter(is_active=True)
        # An archived partner is out of the lists; it gets no more updates either.
        .filter(Q(organization__isnull=True) | Q(organization__is_archived=False))
        .select_related("organization", "program", "owner")
        .order_by("pk")
    )
    done = set(
        ProgressUpdate.objects.filter(
            subscription__is_active=True,
            period_start__in={start for start, _end in periods.values()},
        ).values_list("subscription_id", "period_start")
    )
    made = []
    for subscription in subscriptions:
        start, end = periods[subscription.cadence]
        if (subscription.pk, start) in done or local_bounds(end, end, library_zone())[
            1
        ] <= subscription.created_at:
            continue
        try:
            update = progress_update_draft(
                subscription=subscription, period_start=start, period_end=end
            )
        except Exception:
            # One broken subscription must not hold up everyone else's updates.
            logger.exception("Could not draft the progress update of %s.", subscription)
            continue
        if update is None:
            continue
        made.append(update)
        if subscription.mode != Mode.AUTO:
            continue
        try:
            progress_update_send(update=update, by=None)
        except ValidationError as error:
            # Left as a draft on the owner's list: nobody to send it to, for instance.
            logger.warning(
                "Progress update %s was drafted but not sent: %s", update.pk, error.messages[0]
            )
        except Exception:
            logger.exception("Could not send the progress update %s.", update.pk)
    return made


# Reviewing and sending ----------------------------------------------------------------------


@dataclass(frozen=True)
class SendResult:
    # Emails queued for delivery, and those the outbox suppressed (opted out, do not contact).
    queued: int
    suppressed: int


def _locked_draft(update: ProgressUpdate) -> ProgressUpdate:
    locked = (
        ProgressUpdate.objects.select_for_update(of=("self",))
        .select_related(
            "subscription__organization", "subscription__program", "subscription__owner"
        )
        .get(pk=update.pk)
    )
    if locked.status != Status.DRAFT:
        raise ValidationError(
            f"This update was already {locked.get_status_display().lower()}; "
            "it can no longer be changed."
        )
    return locked


def _clean_text(*, subject: str, message: str) -> tuple[str, str]:
    subject = " ".join(subject.split())
    message = message.strip()
    errors = {}
    if not subject:
        errors["subject"] = "Give the email a subject."
    elif len(subject) > 200:
        errors["subject"] = "Keep the subject under 200 characters."
    if len(message) > LONG_TEXT:
        errors["message"] = f"Keep the message under {LONG_TEXT:,} characters."
    if errors:
        raise ValidationError(errors)
    return subject, message


def _copy(source: ProgressUpdate, target: ProgressUpdate) -> None:
    for name in (
        "status",
        "subject",
        "message",
        "approved_by_id",
        "approved_at",
        "sent_at",
        "skipped_by_id",
        "skipped_at",
        "recipients_count",
        "updated_at",
    ):
        setattr(target, name, getattr(source, name))


@transaction.atomic
def progress_update_edit(*, update: ProgressUpdate, subject: str, message: str) -> ProgressUpdate:
    """Save the owner's subject and message on a draft."""
    locked = _locked_draft(update)
    locked.subject, locked.message = _clean_text(subject=subject, message=message)
    locked.save(update_fields=["subject", "message", "updated_at"])
    _copy(locked, update)
    return update


@transaction.atomic
def progress_update_send(*, update: ProgressUpdate, by: User | None) -> SendResult:
    """Queue the update for every current recipient; `by` is who approved it (None: automatic).

    Raises ValidationError if it was sent or skipped already, or if there is nobody to send it
    to. Each recipient's email has its own key, so no email is ever queued twice.
    """
    locked = _locked_draft(update)
    recipients = current_recipients(locked.subscription)
    if not recipients:
        raise ValidationError(
            "Nobody to send it to: every recipient has left or has no email address. "
            "Choose recipients in the subscription, or skip this period."
        )
    summary = period_summary(locked)
    emails_queue(
        progress_email(update=locked, contact=contact, summary=summary) for contact in recipients
    )
    kind = OutgoingEmail.Kind.PROGRESS_UPDATE
    reached = [c for c in recipients if not suppression_reason(kind=kind, contact=c)]
    suppressed = len(recipients) - len(reached)
    now = timezone.now()
    progress_update_log(update=locked, reached=reached, by=by, at=now)
    locked.status = Status.SENT
    locked.sent_at = now
    locked.approved_by = by
    locked.approved_at = now if by is not None else None
    locked.recipients_count = len(recipients) - suppressed
    locked.save(
        update_fields=[
            "status",
            "sent_at",
            "approved_by",
            "approved_at",
            "recipients_count",
            "updated_at",
        ]
    )
    _copy(locked, update)
    return SendResult(queued=len(recipients) - suppressed, suppressed=suppressed)


def progress_update_log(
    *, update: ProgressUpdate, reached: list[Contact], by: User | None, at: dt.datetime
) -> list[Touchpoint]:
    """The update, sent at `at` to the people `reached`, on the timeline of each organization
    they are at: an email touchpoint with them, by whoever sent it (else the owner)."""
    staff = by or update.subscription.owner
    when = user_localtime(staff, at)
    logged = []
    for organization, people in organizations_of_recipients(update.subscription, reached).items():
        names = ", ".join(person.name for person in people)
        logged.append(
            touchpoint_log(
                organization=organization,
                staff=staff,
                occurred_on=when.date(),
                occurred_time=when.time().replace(second=0, microsecond=0),
                channel=Touchpoint.Channel.EMAIL,
                subject=Truncator(f"Progress update: {update.subject}").chars(SUBJECT_LENGTH),
                contacts=people,
                notes=f"Partner progress update for {_period_text(update)}, sent to {names}.",
            )
        )
    return logged


def _period_text(update: ProgressUpdate) -> str:
    start, end = update.period_start, update.period_end
    if start.year == end.year:
        return f"{start:%b %-d} to {end:%b %-d, %Y}"
    return f"{start:%b %-d, %Y} to {end:%b %-d, %Y}"


@transaction.atomic
def progress_update_approve(
    *, update: ProgressUpdate, by: User, subject: str, message: str
) -> SendResult:
    """The owner's “Approve and send”: their last edits saved, then sent, all or nothing."""
    progress_update_edit(update=update, subject=subject, message=message)
    return progress_update_send(update=update, by=by)


@transaction.atomic
def progress_update_skip(*, update: ProgressUpdate, by: User) -> ProgressUpdate:
    """Nothing goes out for this period; the draft stays in the history, marked skipped."""
    locked = _locked_draft(update)
    locked.status = Status.SKIPPED
    locked.skipped_by = by
    locked.skipped_at = timezone.now()
    locked.save(update_fields=["status", "skipped_by", "skipped_at", "updated_at"])
    _copy(locked, update)
    return update
