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
from partners.models import Affiliation, FocusArea, Organization, Stage
from reports.selectors.common import Chart, Report, Table

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


def portfolio_report(*, start: dt.date, end: dt.date, today: dt.date) -> Report:
    lo, hi = local_bounds(start, end)
    current = Organization.objects.active().order_by()

    by_kind = {row["kind"]: row for row in current.values("kind").annotate(**_counts(lo, hi))}
    kind_rows = [
        [label, by_kind[value]["organizations"], by_kind[value]["active"], by_kind[value]["added"]]
        for value, label in Organization.Kind.choices
        if value in by_kind
    ]

    by_level = {
        row["government_level"]: row
        for row in current.filter(kind=Organization.Kind.GOVERNMENT)
        .values("government_level")
        .annotate(**_counts(lo, hi))
    }
    level_choices = [*Organization.GovernmentLevel.choices, ("", NO_LEVEL)]
    level_rows = [
        [
            label,
            by_level[value]["organizations"],
            by_level[value]["active"],
            by_level[value]["added"],
        ]
        for value, label in level_choices
        if value in by_level
    ]

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
    focus_rows = [
        [row["name"], row["all_count"], row["active_count"], row["added_count"]] for row in focus
    ]
    without_focus = current.filter(focus_areas__isnull=True).aggregate(**_counts(lo, hi))
    if without_focus["organizations"]:
        focus_rows.append(
            [
                "(no focus area)",
                without_focus["organizations"],
                without_focus["active"],
                without_focus["added"],
            ]
        )

    active = current.filter(stage=Stage.ACTIVE).select_related("owner")
    since = today - dt.timedelta(days=settings.LIAISON_QUIET_DAYS)
    quiet = (
        active.with_last_touchpoint()
        .filter(Q(last_touchpoint_on__isnull=True) | Q(last_touchpoint_on__lt=since))
        .order_by(F("last_touchpoint_on").asc(nulls_first=True), "name", "pk")
    )
    quiet_rows = [
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
    primary = Affiliation.objects.current().filter(organization=OuterRef("pk"), is_primary=True)
    unanchored = active.filter(~Exists(primary)).order_by("name", "pk")
    unanchored_rows = [
        [organization.name, organization.get_kind_display(), display_name(organization.owner)]
        for organization in unanchored
    ]

    return Report(
        slug="portfolio",
        title="Partnership portfolio",
        start=start,
        end=end,
        chart=Chart("Organizations by kind", [(row[0], row[1]) for row in kind_rows]),
        tables=[
            Table(
                key="kinds",
                title="By kind",
                columns=_columns("Kind"),
                rows=kind_rows,
                footer=_totals(kind_rows) if kind_rows else [],
                empty="No organizations yet.",
            ),
            Table(
                key="levels",
                title="Government agencies by level",
                columns=_columns("Level"),
                rows=level_rows,
                footer=_totals(level_rows) if level_rows else [],
                empty="No government agencies.",
            ),
            Table(
                key="focus",
                title="By focus area (an organization counts under each of its areas)",
                columns=_columns("Focus area"),
                rows=focus_rows,
                empty="No organizations yet.",
            ),
            Table(
                key="quiet",
                title=f"Active partners gone quiet ({len(quiet_rows)})",
                columns=["Organization", "Kind", "Owner", "Last touchpoint"],
                rows=quiet_rows,
                empty="Every active partner had a touchpoint recently.",
            ),
            Table(
                key="no_primary",
                title=f"Active partners with no primary contact ({len(unanchored_rows)})",
                columns=["Organization", "Kind", "Owner"],
                rows=unanchored_rows,
                empty="Every active partner has a primary contact.",
            ),
        ],
        definitions=_definitions(),
    )
