"""The Agreements section of a partner's and a program's page, and on a partner's page the
data-sharing agreement in force, by its name: one query for both (read once per request)."""

from typing import Any

from django.http import HttpRequest

from agreements.models import Agreement
from agreements.selectors import (
    RECORD_LIMIT,
    agreements_of_organization,
    agreements_of_program,
    data_sharing_in_force,
)
from core.panels import panel
from core.templatetags.liaison import fixed_url
from partners.models import Organization

TEMPLATE = "agreements/panels/record_agreements.html"


def _of_partner(request: HttpRequest, organization: Organization) -> list[Agreement]:
    cached = getattr(request, "_liaison_agreements", None)
    if cached is None or cached[0] != organization.pk:
        cached = (organization.pk, agreements_of_organization(organization))
        request._liaison_agreements = cached  # type: ignore[attr-defined]
    return cached[1]


def _section(found: list[Agreement], query: str) -> dict[str, Any]:
    listing = fixed_url("agreements:agreement_list")
    return {
        "agreements": found[:RECORD_LIMIT],
        "agreements_all_url": f"{listing}?{query}" if found else "",
        "agreements_more": len(found) > RECORD_LIMIT,
        "agreement_new_url": f"{fixed_url('agreements:agreement_create')}?{query}",
    }


@panel(page="organization", slot="side", order=22, template=TEMPLATE)
def organization_agreements(request: HttpRequest, organization: Organization) -> dict[str, Any]:
    return _section(_of_partner(request, organization), f"organization={organization.pk}")


@panel(
    page="organization",
    slot="badges",
    order=10,
    template="agreements/panels/data_sharing_badge.html",
)
def organization_data_sharing(
    request: HttpRequest, organization: Organization
) -> dict[str, Any] | None:
    agreement = data_sharing_in_force(_of_partner(request, organization))
    return {"data_sharing": agreement} if agreement else None


@panel(page="program", slot="side", order=30, template=TEMPLATE)
def program_agreements(request: HttpRequest, program: Any) -> dict[str, Any]:
    return _section(agreements_of_program(program.pk), f"program={program.pk}")
