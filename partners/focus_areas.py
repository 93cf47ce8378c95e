"""Focus areas, kept by managers: add, rename, merge two, retire.

Writes are services (keyword-only, atomic); the list's figures are one query. Organizations and
programs (an app above this one) hold focus areas through many-to-many tables: merging moves
the rows of every such table, found from the model's relations rather than imported.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from partners.models import FocusArea

NAME_TAKEN = "There is already a focus area called “{name}”."


def _checked_name(name: str, *, keeping: FocusArea | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Give the focus area a name."})
    taken = FocusArea.objects.filter(name__iexact=name)
    if keeping is not None:
        taken = taken.exclude(pk=keeping.pk)
    if taken.exists():
        raise ValidationError({"name": NAME_TAKEN.format(name=name)})
    return name


@transaction.atomic
def focus_area_create(*, name: str) -> FocusArea:
    return FocusArea.objects.create(name=_checked_name(name))


@transaction.atomic
def focus_area_rename(*, focus_area: FocusArea, name: str) -> FocusArea:
    """Every organization and program that has it shows the new name."""
    focus_area.name = _checked_name(name, keeping=focus_area)
    focus_area.save(update_fields=["name"])
    return focus_area


@transaction.atomic
def focus_area_retire(*, focus_area: FocusArea, retired: bool = True) -> FocusArea:
    """No longer offered for new records (or offered again); kept where it is."""
    focus_area.is_retired = retired
    focus_area.save(update_fields=["is_retired"])
    return focus_area


def _holders() -> list[tuple[type[models.Model], str, str]]:
    """Each many-to-many table that holds focus areas: (through model, the holder's column,
    the focus area's column)."""
    found: list[tuple[type[models.Model], str, str]] = []
    for relation in FocusArea._meta.related_objects:
        field = relation.remote_field
        if relation.many_to_many and isinstance(field, models.ManyToManyField):
            through = field.remote_field.through
            assert isinstance(through, type)
            found.append((through, field.m2m_field_name(), field.m2m_reverse_field_name()))
    return found


@dataclass(frozen=True)
class Merged:
    moved: int  # records that now have the survivor instead
    already: int  # records that had both: the other's link is dropped


@transaction.atomic
def focus_area_merge(*, survivor: FocusArea, other: FocusArea) -> Merged:
    """Every organization and program with `other` gets `survivor` instead (once), and `other`
    is removed: the one deletion Liaison makes, as merging organizations does."""
    if survivor.pk == other.pk:
        raise ValidationError({"survivor": "Choose another focus area to merge into."})
    locked = list(FocusArea.objects.select_for_update().filter(pk__in=[survivor.pk, other.pk]))
    if len(locked) != 2:
        raise ValidationError("One of the two focus areas is no longer in Liaison.")
    moved = already = 0
    for through, holder, area in _holders():
        rows = through._default_manager.filter(**{f"{area}_id": other.pk})
        both = through._default_manager.filter(**{f"{area}_id": survivor.pk}).values(f"{holder}_id")
        doubled = rows.filter(**{f"{holder}_id__in": both})
        already += doubled.count()
        doubled.delete()
        moved += rows.update(**{f"{area}_id": survivor.pk})
    other.delete()
    return Merged(moved=moved, already=already)


def focus_areas_with_counts() -> QuerySet[FocusArea]:
    """Every focus area by name, with how many records of each kind have it
    (`organizations_count`, `programs_count`): a count per table, not a join of both."""
    counts = {}
    for (through, _holder, area), relation in zip(_holders(), _relations(), strict=True):
        per_area = (
            through._default_manager.filter(**{f"{area}_id": OuterRef("pk")})
            .order_by()
            .values(f"{area}_id")
            .annotate(n=Count("*"))
            .values("n")
        )
        counts[f"{relation}_count"] = Coalesce(Subquery(per_area), 0)
    return FocusArea.objects.annotate(**counts).order_by("name")


def _relations() -> list[str]:
    return [r.name for r in FocusArea._meta.related_objects if r.many_to_many]
