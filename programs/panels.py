"""Joint programs' panel on an organization's page."""

from typing import Any

from django.http import HttpRequest

from core.panels import panel
from partners.models import Organization
from programs.models import ProgramPartner


@panel(
    page="organization",
    slot="side",
    order=30,
    template="programs/panels/organization_programs.html",
)
def programs_together(request: HttpRequest, organization: Organization) -> dict[str, Any]:
    # The ten most recent; the program list has them all.
    roles = (
        ProgramPartner.objects.filter(organization=organization)
        .select_related("program")
        .order_by("-program__start_date", "program__title")[:10]
    )
    return {"program_roles": list(roles)}
