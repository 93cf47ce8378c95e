"""Demo partner progress updates: a year of them in the first demo place.

The demo librarian has sent an active partner a monthly update since about a year ago: she
approved each a few days after its month ended, skipped the month with the least to tell, and
last month's draft is waiting for her. The demo manager has the partners of the place's monthly
program get a quarterly update automatically: set up soon after the program began, it sent each
quarter's update as the quarter ended, so nothing is due now (a freshly seeded laptop sends no
email by itself). Updates are drafted through the services, as the periodic task drafts them,
then dated back; those sent keep their emails in the outbox as the sender leaves sent ones,
without sending anything now. The same data and the same day give the same rows.
"""

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from core.periods import local_bounds, months, quarter_of, quarters
from demo.partners import DEFAULT_SEED, ORGANIZATIONS_PER_UNIT
from mail.models import OutgoingEmail
from mail.outbox import emails_record_sent, suppression_reason
from partners.models import Contact, Organization, Stage, StageChange
from programs.models import Program, ProgramPartner
from programs.selectors.impact import ImpactSummary
from updates.emails import library_zone, period_summary, progress_email
from updates.models import ProgressSubscription, ProgressUpdate
from updates.selectors import current_recipients, recipient_candidates
from updates.services import (
    last_ended_period,
    progress_subscription_create,
    progress_update_draft,
    progress_update_log,
    progress_update_skip,
)

Cadence, Mode = ProgressSubscription.Cadence, ProgressSubscription.Mode
# Enough people for a realistic list, few enough to read at a glance.
MAX_RECIPIENTS = 3
# How far back the librarian's monthly updates go.
MONTHS_OF_UPDATES = 12


@dataclass(frozen=True)
class ProgressCounts:
    subscriptions: int
    drafts: int
    sent: int


def _eligible(
    *, organization: Organization | None = None, program: Program | None = None
) -> list[Contact]:
    return list(
        recipient_candidates(organization=organization, program=program)
        .exclude(email="")
        .filter(do_not_contact=False, opted_out_of_updates=False)[:MAX_RECIPIENTS]
    )


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    moment = dt.datetime.combine(day, dt.time(hour, minute))
    return min(timezone.make_aware(moment, library_zone()), timezone.now())


def _backdate(
    model: type[ProgressSubscription] | type[ProgressUpdate],
    pk: int,
    when: dt.datetime,
    **fields: object,
) -> None:
    model.objects.filter(pk=pk).update(created_at=when, updated_at=when, **fields)


def _workday(day: dt.date) -> dt.date:
    """The day, or the Monday after it if it falls on a weekend."""
    return day + dt.timedelta(days=7 - day.weekday() if day.weekday() >= 5 else 0)


def _drafted(update: ProgressUpdate) -> dt.datetime:
    """When the periodic task drafted it: ten past midnight after the period ended."""
    return _at(update.period_end + dt.timedelta(days=1), 0, 10)


def _record_sent(
    update: ProgressUpdate,
    *,
    by: User | None,
    at: dt.datetime,
    summary: ImpactSummary | None = None,
) -> None:
    """What progress_update_send, then the outbox's sender, recorded at `at`: the update sent
    (approved by `by`, None when automatic) and each recipient's email sent or suppressed."""
    recipients = current_recipients(update.subscription)
    summary = summary or period_summary(update)
    emails_record_sent(
        (progress_email(update=update, contact=c, summary=summary) for c in recipients),
        sent_at=at,
    )
    kind = OutgoingEmail.Kind.PROGRESS_UPDATE
    people = [c for c in recipients if not suppression_reason(kind=kind, contact=c)]
    reached = len(people)
    progress_update_log(update=update, reached=people, by=by, at=at)
    ProgressUpdate.objects.filter(pk=update.pk).update(
        status=ProgressUpdate.Status.SENT,
        sent_at=at,
        approved_by=by,
        approved_at=at if by is not None else None,
        recipients_count=reached,
        created_at=_drafted(update),
        updated_at=at,
    )


def _first_place() -> list[int]:
    """The organizations of the first demo place: demo.partners loads a place at a time."""
    return list(
        Organization.objects.order_by("pk").values_list("pk", flat=True)[:ORGANIZATIONS_PER_UNIT]
    )


def _running_longest() -> list[Program]:
    """The first place's running programs (not grants), the longest-running first."""
    return list(
        Program.objects.filter(status=Program.Status.ACTIVE)
        .filter(~Q(kind=Program.Kind.GRANT))
        .filter(program_partners__organization__in=_first_place())
        .distinct()
        .order_by("start_date", "pk")[:20]
    )


def _partners_since() -> dict[int, dt.datetime]:
    """When each active partner of the first place first became one."""
    return dict(
        StageChange.objects.filter(
            organization__in=_first_place(),
            organization__stage=Stage.ACTIVE,
            to_stage=Stage.ACTIVE,
        )
        .values("organization")
        .annotate(first=Min("changed_at"))
        .values_list("organization", "first")
    )


def _reviewed_partner(today: dt.date) -> tuple[Organization, list[Contact], dt.date] | None:
    """An active partner of the first place with people who can receive updates, and the day
    it became one: a partner in the longest-running program if one can, so that every month
    of its updates has something to tell; one the library is in touch with (not gone quiet);
    the longest partner first."""
    since = _partners_since()
    longest = _running_longest()[:1]
    in_it = set(
        ProgramPartner.objects.filter(program__in=longest).values_list("organization", flat=True)
    )
    organizations = Organization.objects.filter(
        pk__in=since, is_archived=False, program_roles__isnull=False
    ).distinct()
    in_touch = today - dt.timedelta(days=settings.LIAISON_QUIET_DAYS)

    def first(organization: Organization) -> tuple[bool, bool, dt.datetime]:
        last = organization.last_touchpoint_on
        quiet = last is None or last < in_touch
        return organization.pk not in in_it, quiet, since[organization.pk]

    for organization in sorted(organizations, key=first):
        recipients = _eligible(organization=organization)
        if recipients:
            began = timezone.localtime(since[organization.pk], library_zone()).date()
            return organization, recipients, began
    return None


def _monthly(
    *,
    librarian: User,
    organization: Organization,
    recipients: list[Contact],
    partner_since: dt.date,
    today: dt.date,
) -> tuple[int, int]:
    """The librarian's monthly updates: (drafts waiting, updates sent)."""
    rng = random.Random(f"progress-{DEFAULT_SEED}")
    last_start, last_end = last_ended_period(Cadence.MONTHLY, today)
    back = last_start.year * 12 + last_start.month - MONTHS_OF_UPDATES
    earliest = dt.date(back // 12, back % 12 + 1, 1)
    # Set up a few days after the partnership began, or a year of updates ago.
    began = max(earliest, partner_since)
    subscribed_on = min(began, last_start) + dt.timedelta(days=3)
    subscription = progress_subscription_create(
        by=librarian,
        owner=librarian,
        cadence=Cadence.MONTHLY,
        mode=Mode.REVIEW,
        recipients=recipients,
        organization=organization,
    )
    _backdate(ProgressSubscription, subscription.pk, _at(subscribed_on, 10, 30))
    past = []
    for month in months(subscribed_on, last_start)[:-1]:
        start, end = last_ended_period(
            Cadence.MONTHLY, (month + dt.timedelta(days=32)).replace(day=1)
        )
        update = progress_update_draft(
            subscription=subscription, period_start=start, period_end=end
        )
        if update is not None:
            past.append(update)
    # The month with the least to tell was skipped; the others went out a few days on.
    told = {update.pk: period_summary(update) for update in past}
    quiet = min(past, key=lambda u: (told[u.pk].sessions, told[u.pk].attendance), default=None)
    sent = 0
    for update in past:
        if len(past) > 2 and update is quiet:
            progress_update_skip(update=update, by=librarian)
            skipped = _at(_workday(update.period_end + dt.timedelta(days=2)), 9, 40)
            ProgressUpdate.objects.filter(pk=update.pk).update(
                created_at=_drafted(update), updated_at=skipped, skipped_at=skipped
            )
            continue
        approved = _at(_workday(update.period_end + dt.timedelta(days=rng.randint(2, 6))), 9)
        approved = min(approved + dt.timedelta(minutes=rng.randint(0, 420)), timezone.now())
        _record_sent(update, by=librarian, at=approved, summary=told[update.pk])
        sent += 1
    waiting = progress_update_draft(
        subscription=subscription, period_start=last_start, period_end=last_end
    )
    if waiting is None:
        return 0, sent
    _backdate(ProgressUpdate, waiting.pk, _drafted(waiting))
    return 1, sent


def _auto_program() -> tuple[Program, list[Contact]] | None:
    """The first place's longest-running program (not a grant) with people to write to."""
    for program in _running_longest():
        recipients = _eligible(program=program)
        if recipients:
            return program, recipients
    return None


def _quarterly(
    *, manager: User, program: Program, recipients: list[Contact], today: dt.date
) -> int:
    """The manager's automatic quarterly updates, each sent as its quarter ended: how many."""
    subscription = progress_subscription_create(
        by=manager,
        owner=manager,
        cadence=Cadence.QUARTERLY,
        mode=Mode.AUTO,
        recipients=recipients,
        program=program,
    )
    began = program.start_date or today
    set_up = _at(min(began + dt.timedelta(days=10), today - dt.timedelta(days=1)), 11, 15)
    _backdate(ProgressSubscription, subscription.pk, set_up)
    sent = 0
    for quarter in quarters(set_up.date(), today)[:-1]:
        start, end = last_ended_period(
            Cadence.QUARTERLY, quarter_of(quarter + dt.timedelta(days=92))
        )
        # The periodic task reports on a quarter that ended after the subscription was made.
        if local_bounds(end, end, library_zone())[1] <= set_up:
            continue
        update = progress_update_draft(
            subscription=subscription, period_start=start, period_end=end
        )
        if update is not None:
            _record_sent(update, by=None, at=_drafted(update) + dt.timedelta(minutes=1))
            sent += 1
    return sent


@transaction.atomic
def demo_progress_load(*, staff: Sequence[User]) -> ProgressCounts:
    """`staff` are the demo users, the librarian first and the manager last."""
    librarian, manager = staff[0], staff[-1]
    today = timezone.localtime(timezone.now(), library_zone()).date()
    subscriptions = drafts = sent = 0

    reviewed = _reviewed_partner(today)
    if reviewed is not None:
        organization, recipients, since = reviewed
        drafts, sent = _monthly(
            librarian=librarian,
            organization=organization,
            recipients=recipients,
            partner_since=since,
            today=today,
        )
        subscriptions += 1

    automatic = _auto_program()
    if automatic is not None:
        program, recipients = automatic
        sent += _quarterly(manager=manager, program=program, recipients=recipients, today=today)
        subscriptions += 1

    return ProgressCounts(subscriptions=subscriptions, drafts=drafts, sent=sent)
