"""The Playbooks section of an organization's page: apply one, follow each running one step
by step, stop it. Fetched again when follow-ups change (a step done schedules the next)."""

from typing import Any, cast

from django.forms import ModelChoiceField
from django.http import HttpRequest

from core.panels import panel
from partners.models import Organization
from playbooks.forms import ApplyForm
from playbooks.selectors import playbooks_offered, runs_of_organization


@panel(
    page="organization",
    slot="side",
    order=15,
    template="playbooks/panels/organization_playbooks.html",
    refresh_on=("followups",),
    # Fetched once the page has loaded: the page's own response is at its budget of queries
    # (config/tests/test_detail_queries.py), as for Related organizations and Documents.
    deferred=True,
    title="Playbooks",
)
def organization_playbooks(request: HttpRequest, organization: Organization) -> dict[str, Any]:
    form = ApplyForm(auto_id="id_playbook_%s")
    cast(ModelChoiceField, form.fields["playbook"]).choices = [
        ("", "Choose a playbook"),
        *((p.pk, p.name) for p in playbooks_offered(organization)),
    ]
    return {"runs": runs_of_organization(organization), "apply_form": form}
