"""Logging touchpoints, the organization timeline, follow-ups and the dashboard."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.tests.clock import frozen_clock
from core.tests.factories import UserFactory
from outreach import services
from outreach.models import FollowUp, Meeting, Touchpoint
from partners import services as partner_services
from partners.models import Stage
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 18)  # a Wednesday

clock = frozen_clock(dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC))


@pytest.fixture
def clinic(librarian):
    organization = OrganizationFactory(name="Eastside Community Clinic", owner=librarian)
    AffiliationFactory(organization=organization, contact=ContactFactory(name="Dana Whitfield"))
    return organization


def log_url(organization) -> str:
    return reverse("outreach:touchpoint_create", args=[organization.pk])


def touchpoint_data(**overrides) -> dict:
    data = {"occurred_on": TODAY.isoformat(), "channel": "phone", "subject": "Called Dana"}
    data.update(overrides)
    return data


def test_logging_a_touchpoint_with_a_follow_up_in_a_week(librarian_client, librarian, clinic):
    dana = clinic.affiliations.get().contact
    response = librarian_client.post(
        log_url(clinic), touchpoint_data(contacts=[dana.pk], follow_up="7", notes="Wants a fair")
    )
    assert response.status_code == 302 and response.url == clinic.get_absolute_url()
    touchpoint = Touchpoint.objects.get()
    assert (touchpoint.staff, list(touchpoint.contacts.all())) == (librarian, [dana])
    followup = FollowUp.objects.get()
    assert followup.due_on == TODAY + dt.timedelta(days=7)
    assert (followup.assignee, followup.touchpoint, followup.title) == (
        librarian,
        touchpoint,
        "Follow up: Called Dana",
    )


def test_a_follow_up_is_created_only_when_asked(librarian_client, clinic):
    librarian_client.post(log_url(clinic), touchpoint_data())
    assert Touchpoint.objects.count() == 1 and FollowUp.objects.count() == 0
    librarian_client.post(
        log_url(clinic), touchpoint_data(follow_up="date", follow_up_on="2026-12-01")
    )
    assert FollowUp.objects.get().due_on == dt.date(2026, 12, 1)


def test_contacts_of_another_organization_are_rejected(librarian_client, clinic):
    stranger = AffiliationFactory(organization=OrganizationFactory()).contact
    response = librarian_client.post(log_url(clinic), touchpoint_data(contacts=[stranger.pk]))
    assert response.status_code == 200
    assert "contacts" in response.context["form"].errors
    assert Touchpoint.objects.count() == 0


def test_the_service_also_refuses_a_stranger(librarian, clinic):
    stranger = AffiliationFactory(organization=OrganizationFactory()).contact
    with pytest.raises(Exception, match="Not affiliated"):
        services.touchpoint_log(
            organization=clinic,
            staff=librarian,
            occurred_on=TODAY,
            subject="x",
            contacts=[stranger],
        )
    assert Touchpoint.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (touchpoint_data(occurred_on="2026-11-25"), "occurred_on", "something that happened"),
        (touchpoint_data(occurred_on="18/11/2026"), "occurred_on", "Enter a valid date"),
        (touchpoint_data(occurred_on="1850-01-01"), "occurred_on", "after 1990"),
        (touchpoint_data(occurred_on=""), "occurred_on", "required"),
        (touchpoint_data(follow_up="date"), "follow_up_on", "Pick the day"),
        (
            touchpoint_data(follow_up="date", follow_up_on="2026-11-01"),
            "follow_up_on",
            "today or a later day",
        ),
        (touchpoint_data(follow_up="365000"), "follow_up", "valid choice"),
        (touchpoint_data(occurred_time="25:99"), "occurred_time", "Enter a valid time"),
        (touchpoint_data(subject=""), "subject", "required"),
        (touchpoint_data(subject="x" * 10_000), "subject", "at most 200"),
    ],
)
def test_bad_dates_and_input_are_rejected_with_a_message(
    librarian_client, clinic, data, field, message
):
    response = librarian_client.post(log_url(clinic), data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert Touchpoint.objects.count() == 0 and FollowUp.objects.count() == 0


def test_htmx_log_answers_with_the_new_entry_and_a_fresh_form(librarian_client, clinic):
    response = librarian_client.post(
        log_url(clinic),
        touchpoint_data(subject="<b>Bold</b> call", follow_up="7"),
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="timeline-entry timeline-touchpoint"' in content
    assert "timeline-followup_created" in content
    assert 'id="quick-log" class="card mb-4" hx-swap-oob="true"' in content
    assert "&lt;b&gt;Bold&lt;/b&gt; call" in content and "<b>Bold</b>" not in content


def test_htmx_log_with_errors_replaces_the_form_only(librarian_client, clinic):
    response = librarian_client.post(
        log_url(clinic), touchpoint_data(subject=""), headers={"HX-Request": "true"}
    )
    assert response["HX-Retarget"] == "#quick-log"
    assert "This field is required" in response.content.decode()
    assert Touchpoint.objects.count() == 0


def test_timeline_shows_every_kind_newest_first(librarian_client, librarian, clinic, clock):
    clock.shift(60)
    partner_services.stage_change(organization=clinic, to_stage=Stage.CONTACTED, by=librarian)
    clock.shift(60)
    touchpoint = services.touchpoint_log(
        organization=clinic,
        staff=librarian,
        occurred_on=TODAY - dt.timedelta(days=1),
        subject="Emailed the director",
    )
    followup = services.followup_create(
        organization=clinic,
        assignee=librarian,
        created_by=librarian,
        due_on=TODAY,
        title="Send the flyer",
    )
    clock.shift(60)
    services.followup_complete(followup=followup, by=librarian)
    other = OrganizationFactory(name="Parks Department")
    meeting = services.meeting_save(
        meeting=Meeting(
            organization=other,
            title="Joint summer reading",
            starts_at=timezone.now() + dt.timedelta(days=3),
            ends_at=timezone.now() + dt.timedelta(days=3, hours=1),
        ),
        by=librarian,
        other_organizations=[clinic],
    )
    response = librarian_client.get(clinic.get_absolute_url())
    page = response.context["timeline"]
    kinds = [(entry.kind, entry.item) for entry in page.object_list]
    assert kinds[0] == ("meeting", meeting)  # a joint meeting shows for every partner in it
    # Both the follow-up's entries lead to its page.
    link = f'<a href="{reverse("outreach:followup_detail", args=[followup.pk])}">Send the flyer</a>'
    assert response.content.decode().count(link) == 2
    assert [k for k, _ in kinds[1:4]] == ["followup_done", "followup_created", "stage_change"]
    # Created today, so "added" comes before the call logged for yesterday.
    assert [k for k, _ in kinds[4:]] == ["stage_change", "touchpoint"]
    assert kinds[-1] == ("touchpoint", touchpoint)


def test_timeline_pages_20_at_a_time(librarian_client, librarian, clinic):
    for i in range(25):
        services.touchpoint_log(
            organization=clinic,
            staff=librarian,
            occurred_on=TODAY - dt.timedelta(days=i),
            subject=f"Call {i}",
        )
    first = librarian_client.get(clinic.get_absolute_url())
    assert len(first.context["timeline"].object_list) == 20
    more = librarian_client.get(reverse("outreach:timeline", args=[clinic.pk]), {"page": 2})
    assert more.content.decode().count("timeline-entry ") == 6  # 5 calls + "added"
    assert librarian_client.get(clinic.get_absolute_url() + "?timeline=2").status_code == 200


def test_organization_list_shows_last_touchpoint_and_next_follow_up(librarian_client, librarian):
    quiet = OrganizationFactory(name="Quiet Library Friends")
    busy = OrganizationFactory(name="Busy Food Bank")
    services.touchpoint_log(
        organization=busy,
        staff=librarian,
        occurred_on=TODAY - dt.timedelta(days=12),
        subject="Visit",
        follow_up_on=TODAY + dt.timedelta(days=3),
    )
    services.touchpoint_log(
        organization=busy,
        staff=librarian,
        occurred_on=TODAY - dt.timedelta(days=40),
        subject="Old visit",
    )
    url = reverse("partners:organization_list")
    response = librarian_client.get(url)
    rows = {o.name: o for o in response.context["page"].object_list}
    assert rows["Busy Food Bank"].last_touchpoint_on == TODAY - dt.timedelta(days=12)
    assert rows["Busy Food Bank"].next_followup_on == TODAY + dt.timedelta(days=3)
    assert rows["Quiet Library Friends"].last_touchpoint_on is None
    content = response.content.decode()
    assert "12 days ago" in content
    assert ">Last touchpoint" in content and "sort=last_touchpoint" in content
    assert ">Next follow-up" in content and "sort=next_followup" in content
    quiet_first = librarian_client.get(url, {"sort": "last_touchpoint"}).context["page"]
    assert [o.name for o in quiet_first.object_list] == [quiet.name, busy.name]
    soonest = librarian_client.get(url, {"sort": "next_followup"}).context["page"]
    assert [o.name for o in soonest.object_list] == [busy.name, quiet.name]


@pytest.fixture
def due_list(librarian):
    organization = OrganizationFactory(name="County Health")

    def make(days: int, title: str, assignee=None) -> FollowUp:
        return services.followup_create(
            organization=organization,
            assignee=assignee or librarian,
            created_by=librarian,
            due_on=TODAY + dt.timedelta(days=days),
            title=title,
        )

    return make


def test_my_follow_ups_are_grouped_overdue_today_this_week_later(librarian_client, due_list):
    due_list(-3, "Overdue call")
    due_list(0, "Today's email")
    due_list(7, "Next Wednesday")  # a rolling week: a week from today is still this week
    due_list(8, "Next Thursday")
    groups = librarian_client.get(reverse("outreach:followup_list")).context["groups"]
    assert [f.title for f in groups.overdue] == ["Overdue call"]
    assert [f.title for f in groups.today] == ["Today's email"]
    assert [f.title for f in groups.this_week] == ["Next Wednesday"]
    assert [f.title for f in groups.later] == ["Next Thursday"]


def test_mark_done_in_one_click_from_the_dashboard(librarian_client, librarian, due_list):
    followup = due_list(-1, "Call back")
    response = librarian_client.post(
        reverse("outreach:followup_done", args=[followup.pk]),
        {"next": "/"},
        headers={"HX-Request": "true"},
    )
    assert "Done" in response.content.decode()
    followup.refresh_from_db()
    assert followup.status == "done" and followup.completed_by == librarian
    # A second click (another tab) changes nothing.
    completed_at = followup.completed_at
    librarian_client.post(reverse("outreach:followup_done", args=[followup.pk]))
    followup.refresh_from_db()
    assert followup.completed_at == completed_at


@pytest.mark.parametrize(
    ("data", "due"),
    [
        ({"days": "1"}, TODAY + dt.timedelta(days=1)),
        ({"days": "7"}, TODAY + dt.timedelta(days=7)),
        ({"until": "2026-12-24"}, dt.date(2026, 12, 24)),
    ],
)
def test_snooze(librarian_client, due_list, data, due):
    followup = due_list(0, "Send minutes")
    response = librarian_client.post(
        reverse("outreach:followup_snooze", args=[followup.pk]), {**data, "next": "/"}
    )
    assert response.status_code == 302 and response.url == "/"
    followup.refresh_from_db()
    assert followup.due_on == due


@pytest.mark.parametrize("data", [{"until": "2026-01-01"}, {"until": "nonsense"}, {}])
def test_snooze_refuses_bad_days(librarian_client, due_list, data):
    followup = due_list(0, "Send minutes")
    response = librarian_client.post(
        reverse("outreach:followup_snooze", args=[followup.pk]),
        data,
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    followup.refresh_from_db()
    assert followup.due_on == TODAY


def test_snooze_puts_a_later_follow_up_off_never_forward(librarian_client, due_list):
    followup = due_list(20, "Send the annual report")
    librarian_client.post(reverse("outreach:followup_snooze", args=[followup.pk]), {"days": "1"})
    followup.refresh_from_db()
    assert followup.due_on == TODAY + dt.timedelta(days=21)
    overdue = due_list(-3, "Call back")
    librarian_client.post(reverse("outreach:followup_snooze", args=[overdue.pk]), {"days": "7"})
    overdue.refresh_from_db()
    assert overdue.due_on == TODAY + dt.timedelta(days=7)


def test_next_never_redirects_off_site(librarian_client, due_list):
    followup = due_list(0, "Call")
    response = librarian_client.post(
        reverse("outreach:followup_done", args=[followup.pk]), {"next": "https://evil.example"}
    )
    assert response.url == reverse("outreach:followup_list")


def test_librarians_act_on_their_own_follow_ups_only(librarian_client, due_list):
    someone_else = UserFactory(username="bob")
    followup = due_list(0, "Bob's call", assignee=someone_else)
    for name in ("followup_done", "followup_snooze", "followup_cancel", "followup_reassign"):
        response = librarian_client.post(
            reverse(f"outreach:{name}", args=[followup.pk]), {"days": "1"}
        )
        assert response.status_code == 403, name
    followup.refresh_from_db()
    assert followup.status == "open" and followup.due_on == TODAY


def test_one_click_actions_are_offered_only_to_the_assignee_or_a_manager(
    client, librarian, manager, due_list
):
    bob = UserFactory(username="bob")
    theirs = due_list(0, "Call the clinic for Bob", assignee=bob)
    mine = due_list(0, "Call the clinic")
    page = theirs.organization.get_absolute_url()
    client.force_login(librarian)
    html = client.get(page).content.decode()
    assert "Call the clinic for Bob" in html
    assert reverse("outreach:followup_done", args=[theirs.pk]) not in html
    assert reverse("outreach:followup_snooze", args=[theirs.pk]) not in html
    assert reverse("outreach:followup_done", args=[mine.pk]) in html
    client.force_login(manager)
    html = client.get(page).content.decode()
    assert reverse("outreach:followup_done", args=[theirs.pk]) in html


def test_managers_see_everyones_follow_ups_and_reassign(client, manager, librarian, due_list):
    followup = due_list(-2, "Overdue for Alice")
    client.force_login(manager)
    mine = client.get(reverse("outreach:followup_list"))
    assert mine.context["page"].paginator.count == 0
    everyone = client.get(reverse("outreach:followup_list"), {"assignee": "all"})
    assert [f.title for f in everyone.context["page"].object_list] == ["Overdue for Alice"]
    response = client.post(
        reverse("outreach:followup_reassign", args=[followup.pk]), {"assignee": manager.pk}
    )
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.assignee == manager


def test_add_a_follow_up_from_the_organization_page(librarian_client, librarian, clinic):
    url = reverse("outreach:followup_create", args=[clinic.pk])
    bad = librarian_client.post(
        url, {"title": "Call", "due_on": "2026-01-01", "assignee": librarian.pk}
    )
    assert "due_on" in bad.context["form"].errors and FollowUp.objects.count() == 0
    response = librarian_client.post(
        url, {"title": "Send the MOU draft", "due_on": "2026-11-30", "assignee": librarian.pk}
    )
    assert response.status_code == 302
    assert FollowUp.objects.get().organization == clinic


def test_librarian_dashboard(librarian_client, librarian, clinic, due_list):
    due_list(-1, "Overdue thing")
    due_list(2, "Friday thing")
    due_list(20, "Next month thing")
    OrganizationFactory(name="Long Quiet Partner", owner=librarian, stage=Stage.ACTIVE)
    OrganizationFactory(name="Prospect", owner=librarian, stage=Stage.RESEARCHING)  # not quiet
    partner_services.stage_change(organization=clinic, to_stage=Stage.CONTACTED, by=librarian)
    fresh = OrganizationFactory(name="Fresh Partner", owner=librarian, stage=Stage.ACTIVE)
    services.touchpoint_log(organization=fresh, staff=librarian, occurred_on=TODAY, subject="Hello")
    services.meeting_save(
        meeting=Meeting(
            organization=clinic,
            title="Planning the health fair",
            starts_at=timezone.now() + dt.timedelta(days=1),
            ends_at=timezone.now() + dt.timedelta(days=1, hours=1),
        ),
        by=librarian,
        staff=[librarian],
    )
    context = librarian_client.get(reverse("home")).context
    assert [f.title for f in context["followups"].overdue] == ["Overdue thing"]
    assert [f.title for f in context["followups"].this_week] == ["Friday thing"]
    assert context["followup_total"] == 3
    assert [m.title for m in context["meetings"]] == ["Planning the health fair"]
    assert {o.name for o in context["quiet_partners"]} == {
        "Eastside Community Clinic",
        "Long Quiet Partner",
    }
    assert [t.subject for t in context["recent_touchpoints"]] == ["Hello"]
    assert "team_overdue" not in context


def test_manager_dashboard_adds_the_team(client, manager, librarian, due_list):
    due_list(-8, "Very late")
    due_list(-1, "Late")
    services.touchpoint_log(
        organization=OrganizationFactory(), staff=librarian, occurred_on=TODAY, subject="x"
    )
    client.force_login(manager)
    # The team's tables come after the page (deferred panels).
    panel = reverse("panel", args=["dashboard", "team-overdue"])
    context = client.get(panel, HTTP_HX_REQUEST="true").context
    assert [(r["assignee"], r["overdue"]) for r in context["team_overdue"]] == [(librarian.pk, 2)]
    panel = reverse("panel", args=["dashboard", "team-touchpoints"])
    context = client.get(panel, HTTP_HX_REQUEST="true").context
    assert [(r["staff"], r["touchpoints"]) for r in context["team_touchpoints"]] == [
        (librarian.pk, 1)
    ]


def test_contact_page_lists_their_touchpoints_and_meetings(librarian_client, librarian, clinic):
    dana = clinic.affiliations.get().contact
    services.touchpoint_log(
        organization=clinic,
        staff=librarian,
        occurred_on=TODAY,
        subject="Coffee with Dana",
        contacts=[dana],
    )
    services.meeting_save(
        meeting=Meeting(
            organization=clinic,
            title="Fair planning",
            starts_at=timezone.now(),
            ends_at=timezone.now() + dt.timedelta(hours=1),
        ),
        by=librarian,
        contacts=[dana],
    )
    content = librarian_client.get(dana.get_absolute_url()).content.decode()
    assert "Coffee with Dana" in content and "Fair planning" in content
