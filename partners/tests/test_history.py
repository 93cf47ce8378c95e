"""Change history of organizations, contacts and affiliations: who changed what, and when.

Public agencies ask "who changed this, and when": every save is recorded with the user (the
signed-in one on a page, the `by` of a service elsewhere) and, for merges, why. The History
panel of a record's page shows the last ten changes, field by field, with a link to them all.
"""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.history import history_context
from core.tests.forms import posted_form
from partners import merge, services
from partners.models import Affiliation, Contact, Organization, Stage
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def latest(record) -> Any:  # a historical record: a model simple_history makes, untyped
    return record.history.order_by("history_date", "history_id").last()


def changes_of(entry) -> dict[str, tuple[str, str]]:
    return {change.label: (change.old, change.new) for change in entry.changes}


def history_panel(response) -> dict:
    """The History panel's context on a record's page."""
    for shown in [
        *response.context["panels"].get("side", []),
        *response.context["panels"].get("main", []),
    ]:
        if shown.template == "core/partials/history_panel.html":
            # The page defers it (core.panels): fetched as the page's htmx does.
            assert shown.deferred
            panel = response.client.get(shown.url, headers={"HX-Request": "true"})
            assert panel.status_code == 200
            return panel.context
    raise AssertionError("no History panel on the page")


def test_an_edit_on_the_page_is_recorded_with_who_and_each_field(
    manager_client, manager, librarian
):
    organization = OrganizationFactory(name="Eastside Clinic", kind="nonprofit")
    url = reverse("partners:organization_edit", args=[organization.pk])
    data = posted_form(
        manager_client.get(url),
        kind="government",
        government_level="county",
        owner=str(librarian.pk),
        mission="Healthy families in every neighborhood, " * 5,
    )
    assert manager_client.post(url, data).status_code == 302

    row = latest(organization)
    assert (row.history_type, row.history_user) == ("~", manager)
    page = manager_client.get(organization.get_absolute_url())
    entry = history_panel(page)["history_entries"][0]
    assert entry.who == manager
    changes = changes_of(entry)
    assert changes["Kind"] == ("Nonprofit", "Government agency")  # choices by their label
    assert changes["Government level"] == ("—", "County")
    assert changes["Owner"] == ("—", "Alice Reyes")  # a related record by its name
    old, new = changes["Mission and priorities"]
    assert old == "—" and len(new) <= 80 and new.endswith("…")  # long texts cut short
    assert "Government agency" in page.content.decode()


def test_a_service_records_the_user_it_is_given_without_a_request(librarian):
    organization = OrganizationFactory(name="Eastside Clinic")

    services.organization_update(organization=organization, by=librarian, phone="555-0100")
    services.stage_change(
        organization=organization, to_stage=Stage.CONTACTED, by=librarian, note="Met at the fair"
    )

    row = latest(organization)
    assert (row.history_user, row.stage, row.history_change_reason) == (
        librarian,
        Stage.CONTACTED,
        "Met at the fair",
    )
    assert organization.history.filter(phone="555-0100", history_user=librarian).exists()


def test_a_new_primary_contact_records_the_previous_one_losing_the_flag(librarian):
    organization = OrganizationFactory()
    first = AffiliationFactory(organization=organization, is_primary=True)
    with history_context(by=librarian):
        services.affiliation_create(
            contact=ContactFactory(), organization=organization, is_primary=True
        )

    row = latest(first)
    assert (row.is_primary, row.history_user) == (False, librarian)


def test_an_organization_merge_is_in_the_history_with_who_and_why(manager):
    survivor = OrganizationFactory(name="Riverside County Health Dept")
    other = OrganizationFactory(name="Riverside County Health Department", phone="555-0100")
    moved = AffiliationFactory(organization=other, is_primary=True, title="Director")

    merge.organization_merge(survivor=survivor, other=other, fields={"phone": "other"}, by=manager)

    reason = f"Merged with “Riverside County Health Department” (#{other.pk})"
    row = latest(survivor)
    assert (row.history_user, row.phone, row.history_change_reason) == (manager, "555-0100", reason)
    gone = Organization.history.filter(id=other.pk).order_by("history_date", "history_id").last()
    assert (gone.history_type, gone.history_user) == ("-", manager)
    assert (
        gone.history_change_reason == f"Merged into “Riverside County Health Dept” (#{survivor.pk})"
    )
    # The affiliation moved with one UPDATE, and is in its history all the same.
    row = latest(moved)
    assert (row.organization_id, row.history_user, row.history_change_reason) == (
        survivor.pk,
        manager,
        reason,
    )


def test_a_contact_merge_is_in_the_history_and_moves_roles_with_a_trace(manager):
    survivor = ContactFactory(name="Ana Ruiz")
    other = ContactFactory(name="Ana Ruíz", phone="555-0101")
    role = AffiliationFactory(contact=other, title="Nurse")

    merge.contact_merge(survivor=survivor, other=other, fields={"phone": "other"}, by=manager)

    row = latest(survivor)
    assert (row.phone, row.history_user) == ("555-0101", manager)
    assert row.history_change_reason == f"Merged with “Ana Ruíz” (#{other.pk})"
    assert latest(role).contact_id == survivor.pk
    assert Contact.history.filter(id=other.pk, history_type="-").exists()


def test_the_panel_shows_the_last_ten_newest_first_with_a_link_to_all(librarian_client, librarian):
    organization = OrganizationFactory(name="Eastside Clinic")
    for i in range(12):
        services.organization_update(organization=organization, by=librarian, phone=f"555-01{i:02}")

    panel = history_panel(librarian_client.get(organization.get_absolute_url()))

    entries = panel["history_entries"]
    assert len(entries) == 10 and panel["history_more"]
    assert changes_of(entries[0])["Phone"] == ("555-0110", "555-0111")
    assert changes_of(entries[9])["Phone"] == ("555-0101", "555-0102")
    assert [e.when for e in entries] == sorted((e.when for e in entries), reverse=True)
    url = reverse("partners:organization_history", args=[organization.pk])
    assert panel["history_url"] == url

    page = librarian_client.get(url)
    assert page.status_code == 200
    assert len(page.context["page"].object_list) == 13  # 12 changes and the creation
    assert page.context["page"].object_list[-1].action == "Created"


def test_the_panel_mixes_the_organizations_and_its_roles_changes_as_the_full_page_does(
    librarian_client, manager
):
    organization = busy_organization(8, manager)  # its owner changed too, and 8 roles
    gone = AffiliationFactory(organization=organization, contact__name="Dana Left")
    with history_context(by=manager):
        services.affiliation_update(
            affiliation=gone, title="Volunteer", is_primary=False, start_date=None
        )
    gone.delete()  # a role no longer on the page: the panel still names its person

    panel = history_panel(librarian_client.get(organization.get_absolute_url()))
    url = reverse("partners:organization_history", args=[organization.pk])
    page = librarian_client.get(url).context["page"].object_list

    def shown(entries: list) -> list:
        return [(e.when, e.who, e.action, e.subject, e.changes) for e in entries]

    assert shown(panel["history_entries"]) == shown(page[:10]) and panel["history_more"]
    latest_change = panel["history_entries"][0]
    assert (latest_change.action, latest_change.subject) == ("Deleted", "Role of Dana Left")
    assert any("Owner" in changes_of(e) for e in panel["history_entries"])


def test_the_full_history_is_paginated(librarian_client, librarian):
    organization = OrganizationFactory(name="Eastside Clinic")
    for i in range(30):
        services.organization_update(organization=organization, by=librarian, phone=f"555-01{i:02}")
    url = reverse("partners:organization_history", args=[organization.pk])

    first, second = librarian_client.get(url), librarian_client.get(url, {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 6
    assert "Page 1 of 2" in first.content.decode()


def test_role_changes_show_on_the_organization_and_the_contact_page(librarian_client, librarian):
    ana = ContactFactory(name="Ana Ruiz")
    clinic = OrganizationFactory(name="Eastside Clinic")
    affiliation = AffiliationFactory(contact=ana, organization=clinic, title="Nurse")
    with history_context(by=librarian):
        services.affiliation_update(
            affiliation=affiliation, title="Head nurse", is_primary=True, start_date=None
        )

    on_organization = history_panel(librarian_client.get(clinic.get_absolute_url()))
    on_contact = history_panel(librarian_client.get(ana.get_absolute_url()))

    entry = on_organization["history_entries"][0]
    assert (entry.subject, entry.who) == ("Role of Ana Ruiz", librarian)
    assert changes_of(entry) == {
        "Title or role": ("Nurse", "Head nurse"),
        "Primary contact": ("No", "Yes"),
    }
    assert on_contact["history_entries"][0].subject == "Role at Eastside Clinic"
    panel = f"/panels/contact/contact-history/?of={ana.pk}"
    assert panel in librarian_client.get(ana.get_absolute_url()).content.decode()
    shown = librarian_client.get(panel, headers={"HX-Request": "true"}).content.decode()
    assert "Role at Eastside Clinic" in shown


def test_an_affiliation_ended_is_recorded(librarian):
    affiliation = AffiliationFactory()
    with history_context(by=librarian):
        services.affiliation_end(affiliation=affiliation, end_date=dt.date(2026, 1, 31))

    assert latest(affiliation).end_date == dt.date(2026, 1, 31)
    assert Affiliation.history.filter(id=affiliation.pk).count() == 2


# Query counts: the panel and the page read the history in a fixed number of queries.


def busy_organization(changes: int, user) -> Organization:
    """An organization changed `changes` times (its owner too), with as many roles changed."""
    organization = OrganizationFactory(name=f"Eastside Clinic {changes}")
    for i in range(changes):
        services.organization_update(
            organization=organization, by=user, phone=f"555-01{i:02}", owner=user if i % 2 else None
        )
        affiliation = AffiliationFactory(organization=organization, title=f"Role {i}")
        with history_context(by=user):
            services.affiliation_update(
                affiliation=affiliation, title=f"Role {i}b", is_primary=False, start_date=None
            )
    return organization


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_history_panels_and_pages_run_the_same_queries_for_few_or_many_changes(
    librarian_client, manager
):
    few, many = busy_organization(2, manager), busy_organization(15, manager)
    pages = {
        "organization page": lambda o: o.get_absolute_url(),
        "contact page": lambda o: o.affiliations.first().contact.get_absolute_url(),
        "organization history": lambda o: reverse("partners:organization_history", args=[o.pk]),
        "contact history": lambda o: reverse(
            "partners:contact_history", args=[o.affiliations.first().contact.pk]
        ),
    }
    for name, url in pages.items():
        assert queries(librarian_client, url(few)) == queries(librarian_client, url(many)), name
    # Beyond what every page costs (the session, the user with their roles and time zone): the
    # record; the history: its count, the page of keys, each table's rows with the rows before
    # them (2), the names of the staff and the contacts mentioned (2).
    own = queries(librarian_client, pages["organization history"](many)) - queries(
        librarian_client, reverse("password_change")
    )
    assert own == 1 + 6
