"""An organization's timeline: touchpoints, meetings, stage changes and follow-ups, newest first.

One UNION query pages through lightweight keys (kind, id, local day, instant) from every source;
then each kind's rows on the page are loaded in bulk. The page costs the same few queries
whether the organization has five events or five thousand.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import CharField, F, Model, Q, QuerySet, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from outreach.models import FollowUp, Meeting, Touchpoint
from partners.models import Organization, StageChange

PAGE_SIZE = 20


@dataclass
class TimelineEntry:
    # touchpoint | meeting | stage_change | followup_created | followup_done
    kind: str
    day: dt.date
    at: dt.datetime
    item: Any


def _keys(qs: QuerySet, kind: str, day: Any, at: Any) -> QuerySet:
    return (
        qs.annotate(kind=Value(kind, output_field=CharField()), day=day, at=at)
        .order_by()
        .values_list("pk", "kind", "day", "at")
    )


def timeline_keys(organization: Organization) -> QuerySet:
    tz = timezone.get_current_timezone()
    org = organization.pk
    joint_meetings = Meeting.other_organizations.through.objects.filter(organization_id=org).values(
        "meeting_id"
    )
    return (
        _keys(
            Touchpoint.objects.filter(organization_id=org),
            "touchpoint",
            F("occurred_on"),
            F("created_at"),
        )
        .union(
            _keys(
                Meeting.objects.filter(Q(organization_id=org) | Q(pk__in=joint_meetings)),
                "meeting",
                TruncDate("starts_at", tzinfo=tz),
                F("starts_at"),
            ),
            _keys(
                StageChange.objects.filter(organization_id=org),
                "stage_change",
                TruncDate("changed_at", tzinfo=tz),
                F("changed_at"),
            ),
            _keys(
                FollowUp.objects.filter(organization_id=org),
                "followup_created",
                TruncDate("created_at", tzinfo=tz),
                F("created_at"),
            ),
            _keys(
                FollowUp.objects.filter(organization_id=org, status=FollowUp.Status.DONE),
                "followup_done",
                TruncDate("completed_at", tzinfo=tz),
                F("completed_at"),
            ),
            all=True,
        )
        .order_by("-day", "-at", "-kind", "-pk")
    )


LOADERS: dict[str, Callable[[set[int]], Mapping[int, Model]]] = {
    "touchpoint": lambda ids: (
        Touchpoint.objects.select_related("staff", "meeting")
        .prefetch_related("contacts")
        .in_bulk(ids)
    ),
    "meeting": lambda ids: Meeting.objects.prefetch_related("contacts").in_bulk(ids),
    "stage_change": lambda ids: StageChange.objects.select_related("changed_by").in_bulk(ids),
    "followup": lambda ids: FollowUp.objects.select_related("assignee", "completed_by").in_bulk(
        ids
    ),
}


def timeline_page(organization: Organization, page_number: Any) -> Page:
    """A page of the timeline, its object_list made of TimelineEntry."""
    page = Paginator(timeline_keys(organization), PAGE_SIZE).get_page(page_number)
    keys = list(page.object_list)
    wanted: dict[str, set[int]] = {}
    for pk, kind, _day, _at in keys:
        wanted.setdefault("followup" if kind.startswith("followup") else kind, set()).add(pk)
    loaded = {kind: LOADERS[kind](ids) for kind, ids in wanted.items()}
    page.object_list = [
        TimelineEntry(
            kind=kind,
            day=day,
            at=at,
            item=loaded["followup" if kind.startswith("followup") else kind][pk],
        )
        for pk, kind, day, at in keys
    ]
    return page
