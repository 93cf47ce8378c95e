"""Partnership health kept on each organization, recorded once a week, refreshed when a
touchpoint is logged; the stages' cadences."""

import datetime as dt
import threading

import pytest
import time_machine
from django.conf import settings
from django.db import connections, transaction

from core.tests import races
from core.tests.factories import UserFactory
from health.models import StageCadence, WeeklyHealth
from health.selectors import stage_cadences
from health.services import health_refresh, health_week_record, stage_cadences_set, week_of
from outreach.services import touchpoint_log
from outreach.tests.factories import TouchpointFactory
from partners.models import Health, Organization, Stage
from partners.services import stage_change
from partners.tests.factories import AffiliationFactory, OrganizationFactory

NOW = dt.datetime(2026, 3, 18, 20, 0, tzinfo=dt.UTC)  # Wednesday, 4 PM in New York
TODAY = dt.date(2026, 3, 18)
LONG_AGO = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _partner(name: str, *, days_quiet: int, stage: str = Stage.ACTIVE) -> Organization:
    """A partnership last heard from `days_quiet` days ago, with a primary contact: healthy
    within 42 days (active), needing attention up to 84, at risk beyond."""
    organization = OrganizationFactory(name=name, stage=stage, stage_changed_at=LONG_AGO)
    AffiliationFactory(organization=organization, is_primary=True)
    TouchpointFactory(organization=organization, occurred_on=TODAY - dt.timedelta(days=days_quiet))
    return organization


def _levels() -> dict[str, tuple[str, dt.datetime | None]]:
    return {
        o.name: (o.health, o.health_changed_at)
        for o in Organization.objects.order_by("name").only("name", "health", "health_changed_at")
    }


@pytest.mark.django_db
def test_the_refresh_keeps_each_level_and_when_it_turned(frozen):
    _partner("Healthy", days_quiet=3)
    quiet = _partner("Quiet", days_quiet=60)
    _partner("Dormant", days_quiet=300, stage=Stage.DORMANT)

    report = health_refresh()

    # Assessed for the first time: a level, but nothing "turned".
    assert _levels() == {
        "Dormant": ("", None),
        "Healthy": (Health.HEALTHY, None),
        "Quiet": (Health.ATTENTION, None),
    }
    assert (report.assessed, report.changed, report.cleared) == (2, 2, 0)

    frozen.shift(dt.timedelta(days=30))  # Quiet is now 90 days quiet: at risk
    report = health_refresh()
    assert _levels()["Quiet"] == (Health.AT_RISK, NOW + dt.timedelta(days=30))
    assert _levels()["Healthy"] == (Health.HEALTHY, None)  # 33 days: still within 42
    assert report.changed == 1

    # Nothing changed: nothing written, the day it turned kept.
    frozen.shift(dt.timedelta(hours=1))
    assert health_refresh().changed == 0
    assert _levels()["Quiet"] == (Health.AT_RISK, NOW + dt.timedelta(days=30))

    # Moved to dormant: no longer assessed, its level cleared.
    stage_change(organization=quiet, to_stage=Stage.DORMANT, by=None)
    assert health_refresh().cleared == 1
    assert _levels()["Quiet"] == ("", None)


@pytest.mark.django_db
def test_refreshing_some_partnerships_leaves_the_others(frozen):
    one, other = _partner("One", days_quiet=60), _partner("Other", days_quiet=60)

    health_refresh(organization_ids=[one.pk])

    assert _levels() == {"One": (Health.ATTENTION, None), "Other": ("", None)}
    assert other.pk  # refreshed by the next full refresh


@pytest.mark.django_db
def test_an_archived_partnership_loses_its_level(frozen):
    gone = _partner("Gone", days_quiet=3)
    health_refresh()
    Organization.objects.filter(pk=gone.pk).update(is_archived=True, archived_at=NOW)

    health_refresh(organization_ids=[gone.pk])

    assert _levels()["Gone"] == ("", None)


@pytest.mark.django_db
def test_a_refresh_does_not_touch_the_change_history_or_the_edit_stamp(frozen):
    quiet = _partner("Quiet", days_quiet=60)
    before = (quiet.history.count(), Organization.objects.get(pk=quiet.pk).updated_at)

    health_refresh()

    after = Organization.objects.get(pk=quiet.pk)
    assert (after.history.count(), after.updated_at) == before
    assert after.health == Health.ATTENTION


# Real commits (transaction=True): the refresh runs when the change commits.
@pytest.mark.django_db(transaction=True)
def test_a_touchpoint_logged_refreshes_the_partnership_at_once(frozen):
    quiet = _partner("Quiet", days_quiet=100)
    health_refresh()
    assert _levels()["Quiet"][0] == Health.AT_RISK

    touchpoint_log(
        organization=quiet, staff=UserFactory(), occurred_on=TODAY, channel="phone",
        subject="Caught up with Maya",
    )  # fmt: skip

    assert _levels()["Quiet"] == (Health.HEALTHY, NOW)


@pytest.mark.django_db
def test_each_week_is_recorded_once(frozen):
    _partner("Healthy", days_quiet=3)
    _partner("Quiet", days_quiet=60)
    _partner("Dormant", days_quiet=300, stage=Stage.DORMANT)

    assert health_week_record() == 2
    assert health_week_record() == 0  # the hourly task, again the same week
    frozen.shift(dt.timedelta(days=4))  # Sunday: the same week still
    assert health_week_record() == 0
    frozen.shift(dt.timedelta(days=1))  # Monday: a new week
    assert health_week_record() == 2

    rows = WeeklyHealth.objects.order_by("week", "organization__name")
    assert [(r.week, r.organization.name, r.level) for r in rows] == [
        (dt.date(2026, 3, 16), "Healthy", Health.HEALTHY),
        (dt.date(2026, 3, 16), "Quiet", Health.ATTENTION),
        (dt.date(2026, 3, 23), "Healthy", Health.HEALTHY),
        (dt.date(2026, 3, 23), "Quiet", Health.ATTENTION),
    ]
    assert [(r["signal"], r["text"], r["weight"]) for r in rows[1].reasons] == [
        ("contact", "No two-way contact in 8 weeks (cadence every 6 weeks)", 2)
    ]


def test_a_week_starts_on_monday():
    assert [week_of(dt.date(2026, 3, day)) for day in (15, 16, 22, 23)] == [
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 16),
        dt.date(2026, 3, 16),
        dt.date(2026, 3, 23),
    ]


@pytest.mark.django_db(transaction=True)
@races.needs_row_locks
def test_the_week_is_written_once_whatever_the_number_of_workers():
    """Four workers record the same week at the same moment (their own connections)."""
    for n in range(30):
        _partner(f"Partner {n:02}", days_quiet=n * 3)
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            health_week_record(today=TODAY)
        except BaseException as error:  # noqa: BLE001 - any error is the failure
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert WeeklyHealth.objects.count() == 30
    assert set(WeeklyHealth.objects.values_list("week", flat=True)) == {dt.date(2026, 3, 16)}


@pytest.mark.django_db
def test_managers_set_a_cadence_per_stage():
    assert stage_cadences()[Stage.ACTIVE] == 42  # the default until set

    stage_cadences_set(cadences={Stage.ACTIVE: 30, Stage.IN_DISCUSSION: 14})
    stage_cadences_set(cadences={Stage.ACTIVE: 61})

    assert StageCadence.objects.count() == 2
    assert (stage_cadences()[Stage.ACTIVE], stage_cadences()[Stage.IN_DISCUSSION]) == (61, 14)
    with pytest.raises(ValueError):
        stage_cadences_set(cadences={Stage.ACTIVE: 5})


def test_beat_keeps_health_current_and_records_the_weeks():
    tasks = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks["health.refresh"] == 900.0
    assert tasks["health.record_week"] == 3600.0


@pytest.mark.django_db(transaction=True)
def test_a_stage_change_refreshes_the_partnership_at_once(frozen):
    quiet = _partner("Quiet", days_quiet=100)
    prospect = _partner("Prospect", days_quiet=3, stage=Stage.CONTACTED)
    health_refresh()

    with transaction.atomic():  # one transaction, one refresh of both
        stage_change(organization=quiet, to_stage=Stage.DORMANT, by=None)
        stage_change(organization=prospect, to_stage=Stage.IN_DISCUSSION, by=None)

    assert _levels() == {"Prospect": (Health.HEALTHY, None), "Quiet": ("", None)}


@pytest.mark.django_db(transaction=True)
def test_many_partnerships_changed_at_once_wait_for_the_periodic_refresh(frozen):
    from health.receivers import REFRESH_AT_ONCE

    many = [_partner(f"P{n:02}", days_quiet=3, stage=Stage.CONTACTED) for n in range(51)]
    assert len(many) > REFRESH_AT_ONCE

    with transaction.atomic():
        for organization in many:
            stage_change(organization=organization, to_stage=Stage.ACTIVE, by=None)

    assert set(Organization.objects.values_list("health", flat=True)) == {""}
    health_refresh()
    assert set(Organization.objects.values_list("health", flat=True)) == {Health.HEALTHY}


@pytest.mark.django_db
def test_a_refresh_with_nothing_changed_locks_no_row(frozen):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        _partner(f"P{n}", days_quiet=3 + 30 * n)
    health_refresh()

    with CaptureQueriesContext(connection) as queries:
        report = health_refresh()

    # A row lock marks the row's page as not all visible: the lists' index-only scans would
    # read the table again until the next vacuum.
    assert (report.assessed, report.changed) == (3, 0)
    assert not [q["sql"] for q in queries if "FOR UPDATE" in q["sql"] or "CASE WHEN" in q["sql"]]
