"""Demo partner progress updates: two subscriptions in the first demo place.

The demo librarian reviews monthly updates to an active partner: last month's draft is waiting
for her, and the month before was skipped. The demo manager has a program's partners get a
quarterly update automatically; it was set up this quarter, so nothing is due before the quarter
ends (a freshly seeded laptop sends no email by itself). Made through the services, as a
librarian would, then dated back; the same data and the same day give the same rows.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from partners.models import Contact, Organization, Stage
from programs.models import Program
from programs.selectors.impact import impact_summary
from updates.emails import library_zone
from updates.models import ProgressSubscription, ProgressUpdate
from updates.selectors import recipient_candidates
from updates.services import (
    last_ended_period,
    progress_subscription_create,
    progress_update_draft,
    progress_update_skip,
)

Cadence, Mode = ProgressSubscription.Cadence, ProgressSubscription.Mode
# Enough people for a realistic list, few enough to read at a glance.
MAX_RECIPIENTS = 3


@dataclass(frozen=True)
class ProgressCounts:
    subscriptions: int
    drafts: int


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


def _reviewed_partner(today: dt.date) -> tuple[Organization, list[Contact]] | None:
    """An active partner with people who can receive updates; one with something to report
    for last month if there is one, so that the waiting draft has figures to review."""
    start, end = last_ended_period(Cadence.MONTHLY, today)
    first = None
    organizations = Organization.objects.filter(
        stage=Stage.ACTIVE, is_archived=False, program_roles__isnull=False
    ).distinct()
    for organization in organizations.order_by("pk")[:20]:
        recipients = _eligible(organization=organization)
        if not recipients:
            continue
        with timezone.override(library_zone()):
            summary = impact_summary(organization=organization, start=start, end=end)
        if summary.programs:
            return organization, recipients
        first = first or (organization, recipients)
    return first


def _auto_program() -> tuple[Program, list[Contact]] | None:
    programs = (
        Program.objects.filter(status=Program.Status.ACTIVE)
        .filter(~Q(kind=Program.Kind.GRANT))
        .order_by("pk")
    )
    for program in programs[:20]:
        recipients = _eligible(program=program)
        if recipients:
            return program, recipients
    return None


@transaction.atomic
def demo_progress_load(*, staff: Sequence[User]) -> ProgressCounts:
    """`staff` are the demo users, the librarian first and the manager last."""
    librarian, manager = staff[0], staff[-1]
    today = timezone.localtime(timezone.now(), library_zone()).date()
    subscriptions = drafts = 0

    reviewed = _reviewed_partner(today)
    if reviewed is not None:
        organization, recipients = reviewed
        last_start, last_end = last_ended_period(Cadence.MONTHLY, today)
        before_start, before_end = last_ended_period(Cadence.MONTHLY, last_start)
        subscription = progress_subscription_create(
            by=librarian,
            owner=librarian,
            cadence=Cadence.MONTHLY,
            mode=Mode.REVIEW,
            recipients=recipients,
            organization=organization,
        )
        subscribed = _at(before_start + dt.timedelta(days=3), 10, 30)
        _backdate(ProgressSubscription, subscription.pk, subscribed)
        skipped = progress_update_draft(
            subscription=subscription, period_start=before_start, period_end=before_end
        )
        waiting = progress_update_draft(
            subscription=subscription, period_start=last_start, period_end=last_end
        )
        if skipped is not None:
            progress_update_skip(update=skipped, by=librarian)
            drafted = _at(before_end + dt.timedelta(days=1), 0, 10)
            _backdate(
                ProgressUpdate,
                skipped.pk,
                drafted,
                skipped_at=_at(before_end + dt.timedelta(days=2), 9, 40),
            )
        if waiting is not None:
            _backdate(ProgressUpdate, waiting.pk, _at(last_end + dt.timedelta(days=1), 0, 10))
            drafts += 1
        subscriptions += 1

    automatic = _auto_program()
    if automatic is not None:
        program, recipients = automatic
        subscription = progress_subscription_create(
            by=manager,
            owner=manager,
            cadence=Cadence.QUARTERLY,
            mode=Mode.AUTO,
            recipients=recipients,
            program=program,
        )
        # Set up this quarter: the quarter that ended before it is not reported on.
        _start, last_quarter_end = last_ended_period(Cadence.QUARTERLY, today)
        quarter_began = _at(last_quarter_end + dt.timedelta(days=1), 0)
        set_up = max(quarter_began, _at(today - dt.timedelta(days=20), 11, 15))
        _backdate(ProgressSubscription, subscription.pk, set_up)
        subscriptions += 1

    return ProgressCounts(subscriptions=subscriptions, drafts=drafts)
