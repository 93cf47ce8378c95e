"""Panels fetched on their own (core.panels, core.views.panel): what keeps a page true after an
in-place action, and what a page defers."""

import json

import pytest
from django.http import HttpResponse

from core.http import announce
from core.panels import panels_for
from partners.selectors import organization_detail
from partners.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def test_an_action_names_what_changed_and_what_to_say():
    response = HttpResponse()
    announce(response, "Done: Call Dana.", changed=("followups",))
    assert json.loads(response.headers["HX-Trigger-After-Settle"]) == {
        "followups-changed": True,
        "liaison:announce": "Done: Call Dana.",
    }
    quiet = HttpResponse()
    announce(quiet)
    assert "HX-Trigger-After-Settle" not in quiet.headers


def test_the_organization_page_wraps_what_refreshes_and_defers_its_history(librarian_client):
    clinic = OrganizationFactory(name="Eastside Clinic")
    html = librarian_client.get(clinic.get_absolute_url()).content.decode()
    assert (
        f'id="panel-organization-followups" hx-get="/panels/organization/organization-followups/'
        f'?of={clinic.pk}" hx-trigger="followups-changed from:body"'
    ) in html
    history = (
        f'hx-get="/panels/organization/organization-history/?of={clinic.pk}" hx-trigger="load"'
    )
    assert history in html
    assert "Loading…" in html and "No changes recorded yet." not in html


def test_a_panel_comes_alone_for_htmx_and_on_a_page_of_its_own_without(librarian_client):
    clinic = OrganizationFactory(name="Eastside <Clinic>")
    url = f"/panels/organization/organization-history/?of={clinic.pk}"
    alone = librarian_client.get(url, headers=HX)
    assert alone.status_code == 200
    assert "<html" not in alone.content.decode()
    assert "History" in alone.content.decode()
    page = librarian_client.get(url).content.decode()
    assert "<html" in page and "Back to Eastside &lt;Clinic&gt;" in page
    assert f'href="{clinic.get_absolute_url()}"' in page


def test_the_panel_forms_bring_a_person_back_to_the_page_they_were_on(librarian_client, librarian):
    from django.utils import timezone

    from outreach.services import followup_create

    clinic = OrganizationFactory(owner=librarian)
    followup_create(
        organization=clinic,
        assignee=librarian,
        created_by=librarian,
        title="Call Dana",
        due_on=timezone.localdate(),
    )
    html = librarian_client.get(
        "/panels/dashboard/my-followups/",
        headers={**HX, "HX-Current-URL": "http://testserver/?tab=mine"},
    ).content.decode()
    assert 'name="next" value="/?tab=mine"' in html
    # Another site's address is not a place to go back to.
    html = librarian_client.get(
        "/panels/dashboard/my-followups/",
        headers={**HX, "HX-Current-URL": "https://evil.example/"},
    ).content.decode()
    assert "evil.example" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/panels/organization/no-such-panel/?of=1",
        "/panels/no-such-page/organization-history/?of=1",
        "/panels/organization/organization-history/",
        "/panels/organization/organization-history/?of=x1",
        "/panels/organization/organization-history/?of=999999",
    ],
)
def test_a_wrong_panel_address_is_not_found(librarian_client, url):
    assert librarian_client.get(url, headers=HX).status_code == 404


def test_a_hidden_panel_answers_empty(librarian_client):
    # Team overdue is for managers only: for a librarian the panel hides itself.
    response = librarian_client.get("/panels/dashboard/team-overdue/", headers=HX)
    assert (response.status_code, response.content) == (200, b"")


def test_panels_for_a_deferred_panel_computes_nothing(rf, librarian):
    clinic = organization_detail(OrganizationFactory().pk)
    request = rf.get("/")
    request.user = librarian
    shown = [p for p in panels_for("organization", request, clinic)["side"] if p.deferred]
    assert [(p.name, p.title, dict(p.context)) for p in shown] == [
        ("organization-health", "Partnership health", {}),
        ("organization-playbooks", "Playbooks", {}),
        ("related-organizations", "Related organizations", {}),
        ("organization-reviews", "Annual reviews", {}),
        ("organization-documents", "Documents", {}),
        ("organization-history", "History", {}),
    ]
