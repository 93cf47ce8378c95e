"""The partnership portfolio: who the library's partners are, who has gone quiet, who lacks a
primary contact.

The portfolio is a picture of today (archived organizations left out); the period only decides
the "added in the period" column. Six queries, whatever the number of organizations.
"""

import datetime as dt

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q

from core.people import display_name
from core.periods import local_bounds
from partners.models import Affiliation, FocusArea, Organization, OrganizationQuerySet, Stage
from reports.selectors.common import Cell, Chart, Report, Table

NO_LEVEL = "(not given)"


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
        "organizations": Count("pk", distinct=True),
        "active": Count("pk", filter=Q(stage=Stage.ACTIVE), distinct=True),
        "added": Count("pk", filter=Q(created_at__gte=lo, created_at__lt=hi), distinct=True),
    }


def _totals(rows: list[list]) -> list:
    return ["Total", *(sum(row[i] for row in rows) for i in range(1, 4))]


def _row(label: str, counts: dict[str, int]) -> list[Cell]:
    return [label, counts["organizations"], counts["active"], counts["added"]]


def _kinds_table(current: OrganizationQuerySet, lo: dt.datetime, hi: dt.datetime) -> Table:
    by_kind = {row["kind"]: row for row in current.values("kind").annotate(**_counts(lo, hi))}
    rows = [
        _row(label, by_kind[value])
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


def _levels_table(current: OrganizationQuerySet, lo: dt.datetime, hi: dt.datetime) -> Table:
    by_level = {
        row["government_level"]: row
        for row in current.filter(kind=Organization.Kind.GOVERNMENT)
        .values("government_level")
        .annotate(**_counts(lo, hi))
    }
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


def _focus_table(current: OrganizationQuerySet, lo: dt.datetime, hi: dt.datetime) -> Table:
    # An organization with several focus areas counts under each: no total row here.
    # Annotation names differ from the relation's name, which the filters still go through.
    focus = (
        FocusArea.objects.filter(organizations__is_archived=False)
        .values("pk", "name")
        .annotate(
            all_count=Count("organizations", distinct=True),
            active_count=Count(
                "organizations", filter=Q(organizations__stage=Stage.ACTIVE), distinct=True
            ),
            added_count=Count(
                "organizations",
                filter=Q(organizations__created_at__gte=lo, organizations__created_at__lt=hi),
                distinct=True,
            ),
        )
        .order_by("name", "pk")
    )
    rows: list[list[Cell]] = [
        [row["name"], row["all_count"], row["active_count"], row["added_count"]] for row in focus
    ]
    without_focus = current.filter(focus_areas__isnull=True).aggregate(**_counts(lo, hi))
    if without_focus["organizations"]:
        rows.append(_row("(no focus area)", without_focus))
    return Table(
        key="focus",
        title="By focus area (an organization counts under each of its areas)",
        columns=_columns("Focus area"),
        rows=rows,
        empty="No organizations yet.",
    )


def _quiet_table(active: OrganizationQuerySet, today: dt.date) -> Table:
    since = today - dt.timedelta(days=settings.LIAISON_QUIET_DAYS)
    quiet = (
        active.with_last_touchpoint()
        .filter(Q(last_touchpoint_on__isnull=True) | Q(last_touchpoint_on__lt=since))
        .order_by(F("last_touchpoint_on").asc(nulls_first=True), "name", "pk")
    )
    rows: list[list[Cell]] = [
        [
            organization.name,
            organization.get_kind_display(),
            display_name(organization.owner),
            organization.last_touchpoint_on.isoformat()
            if organization.last_touchpoint_on
            else "never",
        ]
        for organization in quiet
    ]
    return Table(
        key="quiet",
        title=f"Active partners gone quiet ({len(rows)})",
        columns=["Organization", "Kind", "Owner", "Last touchpoint"],
        rows=rows,
        empty="Every active partner had a touchpoint recently.",
    )


def _no_primary_table(active: OrganizationQuerySet) -> Table:
    primary = Affiliation.objects.current().filter(organization=OuterRef("pk"), is_primary=True)
    unanchored = active.filter(~Exists(primary)).order_by("name", "pk")
    rows: list[list[Cell]] = [
        [organization.name, organization.get_kind_display(), display_name(organization.owner)]
        for organization in unanchored
    ]
    return Table(
        key="no_primary",
        title=f"Active partners with no primary contact ({len(rows)})",
        columns=["Organization", "Kind", "Owner"],
        rows=rows,
        empty="Every active partner has a primary contact.",
    )


def portfolio_report(*, start: dt.date, end: dt.date, today: dt.date) -> Report:
    lo, hi = local_bounds(start, end)
    current = Organization.objects.active().order_by()
    active = current.filter(stage=Stage.ACTIVE).select_related("owner")
    kinds = _kinds_table(current, lo, hi)
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
            _levels_table(current, lo, hi),
            _focus_table(current, lo, hi),
            _quiet_table(active, today),
            _no_primary_table(active),
        ],
        definitions=_definitions(),
    )
