"""Scheduling meetings, editing them, marking them held or cancelled, the page and .ics file."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse

from core.tests.clock import frozen_clock
from outreach.models import Meeting, Touchpoint
from outreach.tests.factories import MeetingFactory
from outreach.tests.helpers import (
    MEETING_CALENDAR,
    MEETING_LIST,
    at,
    ical_time,
    meeting_create_url,
    meeting_data,
    meeting_held_url,
    person_at,
)
from partners import services as partner_services
from partners.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC

clock = frozen_clock()


# Scheduling


def test_the_form_offers_the_organizations_contacts_and_the_staff(
    librarian_client, librarian, manager, county
):
    ana = person_at(county, "Ana Ruiz")
    past = person_at(county, "Ben Ortiz")
    partner_services.affiliation_end(
        affiliation=past.affiliations.get(), end_date=dt.date(2026, 1, 1)
    )
    person_at(OrganizationFactory(name="Eastside Clinic"), "Carla Stranger")
    response = librarian_client.get(meeting_create_url(county))
    form = response.context["form"]
    assert list(form.fields["contacts"].queryset) == [ana, past]
    assert set(form.fields["staff"].queryset) == {librarian, manager}
    assert form["staff"].value() == [librarian.pk]  # the person scheduling, by default
    html = response.content.decode()
    assert 'type="date"' in html and 'type="time"' in html
    assert "Carla Stranger" not in html
    assert "<select" not in html  # no list of every organization


def test_a_meeting_is_scheduled_with_its_attendees(librarian_client, librarian, manager, county):
    ana = person_at(county, "Ana Ruiz")
    response = librarian_client.post(
        meeting_create_url(county),
        meeting_data(contacts=[ana.pk], staff=[librarian.pk, manager.pk]),
        follow=True,
    )
    meeting = Meeting.objects.get()
    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    assert "“Health fair planning” was scheduled." in response.content.decode()
    assert meeting.organization == county
    assert meeting.starts_at == dt.datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    assert meeting.ends_at == dt.datetime(2026, 11, 20, 16, 30, tzinfo=UTC)
    assert meeting.status == Meeting.Status.SCHEDULED
    assert meeting.created_by == librarian
    assert list(meeting.contacts.all()) == [ana]
    assert set(meeting.staff.all()) == {librarian, manager}


@pytest.mark.parametrize(("start", "end"), [("11:00", "10:00"), ("10:00", "10:00")])
def test_an_end_before_the_start_is_refused_and_nothing_is_saved(
    librarian_client, county, start, end
):
    response = librarian_client.post(
        meeting_create_url(county), meeting_data(start_time=start, end_time=end)
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "end_time": ["The meeting must end after it starts."]
    }
    assert "The meeting must end after it starts." in response.content.decode()
    assert not Meeting.objects.exists()


def test_required_fields_and_a_bad_date_are_reported_next_to_them(librarian_client, county):
    response = librarian_client.post(
        meeting_create_url(county), {"title": " ", "date": "1066-10-14", "start_time": "noon"}
    )
    errors = response.context["form"].errors
    assert set(errors) == {"title", "date", "start_time", "end_time"}
    response = librarian_client.post(meeting_create_url(county), meeting_data(date="9999-12-31"))
    assert "Pick a day between 1990 and 2100." in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "tampered",
    [
        {"contacts": ["99999999999999999999"]},
        {"staff": ["x"]},
        {"other_organizations": ["99999999999999999999", "-1"]},
        {"date": "2026-02-30"},
        {"start_time": "25:00"},
        {"video_link": "javascript:alert(1)"},
        {"title": "x" * 201},
    ],
)
def test_tampered_values_are_form_errors_never_a_crash(librarian_client, county, tampered):
    response = librarian_client.post(meeting_create_url(county), meeting_data(**tampered))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == set(tampered)
    assert not Meeting.objects.exists()


def test_tampered_partner_search_is_harmless(librarian_client, county):
    response = librarian_client.get(
        meeting_create_url(county),
        {"org_q": "x" * 5000, "other_organizations": ["99999999999999999999", "abc", "-1"]},
        headers={"HX-Request": "true", "HX-Target": "other-organizations"},
    )
    assert response.status_code == 200
    assert response.context["chosen"] == [] and response.context["matches"] == []


@pytest.mark.parametrize("county_has_contacts", [True, False])
def test_a_contact_of_another_organization_is_refused(
    librarian_client, county, county_has_contacts
):
    if county_has_contacts:
        person_at(county, "Ana Ruiz")
    stranger = person_at(OrganizationFactory(name="Eastside Clinic"), "Carla Stranger")
    response = librarian_client.post(
        meeting_create_url(county), meeting_data(contacts=[stranger.pk])
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["contacts"]
    assert "is not a contact of this organization" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_multi_partner_meeting_is_saved_with_the_other_organizations(librarian_client, county):
    clinic = OrganizationFactory(name="Eastside Community Clinic")
    schools = OrganizationFactory(name="Oak Valley Unified School District")
    response = librarian_client.post(
        meeting_create_url(county),
        meeting_data(other_organizations=[clinic.pk, schools.pk, county.pk]),
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.organization == county
    assert set(meeting.other_organizations.all()) == {clinic, schools}
    # Once they are at the meeting, their people can be listed as attendees too.
    maria = person_at(clinic, "María Delgado")
    edit = reverse("outreach:meeting_edit", args=[meeting.pk])
    form = librarian_client.get(edit).context["form"]
    assert maria in form.fields["contacts"].queryset
    response = librarian_client.post(
        edit,
        meeting_data(other_organizations=[clinic.pk, schools.pk], contacts=[maria.pk]),
    )
    assert response.status_code == 302
    assert list(meeting.contacts.all()) == [maria]


def test_archived_or_unknown_organizations_cannot_be_added(librarian_client, county):
    archived = OrganizationFactory(name="Old Reading Club")
    partner_services.organization_archive(organization=archived)
    for value in (archived.pk, 999_999, "abc"):
        response = librarian_client.post(
            meeting_create_url(county), meeting_data(other_organizations=[value])
        )
        assert response.status_code == 200
        assert "other_organizations" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_the_partner_search_returns_only_the_checkboxes_fragment(librarian_client, county):
    clinic = OrganizationFactory(name="Eastside Community Clinic")
    OrganizationFactory(name="Eastside Food Bank")
    OrganizationFactory(name="Westside Library Friends")
    archived = OrganizationFactory(name="Eastside Old Club")
    partner_services.organization_archive(organization=archived)
    response = librarian_client.get(
        meeting_create_url(county),
        {"org_q": "eastside", "other_organizations": [clinic.pk]},
        headers={"HX-Request": "true", "HX-Target": "other-organizations"},
    )
    html = response.content.decode()
    assert "<form" not in html and "<nav" not in html
    assert [o.name for o in response.context["chosen"]] == ["Eastside Community Clinic"]
    assert [o.name for o in response.context["matches"]] == ["Eastside Food Bank"]
    assert f'value="{clinic.pk}" id="id_other_organization_{clinic.pk}" checked' in html


def test_the_partner_search_lists_at_most_ten_matches(librarian_client, county):
    for i in range(12):
        OrganizationFactory(name=f"Library Partner {i:02}")
    response = librarian_client.get(
        meeting_create_url(county),
        {"org_q": "partner"},
        headers={"HX-Request": "true", "HX-Target": "other-organizations"},
    )
    assert len(response.context["matches"]) == 10


def test_without_javascript_the_partner_search_reloads_the_form(librarian_client, county):
    OrganizationFactory(name="Eastside Community Clinic")
    response = librarian_client.get(meeting_create_url(county), {"org_q": "clinic"})
    html = response.content.decode()
    assert 'id="meeting-form"' in html
    assert "Eastside Community Clinic" in html
    assert "tick the ones to add" in html


def test_editing_keeps_the_form_values_and_saves_changes(librarian_client, librarian, county):
    meeting = MeetingFactory(
        organization=county, starts_at=at(20, 10), staff=[librarian], created_by=librarian
    )
    edit = reverse("outreach:meeting_edit", args=[meeting.pk])
    form = librarian_client.get(edit).context["form"]
    assert form["date"].value() == dt.date(2026, 11, 20)
    assert form["start_time"].value() == dt.time(10, 0)
    assert form["end_time"].value() == dt.time(11, 0)
    assert form["staff"].value() == [librarian.pk]
    response = librarian_client.post(
        edit, meeting_data(title="Moved", start_time="14:00", end_time="15:00")
    )
    assert response.status_code == 302, response.context["form"].errors
    meeting.refresh_from_db()
    assert meeting.title == "Moved"
    assert meeting.starts_at == at(20, 14)
    assert list(meeting.staff.all()) == []


def test_a_refused_edit_changes_nothing(librarian_client, county):
    meeting = MeetingFactory(organization=county, title="Original", starts_at=at(20, 10))
    edit = reverse("outreach:meeting_edit", args=[meeting.pk])
    response = librarian_client.post(
        edit, meeting_data(title="Changed", start_time="12:00", end_time="11:00")
    )
    assert response.status_code == 200
    assert "Edit Original" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.title == "Original" and meeting.starts_at == at(20, 10)


def test_meeting_for_an_unknown_organization_is_404(librarian_client):
    assert librarian_client.get(reverse("outreach:meeting_create", args=[999])).status_code == 404


# Held, cancelled


def test_the_held_page_offers_to_log_a_touchpoint(librarian_client, county):
    meeting = MeetingFactory(organization=county, starts_at=at(1, 10), minutes="Draft notes")
    form = librarian_client.get(meeting_held_url(meeting)).context["form"]
    assert form["minutes"].value() == "Draft notes"
    assert form["log_touchpoint"].value() is True
    assert form.fields["log_touchpoint"].label == "Also log this meeting as a touchpoint"


def test_marking_held_logs_one_touchpoint_with_the_minutes(librarian_client, librarian, county):
    ana = person_at(county, "Ana Ruiz")
    meeting = MeetingFactory(
        organization=county, title="Fair planning", starts_at=at(1, 10), contacts=[ana]
    )
    response = librarian_client.post(
        meeting_held_url(meeting),
        {"minutes": "Agreed on 20 tables.", "log_touchpoint": "on"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == county.get_absolute_url()
    assert "“Fair planning” was held and is logged as a touchpoint." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert meeting.minutes == "Agreed on 20 tables."
    touchpoint = Touchpoint.objects.get()
    assert touchpoint.meeting == meeting
    assert touchpoint.notes == "Agreed on 20 tables."
    assert touchpoint.subject == "Fair planning"
    assert touchpoint.occurred_on == dt.date(2026, 11, 1)
    assert touchpoint.occurred_time == dt.time(10, 0)
    assert touchpoint.staff == librarian
    assert list(touchpoint.contacts.all()) == [ana]

    # Twice (a second tab, a corrected minute): still one touchpoint.
    form = librarian_client.get(meeting_held_url(meeting)).context["form"]
    assert "log_touchpoint" not in form.fields
    librarian_client.post(
        meeting_held_url(meeting), {"minutes": "Agreed on 22 tables.", "log_touchpoint": "on"}
    )
    assert Touchpoint.objects.count() == 1
    meeting.refresh_from_db()
    assert meeting.minutes == "Agreed on 22 tables."

    detail = librarian_client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("outreach:touchpoint_detail", args=[touchpoint.pk]) in detail
    assert "Mark as held" not in detail


def test_marking_held_without_logging_makes_no_touchpoint(librarian_client, county):
    meeting = MeetingFactory(organization=county, title="Quick sync", starts_at=at(1, 10))
    response = librarian_client.post(meeting_held_url(meeting), {"minutes": "Short."}, follow=True)
    assert "“Quick sync” is marked as held." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD and meeting.minutes == "Short."
    assert not Touchpoint.objects.exists()


def test_a_meeting_still_to_come_cannot_be_marked_held(librarian_client, county):
    meeting = MeetingFactory(organization=county, starts_at=at(20, 10))
    response = librarian_client.post(
        meeting_held_url(meeting), {"minutes": "x", "log_touchpoint": "on"}
    )
    assert response.status_code == 200
    assert "has not started yet" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    assert not Touchpoint.objects.exists()


def test_cancelling_a_meeting(librarian_client, county):
    meeting = MeetingFactory(organization=county, title="Fair planning", starts_at=at(20, 10))
    cancel = reverse("outreach:meeting_cancel", args=[meeting.pk])
    assert librarian_client.get(cancel).status_code == 405
    response = librarian_client.post(cancel, follow=True)
    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    html = response.content.decode()
    assert "“Fair planning” was cancelled." in html
    assert "Cancel meeting" not in html and "Mark as held" not in html
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    # A cancelled meeting cannot be marked held afterwards.
    response = librarian_client.post(
        meeting_held_url(meeting), {"minutes": "x", "log_touchpoint": "on"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


# Detail and .ics


def test_the_detail_page_shows_everything(librarian_client, librarian, county):
    clinic = OrganizationFactory(name="Eastside Community Clinic")
    ana = person_at(county, "Ana Ruiz")
    meeting = MeetingFactory(
        organization=county,
        title="Fair planning",
        starts_at=at(20, 10),
        location="Main Library, Room 2",
        video_link="https://meet.example.org/abc",
        agenda="Tables\nFlyers",
        contacts=[ana],
        staff=[librarian],
        other_organizations=[clinic],
    )
    html = librarian_client.get(meeting.get_absolute_url()).content.decode()
    for text in (
        "Fair planning",
        "Friday, November 20, 2026, 10:00 AM",
        "11:00 AM",
        "Riverside County Health Department",
        "Eastside Community Clinic",
        "Main Library, Room 2",
        'href="https://meet.example.org/abc"',
        "Tables\nFlyers",
        "Ana Ruiz",
        "Alice Reyes",
        "Mark as held",
        "Cancel meeting",
        reverse("outreach:meeting_ics", args=[meeting.pk]),
        reverse("outreach:meeting_edit", args=[meeting.pk]),
    ):
        assert text in html, text


@pytest.mark.parametrize(
    ("starts_at", "button"),
    [
        (at(20, 10), "btn btn-outline-secondary"),  # weeks ahead: one action among the others
        (at(2, 9), "btn btn-primary"),  # began an hour ago (it is 10 a.m. on Nov 2): the next step
    ],
)
def test_mark_as_held_is_the_main_button_only_once_the_meeting_has_begun(
    librarian_client, county, starts_at, button
):
    meeting = MeetingFactory(organization=county, starts_at=starts_at)
    html = librarian_client.get(meeting.get_absolute_url()).content.decode()
    assert f'<a class="{button}" href="{meeting_held_url(meeting)}">Mark as held</a>' in html


def test_the_held_page_ends_its_sentence_with_one_full_stop(librarian_client, county):
    meeting = MeetingFactory(organization=county, starts_at=at(2, 14))
    html = librarian_client.get(meeting_held_url(meeting)).content.decode()
    assert "Monday, November 2, 2026, 2:00 PM</time>.</p>" in html
    assert "p.m.." not in html and "PM.." not in html


def test_user_text_is_escaped(librarian_client, county):
    hostile = OrganizationFactory(name="<b>Bold</b> Org")
    meeting = MeetingFactory(
        organization=county,
        title="<script>alert(1)</script>",
        starts_at=at(20, 10),
        agenda="<img src=x onerror=alert(2)>",
        other_organizations=[hostile],
    )
    urls = [
        meeting.get_absolute_url(),
        MEETING_LIST,
        MEETING_CALENDAR,
        reverse("outreach:meeting_edit", args=[meeting.pk]),
        meeting_held_url(meeting),
    ]
    for url in urls:
        html = librarian_client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html, url
        assert "<img src=x" not in html and "<b>Bold</b>" not in html, url


def test_a_meeting_downloads_as_an_ics_file(librarian_client, county, settings):
    settings.SITE_URL = "https://liaison.example-library.org"
    meeting = MeetingFactory(
        organization=county,
        title="Fair planning, part 2; tables",
        starts_at=at(20, 10),
        location="",
        video_link="https://meet.example.org/abc",
        agenda="Tables",
    )
    response = librarian_client.get(reverse("outreach:meeting_ics", args=[meeting.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="meeting-{meeting.pk}.ics"'
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["METHOD"] == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meeting.pk}@liaison.example-library.org"
    assert ical_time(event, "DTSTART") == dt.datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    assert ical_time(event, "DTEND") == dt.datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Fair planning, part 2; tables"
    assert str(event["LOCATION"]) == "https://meet.example.org/abc"
    url = f"https://liaison.example-library.org/meetings/{meeting.pk}/"
    assert str(event["URL"]) == url
    assert "Tables" in str(event["DESCRIPTION"]) and url in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "DTSTAMP" in event and "LAST-MODIFIED" in event
    raw = response.content.decode()
    assert "DTSTART:20261120T150000Z" in raw and "\r\n" in raw


def test_unknown_meetings_are_404(librarian_client):
    for name in ("meeting_detail", "meeting_edit", "meeting_held", "meeting_ics"):
        assert librarian_client.get(reverse(f"outreach:{name}", args=[999])).status_code == 404
