"""An organization's timeline reads each entry's details from one query: what it shows."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach import services
from outreach.models import Meeting
from outreach.selectors.timeline import PAGE_SIZE, timeline_page
from partners import services as partner_services
from partners.models import Stage
from partners.tests.factories import AffiliationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(librarian):
    organization = OrganizationFactory(name="Eastside Community Clinic", owner=librarian)
    for name in ("Dana Whitfield", "Ana Ruiz"):
        AffiliationFactory(organization=organization, contact__name=name)
    return organization


def test_each_entry_shows_what_it_is_about_and_who_was_there(
    librarian_client, librarian, manager, clinic
):
    dana, ana = (a.contact for a in clinic.affiliations.order_by("contact__name").reverse())
    today = timezone.localdate()
    partner_services.stage_change(
        organization=clinic, to_stage=Stage.CONTACTED, by=manager, note="Met at the fair"
    )
    touchpoint = services.touchpoint_log(
        organization=clinic,
        staff=librarian,
        occurred_on=today,
        occurred_time=dt.time(14, 30),
        channel="email",
        subject="Sent the flyer",
        contacts=[dana, ana],
        notes="She liked it",
        outcome="A yes",
        next_step="Call in May",
        follow_up_on=today + dt.timedelta(days=7),
    )
    services.followup_complete(followup=touchpoint.followups.get(), by=manager)
    start = timezone.now() + dt.timedelta(days=2)
    services.meeting_save(
        meeting=Meeting(
            organization=OrganizationFactory(name="Parks Department"),
            title="Joint planning",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            status="held",
        ),
        by=librarian,
        other_organizations=[clinic],
    )

    html = librarian_client.get(clinic.get_absolute_url()).content.decode()
    entries = html[html.index('id="timeline-entries"') :]
    assert "Joint planning" in entries and ">Held<" in entries  # a meeting it joined
    assert "Sent the flyer" in entries and "2:30 PM" in entries and "Email" in entries
    assert f'<a href="{ana.get_absolute_url()}">Ana Ruiz</a>, ' in entries  # by name
    assert f'<a href="{dana.get_absolute_url()}">Dana Whitfield</a>' in entries
    assert "She liked it" in entries and "A yes" in entries and "Call in May" in entries
    assert "Alice Reyes with" in entries  # the staff member who logged it
    # The follow-up promised is named by the touchpoint's next step.
    followup = f'<a href="{touchpoint.followups.get().get_absolute_url()}">Call in May</a>'
    assert f"Follow-up set: <strong>{followup}</strong>" in entries
    assert f"Done</span> {followup}" in entries
    assert "<strong>Contacted</strong>" in entries and "Met at the fair" in entries


def test_pages_go_on_while_there_are_older_entries(clinic, librarian):
    today = timezone.localdate()
    for i in range(PAGE_SIZE + 5):
        services.touchpoint_log(
            organization=clinic,
            staff=librarian,
            occurred_on=today - dt.timedelta(days=i),
            subject=f"Call {i}",
        )
    first, second = timeline_page(clinic, None), timeline_page(clinic, "2")
    assert len(first.object_list) == PAGE_SIZE and first.has_next
    assert first.next_page_number() == 2
    # 25 calls and the organization being added.
    assert len(second.object_list) == 6 and not second.has_next
    calls = [e.item.subject for e in first.object_list if e.kind == "touchpoint"]
    assert calls == [f"Call {i}" for i in range(PAGE_SIZE - 1)]  # and the organization added
    # A bad number is the first page; one past the end (an old link) the last.
    assert timeline_page(clinic, "x").number == 1
    assert timeline_page(clinic, "-3").number == 1
    past = timeline_page(clinic, "9" * 30)
    assert past.number == 2 and len(past.object_list) == 6


def test_the_show_older_link_loads_the_next_page(librarian_client, clinic, librarian):
    today = timezone.localdate()
    for i in range(PAGE_SIZE + 1):
        services.touchpoint_log(
            organization=clinic, staff=librarian, occurred_on=today, subject=f"Call {i}"
        )
    html = librarian_client.get(clinic.get_absolute_url()).content.decode()
    older = reverse("outreach:timeline", args=[clinic.pk]) + "?page=2"
    assert older in html and "Show older" in html
    page = librarian_client.get(older).content.decode()
    assert page.count('<li class="timeline-entry ') == 2 and "Show older" not in page
