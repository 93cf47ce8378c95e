"""The partnership portfolio: who the library's partners are, who has gone quiet, who lacks a
primary contact.

The portfolio is a picture of today (archived organizations left out); the period only decides
the "added in the period" column. Four queries, whatever the number of organizations: counts per
kind and government level (with and without a focus area), counts per focus area, and the two
lists of active partners, which the page shows in part (the quietest first, and A to Z) with
their number, and the CSV in full.
"""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Window

from core.people import display_name
from core.periods import local_bounds
from partners.models import Affiliation, FocusArea, Organization, OrganizationQuerySet, Stage
from reports.selectors.common import Cell, Chart, Link, Placeholder, Report, Table

NO_LEVEL = "(not given)"
COUNTS = ("organizations", "active", "added")


def _definitions() -> list[str]:
    return [
        "Counts are as of today and leave archived organizations out. “Added” counts the "
        "organizations created during the period.",
        "Active partners are organizations at the stage “Active partner”.",
        f"Gone quiet: active partners with no touchpoint in the last "
        f"{settings.LIAISON_QUIET_DAYS} days (or none ever).",
        "No primary contact: active partners with no current contact marked as primary.",
    ]


def _columns(first: str) -> list[str]:
    return [first, "Organizations", "Active partners", "Added in the period"]


def _counts(lo: dt.datetime, hi: dt.datetime) -> dict[str, Count]:
    return {
        "organizations": Count("pk"),
        "active": Count("pk", filter=Q(stage=Stage.ACTIVE)),
        "added": Count("pk", filter=Q(created_at__gte=lo, created_at__lt=hi)),
    }


def _totals(rows: list[list]) -> list:
    return ["Total", *(sum(row[i] for row in rows) for i in range(1, 4))]


def _row(label: str, counts: dict[str, int]) -> list[Cell]:
    return [label, counts["organizations"], counts["active"], counts["added"]]


def _groups(current: OrganizationQuerySet, lo: dt.datetime, hi: dt.datetime) -> list[dict]:
    """Counts per kind, government level and whether there is a focus area: one pass over
    the organizations for the kinds, the levels and the "no focus area" row."""
    areas = Organization.focus_areas.through.objects.filter(organization=OuterRef("pk"))
    return list(
        current.annotate(focused=Exists(areas))
        .values("kind", "government_level", "focused")
        .annotate(**_counts(lo, hi))
    )


def _sum(groups: list[dict]) -> dict[str, int]:
    return {name: sum(group[name] for group in groups) for name in COUNTS}


def _kinds_table(groups: list[dict]) -> Table:
    by_kind: defaultdict[str, list[dict]] = defaultdict(list)
    for group in groups:
        by_kind[group["kind"]].append(group)
    rows = [
        _row(label, _sum(by_kind[value]))
        for value, label in Organization.Kind.choices
        if value in by_kind
    ]
    return Table(
        key="kinds",
        title="By kind",
        columns=_columns("Kind"),
        rows=rows,
        footer=_totals(rows) if rows else [],
        empty="No organizations yet.",
    )


def _levels_table(groups: list[dict]) -> Table:
    government: defaultdict[str, list[dict]] = defaultdict(list)
    for group in groups:
        if group["kind"] == Organization.Kind.GOVERNMENT:
            government[group["government_level"]].append(group)
    by_level = {level: _sum(members) for level, members in government.items()}
    level_choices = [*Organization.GovernmentLevel.choices, ("", NO_LEVEL)]
    rows = [_row(label, by_level[value]) for value, label in level_choices if value in by_level]
    return Table(
        key="levels",
        title="Government agencies by level",
        columns=_columns("Level"),
        rows=rows,
        footer=_totals(rows) if rows else [],
        empty="No government agencies.",
    )


def _focus_table(groups: list[dict], lo: dt.datetime, hi: dt.datetime) -> Table:
    # An organization with several focus areas counts under each: no total row here. Each
    # (organization, area) pair is there once, so plain counts count organizations.
    # Annotation names differ from the relation's name, which the filters still go through.
    focus = (
        FocusArea.objects.filter(organizations__is_archived=False)
        .values("pk", "name")
        .annotate(
            all_count=Count("organizations"),
            active_count=Count("organizations", filter=Q(organizations__stage=Stage.ACTIVE)),
            added_count=Count(
                "organizations",
                filter=Q(organizations__created_at__gte=lo, organizations__created_at__lt=hi),
            ),
        )
        .order_by("name", "pk")
    )
    rows: list[list[Cell]] = [
        [row["name"], row["all_count"], row["active_count"], row["added_count"]] for row in focus
    ]
    without_focus = _sum([group for group in groups if not group["focused"]])
    if without_focus["organizations"]:
        rows.append(_row("(no focus area)", without_focus))
    return Table(
        key="focus",
        title="By focus area (an organization counts under each of its areas)",
        columns=_columns("Focus area"),
        rows=rows,
        empty="No organizations yet.",
    )


def _listed(organizations: OrganizationQuerySet, limit: int | None) -> tuple[list[Any], int]:
    """All the organizations, or the first `limit` and how many there are in all."""
    if limit is None:
        every = list(organizations)
        return every, len(every)
    first = list(organizations.annotate(total=Window(Count("pk")))[:limit])
    return first, first[0].total if first else 0


def _partner(organization: Organization) -> list[Cell]:
    """An active partner's first cells: its name (a link to its page), kind and owner."""
    return [
        Link(organization.name, organization.get_absolute_url()),
        organization.get_kind_display(),
        display_name(organization.owner) or Placeholder("Nobody"),
    ]


def _quiet_table(active: OrganizationQuerySet, today: dt.date, limit: int | None) -> Table:
    since = today - dt.timedelta(days=settings.LIAISON_QUIET_DAYS)
    # Filtering on the latest touchpoint's day (one index-only lookup per partner) is quicker
    # than asking for a touchpoint since `since` (NOT EXISTS), which PostgreSQL answers by
    # reading every touchpoint of each partner.
    quiet = (
        active.with_last_touchpoint()
        .filter(Q(last_touchpoint_on__isnull=True) | Q(last_touchpoint_on__lt=since))
        .order_by(F("last_touchpoint_on").asc(nulls_first=True), "name", "pk")
    )
    organizations, total = _listed(quiet, limit)
    rows: list[list[Cell]] = [
        [
            *_partner(organization),
            organization.last_touchpoint_on or Placeholder("Never"),
        ]
        for organization in organizations
    ]
    return Table(
        key="quiet",
        title=f"Active partners gone quiet ({total:,})",
        columns=["Organization", "Kind", "Owner", "Last touchpoint"],
        rows=rows,
        empty="Every active partner had a touchpoint recently.",
        total=total if limit is not None else None,
        shown="the longest without a touchpoint first",
    )


def _no_primary_table(active: OrganizationQuerySet, limit: int | None) -> Table:
    primary = Affiliation.objects.current().filter(organization=OuterRef("pk"), is_primary=True)
    unanchored = active.filter(~Exists(primary)).order_by("name", "pk")
    organizations, total = _listed(unanchored, limit)
    rows: list[list[Cell]] = [_partner(organization) for organization in organizations]
    return Table(
        key="no_primary",
        title=f"Active partners with no primary contact ({total:,})",
        columns=["Organization", "Kind", "Owner"],
        rows=rows,
        empty="Every active partner has a primary contact.",
        total=total if limit is not None else None,
        shown="A to Z",
    )


def portfolio_report(
    *, start: dt.date, end: dt.date, today: dt.date, limit: int | None = None
) -> Report:
    """Today's portfolio; the lists of active partners in full, or their first `limit` rows."""
    lo, hi = local_bounds(start, end)
    current = Organization.objects.active().order_by()
    active = current.filter(stage=Stage.ACTIVE).select_related("owner")
    groups = _groups(current, lo, hi)
    kinds = _kinds_table(groups)
    return Report(
        slug="portfolio",
        title="Partnership portfolio",
        start=start,
        end=end,
        chart=Chart(
            "Organizations by kind",
            [(row[0], row[1]) for row in kinds.rows],  # type: ignore[misc]
        ),
        tables=[
            kinds,
            _levels_table(groups),
            _focus_table(groups, lo, hi),
            _quiet_table(active, today, limit),
            _no_primary_table(active, limit),
        ],
        definitions=_definitions(),
    )
