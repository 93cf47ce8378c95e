"""Partners' panels: the pipeline at a glance on the dashboard, and the change history of an
organization's and a contact's page."""

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.urls import reverse

from core.history_entries import history_panel
from core.http import AuthenticatedHttpRequest
from core.panels import panel, panel_object
from partners import history, relations, selectors
from partners.models import Contact, Organization
from partners.selectors import (
    AllAffiliations,
    organizations_of,
    people_ever_at,
    pipeline_counts,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


@panel(page="dashboard", slot="side", order=60, template="partners/panels/dashboard_pipeline.html")
def pipeline(request: AuthenticatedHttpRequest, obj: None) -> dict[str, Any]:
    stages, mine = pipeline_counts(request.user)
    return {"stage_counts": stages, "my_organization_count": mine}


# A lone panel of an organization's or a contact's page (core.views.panel) reads the record as
# the page does.
panel_object(page="organization", name="organization")(selectors.organization_detail)
panel_object(page="contact", name="contact")(selectors.contact_detail)


# Shown a moment after the page (deferred), as the page's own response is at its budget.
@panel(
    page="organization",
    slot="side",
    order=20,
    template="partners/panels/organization_relations.html",
    deferred=True,
    title="Related organizations",
)
def related_organizations(request: HttpRequest, organization: Organization) -> dict[str, Any]:
    """Its coalitions, departments, funders and partners, from its side: one query."""
    ties = relations.ties_of(organization.pk)
    return {
        "organization": organization,
        "current_ties": [tie for tie in ties if not tie.is_past],
        "past_ties": [tie for tie in ties if tie.is_past],
    }


# The history is read from several history tables and compared field by field: the page shows
# first, the History panel a moment later.
@panel(
    page="organization",
    slot="side",
    order=90,
    template="core/partials/history_panel.html",
    deferred=True,
    title="History",
)
def organization_history(
    request: HttpRequest, organization: "WithAnnotations[Organization, AllAffiliations]"
) -> dict[str, Any]:
    # The page has loaded its people and their organizations: the roles' changes name them.
    return history_panel(
        history.organization_history(organization),
        url=reverse("partners:organization_history", args=[organization.pk]),
        known=people_ever_at(organization),
    )


@panel(
    page="contact",
    slot="main",
    order=90,
    template="core/partials/history_panel.html",
    deferred=True,
    title="History",
)
def contact_history(
    request: HttpRequest, contact: "WithAnnotations[Contact, AllAffiliations]"
) -> dict[str, Any]:
    return history_panel(
        history.contact_history(contact),
        url=reverse("partners:contact_history", args=[contact.pk]),
        known=organizations_of(contact),
        section_class="col-md-5",
    )
