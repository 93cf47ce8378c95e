"""An organization's timeline: touchpoints, meetings, stage changes, follow-ups and documents
uploaded, newest first.

One UNION query (compiled to SQL once per process: core.prepared) reads a page of
events from every source, each row carrying what its entry
shows (the columns below, the same for every kind, NULL where a kind has nothing to say) and
the name of the staff member in it; a second reads the people at the page's touchpoints and
meetings. The page costs those two queries whether the organization has five events or five
thousand; a page number past the end (an old "Show older" link) costs a count and a second
read, to show the last page.
"""

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.contrib.auth.models import User
from django.db import models
from django.db.models import QuerySet, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.prepared import Prepared
from core.unions import ColumnType, column, loaded, union_part
from documents.models import Document
from outreach.models import FollowUp, Meeting, Touchpoint
from partners.models import Contact, Organization, StageChange

PAGE_SIZE = 20


@dataclass
class TimelineEntry:
    # touchpoint | meeting | stage_change | followup_created | followup_done | document
    kind: str
    day: dt.date
    at: dt.datetime
    item: Any
    # The people at a touchpoint or a meeting, by name.
    people: list[Contact] = field(default_factory=list)
    # The older messages of its email conversation on the same page, newest first: shown with
    # it rather than as entries of their own.
    earlier: list["TimelineEntry"] = field(default_factory=list)
    # A touchpoint the organization joined: the organization it was logged with.
    logged_with: Organization | None = None


@dataclass
class TimelinePage:
    """What the timeline partial reads of a page: its entries and the number of the next one."""

    object_list: list[TimelineEntry]
    number: int
    has_next: bool

    def next_page_number(self) -> int:
        return self.number + 1


# The columns of every row, with their types (so that each database's values come back as
# dates, times and datetimes, whichever kind comes first).
COLUMNS: dict[str, ColumnType] = {
    "event_id": models.IntegerField,
    "kind": models.CharField,
    "day": models.DateField,
    "at": models.DateTimeField,
    "title": models.TextField,  # subject, title, or a stage change's note
    "notes": models.TextField,
    "outcome": models.TextField,
    "next_step": models.TextField,
    "code": models.CharField,  # channel, status, or the stage changed from
    "to_stage": models.CharField,
    "clock": models.TimeField,
    "due_on": models.DateField,
    "person_id": models.IntegerField,  # the staff member named in the entry: id, names
    "person_first_name": models.CharField,
    "person_last_name": models.CharField,
    "person_username": models.CharField,
    "conversation": models.CharField,  # a touchpoint's email conversation
    # A touchpoint the organization joined (a coalition meeting): the organization it was
    # logged with.
    "host_id": models.IntegerField,
    "host_name": models.CharField,
}


class Row(NamedTuple):
    event_id: int
    kind: str
    day: dt.date
    at: dt.datetime
    title: str | None
    notes: str | None
    outcome: str | None
    next_step: str | None
    code: str | None
    to_stage: str | None
    clock: dt.time | None
    due_on: dt.date | None
    person_id: int | None
    person_first_name: str | None
    person_last_name: str | None
    person_username: str | None
    conversation: str | None
    host_id: int | None
    host_name: str | None


def _rows(qs: QuerySet, kind: str, person: str | None, **values: Any) -> QuerySet:
    """One source's rows of COLUMNS; the staff member named is the `person` relation."""
    if person:
        values |= {
            "person_id": f"{person}_id",
            "person_first_name": f"{person}__first_name",
            "person_last_name": f"{person}__last_name",
            "person_username": f"{person}__username",
        }
    return union_part(qs, COLUMNS, kind=Value(kind), **values)


def timeline_rows(org: int) -> QuerySet:
    """Every event of the organization (its id), newest first, as rows of COLUMNS."""
    tz = timezone.get_current_timezone()
    joint_meetings = Meeting.other_organizations.through.objects.filter(organization_id=org).values(
        "meeting_id"
    )
    joint_touchpoints = Touchpoint.other_organizations.through.objects.filter(
        organization_id=org
    ).values("touchpoint_id")
    touchpoint = {
        "event_id": "pk",
        "day": "occurred_on",
        "at": "created_at",
        "title": "subject",
        "notes": "notes",
        "outcome": "outcome",
        "next_step": "next_step",
        "code": "channel",
        "clock": "occurred_time",
        "conversation": "conversation",
    }
    meeting = {
        "event_id": "pk",
        "day": TruncDate("starts_at", tzinfo=tz),
        "at": "starts_at",
        "title": "title",
        "code": "status",
    }
    followup = {"event_id": "pk", "title": "title"}
    return (
        _rows(Touchpoint.objects.filter(organization_id=org), "touchpoint", "staff", **touchpoint)
        .union(
            # Those it joined as another partner (a coalition meeting): once, as for meetings.
            _rows(
                Touchpoint.objects.filter(pk__in=joint_touchpoints).exclude(organization_id=org),
                "touchpoint",
                "staff",
                host_id="organization_id",
                host_name="organization__name",
                **touchpoint,
            ),
            _rows(Meeting.objects.filter(organization_id=org), "meeting", None, **meeting),
            # Two sources rather than one with an OR, which PostgreSQL would read by scanning
            # every meeting: the organization's own, and those it joins as another partner.
            _rows(
                Meeting.objects.filter(pk__in=joint_meetings).exclude(organization_id=org),
                "meeting",
                None,
                **meeting,
            ),
            _rows(
                StageChange.objects.filter(organization_id=org),
                "stage_change",
                "changed_by",
                event_id="pk",
                day=TruncDate("changed_at", tzinfo=tz),
                at="changed_at",
                title="note",
                code="from_stage",
                to_stage="to_stage",
            ),
            _rows(
                FollowUp.objects.filter(organization_id=org),
                "followup_created",
                "assignee",
                day=TruncDate("created_at", tzinfo=tz),
                at="created_at",
                due_on="due_on",
                **followup,
            ),
            _rows(
                FollowUp.objects.filter(organization_id=org, status=FollowUp.Status.DONE),
                "followup_done",
                "completed_by",
                day=TruncDate("completed_at", tzinfo=tz),
                at="completed_at",
                **followup,
            ),
            _rows(
                Document.objects.filter(organization_id=org),
                "document",
                "uploaded_by",
                event_id="pk",
                day=TruncDate("created_at", tzinfo=tz),
                at="created_at",
                title="title",
                code="kind",
            ),
            all=True,
        )
        .order_by(*(column(name) for name in ("-day", "-at", "-kind", "-event_id")))
    )


# Compiled once per process and time zone (core.prepared): the page puts in its
# organization's id.
TIMELINE = Prepared(timeline_rows)


def _with_person(item: models.Model, relation: str, row: Row) -> None:
    """Give `item` its staff member (`relation`) from the row's names; with nobody, its id is
    None, which the relation reads as None without a query."""
    if row.person_id is not None:
        person = loaded(
            User,
            id=row.person_id,
            first_name=row.person_first_name,
            last_name=row.person_last_name,
            username=row.person_username,
        )
        setattr(item, relation, person)


def _touchpoint(row: Row) -> Touchpoint:
    touchpoint = loaded(
        Touchpoint,
        id=row.event_id,
        occurred_on=row.day,
        created_at=row.at,
        subject=row.title,
        notes=row.notes,
        outcome=row.outcome,
        next_step=row.next_step,
        channel=row.code,
        occurred_time=row.clock,
        staff_id=row.person_id,
        conversation=row.conversation or "",
    )
    _with_person(touchpoint, "staff", row)
    return touchpoint


def _meeting(row: Row) -> Meeting:
    return loaded(Meeting, id=row.event_id, starts_at=row.at, title=row.title, status=row.code)


def _stage_change(row: Row) -> StageChange:
    change = loaded(
        StageChange,
        id=row.event_id,
        changed_at=row.at,
        note=row.title,
        from_stage=row.code,
        to_stage=row.to_stage,
        changed_by_id=row.person_id,
    )
    _with_person(change, "changed_by", row)
    return change


def _followup_created(row: Row) -> FollowUp:
    followup = loaded(
        FollowUp, id=row.event_id, title=row.title, due_on=row.due_on, assignee_id=row.person_id
    )
    _with_person(followup, "assignee", row)
    return followup


def _followup_done(row: Row) -> FollowUp:
    followup = loaded(FollowUp, id=row.event_id, title=row.title, completed_by_id=row.person_id)
    _with_person(followup, "completed_by", row)
    return followup


def _document(row: Row) -> Document:
    document = loaded(
        Document, id=row.event_id, title=row.title, kind=row.code, uploaded_by_id=row.person_id
    )
    _with_person(document, "uploaded_by", row)
    return document


ITEMS: dict[str, Callable[[Row], models.Model]] = {
    "touchpoint": _touchpoint,
    "meeting": _meeting,
    "stage_change": _stage_change,
    "followup_created": _followup_created,
    "followup_done": _followup_done,
    "document": _document,
}


PEOPLE_COLUMNS: dict[str, ColumnType] = {
    "kind": models.CharField,
    "owner": models.IntegerField,  # the touchpoint's or meeting's id
    "contact_id": models.IntegerField,
    "name": models.CharField,
}


def _people_at(touchpoint_ids: list[int], meeting_ids: list[int]) -> QuerySet:
    sources = [
        union_part(
            model.contacts.through.objects.filter(**{f"{owner}__any_of": ids}),
            PEOPLE_COLUMNS,
            kind=Value(kind),
            owner=owner,
            contact_id="contact_id",
            name="contact__name",
        )
        for kind, model, owner, ids in (
            ("touchpoint", Touchpoint, "touchpoint_id", touchpoint_ids),
            ("meeting", Meeting, "meeting_id", meeting_ids),
        )
    ]
    return sources[0].union(sources[1], all=True).order_by(column("name"), column("contact_id"))


# Compiled once per process (core.prepared): every timeline page reads it.
_PEOPLE_AT = Prepared(_people_at)


def people_at(touchpoint_ids: list[int], meeting_ids: list[int]) -> dict[tuple[str, int], list]:
    """The people at these touchpoints and meetings, by name: one query."""
    if not touchpoint_ids and not meeting_ids:
        return {}
    people: dict[tuple[str, int], list] = {}
    rows = _PEOPLE_AT.rows(limit=None, touchpoint_ids=touchpoint_ids, meeting_ids=meeting_ids)
    for kind, owner, contact_id, name in rows:
        contact = loaded(Contact, id=contact_id, name=name)
        people.setdefault((kind, owner), []).append(contact)
    return people


# Beyond any timeline's last page, and within what a database takes for an OFFSET.
MAX_PAGE = 100_000


def _page_number(number: Any) -> int:
    try:
        return min(max(int(number), 1), MAX_PAGE)
    except (TypeError, ValueError, OverflowError):
        return 1


def timeline_page(organization: Organization, page_number: Any) -> TimelinePage:
    """A page of the timeline (?timeline= or ?page=; a bad number gives the first page, one past
    the end the last, as a Paginator's get_page would)."""
    number = _page_number(page_number)

    def read(number: int) -> list[Row]:
        start = (number - 1) * PAGE_SIZE
        rows = TIMELINE.rows(limit=PAGE_SIZE + 1, offset=start, org=organization.pk)
        return [Row(*values) for values in rows]

    found = read(number)
    if not found and number > 1:
        number = max(math.ceil(timeline_rows(organization.pk).count() / PAGE_SIZE), 1)
        found = read(number)
    shown = found[:PAGE_SIZE]
    people = people_at(
        [row.event_id for row in shown if row.kind == "touchpoint"],
        [row.event_id for row in shown if row.kind == "meeting"],
    )
    entries = [
        TimelineEntry(
            kind=row.kind,
            day=row.day,
            at=row.at,
            item=ITEMS[row.kind](row),
            people=people.get((row.kind, row.event_id), []),
            logged_with=(
                loaded(Organization, id=row.host_id, name=row.host_name) if row.host_id else None
            ),
        )
        for row in shown
    ]
    return TimelinePage(together(entries), number, has_next=len(found) > PAGE_SIZE)


def together(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """The entries with each email conversation's older messages under its newest one."""
    newest: dict[str, TimelineEntry] = {}
    shown = []
    for entry in entries:
        conversation = entry.kind == "touchpoint" and entry.item.conversation
        if conversation and conversation in newest:
            newest[conversation].earlier.append(entry)
            continue
        if conversation:
            newest[conversation] = entry
        shown.append(entry)
    return shown
