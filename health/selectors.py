"""Reads of partnership health: computed afresh for a few partnerships (a partner's page, a
page of the health list), and the stored levels and weekly records for many."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from core.periods import month_label, quick_periods
from health.models import StageCadence, WeeklyHealth
from health.reasons import (
    ASSESSED_STAGES,
    PartnershipHealth,
    agreement_reasons,
    contact_reasons,
    followup_reasons,
    partners_assessed,
    primary_contacts,
    primary_reasons,
    program_reasons,
    progress_update_reasons,
    team_today,
)
from partners.models import Cadence, Health, Organization, Stage

# What health_of reads of each organization.
ASSESSED_FIELDS = (
    "id",
    "name",
    "stage",
    "stage_changed_at",
    "cadence_days",
    "last_touchpoint_on",
    "is_archived",
)

# What health_refresh keeps on each organization.
STORED_FIELDS = ["health", "health_changed_at", "health_reasons"]


def why(reasons: list[dict[str, Any]]) -> str:
    """Stored reasons in one line: "No reply in 7 weeks (cadence every month); …"."""
    return "; ".join(str(reason["text"]) for reason in reasons)


def next_step(reasons: list[dict[str, Any]]) -> str:
    """The one suggested next step of stored reasons (the heaviest's)."""
    return str(reasons[0].get("next_step", "")) if reasons else ""


# A stage's cadence until a manager sets one: in discussion every 3 weeks, active every 6
# weeks, dormant every 6 months (the issue's examples, from the outreach librarians' notes).
DEFAULT_CADENCES = {
    Stage.CONTACTED: Cadence.TWO_WEEKS,
    Stage.IN_DISCUSSION: Cadence.THREE_WEEKS,
    Stage.ACTIVE: Cadence.SIX_WEEKS,
    Stage.DORMANT: Cadence.SIX_MONTHS,
}


def stage_cadences() -> dict[str, int]:
    """Each stage's cadence in days: the managers' setting, else the default."""
    found: dict[str, int] = {str(stage): int(days) for stage, days in DEFAULT_CADENCES.items()}
    found.update(StageCadence.objects.values_list("stage", "days"))
    return found


def health_of(
    organizations: Iterable[Organization], *, today: dt.date | None = None
) -> dict[int, PartnershipHealth]:
    """The health of each organization that is assessed (in discussion or active, not
    archived), computed now, in a fixed number of queries however many there are."""
    today = today or team_today()
    organizations = list(organizations)
    if not organizations:
        return {}
    partners = partners_assessed(organizations, stage_cadences())
    if not partners:
        return {}
    ids = [partner.pk for partner in partners]
    primaries = primary_contacts(ids)
    current_primary = {
        pk: next(name for name, end in people if end is None or end > today)
        for pk, people in primaries.items()
        if any(end is None or end > today for _, end in people)
    }
    found = {
        partner.pk: PartnershipHealth(
            organization_id=partner.pk,
            cadence_days=partner.cadence_days,
            cadence_agreed=partner.cadence_agreed,
        )
        for partner in partners
    }
    for reasons in (
        contact_reasons(partners, today, current_primary),
        followup_reasons(ids, today),
        primary_reasons(ids, today, primaries),
        progress_update_reasons(ids, today),
        program_reasons(ids, today),
        agreement_reasons(ids, today),
    ):
        for pk, reason in reasons.items():
            found[pk].reasons.append(reason)
    return found


def organizations_assessed() -> QuerySet[Organization]:
    """Every organization whose health is assessed, read with what health_of needs."""
    return (
        Organization.objects.active()
        .filter(stage__in=ASSESSED_STAGES)
        .only(*ASSESSED_FIELDS)
        .order_by("pk")
    )


def health_counts(*, owner_id: int | None = None) -> dict[str, int]:
    """How many partnerships are at each level now (the stored levels)."""
    organizations = Organization.objects.active().exclude(health="")
    if owner_id is not None:
        organizations = organizations.filter(owner_id=owner_id)
    counts = dict(
        organizations.values("health").annotate(n=Count("pk")).order_by().values_list("health", "n")
    )
    return {level: counts.get(level, 0) for level in Health.values}


# The health page's level filter: those that need care unless another is chosen.
NEEDS_CARE = ""
EVERY_LEVEL = "all"


def partnerships_by_health(
    *, level: str = NEEDS_CARE, owner_id: int | None = None
) -> QuerySet[Organization]:
    """Assessed partnerships at `level` (NEEDS_CARE: at risk or needs attention; EVERY_LEVEL),
    at risk first, then needs attention, then healthy; by name."""
    organizations = (
        Organization.objects.active()
        .exclude(health="")
        .select_related("owner")
        .only(
            "id", "name", "stage", "health", "health_reasons", "owner__username",
            "owner__first_name", "owner__last_name",
        )
    )  # fmt: skip
    if level == NEEDS_CARE:
        organizations = organizations.filter(health__in=[Health.AT_RISK, Health.ATTENTION])
    elif level != EVERY_LEVEL:
        organizations = organizations.filter(health=level)
    if owner_id is not None:
        organizations = organizations.filter(owner_id=owner_id)
    # The levels' values sort by urgency ("at_risk" < "attention" < "healthy", in any
    # collation), so the page is read in the order of the index org_health, LIMIT 25.
    return organizations.order_by("health", "name", "pk")


@dataclass(frozen=True)
class Month:
    label: str
    week: dt.date  # the month's last recorded week
    partnerships: int
    at_risk: int
    attention: int
    healthy: int

    @property
    def at_risk_share(self) -> float:
        return self.at_risk / self.partnerships if self.partnerships else 0.0


def monthly_health(start: dt.date, end: dt.date) -> list[Month]:
    """The portfolio's health in each month from `start` to `end` that has a recorded week:
    its last recorded week's count of partnerships at each level (oldest month first)."""
    rows = (
        WeeklyHealth.objects.filter(week__gte=start, week__lte=end)
        .values("week", "level")
        .annotate(n=Count("pk"))
        .order_by("week")
    )
    by_week: dict[dt.date, dict[str, int]] = {}
    for row in rows:
        by_week.setdefault(row["week"], {})[row["level"]] = row["n"]
    last_of_month: dict[tuple[int, int], dt.date] = {}
    for week in by_week:
        last_of_month[(week.year, week.month)] = week
    return [
        Month(
            label=month_label(dt.date(year, month, 1)),
            week=week,
            partnerships=sum(by_week[week].values()),
            at_risk=by_week[week].get(Health.AT_RISK, 0),
            attention=by_week[week].get(Health.ATTENTION, 0),
            healthy=by_week[week].get(Health.HEALTHY, 0),
        )
        for (year, month), week in sorted(last_of_month.items())
    ]


def trend_url(today: dt.date) -> str:
    """The health report over the last 12 months (the period picker's own shortcut)."""
    _label, start, end = next(p for p in quick_periods(today) if p[0] == "Last 12 months")
    query = urlencode({"start": start.isoformat(), "end": end.isoformat()})
    return f"{reverse('reports:health')}?{query}"


def recent_weeks(organization: Organization, weeks: int = 12) -> list[WeeklyHealth]:
    """One partnership's recorded health in its last `weeks` weeks, oldest first."""
    return list(reversed(WeeklyHealth.objects.filter(organization=organization)[:weeks]))


@dataclass(frozen=True)
class TurnedAtRisk:
    organization: Organization
    why: str
    next_step: str


def turned_at_risk(
    *, since: dt.datetime, owner_ids: Iterable[int] | None = None, limit: int | None = None
) -> tuple[list[TurnedAtRisk], int]:
    """Partnerships at risk now that turned at risk since `since` (the early warning of the
    digests), by name, each with why and the one suggested next step, as last refreshed; and
    how many in all."""
    organizations = Organization.objects.active().filter(
        health=Health.AT_RISK, health_changed_at__gte=since
    )
    if owner_ids is not None:
        organizations = organizations.filter(owner_id__any_of=list(owner_ids))
    found = list(organizations.select_related("owner").order_by("name", "pk")[:limit])
    total = len(found) if limit is None or len(found) < limit else organizations.count()
    return [
        TurnedAtRisk(
            organization=organization,
            why=why(organization.health_reasons),
            next_step=next_step(organization.health_reasons),
        )
        for organization in found
    ], total
