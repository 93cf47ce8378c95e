"""Reads for the partner pages: each page's queries live here, covered by query-count tests."""

from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib.auth.models import User
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When

from partners.models import (
    Affiliation,
    Contact,
    OptOutChange,
    Organization,
    OrganizationQuerySet,
    Stage,
    full_text_filter,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

ORGANIZATION_SORTS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "stage": ("stage_order", "name", "pk"),
    "-stage": ("-stage_order", "name", "pk"),
    "kind": ("kind", "name", "pk"),
    "-kind": ("-kind", "name", "pk"),
    "owner": ("owner__first_name", "owner__username", "name", "pk"),
    "-owner": ("-owner__first_name", "-owner__username", "name", "pk"),
    "updated": ("updated_at", "pk"),
    "-updated": ("-updated_at", "-pk"),
    # Longest-quiet first (never touched at the top), or most recently touched first.
    "last_touchpoint": (F("last_touchpoint_on").asc(nulls_first=True), "name", "pk"),
    "-last_touchpoint": (F("last_touchpoint_on").desc(nulls_last=True), "name", "pk"),
    "next_followup": (F("next_followup_on").asc(nulls_last=True), "name", "pk"),
    "-next_followup": (F("next_followup_on").desc(nulls_last=True), "name", "pk"),
}


def _stage_order() -> Case:
    """Pipeline position of the stage, so that sorting by stage follows the pipeline."""
    return Case(
        *(When(stage=value, then=Value(i)) for i, value in enumerate(Stage.values)),
        output_field=IntegerField(),
    )


def organization_list(filters: dict[str, Any]) -> QuerySet[Organization]:
    """Organizations for the list page, from the filter form's cleaned data."""
    qs = Organization.objects.for_list()
    archived = filters.get("archived") or "active"
    if archived == "active":
        qs = qs.filter(is_archived=False)
    elif archived == "archived":
        qs = qs.filter(is_archived=True)
    if filters.get("q"):
        qs = qs.search(filters["q"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("stage"):
        qs = qs.filter(stage=filters["stage"])
    if filters.get("focus_area"):
        qs = qs.filter(focus_areas=filters["focus_area"])
    if filters.get("owner"):
        qs = qs.filter(owner=filters["owner"])
    sort = filters.get("sort") or "name"
    return qs.annotate(stage_order=_stage_order()).order_by(*ORGANIZATION_SORTS[sort])


class AllAffiliations(TypedDict):
    all_affiliations: list[Affiliation]


def organization_detail(pk: int) -> "WithAnnotations[Organization, AllAffiliations]":
    """One organization with everything its page shows, in a fixed number of queries."""
    affiliations = Affiliation.objects.select_related("contact").order_by(
        "-is_primary", "contact__name"
    )
    return (
        Organization.objects.select_related("owner")
        .prefetch_related(
            "focus_areas",
            Prefetch("affiliations", queryset=affiliations, to_attr="all_affiliations"),
        )
        .get(pk=pk)
    )


def stage_counts() -> list[dict[str, Any]]:
    """Active (not archived) organizations per stage, every stage listed, in pipeline order."""
    counts = dict(
        Organization.objects.active()
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    return [
        {"stage": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Stage.choices
    ]


def organizations_owned_by(user: User) -> QuerySet[Organization]:
    return (
        Organization.objects.active()
        .filter(owner=user)
        .annotate(stage_order=_stage_order())
        .order_by("stage_order", "name")
    )


def contact_list(filters: dict[str, Any]) -> QuerySet[Contact]:
    """Contacts for the list page, each with their current organizations prefetched."""
    qs = Contact.objects.prefetch_related(
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.current().select_related("organization"),
            to_attr="current_affiliations",
        )
    )
    text = filters.get("q")
    if text:
        # The name half through its GIN index (see OrganizationQuerySet.search for why a subquery).
        by_name = Contact.objects.filter(full_text_filter("name", text)).values("pk")
        qs = qs.filter(Q(pk__in=by_name) | Q(email__icontains=text.strip()))
    if filters.get("kind"):
        qs = qs.filter(
            pk__in=Affiliation.objects.current()
            .filter(organization__kind=filters["kind"])
            .values("contact_id")
        )
    return qs.order_by("name", "pk")


def contacts_to_add(organization: Organization, search: str, limit: int = 10) -> list[Contact]:
    """People matching the search who are not at the organization now (none without a search)."""
    if not search:
        return []
    return list(
        contact_list({"q": search}).exclude(
            affiliations__organization=organization, affiliations__end_date__isnull=True
        )[:limit]
    )


def contact_detail(pk: int) -> Contact:
    return Contact.objects.prefetch_related(
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.select_related("organization").order_by(
                "end_date", "organization__name"
            ),
            to_attr="all_affiliations",
        ),
        Prefetch(
            "opt_out_changes",
            queryset=OptOutChange.objects.select_related("changed_by"),
            to_attr="consent_log",
        ),
    ).get(pk=pk)


def possible_duplicates(name: str, *, exclude_pk: int | None = None) -> list[Organization]:
    """Existing organizations whose name matches ignoring case, punctuation and spacing."""
    return list(
        Organization.objects.possible_duplicates_of(name, exclude_pk=exclude_pk)
        .select_related("owner")
        .order_by("name")[:10]
    )


# The pipeline board --------------------------------------------------------------------------

BOARD_PAGE_SIZE = 50
BOARD_CARD_FIELDS = (
    "name",
    "kind",
    "government_level",
    "stage",
    "stage_changed_at",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
)


def board_organizations(filters: dict[str, Any]) -> OrganizationQuerySet:
    """Organizations on the board (not archived), narrowed by the board's filter form."""
    qs = Organization.objects.active()
    if filters.get("owner"):
        qs = qs.filter(owner=filters["owner"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("government_level"):
        qs = qs.filter(government_level=filters["government_level"])
    if filters.get("focus_area"):
        # One focus area: the join gives each organization at most one row, so counts hold.
        qs = qs.filter(focus_areas=filters["focus_area"])
    return qs


def board_counts(filters: dict[str, Any]) -> dict[str, int]:
    """Organizations per stage, every stage listed, in one grouped query."""
    counts = dict(
        board_organizations(filters)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    return {value: counts.get(value, 0) for value in Stage.values}


def board_cards(
    filters: dict[str, Any], stage: str, *, start: int = 0, stop: int = BOARD_PAGE_SIZE
) -> tuple[list[Organization], bool]:
    """One column's cards [start:stop] and whether more follow, in one query.

    Most recent first means the most recent stage change first (the card that just arrived in
    the column is on top), then the most recently created; stage_changed_at is set when an
    organization is created, so every card has one.
    """
    rows = list(
        board_organizations(filters)
        .filter(stage=stage)
        .select_related("owner")
        # Only what a card shows: sorting a column's rows without the long profile texts
        # halved its query at 10,000 organizations.
        .only(*BOARD_CARD_FIELDS)
        .with_last_touchpoint()
        .with_next_followup()
        .order_by("-stage_changed_at", "-pk")[start : stop + 1]
    )
    return rows[: stop - start], len(rows) > stop - start


def board_card(pk: int) -> Organization:
    """One card, as the board shows it (after a move)."""
    return (
        Organization.objects.select_related("owner")
        .only(*BOARD_CARD_FIELDS)
        .with_last_touchpoint()
        .with_next_followup()
        .get(pk=pk)
    )
