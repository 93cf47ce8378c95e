"""A touchpoint with several partners (a coalition meeting, a council meeting, a joint call):
logged once, on each partner's timeline once, and counted in each one's last touchpoint and
"gone quiet" signal."""

import datetime as dt

import pytest
from django.urls import reverse

from core.tests.clock import frozen_clock
from outreach import services
from outreach.models import Meeting, Touchpoint
from outreach.selectors.activity import quiet_partners
from outreach.selectors.timeline import timeline_page
from outreach.tests.helpers import at, person_at
from partners.merge import organization_merge
from partners.models import Organization, Stage
from partners.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

clock = frozen_clock()  # Monday, November 2, 2026, 10:00 in New York
TODAY = dt.date(2026, 11, 2)
TOUCHPOINT_NEW = reverse("outreach:touchpoint_new")
SEARCH = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "other-organizations"}


@pytest.fixture
def coalition(db):
    """Three partners the library talks to, quiet for months."""
    long_ago = TODAY - dt.timedelta(days=200)
    partners = {
        key: OrganizationFactory(name=name, stage=Stage.ACTIVE)
        for key, name in (
            ("health", "Tamarack County Health Department"),
            ("clinic", "Eastside Community Clinic"),
            ("schools", "Oak Valley Unified School District"),
        )
    }
    for organization in partners.values():
        services.touchpoint_log(
            organization=organization, staff=None, occurred_on=long_ago, subject="Intro call"
        )
    return partners


def last_touchpoints(partners: dict[str, Organization]) -> dict[str, dt.date | None]:
    return {
        key: Organization.objects.get(pk=o.pk).last_touchpoint_on for key, o in partners.items()
    }


def timeline_subjects(organization: Organization) -> list[str]:
    page = timeline_page(organization, 1)
    return [entry.item.subject for entry in page.object_list if entry.kind == "touchpoint"]


def test_one_touchpoint_counts_for_every_partner_and_clears_their_quiet_signal(
    coalition, librarian
):
    assert set(quiet_partners(TODAY)) == set(coalition.values())
    services.touchpoint_log(
        organization=coalition["health"],
        other_organizations=[coalition["clinic"], coalition["schools"], coalition["health"]],
        staff=librarian,
        occurred_on=TODAY,
        channel=Touchpoint.Channel.COUNCIL,
        subject="Healthy Communities Coalition, November",
    )
    assert Touchpoint.objects.filter(subject__startswith="Healthy").count() == 1
    assert last_touchpoints(coalition) == {"health": TODAY, "clinic": TODAY, "schools": TODAY}
    assert not list(quiet_partners(TODAY))
    for organization in coalition.values():
        assert timeline_subjects(organization) == [
            "Healthy Communities Coalition, November",
            "Intro call",
        ]
    # On the others' timelines it says whom it was logged with.
    page = timeline_page(coalition["clinic"], 1)
    assert page.object_list[0].logged_with == coalition["health"]
    assert timeline_page(coalition["health"], 1).object_list[0].logged_with is None
    # Its own organization is not also one of the others.
    touchpoint = Touchpoint.objects.get(subject__startswith="Healthy")
    assert set(touchpoint.other_organizations.all()) == {coalition["clinic"], coalition["schools"]}


def test_people_of_every_partner_can_be_named_but_not_strangers(coalition, librarian):
    nurse = person_at(coalition["clinic"], "Nora Nurse")
    stranger = person_at(OrganizationFactory(name="Elsewhere"), "Sam Stranger")
    touchpoint = services.touchpoint_log(
        organization=coalition["health"],
        other_organizations=[coalition["clinic"]],
        staff=librarian,
        occurred_on=TODAY,
        subject="Coalition call",
        contacts=[nurse],
    )
    assert list(touchpoint.contacts.all()) == [nurse]
    with pytest.raises(Exception, match="any of these organizations: Sam Stranger"):
        services.touchpoint_log(
            organization=coalition["health"],
            other_organizations=[coalition["clinic"]],
            staff=librarian,
            occurred_on=TODAY,
            subject="Coalition call",
            contacts=[stranger],
        )


def test_a_partner_taken_off_goes_back_to_its_own_last_touchpoint(coalition, librarian):
    touchpoint = services.touchpoint_log(
        organization=coalition["health"],
        other_organizations=[coalition["clinic"], coalition["schools"]],
        staff=librarian,
        occurred_on=TODAY,
        subject="Coalition call",
    )
    services.touchpoint_update(
        touchpoint=touchpoint, contacts=[], other_organizations=[coalition["clinic"]]
    )
    long_ago = TODAY - dt.timedelta(days=200)
    assert last_touchpoints(coalition) == {"health": TODAY, "clinic": TODAY, "schools": long_ago}
    assert timeline_subjects(coalition["schools"]) == ["Intro call"]
    # A correction that does not name the partners keeps them.
    services.touchpoint_update(touchpoint=touchpoint, contacts=[], subject="Coalition call (Nov)")
    assert list(touchpoint.other_organizations.all()) == [coalition["clinic"]]


def test_a_joint_meeting_marked_held_is_a_touchpoint_of_every_partner(coalition, librarian):
    nurse = person_at(coalition["clinic"], "Nora Nurse")
    director = person_at(coalition["health"], "Dana Director")
    meeting = Meeting.objects.create(
        organization=coalition["health"],
        title="Coalition quarterly",
        starts_at=at(1, 14, month=10),
        ends_at=at(1, 15, month=10),
    )
    meeting.other_organizations.set([coalition["clinic"], coalition["schools"]])
    meeting.contacts.set([nurse, director])
    touchpoint = services.meeting_mark_held(meeting=meeting, by=librarian, minutes="Agreed.")
    assert touchpoint is not None
    assert set(touchpoint.other_organizations.all()) == {coalition["clinic"], coalition["schools"]}
    assert set(touchpoint.contacts.all()) == {nurse, director}
    held_on = dt.date(2026, 10, 1)
    assert last_touchpoints(coalition) == {"health": held_on, "clinic": held_on, "schools": held_on}
    # On each timeline once: as the meeting and as its touchpoint, never twice.
    for organization in coalition.values():
        assert timeline_subjects(organization).count("Coalition quarterly") == 1


def test_merging_a_partner_of_a_joint_touchpoint_keeps_it_counted(coalition, librarian):
    duplicate = OrganizationFactory(name="Eastside Clinic (old)", stage=Stage.ACTIVE)
    services.touchpoint_log(
        organization=coalition["health"],
        other_organizations=[duplicate, coalition["clinic"]],
        staff=librarian,
        occurred_on=TODAY,
        subject="Coalition call",
    )
    survivor = coalition["clinic"]
    organization_merge(survivor=survivor, other=duplicate, fields={}, by=librarian)
    touchpoint = Touchpoint.objects.get(subject="Coalition call")
    assert list(touchpoint.other_organizations.all()) == [survivor]
    assert Organization.objects.get(pk=survivor.pk).last_touchpoint_on == TODAY


def test_the_new_touchpoint_page_logs_it_with_other_partners(coalition, librarian_client):
    response = librarian_client.post(
        TOUCHPOINT_NEW,
        {
            "organization_name": coalition["health"].name,
            "organization": coalition["health"].pk,
            "occurred_on": TODAY.isoformat(),
            "channel": "council",
            "subject": "Healthy Communities Coalition",
            "other_organizations": [coalition["clinic"].pk, coalition["schools"].pk],
        },
        follow=True,
    )
    assert "and 2 other partners logged" in response.content.decode()
    touchpoint = Touchpoint.objects.get(subject="Healthy Communities Coalition")
    assert touchpoint.organization == coalition["health"]
    assert touchpoint.other_organizations.count() == 2
    detail = librarian_client.get(reverse("outreach:touchpoint_detail", args=[touchpoint.pk]))
    html = detail.content.decode()
    assert "Other partners" in html
    assert "Eastside Community Clinic</a>, <a" in html and "Oak Valley Unified" in html


def test_the_partner_search_offers_matches_and_keeps_the_ticked_ones(coalition, librarian_client):
    response = librarian_client.get(
        TOUCHPOINT_NEW,
        {
            "organization": coalition["health"].pk,
            "org_q": "clinic",
            "other_organizations": [coalition["schools"].pk],
        },
        **SEARCH,
    )
    html = response.content.decode()
    schools = coalition["schools"].pk
    assert f'value="{schools}" id="id_other_organization_{schools}" checked' in html
    assert html.count("checked") == 1
    assert "Eastside Community Clinic" in html and "Tamarack" not in html


def test_editing_adds_a_partner_and_their_people(coalition, librarian_client, librarian):
    touchpoint = services.touchpoint_log(
        organization=coalition["health"], staff=librarian, occurred_on=TODAY, subject="Call"
    )
    nurse = person_at(coalition["clinic"], "Nora Nurse")
    url = reverse("outreach:touchpoint_edit", args=[touchpoint.pk])
    data = {
        "occurred_on": TODAY.isoformat(),
        "channel": "phone",
        "subject": "Call",
        "other_organizations": [coalition["clinic"].pk],
        "contacts": [nurse.pk],
    }
    # The clinic's people are offered once the clinic is among the partners.
    assert librarian_client.post(url, data).status_code == 302
    assert list(touchpoint.other_organizations.all()) == [coalition["clinic"]]
    assert list(touchpoint.contacts.all()) == [nurse]
    page = librarian_client.get(url).content.decode()
    clinic = coalition["clinic"].pk
    assert "Nora Nurse" in page and f'id="id_other_organization_{clinic}" checked' in page


def test_an_archived_organization_cannot_be_added(coalition, librarian_client, librarian):
    gone = OrganizationFactory(name="Closed Clinic", is_archived=True, archived_at=at(1, 9))
    touchpoint = services.touchpoint_log(
        organization=coalition["health"], staff=librarian, occurred_on=TODAY, subject="Call"
    )
    url = reverse("outreach:touchpoint_edit", args=[touchpoint.pk])
    data = {"occurred_on": TODAY.isoformat(), "channel": "phone", "subject": "Call"}
    response = librarian_client.post(url, {**data, "other_organizations": [gone.pk]})
    assert response.status_code == 200
    assert "can no longer be chosen" in str(response.context["form"].errors)
    assert not touchpoint.other_organizations.exists()
    response = librarian_client.post(url, {**data, "other_organizations": ["1e9", "x"]})
    assert response.status_code == 200
    assert not touchpoint.other_organizations.exists()


def test_partners_changed_in_the_admin_have_their_last_touchpoint_counted_again(
    coalition, client, admin_user
):
    touchpoint = services.touchpoint_log(
        organization=coalition["health"],
        other_organizations=[coalition["schools"]],
        staff=None,
        occurred_on=TODAY,
        subject="Coalition call",
    )
    client.force_login(admin_user)
    url = reverse("admin:outreach_touchpoint_change", args=[touchpoint.pk])
    data = {
        "organization": coalition["health"].pk,
        "other_organizations": [coalition["clinic"].pk],
        "occurred_on": TODAY.isoformat(),
        "channel": "council",
        "subject": "Coalition call",
        "conversation": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    long_ago = TODAY - dt.timedelta(days=200)
    assert last_touchpoints(coalition) == {"health": TODAY, "clinic": TODAY, "schools": long_ago}
