"""A program page's "Related touchpoints and meetings": what the library did with its partners
within the program's dates, newest first, the newest few of each kind and how many there are."""

import datetime as dt
from typing import Any, NamedTuple

from django.db import models
from django.db.models import Count, QuerySet, Value, Window
from django.db.models.functions import RowNumber

from core.periods import local_bounds
from core.prepared import Prepared
from core.unions import column, loaded, union_part
from outreach.models import Meeting, Touchpoint
from partners.models import Organization
from programs.models import Program
from programs.selectors.programs import meetings_with

# The newest few of each kind.
RELATED_LIMIT = 10


class Related(NamedTuple):
    rows: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


# The related touchpoints and meetings, read in one query (core.unions): each row with its rank
# among its kind's, newest first, and how many of its kind there are.
RELATED_COLUMNS: dict[str, type[models.Field]] = {
    "kind": models.CharField,
    "rank": models.IntegerField,
    "total": models.IntegerField,
    "id": models.IntegerField,
    "title": models.CharField,
    "organization_id": models.IntegerField,
    "organization_name": models.CharField,
    "day": models.DateField,
    "starts_at": models.DateTimeField,
    "status": models.CharField,
}


def _ranked(qs: QuerySet, kind: str, newest_first: list[str], **values: Any) -> QuerySet:
    return union_part(
        qs,
        RELATED_COLUMNS,
        kind=Value(kind),
        rank=Window(RowNumber(), order_by=newest_first),
        total=Window(Count("pk")),
        id="pk",
        organization_id="organization_id",
        organization_name="organization__name",
        **values,
    )


def _related_item(kind: str, row: tuple) -> Touchpoint | Meeting:
    _kind, _rank, _total, pk, title, organization_id, name, day, starts_at, status = row
    organization = loaded(Organization, id=organization_id, name=name)
    if kind == "touchpoints":
        item: Touchpoint | Meeting = loaded(
            Touchpoint, id=pk, subject=title, organization_id=organization_id, occurred_on=day
        )
    else:
        item = loaded(
            Meeting,
            id=pk,
            title=title,
            organization_id=organization_id,
            starts_at=starts_at,
            status=status,
        )
    item.organization = organization
    return item


def _related(
    partner_ids: list[int],
    first_day: dt.date | None = None,
    from_moment: dt.datetime | None = None,
    last_day: dt.date | None = None,
    until_moment: dt.datetime | None = None,
) -> QuerySet:
    """The partners' touchpoints and meetings (within the program's dates, where it has them)
    as ranked rows of RELATED_COLUMNS, in rank order."""
    touchpoints = Touchpoint.objects.filter(organization_id__any_of=partner_ids)
    meetings = Meeting.objects.filter(meetings_with(partner_ids))
    if first_day is not None:
        touchpoints = touchpoints.filter(occurred_on__gte=first_day)
        meetings = meetings.filter(starts_at__gte=from_moment)
    if last_day is not None:
        touchpoints = touchpoints.filter(occurred_on__lte=last_day)
        meetings = meetings.filter(starts_at__lt=until_moment)
    rows = _ranked(
        touchpoints,
        "touchpoints",
        ["-occurred_on", "-created_at", "-pk"],
        title="subject",
        day="occurred_on",
    ).union(
        _ranked(
            meetings,
            "meetings",
            ["-starts_at", "-pk"],
            title="title",
            starts_at="starts_at",
            status="status",
        ),
        all=True,
    )
    return rows.order_by(column("rank"), column("kind"))


# Compiled once per process for each of a program's kinds of dates (core.prepared).
_RELATED = Prepared(_related)


def related_outreach(program: Program, *, limit: int = RELATED_LIMIT) -> dict[str, Related]:
    """Touchpoints and meetings of the program's partners within its dates, newest first: the
    newest `limit` of each and how many there are, in one query."""
    related = {"touchpoints": Related([], 0), "meetings": Related([], 0)}
    partner_ids = [p.organization_id for p in program.program_partners.all()]
    if not partner_ids:
        return related
    dates: dict[str, Any] = {}
    if program.start_date:
        dates["first_day"] = program.start_date
        dates["from_moment"] = local_bounds(program.start_date, program.start_date)[0]
    if program.end_date:
        dates["last_day"] = program.end_date
        dates["until_moment"] = local_bounds(program.end_date, program.end_date)[1]
    # The first `limit` of each kind are among the first 2 × `limit` rows by rank.
    for row in _RELATED.rows(limit=2 * limit, partner_ids=partner_ids, **dates):
        kind, rank, total = row[0], row[1], row[2]
        if rank <= limit:
            related[kind].rows.append(_related_item(kind, row))
        related[kind] = Related(related[kind].rows, total)
    return related
