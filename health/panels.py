"""Partnership health on a partner's page (its level, each reason with its weight, the next
step, the agreed cadence, the last weeks recorded) and the dashboard's count for managers."""

from typing import Any

from django.http import HttpRequest

from core.panels import panel
from health.reasons import ASSESSED_STAGES, PartnershipHealth, cadence_in_words
from health.selectors import health_of, recent_weeks, stage_cadences
from partners.models import Organization, Stage


def _cadence_in_words(organization: Organization, found: PartnershipHealth | None) -> str:
    """The agreed cadence, and how it was agreed; else the stage's (its health read it
    already, where it has one)."""
    if organization.cadence_days:
        agreed = cadence_in_words(organization.cadence_days)
        return f"{agreed}, {organization.cadence_note}" if organization.cadence_note else agreed
    days = found.cadence_days if found else stage_cadences().get(organization.stage)
    if days is None:
        return ""
    stage = Stage(organization.stage).label.lower()
    return f"{cadence_in_words(days)} (the default for {stage})"


@panel(
    page="organization",
    slot="side",
    order=5,
    template="health/panels/organization_health.html",
    refresh_on=("followups",),
    deferred=True,
    title="Partnership health",
)
def organization_health(request: HttpRequest, organization: Organization) -> dict[str, Any]:
    found = health_of([organization]).get(organization.pk)
    return {
        "health": found,
        "assessed_stages": [Stage(stage).label.lower() for stage in ASSESSED_STAGES],
        "cadence": _cadence_in_words(organization, found),
        "weeks": recent_weeks(organization) if found else [],
    }
