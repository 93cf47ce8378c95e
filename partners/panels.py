"""Partners' panel on the dashboard: the pipeline at a glance."""

from typing import Any

from django.http import HttpRequest

from core.panels import panel
from partners.selectors import organizations_owned_by, stage_counts


@panel(page="dashboard", slot="side", order=60, template="partners/panels/dashboard_pipeline.html")
def pipeline(request: HttpRequest, obj: None) -> dict[str, Any]:
    return {
        "stage_counts": stage_counts(),
        "my_organization_count": organizations_owned_by(request.user).count(),  # type: ignore[arg-type]
    }
