"""Reads for the partner pages: each page's queries live here, covered by query-count tests."""

import datetime as dt
from typing import TYPE_CHECKING, Any, NamedTuple, TypedDict

from django.contrib.auth.models import User
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from core.aggregates import JoinedNames
from core.prepared import Prepared, PreparedList, PreparedLists, filter_values
from core.sorting import SortColumn, Sorting
from partners.models import (
    Affiliation,
    Contact,
    FocusArea,
    OptOutChange,
    Organization,
    OrganizationQuerySet,
    Stage,
    StageTally,
    full_text_filter,
    search_words,
)
from partners.tags import Tag, joined_tags

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


def _organizations(
    sort: str,
    archived: str,
    *,
    kind: str | None = None,
    stage: str | None = None,
    health: str | None = None,
    focus_area_id: int | None = None,
    owner_id: int | None = None,
    tag_id: int | None = None,
) -> OrganizationQuerySet:
    """The list's organizations narrowed by its filters but the search text, in `sort` order;
    `archived`: "active", "archived" or anything else for both."""
    qs = Organization.objects.for_list().annotate(focus_area_names=focus_area_names())
    if archived == "active":
        qs = qs.filter(is_archived=False)
    elif archived == "archived":
        qs = qs.filter(is_archived=True)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if stage is not None:
        qs = qs.filter(stage=stage)
    if health is not None:
        qs = qs.filter(health=health)
    if focus_area_id is not None:
        qs = qs.filter(focus_areas=focus_area_id)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if tag_id is not None:
        qs = qs.filter(tags=tag_id)
    if sort.lstrip("-") == "stage":  # only then: the CASE costs every other sort for nothing
        qs = qs.annotate(stage_order=_stage_order())
    return qs.order_by(*ORGANIZATION_SORTS[sort])


def _list_values(filters: dict[str, Any]) -> dict[str, Any]:
    """The list's filters but the search text, as values of a prepared query."""
    return filter_values(
        filters, values=("kind", "stage", "health"), records=("focus_area", "owner", "tag")
    )


def organization_list(filters: dict[str, Any]) -> QuerySet[Organization]:
    """Organizations for the list page (organization_page_list) and its export, from the filter
    form's cleaned data."""
    sort = filters.get("sort") or "name"
    qs = _organizations(sort, filters.get("archived") or "active", **_list_values(filters))
    if filters.get("q"):
        qs = qs.search(filters["q"])
    return qs


# The list page's rows in each order and choice of archived ones, and their ids for its count:
# compiled once per process for each set of filters in use (core.prepared).
_ORGANIZATIONS = PreparedLists(_organizations)


def organization_page_list(filters: dict[str, Any]) -> "QuerySet[Organization] | PreparedList":
    """What the list page pages through: organization_list's rows, read through prepared
    queries unless the list is searched by text (its words are no values to compile with)."""
    if filters.get("q"):
        return organization_list(filters)
    sort = filters.get("sort") or "name"
    archived = filters.get("archived") or "active"
    if sort not in ORGANIZATION_SORTS or archived not in ("active", "archived", "all"):
        return organization_list(filters)
    return _ORGANIZATIONS.of(sort, archived, **_list_values(filters))


class AllAffiliations(TypedDict):
    all_affiliations: list[Affiliation]


class OrganizationPage(AllAffiliations):
    focus_area_names: str | None  # core.aggregates.split_names reads it
    tag_labels: str | None  # partners.tags.tags_from_joined reads it


class ContactPage(AllAffiliations):
    tag_labels: str | None  # partners.tags.tags_from_joined reads it


def focus_area_names() -> Subquery:
    """An organization's focus areas' names, in its own query (core.aggregates.JoinedNames)."""
    return Subquery(
        FocusArea.objects.filter(organizations=OuterRef("pk"))
        .order_by()
        .values("organizations")
        .annotate(names=JoinedNames("name"))
        .values("names")
    )


def organization_detail(pk: int) -> "WithAnnotations[Organization, OrganizationPage]":
    """One organization with everything its page shows, in two queries: the organization with
    its owner and its focus areas' names, and its roles with their people.

    The roles, past and present, come in their people's name order: the page's panels read
    them rather than asking again (people_ever_at).
    """
    organization = _ORGANIZATION_PAGE.one(pk=pk)
    organization.all_affiliations = _AFFILIATIONS.objects(organization_id=pk)
    for affiliation in organization.all_affiliations:
        affiliation.organization = organization  # as a prefetch would know it
    return organization


def _organization_page(pk: int) -> QuerySet[Organization]:
    return (
        Organization.objects.select_related("owner")
        .annotate(
            focus_area_names=focus_area_names(),
            tag_labels=joined_tags(Tag.organizations.through, "organization_id"),
        )
        .filter(pk=pk)
    )


# Compiled once per process (core.prepared): every organization's page reads them.
_ORGANIZATION_PAGE = Prepared(_organization_page)
_AFFILIATIONS = Prepared(
    lambda organization_id: (
        Affiliation.objects.filter(organization_id=organization_id)
        .select_related("contact")
        .order_by("contact__name", "pk")
    )
)


def people_ever_at(organization: "WithAnnotations[Organization, AllAffiliations]") -> list[Contact]:
    """Everyone ever affiliated with the organization, in name order, once each: from the roles
    organization_detail loaded, so it costs no query."""
    people = {a.contact_id: a.contact for a in organization.all_affiliations}
    return list(people.values())


def organizations_of(contact: "WithAnnotations[Contact, AllAffiliations]") -> list[Organization]:
    """The organizations of the contact's roles, from what contact_detail loaded (no query)."""
    return [affiliation.organization for affiliation in contact.all_affiliations]


def _pipeline_counts(user_id: int) -> QuerySet[StageTally, tuple[str, int, int | None]]:
    return (
        StageTally.objects.order_by()
        .values_list("stage")
        .annotate(n=Sum("organizations"), mine=Sum("organizations", filter=Q(owner_key=user_id)))
        .values_list("stage", "n", "mine")
    )


# Compiled once per process (core.prepared): every dashboard and the board read it.
_PIPELINE_COUNTS = Prepared(_pipeline_counts)


def pipeline_counts(user: User) -> tuple[list[dict[str, Any]], int]:
    """Active (not archived) organizations per stage, every stage listed in pipeline order, and
    how many of them `user` owns: the dashboard's pipeline panel, in one query of the few rows
    of the stage tally (partners.models.StageTally), not of the organizations.
    """
    rows = _PIPELINE_COUNTS.rows(limit=None, user_id=user.pk)
    counts = {stage: n for stage, n, _ in rows}
    stages = [
        {"stage": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Stage.choices
    ]
    return stages, sum(mine or 0 for _, _, mine in rows)


def _blank_last(field: str) -> Case:
    """0 for a value, 1 for none: contacts without an email or phone after those with one."""
    return Case(When(**{field: ""}, then=Value(1)), default=Value(0), output_field=IntegerField())


CONTACT_SORTING = Sorting(
    # The name through its index (contact_name_id); the others sort the table (30,000 contacts
    # at 10,000 partners: about 10 ms), people without one last either way.
    SortColumn("name", "Name", ("name", "pk")),
    SortColumn("organizations", "Organizations"),  # several names: no order of its own
    SortColumn(
        "email",
        "Email",
        (_blank_last("email").asc(), "email", "pk"),
        (_blank_last("email").asc(), F("email").desc(), F("pk").desc()),
    ),
    SortColumn(
        "phone",
        "Phone",
        (_blank_last("phone").asc(), "phone", "pk"),
        (_blank_last("phone").asc(), F("phone").desc(), F("pk").desc()),
    ),
    default="name",
)


# The contact list's "Organization kind" filter value for people at no organization now (a
# community champion, an official between roles).
NO_ORGANIZATION = "none"


def contact_list(filters: dict[str, Any]) -> QuerySet[Contact]:
    """Contacts for the list page, each with their current organizations prefetched (their
    names: the profiles' long texts stay in the table), the primary one first."""
    current = (
        Affiliation.objects.current()
        .select_related("organization")
        .only("contact", "title", "is_primary", "organization__name")
        .order_by("-is_primary", "pk")
    )
    qs = Contact.objects.prefetch_related(
        Prefetch("affiliations", queryset=current, to_attr="current_affiliations")
    )
    text = filters.get("q")
    if text:
        # The name half through its GIN index (see OrganizationQuerySet.search for why a subquery).
        by_name = Contact.objects.filter(full_text_filter("name", text)).values("pk")
        qs = qs.filter(Q(pk__in=by_name) | Q(email__icontains=text.strip()))
    if filters.get("tag"):
        qs = qs.filter(tags=filters["tag"])
    kind = filters.get("kind")
    if kind == NO_ORGANIZATION:
        qs = qs.exclude(pk__in=Affiliation.objects.current().values("contact_id"))
    elif kind:
        qs = qs.filter(
            pk__in=Affiliation.objects.current()
            .filter(organization__kind=kind)
            .values("contact_id")
        )
    return qs.order_by(*CONTACT_SORTING.order_by(filters.get("sort")))


def contacts_to_add(organization: Organization, search: str, limit: int = 10) -> list[Contact]:
    """People matching the search who are not at the organization now (none without a search)."""
    if not search:
        return []
    return list(
        contact_list({"q": search}).exclude(
            affiliations__organization=organization, affiliations__end_date__isnull=True
        )[:limit]
    )


def contact_detail(pk: int) -> "WithAnnotations[Contact, ContactPage]":
    """One person with what their page shows, in three queries: the person, their roles with
    the organizations (current first, then by name), and their consent changes, newest first."""
    contact = _CONTACT_PAGE.one(pk=pk)
    contact.all_affiliations = _CONTACT_AFFILIATIONS.objects(contact_id=pk)
    contact.consent_log = _CONSENT_LOG.objects(contact_id=pk)
    for row in (*contact.all_affiliations, *contact.consent_log):
        row.contact = contact  # as a prefetch would know it
    return contact


# Compiled once per process (core.prepared): every person's page reads them.
_CONTACT_PAGE = Prepared(
    lambda pk: Contact.objects.annotate(
        tag_labels=joined_tags(Tag.contacts.through, "contact_id")
    ).filter(pk=pk)
)
_CONTACT_AFFILIATIONS = Prepared(
    lambda contact_id: (
        Affiliation.objects.filter(contact_id=contact_id)
        .select_related("organization")
        .order_by("end_date", "organization__name")
    )
)
_CONSENT_LOG = Prepared(
    lambda contact_id: OptOutChange.objects.filter(contact_id=contact_id).select_related(
        "changed_by"
    )
)


def possible_duplicates(name: str, *, exclude_pk: int | None = None) -> list[Organization]:
    """Existing organizations with the same name written differently (partners.names)."""
    return list(
        Organization.objects.possible_duplicates_of(name, exclude_pk=exclude_pk)
        .select_related("owner")
        .order_by("name")[:10]
    )


def organization_suggestions(
    text: str, *, limit: int = 10, include_archived: bool = False
) -> list[Organization]:
    """Organizations whose name matches what is typed (each word the start of a word of the
    name), names that start with the first word first: the organization box's suggestions, and
    its "did you mean" when a name is not found. One query, through the name's index."""
    words = search_words(text)
    if not words:
        return []
    qs = Organization.objects.filter(full_text_filter("name", text))
    if not include_archived:
        qs = qs.filter(is_archived=False)
    starts = Case(When(name__istartswith=words[0], then=Value(0)), default=Value(1))
    return list(
        qs.only("pk", "name", "kind", "is_archived").order_by("is_archived", starts, "name", "pk")[
            :limit
        ]
    )


def current_organizations_of(contact: Contact) -> list[Organization]:
    """The organizations a contact is at now (not archived), the primary one first."""
    return list(
        Organization.objects.filter(
            is_archived=False,
            affiliations__contact=contact,
            affiliations__end_date__isnull=True,
        )
        .only("pk", "name")
        .order_by("-affiliations__is_primary", "name", "pk")
    )


# The pipeline board --------------------------------------------------------------------------

# A column shows its most recently moved cards, this many at a time ("Show more" for the next):
# three screenfuls of a column, and 7 × 15 cards keep the board's page under 100 KB.
BOARD_PAGE_SIZE = 15


class BoardCard(NamedTuple):
    """What a card shows: a row, not a model (a hundred models and their owners took 3 ms)."""

    pk: int
    name: str
    kind: str
    government_level: str
    stage: str
    owner__username: str | None
    owner__first_name: str | None
    owner__last_name: str | None
    last_touchpoint_on: dt.date | None
    next_followup_on: dt.date | None
    health: str


def board_organizations(filters: dict[str, Any]) -> OrganizationQuerySet:
    """Organizations on the board (not archived), narrowed by the board's filter form."""
    return _on_board(**_filter_values(filters))


def _filter_values(filters: dict[str, Any]) -> dict[str, Any]:
    """The board's filters as the values of its prepared queries."""
    return filter_values(
        filters, values=("kind", "government_level", "health"), records=("owner", "focus_area")
    )


def _on_board(
    *,
    owner_id: int | None = None,
    kind: str | None = None,
    government_level: str | None = None,
    health: str | None = None,
    focus_area_id: int | None = None,
) -> OrganizationQuerySet:
    qs = Organization.objects.active()
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if government_level is not None:
        qs = qs.filter(government_level=government_level)
    if health is not None:
        qs = qs.filter(health=health)
    if focus_area_id is not None:
        # EXISTS rather than a join: a column's query walks the board's index newest first and
        # stops at its cards, testing each organization's focus areas on the way (through the
        # unique index of the join table), instead of reading every organization of the area.
        in_area = Organization.focus_areas.through.objects.filter(
            organization=OuterRef("pk"), focusarea_id=focus_area_id
        )
        qs = qs.filter(Exists(in_area))
    return qs


def _stage_counts(**values: Any) -> QuerySet[Organization, tuple[str, int]]:
    return (
        _on_board(**values)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )


# Compiled once per process for each set of filters in use (core.prepared).
_STAGE_COUNTS = Prepared(_stage_counts)


def board_counts(filters: dict[str, Any]) -> dict[str, int]:
    """Organizations per stage, every stage listed, in one grouped query: of the stage tally
    (partners.models.StageTally) for the whole board or one person's cards, else of the
    organizations the filters leave."""
    values = _filter_values(filters)
    if set(values) <= {"owner_id"}:
        # The tally's counts for everyone, and for the owner if one is chosen (0: nobody's).
        rows = _PIPELINE_COUNTS.rows(limit=None, user_id=values.get("owner_id", 0))
        counts = {stage: mine if values else everyone for stage, everyone, mine in rows}
    else:
        counts = dict(_STAGE_COUNTS.rows(limit=None, **values))
    return {value: counts.get(value) or 0 for value in Stage.values}


def _cards(organizations: OrganizationQuerySet) -> QuerySet[Organization, tuple]:
    """The cards of these organizations, most recent first: the most recent stage change first
    (the card that just arrived in the column is on top), then the most recently created;
    stage_changed_at is set when an organization is created, so every card has one."""
    return (
        organizations.with_last_touchpoint()
        .with_next_followup()
        .order_by("-stage_changed_at", "-pk")
        .values_list(*BoardCard._fields)
    )


# Stands for a column's stage in the one compiled copy of a column's query (_first_cards).
_STAGE = "stage-of-the-column"


def _first_cards(values: dict[str, Any], limits: dict[str, int]) -> RawSQL:
    """The ids of each column's first cards (limits: stage → how many), as one UNION ALL of a
    LIMITed SELECT per stage: each an index scan that stops after its cards.

    One column's query is compiled once and repeated for each stage: compiling seven querysets
    and their union cost the board 3 ms. "SELECT * FROM (… LIMIT n)" is the form of a limited
    branch that both PostgreSQL and SQLite accept.
    """
    newest = _on_board(**values).order_by("-stage_changed_at", "-pk").values("pk")
    compiled = {
        limit: newest.filter(stage=_STAGE)[:limit].query.sql_with_params()
        for limit in set(limits.values())
    }
    parts: list[str] = []
    params: list[Any] = []
    for n, (stage, limit) in enumerate(limits.items()):
        sql, branch_params = compiled[limit]
        if list(branch_params).count(_STAGE) != 1:
            raise RuntimeError("A column's query should have its stage as one parameter.")
        parts.append(f"SELECT * FROM ({sql}) AS column_{n}")
        params.extend(stage if param == _STAGE else param for param in branch_params)
    return RawSQL(" UNION ALL ".join(parts), params)


def _columns_of(limits: dict[str, int], values: dict[str, Any]) -> QuerySet[Organization, tuple]:
    """The cards of each column's first `limits[stage]`, for the filters' `values`."""
    return _cards(Organization.objects.filter(pk__in=_first_cards(values, limits)))


# The board as it first opens, every column BOARD_PAGE_SIZE cards long: compiled once per
# process for each set of filters in use (core.prepared).
_FIRST_PAGE = {stage: BOARD_PAGE_SIZE for stage in Stage.values}
_FIRST_COLUMNS = Prepared(lambda **values: _columns_of(_FIRST_PAGE, values))


def board_columns(
    filters: dict[str, Any], *, longer: str | None = None, pages: int = 1
) -> dict[str, list[BoardCard]]:
    """Each column's first BOARD_PAGE_SIZE cards (`pages` pages of the `longer` column), in one
    query: the cards of _first_cards' ids, with the next follow-up looked up for those only, so
    that the board costs the same at 1,000 and 10,000 organizations."""
    limits = {stage: BOARD_PAGE_SIZE * (pages if stage == longer else 1) for stage in Stage.values}
    columns: dict[str, list[BoardCard]] = {stage: [] for stage in Stage.values}
    values = _filter_values(filters)
    if limits == _FIRST_PAGE:
        rows = _FIRST_COLUMNS.rows(limit=None, **values)
    else:
        rows = list(_columns_of(limits, values))
    for card in map(BoardCard._make, rows):
        columns[card.stage].append(card)
    return columns


def board_cards(
    filters: dict[str, Any], stage: str, *, start: int = 0, stop: int = BOARD_PAGE_SIZE
) -> tuple[list[BoardCard], bool]:
    """One column's cards [start:stop] and whether more follow, in one query ("Show more")."""
    rows = _cards(board_organizations(filters).filter(stage=stage))[start : stop + 1]
    cards = list(map(BoardCard._make, rows))
    return cards[: stop - start], len(cards) > stop - start


def board_card(pk: int) -> BoardCard:
    """One card, as the board shows it (after a move)."""
    return BoardCard._make(_cards(Organization.objects.filter(pk=pk)).get())


def contact_addresses_among(addresses: list[str]) -> list[str]:
    """Those of these addresses (lower-cased) that are a contact's."""
    return list(Contact.objects.filter(email__in=addresses).values_list("email", flat=True))


def people_by_organization(
    affiliations: QuerySet[Affiliation],
) -> dict[Organization, list[Contact]]:
    """The organizations of these roles, by name, each with its people by name: one query."""
    found: dict[Organization, list[Contact]] = {}
    roles = affiliations.select_related("organization", "contact").order_by(
        "organization__name", "organization_id", "contact__name", "contact_id"
    )
    for role in roles:
        found.setdefault(role.organization, []).append(role.contact)
    return found
