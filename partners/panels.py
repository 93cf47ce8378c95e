"""Partners' panels: the pipeline at a glance on the dashboard, and the change history of an
organization's and a contact's page."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from core.history_entries import history_panel
from core.http import AuthenticatedHttpRequest
from core.panels import panel
from partners import history
from partners.models import Contact, Organization
from partners.selectors import organizations_owned_by, stage_counts


@panel(page="dashboard", slot="side", order=60, template="partners/panels/dashboard_pipeline.html")
def pipeline(request: AuthenticatedHttpRequest, obj: None) -> dict[str, Any]:
    return {
        "stage_counts": stage_counts(),
        "my_organization_count": organizations_owned_by(request.user).count(),
    }


@panel(page="organization", slot="side", order=90, template="core/partials/history_panel.html")
def organization_history(request: HttpRequest, organization: Organization) -> dict[str, Any]:
    return history_panel(
        history.organization_history(organization),
        url=reverse("partners:organization_history", args=[organization.pk]),
    )


@panel(page="contact", slot="main", order=90, template="core/partials/history_panel.html")
def contact_history(request: HttpRequest, contact: Contact) -> dict[str, Any]:
    return history_panel(
        history.contact_history(contact),
        url=reverse("partners:contact_history", args=[contact.pk]),
        section_class="col-md-5",
    )
