"""Scheduling a meeting in Chromium, with partners found by searching as one types."""

import datetime as dt

import pytest

from outreach.models import Meeting
from outreach.tests.helpers import meeting_create_url, person_at
from partners.tests.factories import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UTC = dt.UTC


def test_a_librarian_schedules_a_meeting_with_partners_found_by_search(page, log_in, librarian):
    county = OrganizationFactory(name="Riverside County Health Department")
    person_at(county, "Ana Ruiz")
    OrganizationFactory(name="Eastside Community Clinic")
    OrganizationFactory(name="Eastside Food Bank")
    log_in(librarian)
    page.goto(meeting_create_url(county))
    page.get_by_label("What the meeting is about").fill("Fair planning")
    page.get_by_label("Date").fill("2030-12-03")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("11:00")
    page.get_by_label("Ana Ruiz").check()
    search = page.get_by_label("Find another organization")
    search.fill("eastside")  # htmx searches as the librarian types
    page.get_by_label("Eastside Food Bank").check()
    search.fill("clinic")
    search.press("Enter")  # searches again, and does not submit the meeting
    page.get_by_label("Eastside Community Clinic").check()
    assert page.get_by_label("Eastside Food Bank").is_checked()  # kept across searches
    assert page.get_by_label("What the meeting is about").input_value() == "Fair planning"
    page.get_by_role("button", name="Schedule meeting").click()
    page.wait_for_url("**/meetings/*/")
    meeting = Meeting.objects.get()
    assert {o.name for o in meeting.other_organizations.all()} == {
        "Eastside Community Clinic",
        "Eastside Food Bank",
    }
    assert [c.name for c in meeting.contacts.all()] == ["Ana Ruiz"]
    assert meeting.starts_at == dt.datetime(2030, 12, 3, 15, 0, tzinfo=UTC)
