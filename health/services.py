"""Writes of partnership health: each partnership's level kept on the organization, each week's
recorded once, and the stages' cadences."""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from health.models import StageCadence, WeeklyHealth
from health.reasons import ASSESSED_STAGES, team_today
from health.selectors import ASSESSED_FIELDS, health_of, organizations_assessed
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
    level on its organization: one UPDATE per level that changed, none when nothing did.
    Partnerships no longer assessed (another stage, archived) lose their level."""
    today = today or team_today()
    now = timezone.now()
    report = RefreshReport()
    if organization_ids is None:
        ids = list(organizations_assessed().values_list("pk", flat=True))
        stale = Organization.objects.exclude(health="").filter(
            Q(is_archived=True) | ~Q(stage__in=ASSESSED_STAGES)
        )
    else:
        ids = sorted(set(organization_ids))
        stale = (
            Organization.objects.filter(pk__any_of=ids)
            .exclude(health="")
            .filter(Q(is_archived=True) | ~Q(stage__in=ASSESSED_STAGES))
        )
    report.cleared = stale.update(health="", health_changed_at=None)
    for batch in _batches(ids):
        organizations = list(
            Organization.objects.filter(pk__any_of=batch).only(*ASSESSED_FIELDS, "health")
        )
        computed = health_of(organizations, today=today)
        # By (the level read, the level found): each UPDATE writes only rows still at the level
        # it read, so a refresh that read before a touchpoint was logged never puts back what
        # the refresh after it found. A first assessment (new to its stage, or every one when
        # Liaison is upgraded) did not "turn" anything: no health_changed_at.
        by_level: dict[tuple[str, str], list[int]] = defaultdict(list)
        for organization in organizations:
            found = computed.get(organization.pk)
            if found is None:
                continue
            report.assessed += 1
            if found.level != organization.health:
                by_level[(organization.health, found.level)].append(organization.pk)
        for (was, level), changed in by_level.items():
            report.changed += Organization.objects.filter(pk__any_of=changed, health=was).update(
                health=level, health_changed_at=now if was else None
            )
    return report


def week_of(day: dt.date) -> dt.date:
    """The Monday of the week `day` is in."""
    return day - dt.timedelta(days=day.weekday())


def health_week_record(*, today: dt.date | None = None) -> int:
    """Record every assessed partnership's health for this week, once: the first run in a week
    writes its rows, any later run (another worker, a retry, a restart) finds them there and
    adds nothing. Returns how many partnerships it found not yet recorded."""
    today = today or team_today()
    week = week_of(today)
    written = 0
    ids = list(organizations_assessed().values_list("pk", flat=True))
    for batch in _batches(ids):
        recorded = set(
            WeeklyHealth.objects.filter(week=week, organization_id__any_of=batch).values_list(
                "organization_id", flat=True
            )
        )
        missing = [pk for pk in batch if pk not in recorded]
        if not missing:
            continue
        organizations = Organization.objects.filter(pk__any_of=missing).only(*ASSESSED_FIELDS)
        rows = [
            WeeklyHealth(
                organization_id=pk,
                week=week,
                level=found.level,
                reasons=[reason.as_json() for reason in found.heaviest_first()],
            )
            for pk, found in health_of(organizations, today=today).items()
        ]
        # ignore_conflicts: two workers recording the same week write each row once.
        WeeklyHealth.objects.bulk_create(rows, ignore_conflicts=True)
        written += len(rows)
    return written


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
