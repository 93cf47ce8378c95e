"""Two people acting on the same meeting at the same moment leave one consistent meeting.

Real row locks on PostgreSQL (core/tests/races.py): each writer in its own thread and
connection, paused inside the service between what it reads and what it writes.
"""

import pytest

from core.tests import races
from core.tests.factories import UserFactory
from outreach import services
from outreach.models import Meeting, Touchpoint
from outreach.tests.factories import MeetingFactory
from partners.tests.factories import AffiliationFactory

pytestmark = [pytest.mark.django_db(transaction=True), races.needs_row_locks]


@pytest.fixture
def meeting(county, librarian):
    return MeetingFactory(organization=county, title="Health fair planning", staff=[librarian])


def fresh(meeting: Meeting) -> Meeting:
    """The meeting as a view loads it for one request."""
    return Meeting.objects.select_related("organization").get(pk=meeting.pk)


def test_marking_a_meeting_held_twice_at_once_logs_one_touchpoint(
    monkeypatch, meeting, librarian, manager
):
    races.widen(monkeypatch, services, "touchpoint_log")

    def mark_held(by):
        return lambda: services.meeting_mark_held(
            meeting=fresh(meeting), by=by, minutes=f"Minutes by {by.username}."
        )

    outcomes = races.race(mark_held(librarian), mark_held(manager))
    assert all(outcome.ok for outcome in outcomes), outcomes
    logged = [outcome.value for outcome in outcomes if outcome.value is not None]
    assert len(logged) == 1
    assert list(Touchpoint.objects.filter(meeting=meeting)) == logged
    assert fresh(meeting).status == Meeting.Status.HELD


def test_editing_a_meeting_while_it_is_marked_held_keeps_it_held(
    monkeypatch, meeting, librarian, manager
):
    # The editor's page loaded the meeting while it was still scheduled.
    edited = fresh(meeting)
    edited.title = "Health fair planning (moved to room 3)"
    # The editor's save comes second: it pauses before it validates the meeting.
    races.widen(monkeypatch, Meeting, "full_clean")

    outcomes = races.race(
        lambda: services.meeting_mark_held(
            meeting=fresh(meeting), by=librarian, minutes="We chose the date."
        ),
        lambda: services.meeting_save(meeting=edited, by=manager, staff=[librarian, manager]),
    )
    assert all(outcome.ok for outcome in outcomes), outcomes
    saved = fresh(meeting)
    # The edit keeps what it changed, and takes nothing back from the meeting being held.
    assert saved.title == "Health fair planning (moved to room 3)"
    assert (saved.status, saved.minutes) == (Meeting.Status.HELD, "We chose the date.")
    assert set(saved.staff.all()) == {librarian, manager}
    assert Touchpoint.objects.filter(meeting=meeting).count() == 1


def test_two_edits_of_one_meeting_at_once_keep_one_editors_attendees(
    monkeypatch, meeting, county, librarian, manager
):
    dana, lee = (AffiliationFactory(organization=county).contact for _ in range(2))
    colleague = UserFactory(username="sam")
    races.widen(monkeypatch, services, "_check_contacts_belong")

    def edit(contact, staff):
        return lambda: services.meeting_save(
            meeting=fresh(meeting), by=manager, contacts=[contact], staff=staff
        )

    outcomes = races.race(edit(dana, [librarian]), edit(lee, [manager, colleague]))
    assert all(outcome.ok for outcome in outcomes), outcomes
    saved = fresh(meeting)
    attendees = (set(saved.contacts.all()), set(saved.staff.all()))
    # One editor's list or the other's, never a mix of the two.
    assert attendees in [({dana}, {librarian}), ({lee}, {manager, colleague})]
