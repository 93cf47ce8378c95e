"""How much the staff-email scan costs: the same number of queries however many people."""

import datetime as dt

import pytest

from core import roles
from mail.models import OutgoingEmail
from notifications.services import staff_emails_queue_due
from notifications.tests.helpers import (
    DST_ZONES,
    MONDAY,
    Kind,
    followup,
    local,
    queued,
    staff_member,
)
from outreach.tests.factories import MeetingFactory
from partners.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _quiet_staff(count: int) -> None:
    for i in range(count):
        role = roles.MANAGER if i % 3 == 0 else roles.LIBRARIAN
        zone = DST_ZONES[i % len(DST_ZONES)]
        staff_member(f"person{i}", zone=zone, role=role)


# Measured: 17 for people with nothing due (staff and roles 2; digests due: keys, follow-ups,
# meetings, grants, agreements ending, partnerships turned at risk 6; reminders 1; summaries
# due: keys, overdue follow-ups, quiet partners and their count, grants, agreements ending,
# touchpoints, partnerships turned at risk 8), fewer when everyone gets a digest and a reminder
# (prefetched attendees, one INSERT; SQLite splits a big INSERT in two).
SCAN_QUERIES = 18


@pytest.mark.parametrize("people", [3, 30])
def test_the_scan_costs_the_same_however_many_people_have_nothing_due(
    people, django_assert_max_num_queries
):
    _quiet_staff(people)
    # Monday 16:00 UTC: past 08:00 in New York, Los Angeles and Berlin, so digests and
    # summaries are due and looked for; 03:00 on Tuesday in Sydney.
    with django_assert_max_num_queries(SCAN_QUERIES):
        staff_emails_queue_due(now=dt.datetime(2026, 3, 9, 16, 0, tzinfo=dt.UTC))
    assert not OutgoingEmail.objects.exists()


@pytest.mark.parametrize("people", [3, 30])
def test_the_scan_costs_the_same_however_many_digests_it_queues(
    people, django_assert_max_num_queries
):
    organization = OrganizationFactory()
    for i in range(people):
        person = staff_member(f"person{i}")
        followup(person, due_on=MONDAY, organization=organization)
        MeetingFactory(organization=organization, starts_at=local(MONDAY, 15), staff=[person])
    with django_assert_max_num_queries(SCAN_QUERIES):
        staff_emails_queue_due(now=local(MONDAY, 8))
    assert len(queued(Kind.DIGEST)) == people
