"""The pages of partnership health: those that need care and why, a partner's health section,
the cadences per stage, the health report; and the lists and the board filtered by health."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from health.models import StageCadence, WeeklyHealth
from health.services import health_refresh
from outreach.tests.factories import TouchpointFactory
from partners.models import Cadence, Health, Organization, Stage
from partners.tests.factories import AffiliationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 18, 20, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 18)
LONG_AGO = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def partner(name: str, *, days_quiet: int, owner=None, **fields) -> Organization:
    fields.setdefault("stage", Stage.ACTIVE)
    organization = OrganizationFactory(name=name, stage_changed_at=LONG_AGO, owner=owner, **fields)
    AffiliationFactory(organization=organization, is_primary=True, contact__name="Maya Lee")
    TouchpointFactory(organization=organization, occurred_on=TODAY - dt.timedelta(days=days_quiet))
    return organization


@pytest.fixture
def portfolio(librarian):
    """At risk, needing attention, healthy, and one not assessed (dormant)."""
    made = {
        "at_risk": partner("Harlow Springs Alliance", days_quiet=100, owner=librarian),
        "attention": partner("Cedar Bend Food Bank", days_quiet=50),
        "healthy": partner("Riverside Clinic", days_quiet=3),
        "dormant": partner("Old Friend", days_quiet=300, stage=Stage.DORMANT),
    }
    health_refresh()
    return made


def test_the_health_page_shows_those_that_need_care_and_why(librarian_client, portfolio):
    response = librarian_client.get(reverse("health:overview"))

    page = response.content.decode()
    assert response.status_code == 200
    assert [o.name for o in response.context["page"]] == [
        "Harlow Springs Alliance",
        "Cedar Bend Food Bank",
    ]
    assert response.context["counts"] == {"healthy": 1, "attention": 1, "at_risk": 1}
    assert "No two-way contact in 14 weeks (cadence every 6 weeks)" in page
    assert "(weight 3)" in page
    assert "Call or meet Maya Lee" in page
    assert "Riverside Clinic" not in page
    # Librarians see no managers' links.
    assert reverse("health:cadences") not in page


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("level=all", ["Harlow Springs Alliance", "Cedar Bend Food Bank", "Riverside Clinic"]),
        ("level=healthy", ["Riverside Clinic"]),
        ("level=at_risk", ["Harlow Springs Alliance"]),
        ("level=nonsense", ["Harlow Springs Alliance", "Cedar Bend Food Bank"]),
    ],
)
def test_the_health_page_filters_by_level(librarian_client, portfolio, query, names):
    response = librarian_client.get(reverse("health:overview") + "?" + query)

    assert [o.name for o in response.context["page"]] == names


def test_the_health_page_filters_by_owner(librarian_client, librarian, portfolio):
    response = librarian_client.get(reverse("health:overview") + f"?owner={librarian.pk}")

    assert [o.name for o in response.context["page"]] == ["Harlow Springs Alliance"]
    assert response.context["counts"] == {"healthy": 0, "attention": 0, "at_risk": 1}


def test_the_health_page_escapes_what_it_shows(librarian_client):
    partner("<script>alert(1)</script>", days_quiet=100)
    health_refresh()

    page = librarian_client.get(reverse("health:overview")).content.decode()

    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("extra", [0, 20], ids=["few", "many"])
def test_the_health_page_runs_a_fixed_number_of_queries(
    librarian_client, portfolio, extra, django_assert_num_queries
):
    for n in range(extra):
        partner(f"Partner {n:02}", days_quiet=60 + n)
    health_refresh()
    # Session, user, roles; the counts per level; the page's count and rows.
    with django_assert_num_queries(5):
        response = librarian_client.get(reverse("health:overview"))
    assert len(response.context["page"].object_list) == 2 + extra


def test_a_partners_page_shows_its_health_with_the_reasons(librarian_client, portfolio):
    at_risk = portfolio["at_risk"]
    WeeklyHealth.objects.create(
        organization=at_risk, week=dt.date(2026, 3, 9), level=Health.ATTENTION
    )

    response = librarian_client.get(
        reverse("panel", args=["organization", "organization-health"]) + f"?of={at_risk.pk}"
    )

    page = response.content.decode()
    assert "At risk" in page
    assert "No two-way contact in 14 weeks (cadence every 6 weeks)" in page
    assert "Next step:</strong> Call or meet Maya Lee" in page
    assert "Every 6 weeks (the default for active partner)" in page
    assert "Mar 9" in page and "Needs attention" in page  # the weeks recorded


def test_a_partner_not_assessed_says_when_health_is(librarian_client, portfolio):
    dormant = portfolio["dormant"]

    page = librarian_client.get(
        reverse("panel", args=["organization", "organization-health"]) + f"?of={dormant.pk}"
    ).content.decode()

    assert "Assessed for partnerships in discussion or active partner." in page
    assert "Every 6 months (the default for dormant)" in page


def test_a_cadence_agreed_with_the_partner_is_set_on_its_edit_form(librarian_client, portfolio):
    quiet = portfolio["attention"]  # 50 days quiet: past six weeks, within two months
    form = librarian_client.get(reverse("partners:organization_edit", args=[quiet.pk]))
    data = {
        name: value
        for name, value in form.context["form"].initial.items()
        if value is not None and name != "focus_areas"
    }
    data |= {"version": form.context["form"]["version"].value()}
    data |= {"cadence_days": str(Cadence.TWO_MONTHS), "cadence_note": "as agreed with Maya"}

    response = librarian_client.post(reverse("partners:organization_edit", args=[quiet.pk]), data)

    assert response.status_code == 302, response.context["form"].errors
    quiet.refresh_from_db()
    assert (quiet.cadence_days, quiet.cadence_note) == (61, "as agreed with Maya")
    page = librarian_client.get(
        reverse("panel", args=["organization", "organization-health"]) + f"?of={quiet.pk}"
    ).content.decode()
    assert "Every 2 months, as agreed with Maya" in page
    assert "Nothing needs care" in page
    # In its change history, like any edit.
    assert quiet.history.first().cadence_days == 61


def test_managers_set_the_cadences_per_stage(
    manager_client, portfolio, django_capture_on_commit_callbacks, monkeypatch
):
    from health import tasks

    queued = []
    monkeypatch.setattr(tasks.refresh, "delay", lambda: queued.append(tasks.refresh()))
    form = manager_client.get(reverse("health:cadences"))
    assert form.status_code == 200
    assert form.context["form"]["active"].value() == 42

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("health:cadences"),
            {"contacted": 14, "in_discussion": 21, "active": 91, "dormant": 182},
        )

    assert response.status_code == 302
    assert StageCadence.objects.get(stage=Stage.ACTIVE).days == 91
    # Every partnership's health again, in the task runner: 50 days is within a quarter.
    assert len(queued) == 1
    assert Organization.objects.get(pk=portfolio["attention"].pk).health == Health.HEALTHY


@pytest.mark.parametrize("bad", ["5", "abc", ""])
def test_a_cadence_not_offered_is_refused_next_to_its_field(manager_client, bad):
    response = manager_client.post(
        reverse("health:cadences"),
        {"contacted": 14, "in_discussion": 21, "active": bad, "dormant": 182},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["active"]
    assert not StageCadence.objects.exists()


def test_the_organization_list_and_the_board_filter_by_health(librarian_client, portfolio):
    listed = librarian_client.get(reverse("partners:organization_list") + "?health=at_risk")
    page = listed.content.decode()
    assert [o.name for o in listed.context["page"]] == ["Harlow Springs Alliance"]
    assert 'health-badge health-at_risk">At risk</span>' in page

    board = librarian_client.get(reverse("partners:board") + "?health=attention").content.decode()
    assert "Cedar Bend Food Bank" in board
    assert "Harlow Springs Alliance" not in board
    assert "<dt>Health</dt>" in board


def test_managers_are_led_to_the_last_12_months_of_health_and_the_cadences(manager_client):
    page = manager_client.get(reverse("health:overview")).content.decode()

    assert f"{reverse('reports:health')}?start=2025-04-01&amp;end=2026-03-18" in page
    assert reverse("health:cadences") in page
