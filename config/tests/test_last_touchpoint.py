"""The last touchpoint stored on each organization never drifts from its touchpoints.

Organization.last_touchpoint_on is what the organization list, the board, the dashboard's quiet
partners, the portfolio report and the exports show; outreach.services.
organization_last_touchpoint_refresh keeps it. Each test here writes touchpoints one way Liaison
does — logged, corrected, moved or added in the admin, a meeting marked held, a merge, an
import, the demo data, two people at once — and after each step the stored day must be the
latest occurred_on of the organization's touchpoints (None without any), for every organization.
"""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from core.tests import races
from core.tests.forms import posted_form
from outreach import services
from outreach.models import Meeting, Touchpoint
from outreach.selectors.activity import quiet_partners
from outreach.tests.factories import MeetingFactory
from partners import merge
from partners import services as partner_services
from partners.models import Organization, Stage
from partners.tests.factories import OrganizationFactory
from transfer.tests.helpers import ORGANIZATION_HEADER, confirm, csv_bytes, upload_run

TODAY = dt.date(2026, 3, 10)


def days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def assert_no_drift() -> None:
    """Every organization's stored day is MAX(occurred_on) of its touchpoints, recomputed."""
    latest = dict(
        Touchpoint.objects.order_by()
        .values("organization")
        .annotate(day=Max("occurred_on"))
        .values_list("organization", "day")
    )
    stored = dict(Organization.objects.values_list("pk", "last_touchpoint_on"))
    assert stored == {pk: latest.get(pk) for pk in stored}


def last_touchpoint(organization: Organization) -> dt.date | None:
    return Organization.objects.values_list("last_touchpoint_on", flat=True).get(pk=organization.pk)


def log(organization: Organization, staff, day: dt.date, subject: str = "Call") -> Touchpoint:
    return services.touchpoint_log(
        organization=organization, staff=staff, occurred_on=day, subject=subject
    )


@pytest.mark.django_db
def test_logging_keeps_the_latest_day_whatever_order_the_days_come_in(
    librarian_client, librarian, county, clinic
):
    assert_no_drift()  # None for both: never touched

    url = reverse("outreach:touchpoint_create", args=[county.pk])
    data = {"occurred_on": days_ago(20).isoformat(), "channel": "phone", "subject": "First call"}
    assert librarian_client.post(url, data).status_code == 302  # to the organization's page
    assert last_touchpoint(county) == days_ago(20)
    assert last_touchpoint(clinic) is None
    assert_no_drift()

    log(county, librarian, days_ago(30), "Logged late: an older letter")
    assert last_touchpoint(county) == days_ago(20)
    assert_no_drift()

    log(county, librarian, days_ago(2), "Yesterday's visit")
    log(clinic, librarian, days_ago(9))
    assert (last_touchpoint(county), last_touchpoint(clinic)) == (days_ago(2), days_ago(9))
    assert_no_drift()


@pytest.mark.django_db
def test_correcting_the_date_of_the_latest_touchpoint_moves_the_day_back_and_forth(
    librarian_client, librarian, county
):
    log(county, librarian, days_ago(15), "Earlier call")
    latest = log(county, librarian, days_ago(3), "Typed the wrong day")
    url = reverse("outreach:touchpoint_edit", args=[latest.pk])

    response = librarian_client.post(
        url, posted_form(librarian_client.get(url), occurred_on=days_ago(40).isoformat())
    )

    assert response.status_code == 302
    assert last_touchpoint(county) == days_ago(15)
    assert_no_drift()

    services.touchpoint_update(
        touchpoint=Touchpoint.objects.get(pk=latest.pk), contacts=[], occurred_on=days_ago(1)
    )
    assert last_touchpoint(county) == days_ago(1)
    assert_no_drift()


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def admin_touchpoint_data(touchpoint: Touchpoint, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "organization": touchpoint.organization_id,
        "staff": touchpoint.staff_id or "",
        "occurred_on": touchpoint.occurred_on.isoformat(),
        "occurred_time": "",
        "channel": touchpoint.channel,
        "subject": touchpoint.subject,
        "notes": "",
        "outcome": "",
        "next_step": "",
        "meeting": "",
    }
    return data | changes


@pytest.mark.django_db
def test_moving_a_touchpoint_in_the_admin_moves_the_day_of_both_organizations(
    admin_client, librarian, county, clinic
):
    log(county, librarian, days_ago(12), "Call with the county")
    wrong = log(county, librarian, days_ago(4), "Actually the clinic's call")
    log(clinic, librarian, days_ago(8))
    url = reverse("admin:outreach_touchpoint_change", args=[wrong.pk])

    response = admin_client.post(url, admin_touchpoint_data(wrong, organization=clinic.pk))

    assert response.status_code == 302, response.content.decode()[:3000]
    assert (last_touchpoint(county), last_touchpoint(clinic)) == (days_ago(12), days_ago(4))
    assert_no_drift()

    added = admin_touchpoint_data(wrong, organization=county.pk, occurred_on=days_ago(1))
    response = admin_client.post(reverse("admin:outreach_touchpoint_add"), added)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert last_touchpoint(county) == days_ago(1)
    assert_no_drift()


@pytest.mark.django_db
def test_a_meeting_marked_held_is_the_organizations_latest_touchpoint(librarian, county):
    log(county, librarian, days_ago(30))
    starts = timezone.make_aware(dt.datetime.combine(days_ago(1), dt.time(14)))
    meeting = MeetingFactory(
        organization=county, starts_at=starts, ends_at=starts + dt.timedelta(hours=1)
    )

    services.meeting_mark_held(meeting=meeting, by=librarian, minutes="Agreed on a date.")

    assert last_touchpoint(county) == days_ago(1)
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.HELD
    assert_no_drift()


@pytest.mark.django_db
@pytest.mark.parametrize("latest_at", ["survivor", "other"])
def test_merging_gives_the_survivor_the_latest_day_of_both(manager, librarian, latest_at):
    survivor = OrganizationFactory(name="Riverside County Health Dept")
    other = OrganizationFactory(name="Riverside County Health Department")
    log(survivor, librarian, days_ago(5 if latest_at == "survivor" else 50))
    log(other, librarian, days_ago(5 if latest_at == "other" else 50))
    bystander = OrganizationFactory(name="Eastside Community Clinic")
    log(bystander, librarian, days_ago(7))

    merge.organization_merge(survivor=survivor, other=other, fields={}, by=manager)

    assert not Organization.objects.filter(pk=other.pk).exists()
    assert survivor.last_touchpoint_on == days_ago(5)  # the caller's copy is brought up to date
    assert (last_touchpoint(survivor), last_touchpoint(bystander)) == (days_ago(5), days_ago(7))
    assert_no_drift()


@pytest.mark.django_db
def test_an_import_updating_organizations_keeps_their_last_touchpoint(
    manager_client, librarian, media_root
):
    partner = OrganizationFactory(name="Partner Organization 0", stage=Stage.CONTACTED)
    log(partner, librarian, days_ago(6))
    rows = [
        ["Partner Organization 0", "Nonprofit", "Active partner", "https://p0.example.org", "", ""],
        ["Partner Organization 1", "Nonprofit", "Contacted", "", "", ""],
    ]
    run = upload_run(manager_client, csv_bytes([ORGANIZATION_HEADER, *rows]))

    response = confirm(manager_client, run, update=True)

    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.stage, partner.website) == (Stage.ACTIVE, "https://p0.example.org")
    assert partner.last_touchpoint_on == days_ago(6)
    assert Organization.objects.get(name="Partner Organization 1").last_touchpoint_on is None
    assert_no_drift()


@pytest.mark.django_db
def test_the_demo_data_comes_with_every_organizations_last_touchpoint(settings):
    settings.DEBUG = True  # seed_demo refuses otherwise

    call_command("seed_demo", stdout=StringIO())

    assert Organization.objects.filter(last_touchpoint_on__isnull=False).count() > 10
    assert_no_drift()


@pytest.mark.django_db
def test_a_touchpoint_is_no_edit_of_the_organization(librarian_client, librarian, county):
    """No history row and no `updated_at` per touchpoint; an edit form opened before the
    touchpoint saves without a conflict; saving a copy read before it keeps the new day."""
    url = reverse("partners:organization_edit", args=[county.pk])
    opened = librarian_client.get(url)
    stale_copy = Organization.objects.get(pk=county.pk)
    history, updated_at = county.history.count(), county.updated_at

    log(county, librarian, days_ago(1))

    fresh = Organization.objects.get(pk=county.pk)
    assert (fresh.history.count(), fresh.updated_at) == (history, updated_at)
    response = librarian_client.post(url, posted_form(opened, phone="555-010-2030"))
    assert response.status_code == 302, response.context["form"].conflict
    assert Organization.objects.get(pk=county.pk).phone == "555-010-2030"
    partner_services.organization_update(organization=stale_copy, by=librarian, email="a@b.org")
    partner_services.stage_change(organization=stale_copy, to_stage=Stage.CONTACTED, by=librarian)
    fresh = Organization.objects.get(pk=county.pk)
    assert (fresh.email, fresh.stage) == ("a@b.org", Stage.CONTACTED)
    assert fresh.last_touchpoint_on == days_ago(1)
    assert_no_drift()


@pytest.mark.django_db
def test_readers_use_the_stored_day_not_a_touchpoint_subquery(librarian, county):
    log(county, librarian, days_ago(60))
    quiet = quiet_partners(TODAY)
    narrowed = Organization.objects.only("name").with_last_touchpoint()

    assert "outreach_touchpoint" not in str(quiet.query)
    assert "outreach_touchpoint" not in str(Organization.objects.for_list().query)
    assert "outreach_touchpoint" not in str(narrowed.query)
    assert [o.last_touchpoint_on for o in narrowed] == [days_ago(60)]
    assert "last_touchpoint_on" not in narrowed[0].get_deferred_fields()


@pytest.mark.django_db(transaction=True)
@races.needs_row_locks
def test_touchpoints_logged_at_the_same_moment_leave_the_latest_day(monkeypatch, librarian):
    """The first writer stores its day and holds on before committing; the second, with an
    earlier day, stores meanwhile. The second must wait and count the first's touchpoint: an
    UPDATE that only waited for the row would compute from before it, and keep the earlier day.
    """
    county = OrganizationFactory(name="Riverside County Health Department")
    refresh = "organization_last_touchpoint_refresh"
    races.widen(monkeypatch, services, refresh, seconds=0.4, after=True, only=0)
    races.widen(monkeypatch, services, refresh, seconds=0.1, only=1)

    outcomes = races.race(
        lambda: log(county, librarian, days_ago(2), "The latest call"),
        lambda: log(county, librarian, days_ago(9), "An older letter, logged now"),
    )

    assert all(outcome.ok for outcome in outcomes), outcomes
    assert last_touchpoint(county) == days_ago(2)
    assert_no_drift()
