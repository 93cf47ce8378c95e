"""Progress updates are drafted once at the end of each period, in the library's time zone;
in auto mode they go out at once."""

import datetime as dt

import pytest
import time_machine

from partners.services import affiliation_end
from updates import services as services
from updates.models import ProgressSubscription, ProgressUpdate
from updates.tasks import queue_progress_updates
from updates.tests.helpers import (
    FEBRUARY,
    NEW_YORK,
    Cadence,
    Mode,
    Status,
    draft_february,
    local,
    progress_emails,
    subscribe,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "zone", [NEW_YORK, "Pacific/Honolulu", "Europe/Berlin", "Pacific/Kiritimati"]
)
def test_monthly_draft_is_made_once_when_the_month_has_ended_in_the_library_zone(
    settings, partner, librarian, zone
):
    settings.TIME_ZONE = zone
    subscription = subscribe(partner, librarian, when=local(zone, 2026, 2, 10, 9))

    with time_machine.travel(local(zone, 2026, 2, 28, 23, 59), tick=False):
        assert services.progress_updates_draft_due() == []
    with time_machine.travel(local(zone, 2026, 3, 1, 0, 0), tick=False):
        first = services.progress_updates_draft_due()
        second = services.progress_updates_draft_due()

    assert second == []
    (update,) = ProgressUpdate.objects.all()
    assert first == [update]
    assert update.subscription == subscription
    assert (update.period_start, update.period_end) == FEBRUARY
    assert update.status == Status.DRAFT
    assert "February 2026" in update.subject
    assert "Riverside Health Clinic" in update.message
    assert librarian.get_full_name() in update.message


@pytest.mark.parametrize("zone", [NEW_YORK, "Australia/Sydney"])
def test_quarterly_draft_covers_the_calendar_quarter_once_it_has_ended(
    settings, partner, librarian, zone
):
    settings.TIME_ZONE = zone
    subscribe(partner, librarian, cadence=Cadence.QUARTERLY, when=local(zone, 2026, 2, 10, 9))

    # March has ended, and with it the first quarter; the last quarter of 2025 ended before the
    # subscription was made, so it is never reported on.
    with time_machine.travel(local(zone, 2026, 3, 31, 23, 59), tick=False):
        assert services.progress_updates_draft_due() == []
    with time_machine.travel(local(zone, 2026, 4, 1, 0, 0), tick=False):
        services.progress_updates_draft_due()
        services.progress_updates_draft_due()
    with time_machine.travel(local(zone, 2026, 6, 30, 12), tick=False):
        services.progress_updates_draft_due()

    (update,) = ProgressUpdate.objects.all()
    assert (update.period_start, update.period_end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert "January – March 2026" in update.subject


def test_the_next_month_is_drafted_when_it_ends_too(partner, librarian):
    subscribe(partner, librarian)
    services.progress_updates_draft_due(now=local(NEW_YORK, 2026, 3, 1, 1))
    services.progress_updates_draft_due(now=local(NEW_YORK, 2026, 3, 20))
    services.progress_updates_draft_due(now=local(NEW_YORK, 2026, 4, 1, 0, 1))

    periods = list(ProgressUpdate.objects.order_by("period_start").values_list("period_start"))
    assert periods == [(dt.date(2026, 2, 1),), (dt.date(2026, 3, 1),)]


def test_nothing_is_drafted_for_a_period_that_ended_before_the_subscription(partner, librarian):
    subscribe(partner, librarian, when=local(NEW_YORK, 2026, 3, 15, 9))

    assert services.progress_updates_draft_due(now=local(NEW_YORK, 2026, 3, 20)) == []
    assert not ProgressUpdate.objects.exists()


def test_a_paused_subscription_drafts_nothing(partner, librarian):
    subscription = subscribe(partner, librarian)
    services.progress_subscription_update(
        subscription=subscription,
        owner=librarian,
        cadence=Cadence.MONTHLY,
        mode=Mode.REVIEW,
        recipients=[partner.ana],
        is_active=False,
    )

    assert services.progress_updates_draft_due(now=local(NEW_YORK, 2026, 3, 2)) == []


def test_the_periodic_task_drafts_the_updates_due(partner, librarian):
    subscribe(partner, librarian)
    with time_machine.travel(local(NEW_YORK, 2026, 3, 1, 8), tick=False):
        assert queue_progress_updates.run() == 1
        assert queue_progress_updates.run() == 0
    assert ProgressUpdate.objects.count() == 1


def test_review_mode_waits_for_the_owner(partner, librarian):
    subscribe(partner, librarian, mode=Mode.REVIEW)

    update = draft_february(ProgressSubscription.objects.get())

    assert update.status == Status.DRAFT
    assert not progress_emails().exists()


def test_auto_mode_queues_the_emails_at_once(partner, librarian):
    subscribe(partner, librarian, mode=Mode.AUTO)

    update = draft_february(ProgressSubscription.objects.get())

    update.refresh_from_db()
    assert update.status == Status.SENT
    assert update.approved_by is None and update.sent_at is not None
    assert update.recipients_count == 2
    assert sorted(progress_emails().values_list("to_address", "status")) == [
        ("ana@clinic.example.org", "queued"),
        ("ben@clinic.example.org", "queued"),
    ]


def test_auto_mode_with_nobody_to_send_to_leaves_the_draft_for_the_owner(partner, librarian):
    subscription = subscribe(partner, librarian, mode=Mode.AUTO, recipients=[partner.ana])
    affiliation_end(affiliation=partner.ana.affiliations.get(), end_date=dt.date(2026, 2, 20))

    update = draft_february(subscription)

    update.refresh_from_db()
    assert update.status == Status.DRAFT
    assert not progress_emails().exists()
