"""Organizations related to organizations, typed and dated: "Tamarack County Health Department
→ member of Tamarack Healthy Communities Coalition", shown on both organizations' pages (the
coalition's says "Has member Tamarack County Health Department").

The model, its services (add, correct, end, remove) and the read of an organization's page.
The pages are partners.relation_views; the panel partners.panels. Its own module: the
organization's models fill partners/models.py, which imports this one at its end so that Django
registers the model with the partners app.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from core.history import History
from core.models import TimeStampedModel
from core.prepared import Prepared
from partners.models import Organization


class OrganizationRelation(TimeStampedModel):
    """`organization` is `kind` `related`: a department of it, a member of it, funded by it, a
    partner of it. Ended ones are kept as the past; one entered by mistake is removed (kept,
    hidden: `removed_at`)."""

    class Kind(models.TextChoices):
        DEPARTMENT_OF = "department_of", "Department of"
        MEMBER_OF = "member_of", "Member of"
        FUNDED_BY = "funded_by", "Funded by"
        PARTNER_OF = "partner_of", "Partner of"

    # Organizations are archived, never deleted: merging moves their ties (partners.merge).
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="relations"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    related = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="relations_to")
    started_on = models.DateField("since", null=True, blank=True)
    ended_on = models.DateField("until", null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = History()

    class Meta:
        indexes = [models.Index(fields=["related", "kind"], name="relation_related_kind")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(organization=F("related")),
                name="relation_not_to_itself",
                violation_error_message="An organization cannot be related to itself.",
            ),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(ended_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="relation_ends_after_start",
                violation_error_message="It cannot end before it started.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.get_kind_display().lower()} {self.related}"


Kind = OrganizationRelation.Kind

# How each kind reads from the other side: the coalition "has member" the health department.
INVERSE = {
    Kind.DEPARTMENT_OF: "Has department",
    Kind.MEMBER_OF: "Has member",
    Kind.FUNDED_BY: "Funds",
    Kind.PARTNER_OF: "Partner of",
}
# What the form offers, from the page's organization: each kind both ways ("~" reads it from
# the other side), partner of once (it reads the same both ways).
CHOICES = [
    (Kind.DEPARTMENT_OF.value, "Department of"),
    (f"~{Kind.DEPARTMENT_OF.value}", "Has as a department"),
    (Kind.MEMBER_OF.value, "Member of (a coalition, an association)"),
    (f"~{Kind.MEMBER_OF.value}", "Has as a member"),
    (Kind.FUNDED_BY.value, "Funded by"),
    (f"~{Kind.FUNDED_BY.value}", "Funds"),
    (Kind.PARTNER_OF.value, "Partner of"),
]
CURRENT = Q(removed_at__isnull=True)


def _check_not_twice(relation: OrganizationRelation) -> None:
    """One current relation of a kind between two organizations (either way round for
    partners)."""
    same = Q(organization=relation.organization, related=relation.related)
    if relation.kind == Kind.PARTNER_OF:
        same |= Q(organization=relation.related, related=relation.organization)
    twice = OrganizationRelation.objects.filter(
        same, CURRENT, kind=relation.kind, ended_on__isnull=True
    ).exclude(pk=relation.pk)
    if relation.ended_on is None and twice.exists():
        raise ValidationError(
            f"{relation.organization} is already {relation.get_kind_display().lower()} "
            f"{relation.related}."
        )


def _check_dates(started_on: dt.date | None, ended_on: dt.date | None) -> None:
    today = timezone.localdate()
    if started_on and started_on > today:
        raise ValidationError({"started_on": "Pick today or an earlier day."})
    if ended_on and ended_on > today:
        raise ValidationError({"ended_on": "Pick today or an earlier day: end it when it ends."})


@transaction.atomic
def organization_relation_add(
    *,
    organization: Organization,
    choice: str,
    other: Organization,
    by: User | None,
    started_on: dt.date | None = None,
    ended_on: dt.date | None = None,
    note: str = "",
) -> OrganizationRelation:
    """Relate `organization` to `other` as the form's `choice` says (from `organization`'s
    side: "~member_of" is "has as a member", stored as `other` member of `organization`)."""
    kind, inverse = choice.removeprefix("~"), choice.startswith("~")
    if kind not in Kind.values:
        raise ValidationError({"choice": "Choose how they are related."})
    if other.pk == organization.pk:
        raise ValidationError("An organization cannot be related to itself.")
    for archived in (organization, other):
        if archived.is_archived:
            raise ValidationError(f"“{archived}” is archived: restore it first.")
    _check_dates(started_on, ended_on)
    first, second = (other, organization) if inverse else (organization, other)
    # Locked in a fixed order, so that two people adding the same tie cannot both pass the check.
    locked = Organization.objects.select_for_update().filter(pk__in=[first.pk, second.pk])
    list(locked.order_by("pk").values_list("pk", flat=True))
    relation = OrganizationRelation(
        organization=first,
        related=second,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        note=" ".join(note.split()),
        created_by=by,
    )
    relation.full_clean()
    _check_not_twice(relation)
    relation.save()
    return relation


@transaction.atomic
def organization_relation_update(
    *,
    relation: OrganizationRelation,
    started_on: dt.date | None,
    ended_on: dt.date | None,
    note: str,
) -> OrganizationRelation:
    """Correct a relation's dates and note; a day it ended makes it past."""
    _check_dates(started_on, ended_on)
    relation = OrganizationRelation.objects.select_for_update().get(pk=relation.pk)
    relation.started_on, relation.ended_on = started_on, ended_on
    relation.note = " ".join(note.split())
    relation.full_clean()
    _check_not_twice(relation)
    relation.save()
    return relation


@transaction.atomic
def organization_relation_remove(*, relation: OrganizationRelation) -> None:
    """Take off a relation entered by mistake: kept (and in the history), shown nowhere."""
    relation = OrganizationRelation.objects.select_for_update().get(pk=relation.pk)
    if relation.removed_at is None:
        relation.removed_at = timezone.now()
        relation.save(update_fields=["removed_at", "updated_at"])


@dataclass(frozen=True)
class Tie:
    """A relation as one organization's page shows it: "Member of" the other one."""

    relation: OrganizationRelation
    words: str
    other: Organization

    @property
    def is_past(self) -> bool:
        return self.relation.ended_on is not None


_OF_ORGANIZATION = Prepared(
    lambda organization_id: (
        OrganizationRelation.objects.filter(
            Q(organization_id=organization_id) | Q(related_id=organization_id), CURRENT
        )
        .select_related("organization", "related")
        .only(
            "kind",
            "started_on",
            "ended_on",
            "note",
            "organization__name",
            "organization__is_archived",
            "related__name",
            "related__is_archived",
        )
        .order_by("kind", "pk")
    )
)


def ties_of(organization_id: int) -> list[Tie]:
    """The organization's current relations, then its past ones, each from its side: one query."""
    ties = []
    for relation in _OF_ORGANIZATION.objects(organization_id=organization_id):
        if relation.organization_id == organization_id:
            ties.append(Tie(relation, relation.get_kind_display(), relation.related))
        else:
            ties.append(Tie(relation, INVERSE[Kind(relation.kind)], relation.organization))
    return sorted(ties, key=lambda tie: (tie.is_past, tie.words, tie.other.name.lower()))


def duplicates_on_merge(survivor: int, other: int) -> Q:
    """Relations of the merged organization the survivor already has (same kind, same other
    organization; for partners, stored either way round), and those between the two, which
    would relate the survivor to itself."""
    kept = OrganizationRelation.objects.filter(CURRENT, ended_on__isnull=True)
    partners = kept.filter(kind=Kind.PARTNER_OF)
    # The other's tie to X that the survivor has with X (X → survivor, for partners) …
    same_from = kept.filter(
        organization_id=survivor, kind=OuterRef("kind"), related=OuterRef("related")
    )
    turned_from = partners.filter(organization=OuterRef("related"), related_id=survivor)
    # … and X's tie to the other that X has with the survivor (survivor → X, for partners).
    same_to = kept.filter(
        related_id=survivor, kind=OuterRef("kind"), organization=OuterRef("organization")
    )
    turned_to = partners.filter(organization_id=survivor, related=OuterRef("organization"))
    partner = Q(kind=Kind.PARTNER_OF)
    of_other = Q(organization_id=other) & (Q(Exists(same_from)) | partner & Q(Exists(turned_from)))
    to_other = Q(related_id=other) & (Q(Exists(same_to)) | partner & Q(Exists(turned_to)))
    between = Q(organization_id__in=(survivor, other), related_id__in=(survivor, other))
    return between | Q(CURRENT, ended_on__isnull=True) & (of_other | to_other)
