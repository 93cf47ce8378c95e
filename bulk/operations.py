"""What each bulk action does to one kind of record, through the services of the single edit.

An operation says which of the selected records it would leave as they are, and why (already
so, or not the user's to change: the single action's rules), what it changes in words, and
how it applies the change: one record at a time, through the same service the record's own
page calls, so the stage history and the change history are written as for a single edit.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Model, QuerySet

from bulk.models import BulkAction
from bulk.selection import counted
from core.people import display_name
from core.roles import is_manager
from core.rows import month_day, short_date
from outreach.models import FollowUp
from outreach.services import followup_reassign, followup_snooze
from partners.models import Contact, Organization, Stage
from partners.services import organization_update, stage_change
from partners.tags import Tag, record_tags_set
from programs.models import Program, ProgramPartner
from programs.services.programs import PartnerEntry, program_save

Action = BulkAction.Action
Records = BulkAction.Records
# What the chosen action sets, as objects: {"owner": <User>}, {"stage": "active", "note": …}.
Values = dict[str, Any]
# Called after each record is changed (the progress of a long action).
Tick = Callable[[], None]
# Changes the records, through the single edit's service: (records, values, by, tick).
Apply = Callable[[list[Any], Values, User, Tick], None]
STAGES = dict(Stage.choices)
ROLES = dict(ProgramPartner.Role.choices)


def _froms(names: Iterable[str]) -> str:
    """“Rosa Díaz”, or “Rosa Díaz (78), nobody (2)” when the records differ."""
    tally = Counter(names)
    if len(tally) == 1:
        return next(iter(tally))
    shown = [f"{name} ({count:,})" for name, count in tally.most_common(4)]
    rest = sum(tally.values()) - sum(count for _, count in tally.most_common(4))
    return ", ".join(shown + ([f"others ({rest:,})"] if rest else []))


def _person(user: User | None) -> str:
    return display_name(user) or "nobody"


def _tag_ids(record: Organization | Contact) -> set[int]:
    return {tag.pk for tag in record.tags.all()}  # prefetched by records_of


# --- Organizations --------------------------------------------------------------------------


def _owner_apply(rows: list[Organization], values: Values, by: User, tick: Tick) -> None:
    for organization in rows:
        organization_update(organization=organization, by=by, owner=values["owner"])
        tick()


def _stage_apply(rows: list[Organization], values: Values, by: User, tick: Tick) -> None:
    for organization in rows:
        stage_change(
            organization=organization, to_stage=values["stage"], by=by, note=values["note"]
        )
        tick()


def _stage_said(rows: list[Organization], values: Values) -> str:
    note = values["note"].strip()
    froms = _froms(STAGES.get(o.stage, o.stage) for o in rows)
    said = f"stage {froms} → {STAGES[values['stage']]}"
    return f"{said}, with the note “{note}”" if note else said


def _tags_apply(rows: list[Any], values: Values, by: User, tick: Tick) -> None:
    tag: Tag = values["tag"]
    for record in rows:
        # As they are now (another tag added since this record was read is kept).
        kept = [t for t in record.tags.all().order_by("pk") if t.pk != tag.pk]
        record_tags_set(record=record, tags=kept + [tag] if values["adding"] else kept)
        tick()


def _program_apply(rows: list[Organization], values: Values, by: User, tick: Tick) -> None:
    """All partners added in one save of the program (one entry in its change history)."""
    program: Program = values["program"]
    program_save(
        program=program,
        focus_areas=list(program.focus_areas.all()),
        partners=[PartnerEntry(organization, values["role"]) for organization in rows],
    )
    for _ in rows:
        tick()


def _program_partner_ids(values: Values) -> set[int]:
    if "partner_ids" not in values:  # read once per plan, not once per record
        program: Program = values["program"]
        values["partner_ids"] = set(
            program.program_partners.values_list("organization_id", flat=True)
        )
    return values["partner_ids"]


# --- Follow-ups ---------------------------------------------------------------------------


def _reassign_apply(rows: list[FollowUp], values: Values, by: User, tick: Tick) -> None:
    for followup in rows:
        followup_reassign(followup=followup, assignee=values["assignee"], by=by)
        tick()


def _snooze_apply(rows: list[FollowUp], values: Values, by: User, tick: Tick) -> None:
    for followup in rows:
        followup_snooze(followup=followup, until=values["until"])
        tick()


def _snooze_unchanged(followup: FollowUp, values: Values, user: User) -> str:
    if followup.assignee_id != user.pk and not is_manager(user):
        return "assigned to someone else: only they or a manager can snooze it"
    return "already due that day" if followup.due_on == values["until"] else ""


# --- The operations -----------------------------------------------------------------------


def _nothing_unchanged(record: Any, values: Values, user: User) -> str:
    return ""


@dataclass(frozen=True)
class Operation:
    records: str
    action: str
    fields: tuple[str, ...]  # the action form's fields it needs
    # Why a record would stay as it is ("" when it changes).
    unchanged: Callable[[Any, Values, User], str]
    # What changes, after “80 organizations: ”.
    said: Callable[[list[Any], Values], str]
    # None: the action changes nothing (an export).
    apply: Apply | None
    managers_only: bool = False
    defaults: dict[str, Any] = field(default_factory=dict)

    @property
    def changes_records(self) -> bool:
        """False for an export (and templates must not call `apply`)."""
        return self.apply is not None

    @property
    def label(self) -> str:
        return str(Action(self.action).label)

    def summary(self, rows: list[Any], values: Values) -> str:
        return f"{counted(len(rows), self.records)}: {self.said(rows, values)}"


def _tags(records: str, *, adding: bool) -> Operation:
    """Add a tag, or (on a field of its own on the page, `remove_tag`) take one off."""

    def unchanged(record: Any, values: Values, user: User) -> str:
        tagged = values["tag"].pk in _tag_ids(record)
        if adding:
            return "already tagged" if tagged else ""
        return "" if tagged else "not tagged with it"

    return Operation(
        records,
        Action.TAG_ADD if adding else Action.TAG_REMOVE,
        ("tag",) if adding else ("remove_tag",),
        unchanged,
        lambda rows, v: f"tag “{v['tag'].name}” {'added' if adding else 'removed'}",
        _tags_apply,
        defaults={"adding": adding},
    )


def _give(records: str, action: str, person: str, apply: Apply) -> Operation:
    """Give the records to someone else (`person`: the field that says whose they are): as
    one at a time, only managers may."""

    def unchanged(record: Any, values: Values, user: User) -> str:
        return "already theirs" if getattr(record, f"{person}_id") == values[person].pk else ""

    def said(rows: list[Any], values: Values) -> str:
        froms = _froms(_person(getattr(record, person)) for record in rows)
        return f"{person} {froms} → {_person(values[person])}"

    return Operation(records, action, (person,), unchanged, said, apply, managers_only=True)


def _export(records: str) -> Operation:
    """The list's own export (transfer.export), of the selected rows only: changes nothing."""
    return Operation(
        records,
        Action.EXPORT,
        ("format",),
        _nothing_unchanged,
        lambda rows, v: f"exported as {'Excel' if v['format'] == 'xlsx' else 'CSV'}",
        None,
        managers_only=True,
    )


OPERATIONS: dict[str, list[Operation]] = {
    Records.ORGANIZATIONS: [
        _give(Records.ORGANIZATIONS, Action.OWNER, "owner", _owner_apply),
        Operation(
            Records.ORGANIZATIONS,
            Action.STAGE,
            ("stage", "note"),
            lambda o, v, u: "already at that stage" if o.stage == v["stage"] else "",
            _stage_said,
            _stage_apply,
        ),
        _tags(Records.ORGANIZATIONS, adding=True),
        _tags(Records.ORGANIZATIONS, adding=False),
        Operation(
            Records.ORGANIZATIONS,
            Action.PROGRAM_ADD,
            ("program", "role"),
            lambda o, v, u: "already a partner in it" if o.pk in _program_partner_ids(v) else "",
            lambda rows, v: f"added to “{v['program'].title}” as {ROLES[v['role']]}",
            _program_apply,
        ),
        _export(Records.ORGANIZATIONS),
    ],
    Records.CONTACTS: [
        _tags(Records.CONTACTS, adding=True),
        _tags(Records.CONTACTS, adding=False),
        _export(Records.CONTACTS),
    ],
    Records.FOLLOWUPS: [
        _give(Records.FOLLOWUPS, Action.REASSIGN, "assignee", _reassign_apply),
        Operation(
            Records.FOLLOWUPS,
            Action.SNOOZE,
            ("until",),
            _snooze_unchanged,
            lambda rows, v: (
                f"due {_froms(month_day(f.due_on) for f in rows)} → {short_date(v['until'])}"
            ),
            _snooze_apply,
        ),
    ],
}


def operation_for(records: str, action: str) -> Operation | None:
    return next((op for op in OPERATIONS.get(records, []) if op.action == action), None)


def records_of(records: str, ids: list[int], *, lock: bool = False) -> list[Any]:
    """The selected records as they are now, with what the operations read of them; deleted
    ones (and follow-ups no longer open) are left out. `lock`: locked until the transaction
    ends, in the order of their ids (two bulk changes, or one and a single edit, wait for each
    other rather than deadlock)."""
    found: QuerySet[Any]
    if records == Records.ORGANIZATIONS:
        found = Organization.objects.select_related("owner").prefetch_related("tags")
        order: tuple[str, ...] = ("name", "pk")
    elif records == Records.CONTACTS:
        found, order = Contact.objects.prefetch_related("tags"), ("name", "pk")
    else:
        found = FollowUp.objects.filter(status=FollowUp.Status.OPEN)
        found, order = found.select_related("assignee", "organization"), ("due_on", "pk")
    found = found.filter(pk__in=ids)
    if lock:
        found, order = found.select_for_update(of=("self",)), ("pk",)
    return list(found.order_by(*order))


# --- What a bulk action keeps of its values --------------------------------------------------

_MODELS: dict[str, type[Model]] = {
    "owner": User,
    "assignee": User,
    "tag": Tag,
    "program": Program,
}


def parameters_of(values: Values) -> dict[str, Any]:
    """The values as a bulk action keeps them (JSON): records by primary key, days as ISO."""
    kept: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, Model):
            kept[name] = value.pk
        elif isinstance(value, dt.date):
            kept[name] = value.isoformat()
        elif name != "partner_ids":
            kept[name] = value
    return kept


def values_of(parameters: dict[str, Any]) -> Values:
    """The values again, read afresh (raises ObjectDoesNotExist for a record gone since)."""
    values: Values = dict(parameters)
    for name, model in _MODELS.items():
        if name in values:
            values[name] = model._default_manager.get(pk=values[name])
    if "until" in values:
        values["until"] = dt.date.fromisoformat(values["until"])
    return values
