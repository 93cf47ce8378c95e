"""Partnership health on a partner's page (its level, each reason with its weight, the next
step, the agreed cadence, the last weeks recorded) and the dashboard's count for managers."""

from typing import Any

from django.http import HttpRequest

from core.panels import panel
from health.reasons import ASSESSED_STAGES
from health.selectors import health_of, recent_weeks, stage_cadences
from partners.models import Cadence, Organization, Stage


def _cadence_in_words(organization: Organization) -> str:
    if organization.cadence_days:
        agreed = Cadence(organization.cadence_days).label
        return f"{agreed}, {organization.cadence_note}" if organization.cadence_note else agreed
    days = stage_cadences().get(organization.stage)
    if days is None:
        return ""
    label = Cadence(days).label if days in Cadence.values else f"Every {days} days"
    return f"{label} (the default for {Stage(organization.stage).label.lower()})"


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
        "cadence": _cadence_in_words(organization),
        "weeks": recent_weeks(organization) if found else [],
    }
