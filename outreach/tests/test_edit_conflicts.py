"""Two people edit the same meeting or touchpoint: the second save no longer erases the first
one's change.

Open the form, change the meeting behind it (a colleague, through the service), post the old
form: nothing is saved, the form says when it was changed (meetings keep no change history, so
by "someone"), the conflicting fields side by side. Posting that form again saves it.
"""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from core.tests.forms import posted_form
from outreach import services
from outreach.tests.factories import MeetingFactory, TouchpointFactory

pytestmark = pytest.mark.django_db

# 2:14 PM in New York; the meeting is on Thursday, January 14, 2027, at 1:00 PM there.
AT_2_14_PM = dt.datetime(2026, 3, 10, 18, 14, tzinfo=dt.UTC)


@time_machine.travel(AT_2_14_PM - dt.timedelta(hours=1))
def test_meeting_edited_meanwhile_is_not_overwritten(librarian_client, librarian, manager):
    meeting = MeetingFactory(title="Planning the health fair", staff=[librarian])
    url = reverse("outreach:meeting_edit", args=[meeting.pk])
    opened = librarian_client.get(url)
    with time_machine.travel(AT_2_14_PM, tick=False):
        meeting.starts_at += dt.timedelta(hours=1)
        meeting.ends_at += dt.timedelta(hours=1)
        meeting.location = "Eastside branch"
        services.meeting_save(meeting=meeting, by=manager, staff=[librarian, manager])

    response = librarian_client.post(url, posted_form(opened, agenda="Booths and volunteers"))

    assert response.status_code == 200
    conflict = response.context["form"].conflict
    assert conflict.message == "Changed by someone at 2:14 PM since you opened it."
    rows = {row.label: (row.theirs, row.yours, row.changed_by_them) for row in conflict.fields}
    assert rows["Start time"] == ("2:00 PM", "1:00 PM", True)
    assert rows["Location"] == ("Eastside branch", "Main Library, Room 2", True)
    assert rows["Library attendees"] == ("Alice Reyes, Maria Chen", "Alice Reyes", True)
    assert rows["Agenda"] == ("—", "Booths and volunteers", False)
    assert "Date" not in rows
    meeting.refresh_from_db()
    assert (meeting.location, meeting.agenda) == ("Eastside branch", "")

    again = librarian_client.post(url, posted_form(response))
    assert again.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.location, meeting.agenda) == ("Main Library, Room 2", "Booths and volunteers")
    assert list(meeting.staff.all()) == [librarian]


@time_machine.travel(AT_2_14_PM - dt.timedelta(hours=1))
def test_touchpoint_corrected_meanwhile_is_not_overwritten(librarian_client, manager):
    touchpoint = TouchpointFactory(subject="Call about the reading program", notes="")
    url = reverse("outreach:touchpoint_edit", args=[touchpoint.pk])
    opened = librarian_client.get(url)
    with time_machine.travel(AT_2_14_PM, tick=False):
        services.touchpoint_update(
            touchpoint=touchpoint, contacts=[], subject="Call about the summer reading program"
        )

    response = librarian_client.post(url, posted_form(opened, notes="They want 200 flyers"))

    assert response.status_code == 200
    conflict = response.context["form"].conflict
    assert conflict.message == "Changed by someone at 2:14 PM since you opened it."
    rows = {row.label: (row.theirs, row.yours) for row in conflict.fields}
    assert rows == {
        "Subject": ("Call about the summer reading program", "Call about the reading program"),
        "Notes": ("—", "They want 200 flyers"),
    }
    touchpoint.refresh_from_db()
    assert touchpoint.notes == ""

    again = librarian_client.post(url, posted_form(response))
    assert again.status_code == 302
    touchpoint.refresh_from_db()
    assert (touchpoint.subject, touchpoint.notes) == (
        "Call about the reading program",
        "They want 200 flyers",
    )
