"""Reading agreements: the list (kind, status, ending within, partner), a partner's and a
program's, the data-sharing agreement a partner's page names, those ending soon."""

import datetime as dt
from typing import Any

from django.db.models import (
    Case,
    CharField,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from agreements.models import NAME_AND_NUMBER, Agreement
from core.aggregates import JoinedNames
from core.prepared import Prepared
from partners.models import Organization

# A partner's or a program's page shows this many, most recent first, and links to the rest.
RECORD_LIMIT = 10
ENDING_WITHIN = (30, 60, 90)


def _with_partners(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """With the owner, the program, and the partners' names and numbers read in the same query
    (`partner_names`: core.aggregates; partners_of() splits them), not by a prefetch."""
    named = Concat("name", Value(NAME_AND_NUMBER), Cast("pk", CharField()))
    names = (
        Organization.objects.filter(agreements=OuterRef("pk"))
        .order_by()
        .values("agreements")
        .annotate(names=JoinedNames(named))
        .values("names")
    )
    return agreements.select_related("owner", "program").annotate(partner_names=Subquery(names))


def agreement_search(filters: dict[str, Any], today: dt.date | None = None) -> QuerySet[Agreement]:
    """Agreements by their end (soonest first, open-ended last), filtered."""
    today = today or timezone.localdate()
    found = Agreement.objects.all()
    if filters.get("kind"):
        found = found.filter(kind=filters["kind"])
    if filters.get("status"):
        found = found.filter(status=filters["status"])
    if filters.get("ending"):
        last = today + dt.timedelta(days=int(filters["ending"]))
        found = found.filter(status__in=Agreement.IN_FORCE, ends_on__gte=today, ends_on__lte=last)
    if filters.get("organization"):
        found = found.filter(organizations=filters["organization"])
    if filters.get("program"):
        found = found.filter(program=filters["program"])
    ordered = found.order_by(F("ends_on").asc(nulls_last=True), "pk")
    if filters.get("nothing"):
        ordered = ordered.none()
    return _with_partners(ordered)


def agreement_page(pk: int) -> Agreement | None:
    return (
        _with_partners(Agreement.objects.filter(pk=pk)).select_related("renewal_followup").first()
    )


def _on_a_page(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """What a partner's or a program's page shows: those in force first, each group by its end
    (open-ended last), and one more than shown, to know whether to link to the rest."""
    in_force = Case(When(status__in=Agreement.IN_FORCE, then=Value(0)), default=Value(1))
    return (
        agreements.annotate(in_force_first=in_force)
        .only("title", "kind", "status", "ends_on")
        .order_by("in_force_first", F("ends_on").asc(nulls_last=True), "pk")[: RECORD_LIMIT + 1]
    )


# Compiled once per process (core.prepared): every partner's and program's page reads one.
_OF_ORGANIZATION = Prepared(
    lambda organization_id: _on_a_page(Agreement.objects.filter(organizations=organization_id))
)
_OF_PROGRAM = Prepared(lambda program_id: _on_a_page(Agreement.objects.filter(program=program_id)))


def agreements_of_organization(organization: Organization) -> list[Agreement]:
    return _OF_ORGANIZATION.objects(organization_id=organization.pk)


def agreements_of_program(program_id: int) -> list[Agreement]:
    return _OF_PROGRAM.objects(program_id=program_id)


def data_sharing_in_force(agreements: list[Agreement]) -> Agreement | None:
    """The data-sharing agreement in force among a partner's (the first to end), if any."""
    found = [a for a in agreements if a.kind == Agreement.Kind.DATA_SHARING and a.in_force]
    return found[0] if found else None


def agreements_ending_between(
    first: dt.date, last: dt.date, *, owner_ids: list[int] | None = None
) -> list[Agreement]:
    """Agreements in force that end from `first` to `last`, soonest first (the digest's, for
    their owners; the manager's summary, all of them)."""
    found = Agreement.objects.filter(
        status__in=Agreement.IN_FORCE, ends_on__gte=first, ends_on__lte=last
    )
    if owner_ids is not None:
        found = found.filter(owner_id__in=owner_ids)
    return list(_with_partners(found.order_by("ends_on", "title", "pk")))
