"""The email a person gets when someone else gives them a follow-up (or a grant deliverable)."""

import datetime as dt

import pytest
from django.urls import reverse

from core.models import StaffProfile
from notifications.tests.helpers import (
    MONDAY,
    NEW_YORK,
    PROFILE,
    SITE,
    Kind,
    followup,
    prefer,
    queued,
    staff_member,
)
from outreach import services
from outreach.models import FollowUp
from partners.tests.factories import OrganizationFactory
from programs.models import Program
from programs.services import grants as grant_services

pytestmark = pytest.mark.django_db


def test_a_followup_made_for_someone_else_emails_them_once(alice, maria):
    organization = OrganizationFactory(name="Riverside County Health")
    item = services.followup_create(
        organization=organization,
        assignee=alice,
        created_by=maria,
        due_on=dt.date(2026, 3, 12),
        due_time=dt.time(15, 0),
        title="Call back about the health fair",
        details="They asked for two tables.",
    )
    [email] = queued(Kind.FOLLOWUP_ASSIGNED)
    assert email.user == alice
    assert email.idempotency_key.startswith(f"followup_assigned:{item.pk}:{alice.pk}:")
    assert email.subject == (
        "Maria Chen gave you a follow-up: Call back about the health fair, due Thu, Mar 12"
    )
    for body in (email.body_text, email.body_html):
        assert "Thursday, March 12, 2026 by 3:00 PM" in body
        assert "They asked for two tables." in body
        assert f"{SITE}/organizations/{organization.pk}/" in body
        assert PROFILE in body
    assert f"{SITE}/followups/?organization={organization.pk}" in email.body_text


def test_a_followup_one_gives_oneself_sends_nothing(alice):
    organization = OrganizationFactory()
    services.touchpoint_log(
        organization=organization,
        staff=alice,
        occurred_on=MONDAY,
        subject="Call about the book drive",
        follow_up_on=MONDAY + dt.timedelta(days=3),
    )
    services.followup_create(
        organization=organization, assignee=alice, created_by=alice, due_on=MONDAY, title="Mine"
    )
    assert FollowUp.objects.count() == 2
    assert queued(Kind.FOLLOWUP_ASSIGNED) == []


def test_no_followup_email_when_the_preference_is_off(alice, maria):
    prefer(alice, followup_assigned_emails=False)
    services.followup_create(
        organization=OrganizationFactory(),
        assignee=alice,
        created_by=maria,
        due_on=MONDAY,
        title="Call back",
    )
    assert queued(Kind.FOLLOWUP_ASSIGNED) == []


def test_reassigning_emails_the_new_assignee_each_time_but_not_for_no_change(
    manager_client, manager, librarian
):
    item = followup(manager, due_on=MONDAY, title="Visit the clinic")
    url = reverse("outreach:followup_reassign", args=[item.pk])
    manager_client.post(url, {"assignee": librarian.pk})
    manager_client.post(url, {"assignee": librarian.pk})  # a double click: still hers
    assert [e.user for e in queued(Kind.FOLLOWUP_ASSIGNED)] == [librarian]
    manager_client.post(url, {"assignee": manager.pk})  # the manager takes it back: no email
    manager_client.post(url, {"assignee": librarian.pk})  # and gives it again: a new email
    emails = queued(Kind.FOLLOWUP_ASSIGNED)
    assert [e.user for e in emails] == [librarian, librarian]
    assert emails[0].idempotency_key != emails[1].idempotency_key


def test_a_grant_deliverable_owned_by_someone_else_emails_the_owner(alice, maria):
    program = Program.objects.create(title="Seed library", kind=Program.Kind.GRANT, lead=alice)
    program.program_partners.create(organization=OrganizationFactory(name="Eastside Garden Club"))
    grant_services.grant_save(
        program=program,
        by=maria,
        funder="River Valley Foundation",
        deliverables=[
            grant_services.DeliverableChange(
                title="Interim report", due_on=dt.date(2026, 6, 1), owner=alice
            )
        ],
    )
    [email] = queued(Kind.FOLLOWUP_ASSIGNED)
    assert email.user == alice
    assert "Grant deliverable: Interim report (River Valley Foundation)" in email.subject
    deliverable = program.grant.deliverables.get()
    sam = staff_member("sam_ortiz")
    grant_services.grant_save(
        program=program,
        by=maria,
        funder="River Valley Foundation",
        deliverables=[
            grant_services.DeliverableChange(
                pk=deliverable.pk, title="Interim report", due_on=dt.date(2026, 6, 1), owner=sam
            )
        ],
    )
    assert [e.user for e in queued(Kind.FOLLOWUP_ASSIGNED)] == [alice, sam]


def test_a_followup_given_to_someone_else_in_the_admin_emails_them(client, admin_user, alice):
    client.force_login(admin_user)
    organization = OrganizationFactory()
    data = {
        "title": "Sign the MOU",
        "due_on": "2026-03-12",
        "assignee": alice.pk,
        "organization": organization.pk,
        "status": "open",
    }
    response = client.post(reverse("admin:outreach_followup_add"), data)
    assert response.status_code == 302
    [email] = queued(Kind.FOLLOWUP_ASSIGNED)
    assert email.user == alice
    assert email.subject.startswith("Ada Okafor gave you a follow-up: Sign the MOU")


def test_an_admin_names_whom_a_person_reports_to_from_the_managers(
    client, admin_user, alice, maria
):
    client.force_login(admin_user)
    url = reverse("admin:core_staffprofile_change", args=[alice.pk])
    form = client.get(url).context["adminform"].form
    assert set(form.fields["reports_to"].queryset) == {admin_user, maria}
    data = {"user": alice.pk, "time_zone": NEW_YORK, "digest": "daily", "reports_to": maria.pk}
    data |= {"meeting_reminders": "on", "followup_assigned_emails": "on"}
    assert client.post(url, data).status_code == 302
    assert StaffProfile.objects.get(user=alice).reports_to == maria


def test_a_broken_email_never_stops_the_followup_from_being_saved(alice, maria, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("template trouble")

    monkeypatch.setattr("notifications.services.render_email", broken)
    item = services.followup_create(
        organization=OrganizationFactory(),
        assignee=alice,
        created_by=maria,
        due_on=MONDAY,
        title="Call back",
    )
    assert FollowUp.objects.filter(pk=item.pk).exists()
    assert queued(Kind.FOLLOWUP_ASSIGNED) == []
