"""Merging duplicates: one organization (or contact) absorbs another, which is then deleted.

Everything that pointed at the merged record moves to the survivor with one UPDATE per
relation (`ORGANIZATION_LINKS`, `CONTACT_LINKS`). Where the survivor already has the same row
(the same contact at the organization, the same program, the same meeting attendee…), the merged
record's copy is dropped instead of breaking a unique constraint. The merged record is then
deleted — nothing points at it any more — and a `Merge` row keeps its field values.

config/tests/test_merge.py compares the links below with every relation Django knows of
(`_meta`), so a relation added later fails the tests until merging handles it.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any, ParamSpec

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.history import history_context, update_with_history
from core.people import display_name
from partners import services
from partners.models import (
    ORGANIZATION_PROFILE_FIELDS,
    Affiliation,
    Contact,
    Merge,
    OptOutChange,
    Organization,
    StageChange,
)
from partners.relations import OrganizationRelation, duplicates_on_merge
from partners.tags import Tag

SURVIVOR = "survivor"
OTHER = "other"


@dataclass(frozen=True)
class Link:
    """Rows of `model` whose foreign key `field` points at the record being merged."""

    model: type[models.Model]
    field: str
    label: str  # what the rows are, on the comparison page
    # Rows whose `unique_with` value the survivor already has (among rows matching
    # `unique_when`) are duplicates: they are dropped rather than moved.
    unique_with: str | None = None
    unique_when: Q | None = None
    # Rows that would name the survivor twice once moved, given (survivor pk, other pk): a
    # meeting with one of the two that also lists the other. Dropped before the move.
    redundant: Callable[[int, int], Q] | None = None
    # Called with the survivor's id once the rows have moved, in the merge's transaction: for
    # what the survivor stores about these rows (its last touchpoint).
    after_move: Callable[[int], object] | None = None

    @property
    def key(self) -> str:
        return f"{self.model._meta.label}.{self.field}"

    def rows(self, pk: int) -> QuerySet:
        return self.model._base_manager.filter(**{f"{self.field}_id": pk})

    def count_of(self) -> Coalesce:
        """The number of rows pointing at the outer query's record, as a subquery."""
        counted = (
            self.model._base_manager.filter(**{f"{self.field}_id": OuterRef("pk")})
            .order_by()
            .values(f"{self.field}_id")
            .annotate(n=Count("*"))
            .values("n")
        )
        return Coalesce(Subquery(counted), 0)

    def move(self, *, survivor_pk: int, other_pk: int) -> tuple[int, int]:
        """Point the other record's rows at the survivor: (rows moved, duplicates dropped)."""
        rows = self.rows(other_pk)
        dropped = 0
        if self.redundant is not None:
            redundant = self.model._base_manager.filter(self.redundant(survivor_pk, other_pk))
            dropped += redundant.delete()[0]
        if self.unique_with is not None:
            when = self.unique_when or Q()
            # A relation's column (contact_id) or a plain one (a week).
            unique = self.model._meta.get_field(self.unique_with)
            assert isinstance(unique, models.Field)  # a column of the rows, not a reverse one
            column = unique.attname
            taken = self.rows(survivor_pk).filter(when).values(column)
            dropped += rows.filter(when, **{f"{column}__in": taken}).delete()[0]
        # Rows with a change history (affiliations) record the move in it.
        moved = update_with_history(rows, **{f"{self.field}_id": survivor_pk})
        if self.after_move is not None:
            self.after_move(survivor_pk)
        return moved, dropped


OPEN = Q(end_date__isnull=True)

# What merging moves. Partners' own links are here; each app above partners adds the links to
# its own models from its AppConfig.ready() through `links_register` (outreach/merge_links.py,
# programs/merge_links.py…), so the merge engine never imports them.
ORGANIZATION_LINKS: list[Link] = [
    # One open affiliation per person and organization: the survivor's is kept.
    Link(Affiliation, "organization", "contacts", unique_with="contact", unique_when=OPEN),
    Link(StageChange, "organization", "stage changes"),
    Link(Organization.focus_areas.through, "organization", "focus areas", unique_with="focusarea"),
    Link(Merge, "organization", "earlier merges"),
    # Ties the survivor already has, and those between the two, are dropped rather than moved.
    Link(
        OrganizationRelation, "organization", "related organizations", redundant=duplicates_on_merge
    ),
    Link(
        OrganizationRelation,
        "related",
        "organizations related to it",
        redundant=duplicates_on_merge,
    ),
    Link(Tag.organizations.through, "organization", "tags", unique_with="tag"),
]

CONTACT_LINKS: list[Link] = [
    # One open affiliation per person and organization: the survivor's is kept.
    Link(Affiliation, "contact", "organizations", unique_with="organization", unique_when=OPEN),
    # The consent history of both records stays, in time order: the opt-out holds (below).
    Link(OptOutChange, "contact", "consent changes"),
    Link(Merge, "contact", "earlier merges"),
    Link(Tag.contacts.through, "contact", "tags", unique_with="tag"),
]

# Rows deliberately left pointing at the merged record, which its deletion then sets to NULL
# (the tests check that on_delete is SET_NULL), with the reason: "app.Model.field" -> why.
LEFT_BEHIND: dict[str, str] = {}


def links_register(
    *,
    organization: Iterable[Link] = (),
    contact: Iterable[Link] = (),
    left_behind: dict[str, str] | None = None,
) -> None:
    """Add an app's links to what merging moves (called from the app's AppConfig.ready())."""
    for links, new in ((ORGANIZATION_LINKS, organization), (CONTACT_LINKS, contact)):
        links.extend(link for link in new if link not in links)
    LEFT_BEHIND.update(left_behind or {})


# The fields a manager picks, one record's value or the other's, in the order shown. The
# government level goes with the kind (a level without the kind breaks a constraint); focus
# areas are combined; the archived state is the survivor's.
ORGANIZATION_CHOICES = (
    "name",
    "kind",
    "stage",
    "owner",
    *ORGANIZATION_PROFILE_FIELDS,
)
# "Do not contact" and the opt-out are not choices: if either record says so, the survivor does.
CONTACT_CHOICES = ("name", "email", "phone", "preferred_channel", "notes")


# Reads: the comparison page.


@dataclass(frozen=True)
class FieldRow:
    name: str
    label: str
    survivor: str
    other: str
    default: str  # SURVIVOR, or OTHER where only the other record has a value

    @property
    def differs(self) -> bool:
        return self.survivor != self.other


@dataclass(frozen=True)
class CountRow:
    label: str
    survivor: int
    other: int


@dataclass(frozen=True)
class Comparison:
    survivor: Organization | Contact
    other: Organization | Contact
    fields: list[FieldRow]
    counts: list[CountRow]

    @property
    def differing(self) -> list[FieldRow]:
        return [row for row in self.fields if row.differs]

    @property
    def rows_to_move(self) -> int:
        return sum(row.other for row in self.counts)


def _display(record: models.Model, name: str) -> str:
    field = record._meta.get_field(name)
    assert isinstance(field, models.Field)  # a column of the record, as the CHOICES list them
    if name == "kind" and isinstance(record, Organization) and record.government_level:
        return f"{record.get_kind_display()} · {record.get_government_level_display()}"
    if field.choices:
        return str(getattr(record, f"get_{name}_display")())
    if field.is_relation:
        return display_name(getattr(record, name))
    return str(getattr(record, name))


def _comparison(
    queryset: QuerySet,
    *,
    survivor_pk: int,
    other_pk: int,
    choices: Iterable[str],
    links: Sequence[Link],
) -> Comparison:
    annotations = {f"link_{i}": link.count_of() for i, link in enumerate(links)}
    records = {
        r.pk: r for r in queryset.filter(pk__in=[survivor_pk, other_pk]).annotate(**annotations)
    }
    if survivor_pk == other_pk or len(records) != 2:
        raise queryset.model.DoesNotExist
    survivor, other = records[survivor_pk], records[other_pk]
    rows = []
    for name in choices:
        mine, theirs = _display(survivor, name), _display(other, name)
        rows.append(
            FieldRow(
                name=name,
                label=str(survivor._meta.get_field(name).verbose_name).capitalize(),
                survivor=mine,
                other=theirs,
                default=OTHER if theirs and not mine else SURVIVOR,
            )
        )
    counts = [
        CountRow(label=link.label, survivor=getattr(survivor, key), other=getattr(other, key))
        for key, link in zip(annotations, links, strict=True)
    ]
    return Comparison(survivor=survivor, other=other, fields=rows, counts=counts)


def organization_comparison(*, survivor_pk: int, other_pk: int) -> Comparison:
    """Both organizations side by side, with the rows of each that point at it: one query."""
    return _comparison(
        Organization.objects.select_related("owner"),
        survivor_pk=survivor_pk,
        other_pk=other_pk,
        choices=ORGANIZATION_CHOICES,
        links=ORGANIZATION_LINKS,
    )


def contact_comparison(*, survivor_pk: int, other_pk: int) -> Comparison:
    """Both contacts side by side, with the rows of each that point at them: one query."""
    return _comparison(
        Contact.objects.all(),
        survivor_pk=survivor_pk,
        other_pk=other_pk,
        choices=CONTACT_CHOICES,
        links=CONTACT_LINKS,
    )


# Writes.


def _check_choices(fields: dict[str, str], allowed: Iterable[str]) -> dict[str, str]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(f"These fields cannot be merged: {', '.join(sorted(unknown))}.")
    bad = {name for name, side in fields.items() if side not in (SURVIVOR, OTHER)}
    if bad:
        raise ValidationError(f"Choose “{SURVIVOR}” or “{OTHER}” for {', '.join(sorted(bad))}.")
    return {name: fields.get(name, SURVIVOR) for name in allowed}


def _values(record: models.Model) -> dict[str, Any]:
    """The record's own columns (foreign keys as ids), for the merge record."""
    return {field.name: field.value_from_object(record) for field in record._meta.concrete_fields}


def _lock_pair(model: type[models.Model], survivor_pk: int, other_pk: int) -> tuple[Any, Any]:
    """Both rows, locked in id order (two merges of the same pair never deadlock)."""
    if survivor_pk == other_pk:
        raise ValidationError(f"Choose two different {model._meta.verbose_name_plural} to merge.")
    locked = {
        r.pk: r
        for r in model._base_manager.select_for_update()
        .filter(pk__in=[survivor_pk, other_pk])
        .order_by("pk")
    }
    if len(locked) != 2:
        raise ValidationError(
            f"One of the two {model._meta.verbose_name_plural} is no longer in Liaison "
            "(merged or deleted meanwhile)."
        )
    return locked[survivor_pk], locked[other_pk]


def _move_all(links: Iterable[Link], *, survivor_pk: int, other_pk: int) -> tuple[dict, dict]:
    moved, dropped = {}, {}
    for link in links:
        moved[link.key], dropped[link.key] = link.move(survivor_pk=survivor_pk, other_pk=other_pk)
    return moved, dropped


def _delete_merged(record: models.Model, *, into: models.Model) -> None:
    """Delete the merged record; anything still pointing at it means a relation was missed."""
    with history_context(reason=f"Merged into “{into}” (#{into.pk})"):
        deleted, _ = type(record)._base_manager.filter(pk=record.pk).delete()
    if deleted != 1:
        # Rolls the whole merge back: a cascade would have deleted rows nobody moved.
        raise RuntimeError(f"Merging left {deleted - 1} rows behind on {record!r}.")


P = ParamSpec("P")


def _recorded(merge_into: Callable[P, Merge]) -> Callable[P, Merge]:
    """Every change a merge makes is in the change history as `by`'s, "Merged with …"."""

    @wraps(merge_into)
    def recorded(*args: P.args, **kwargs: P.kwargs) -> Merge:
        other, by = kwargs["other"], kwargs.get("by")
        reason = f"Merged with “{other}” (#{getattr(other, 'pk', '')})"
        with history_context(by=by if isinstance(by, User) else None, reason=reason):
            return merge_into(*args, **kwargs)

    return recorded


@_recorded
@transaction.atomic
def organization_merge(
    *, survivor: Organization, other: Organization, fields: dict[str, str], by: User | None
) -> Merge:
    """Merge `other` into `survivor`, keeping each field's value from the chosen record.

    `fields` maps field names of ORGANIZATION_CHOICES to "survivor" or "other" (missing ones
    keep the survivor's). Touchpoints, meetings, follow-ups, programs, letters, subscriptions,
    affiliations, stage history and focus areas all move to the survivor; `other` is deleted.
    A stage taken from `other` is recorded as a stage change of the survivor.
    """
    choices = _check_choices(fields, ORGANIZATION_CHOICES)
    current, merged = _lock_pair(Organization, survivor.pk, other.pk)
    before, snapshot = _values(current), _values(merged)

    # The organization keeps one primary contact: the survivor's, else the other's.
    affiliations = Affiliation.objects.filter(OPEN, is_primary=True)
    survivor_has_primary = affiliations.filter(organization=current).exists()
    other_primary = list(
        affiliations.filter(organization=merged).values_list("contact_id", flat=True)
    )
    if survivor_has_primary:
        update_with_history(affiliations.filter(organization=merged), is_primary=False)

    moved, dropped = _move_all(ORGANIZATION_LINKS, survivor_pk=current.pk, other_pk=merged.pk)

    if not survivor_has_primary and other_primary:
        # Their primary contact was also listed at the survivor: that listing becomes primary.
        update_with_history(
            Affiliation.objects.filter(OPEN, organization=current, contact_id__in=other_primary),
            is_primary=True,
        )
    _delete_merged(merged, into=current)

    changed = []
    for name in ORGANIZATION_CHOICES:
        if name != "stage" and choices[name] == OTHER:
            setattr(current, name, getattr(merged, name))
            changed.append(name)
            if name == "kind":
                current.government_level = merged.government_level
                changed.append("government_level")
    # Saved even when no field was taken from the other: the merge is in its change history.
    current.save(update_fields=[*changed, "updated_at"])
    if choices["stage"] == OTHER and merged.stage != current.stage:
        services.stage_change(
            organization=current,
            to_stage=merged.stage,
            by=by,
            note=f"Stage of “{merged.name}”, merged into this organization.",
        )
    _copy_to(survivor, current)
    return Merge.objects.create(
        kind=Merge.Kind.ORGANIZATION,
        organization=current,
        merged_id=merged.pk,
        merged_name=merged.name,
        snapshot=snapshot,
        survivor_before=before,
        choices=choices,
        moved=moved,
        dropped=dropped,
        merged_by=by,
    )


def _earliest(*moments: datetime | None) -> datetime | None:
    return min((m for m in moments if m is not None), default=None)


@_recorded
@transaction.atomic
def contact_merge(
    *, survivor: Contact, other: Contact, fields: dict[str, str], by: User | None
) -> Merge:
    """Merge `other` into `survivor`, keeping each field's value from the chosen record.

    `fields` maps field names of CONTACT_CHOICES to "survivor" or "other". Affiliations,
    touchpoints, meetings, subscriptions and sent emails move to the survivor; `other` is
    deleted. "Do not contact" and an opt-out from updates said on either record hold for the
    survivor (the opt-out dated by the earlier of the two).
    """
    choices = _check_choices(fields, CONTACT_CHOICES)
    current, merged = _lock_pair(Contact, survivor.pk, other.pk)
    before, snapshot = _values(current), _values(merged)

    # Where both are listed at one organization, the other's listing is dropped; if it was the
    # primary contact there, the survivor's listing takes its place.
    shared_primary = list(
        Affiliation.objects.filter(
            OPEN,
            contact=merged,
            is_primary=True,
            organization__in=Affiliation.objects.filter(OPEN, contact=current).values(
                "organization_id"
            ),
        ).values_list("organization_id", flat=True)
    )
    moved, dropped = _move_all(CONTACT_LINKS, survivor_pk=current.pk, other_pk=merged.pk)
    if shared_primary:
        update_with_history(
            Affiliation.objects.filter(OPEN, contact=current, organization__in=shared_primary),
            is_primary=True,
        )
    _delete_merged(merged, into=current)

    changed = ["do_not_contact", "opted_out_of_updates", "opted_out_at"]
    for name in CONTACT_CHOICES:
        if choices[name] == OTHER:
            setattr(current, name, getattr(merged, name))
            changed.append(name)
    current.do_not_contact = current.do_not_contact or merged.do_not_contact
    if merged.opted_out_of_updates:
        current.opted_out_of_updates = True
        current.opted_out_at = _earliest(current.opted_out_at, merged.opted_out_at)
    current.email = services.normalize_email(current.email)
    try:
        with transaction.atomic():
            current.save(update_fields=[*changed, "updated_at"])
    except IntegrityError as error:  # someone else took the email since `other` was deleted
        raise ValidationError({"email": services.EMAIL_TAKEN}) from error
    _copy_to(survivor, current)
    return Merge.objects.create(
        kind=Merge.Kind.CONTACT,
        contact=current,
        merged_id=merged.pk,
        merged_name=merged.name,
        snapshot=snapshot,
        survivor_before=before,
        choices=choices,
        moved=moved,
        dropped=dropped,
        merged_by=by,
    )


def _copy_to(instance: models.Model, fresh: models.Model) -> None:
    """Bring the caller's instance up to date with the merged values."""
    fresh.refresh_from_db()
    for field in fresh._meta.concrete_fields:
        setattr(instance, field.attname, getattr(fresh, field.attname))


def merge_of(model: type[Organization] | type[Contact], pk: int) -> Merge | None:
    """The merge that absorbed a record: its survivor now (later merges move the record along)
    and the record's values then (`snapshot`); None if it was never merged."""
    kind = Merge.Kind.ORGANIZATION if model is Organization else Merge.Kind.CONTACT
    return (
        Merge.objects.filter(kind=kind, merged_id=pk)
        .select_related("organization", "contact")
        .first()
    )


def survivor_of(
    model: type[Organization] | type[Contact], pk: int
) -> Organization | Contact | None:
    """What became of a merged record: the record it was merged into, if any."""
    merge = merge_of(model, pk)
    return merge.survivor if merge else None
