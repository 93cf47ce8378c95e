"""Writes of partnership health: each partnership's level kept on the organization, each week's
recorded once, and the stages' cadences."""

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from health.models import StageCadence, WeeklyHealth
from health.reasons import ASSESSED_STAGES, team_today
from health.selectors import ASSESSED_FIELDS, STORED_FIELDS, health_of, organizations_assessed
from partners.models import Cadence, Organization, Stage

logger = logging.getLogger(__name__)

# Partnerships read and written at a time by a refresh of them all.
BATCH = 2000


@dataclass
class RefreshReport:
    assessed: int = 0
    changed: int = 0
    cleared: int = 0

    def __str__(self) -> str:
        return (
            f"{self.assessed} assessed, {self.changed} changed, {self.cleared} no longer assessed"
        )


def _batches(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def health_refresh(
    *, organization_ids: Iterable[int] | None = None, today: dt.date | None = None
) -> RefreshReport:
    """Compute the health of the given partnerships (all of them when None) and keep each
    level, with its reasons, on its organization where either changed. Partnerships no longer
    assessed (another stage, archived) lose theirs.

    Only the organizations whose health changed are written, and they are locked (in id order)
    and computed again before: a touchpoint logged meanwhile waits for the lock (logging one
    locks the organization too) or is seen, so a newer result is never overwritten by an older
    one. Those unchanged are not locked: a row lock marks its page, and the index-only scans
    of the lists and the board would read the table again until the next vacuum."""
    today = today or team_today()
    now = timezone.now()
    report = RefreshReport()
    if organization_ids is None:
        ids = list(organizations_assessed().values_list("pk", flat=True))
        stale = Organization.objects.exclude(health="")
    else:
        ids = sorted(set(organization_ids))
        stale = Organization.objects.filter(pk__any_of=ids).exclude(health="")
    stale = stale.filter(Q(is_archived=True) | ~Q(stage__in=ASSESSED_STAGES))
    report.cleared = stale.update(health="", health_changed_at=None, health_reasons=[])
    for batch in _batches(ids):
        organizations = Organization.objects.filter(pk__any_of=batch)
        changed, assessed = _changed(organizations, today)
        report.assessed += assessed
        if not changed:
            continue
        with transaction.atomic():
            locked = organizations.filter(pk__any_of=[o.pk for o in changed]).order_by("pk")
            _write(_changed(locked.select_for_update(), today)[0], now=now, report=report)
    return report


def _changed(
    organizations: QuerySet[Organization], today: dt.date
) -> tuple[list[Organization], int]:
    """Those whose level or reasons differ from what they keep, with the new ones set (and
    `turned`: the level they had); and how many were assessed."""
    read = list(organizations.only(*ASSESSED_FIELDS, *STORED_FIELDS))
    computed = health_of(read, today=today)
    changed = []
    for organization in read:
        found = computed.get(organization.pk)
        if found is None:
            continue
        reasons = [reason.as_json() for reason in found.heaviest_first()]
        if (found.level, reasons) == (organization.health, organization.health_reasons):
            continue
        organization.turned = organization.health  # type: ignore[attr-defined]
        organization.health, organization.health_reasons = found.level, reasons
        changed.append(organization)
    return changed, len(computed)


def _write(changed: list[Organization], *, now: dt.datetime, report: RefreshReport) -> None:
    for organization in changed:
        was = organization.turned  # type: ignore[attr-defined]
        if organization.health != was:
            report.changed += 1
            # A first assessment (new to its stage, or every one when Liaison is upgraded)
            # did not "turn" anything.
            organization.health_changed_at = now if was else None
    Organization.objects.bulk_update(changed, STORED_FIELDS, batch_size=500)


def week_of(day: dt.date) -> dt.date:
    """The Monday of the week `day` is in."""
    return day - dt.timedelta(days=day.weekday())


def health_week_record(*, today: dt.date | None = None) -> int:
    """Record every assessed partnership's health for this week, once: the first run in a week
    refreshes them all and writes their rows; any later run (another worker, a retry, a
    restart) finds them written and adds nothing. Returns how many it wrote."""
    today = today or team_today()
    week = week_of(today)
    unrecorded = organizations_assessed().exclude(weekly_health__week=week)
    if not unrecorded.exists():
        return 0
    health_refresh(today=today)
    rows = [
        WeeklyHealth(organization_id=pk, week=week, level=level, reasons=reasons)
        for pk, level, reasons in unrecorded.exclude(health="").values_list(
            "pk", "health", "health_reasons"
        )
    ]
    # ignore_conflicts: two workers recording the same week write each row once.
    WeeklyHealth.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return len(rows)


@transaction.atomic
def stage_cadences_set(*, cadences: dict[str, int]) -> None:
    """Set how often the library expects to be in touch at each stage (managers)."""
    for stage, days in cadences.items():
        if stage not in Stage.values or days not in Cadence.values:
            raise ValueError(f"Unknown stage or cadence: {stage!r}, {days!r}")
        StageCadence.objects.update_or_create(stage=stage, defaults={"days": days})


def health_refresh_soon() -> None:
    """Refresh every partnership's health in the task runner once this transaction commits
    (after the cadences change). A task runner out of reach only delays it to the next
    periodic refresh (at most 15 minutes)."""
    from health.tasks import refresh  # the task module imports these services

    def queue() -> None:
        try:
            refresh.delay()
        except Exception:  # noqa: BLE001 — the broker's errors are many: any means not queued
            logger.exception("The partnership health refresh could not be queued.")

    transaction.on_commit(queue)
