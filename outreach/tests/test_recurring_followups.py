"""Recurring follow-ups: done, one comes back from its due day (not the day it was done), every
few weeks, month, quarter or year, on the day of the month its series started; stopped by
choosing "Does not repeat"."""

import datetime as dt

import pytest
from django.urls import reverse

from outreach import services
from outreach.models import FollowUp
from outreach.services import next_due

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("due", "repeat", "start", "expected"),
    [
        (dt.date(2027, 1, 31), "1m", dt.date(2027, 1, 31), dt.date(2027, 2, 28)),
        (dt.date(2027, 2, 28), "1m", dt.date(2027, 1, 31), dt.date(2027, 3, 31)),
        (dt.date(2027, 11, 30), "3m", dt.date(2027, 11, 30), dt.date(2028, 2, 29)),
        (dt.date(2028, 2, 29), "12m", dt.date(2028, 2, 29), dt.date(2029, 2, 28)),
        (dt.date(2027, 12, 15), "1m", dt.date(2027, 12, 15), dt.date(2028, 1, 15)),
        # Across the change to summer time (March 14, 2027 in New York): a day is a day.
        (dt.date(2027, 3, 10), "1w", dt.date(2027, 3, 10), dt.date(2027, 3, 17)),
        (dt.date(2027, 3, 10), "2w", dt.date(2027, 3, 10), dt.date(2027, 3, 24)),
        (dt.date(2027, 3, 10), "4w", dt.date(2027, 3, 10), dt.date(2027, 4, 7)),
    ],
)
def test_the_next_due_day(due, repeat, start, expected):
    assert next_due(due, repeat, start) == expected


def test_done_it_comes_back_from_its_due_day_once(librarian, clinic, time_machine):
    time_machine.move_to(dt.datetime(2027, 1, 20, 15, 0, tzinfo=dt.UTC))
    first = services.followup_create(
        organization=clinic,
        assignee=librarian,
        created_by=librarian,
        due_on=dt.date(2027, 1, 31),
        due_time=dt.time(9, 30),
        title="Monthly check-in with Maya",
        repeat=FollowUp.Repeat.MONTH,
    )
    # Done early, on the 20th: the next is due on Feb 28, not Feb 20.
    services.followup_complete(followup=first, by=librarian)
    services.followup_complete(followup=first, by=librarian)  # a double click: still one next
    second = FollowUp.objects.get(repeat_of=first)
    assert (second.due_on, second.due_time, second.status) == (
        dt.date(2027, 2, 28),
        dt.time(9, 30),
        FollowUp.Status.OPEN,
    )
    assert (second.title, second.assignee, second.organization) == (
        "Monthly check-in with Maya",
        librarian,
        clinic,
    )
    time_machine.move_to(dt.datetime(2027, 3, 5, 15, 0, tzinfo=dt.UTC))
    services.followup_complete(followup=second, by=librarian)  # done late
    assert FollowUp.objects.get(repeat_of=second).due_on == dt.date(2027, 3, 31)


def test_a_cancelled_or_stopped_one_does_not_come_back(librarian_client, librarian, clinic):
    import django.utils.timezone as tz

    today = tz.localdate()
    cancelled = services.followup_create(
        organization=clinic, assignee=librarian, created_by=librarian,
        due_on=today, title="Weekly call", repeat=FollowUp.Repeat.WEEK,
    )  # fmt: skip
    services.followup_cancel(followup=cancelled)
    stopped = services.followup_create(
        organization=clinic, assignee=librarian, created_by=librarian,
        due_on=today, title="Quarterly report", repeat=FollowUp.Repeat.QUARTER,
    )  # fmt: skip
    page = librarian_client.get(reverse("outreach:followup_detail", args=[stopped.pk]))
    assert "Every quarter" in page.content.decode()
    edit = reverse("outreach:followup_edit", args=[stopped.pk])
    form = librarian_client.get(edit).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["repeat"] = ""
    assert librarian_client.post(edit, data).status_code == 302
    services.followup_complete(followup=stopped, by=librarian)
    assert FollowUp.objects.count() == 2


def test_a_repeating_follow_up_is_made_from_its_form(librarian_client, librarian, clinic):
    import django.utils.timezone as tz

    url = reverse("outreach:followup_create", args=[clinic.pk])
    due = tz.localdate() + dt.timedelta(days=3)
    data = {
        "title": "Send the monthly numbers",
        "due_on": due.isoformat(),
        "due_time": "",
        "repeat": "1m",
        "assignee": librarian.pk,
        "details": "",
    }
    assert librarian_client.post(url, data).status_code == 302
    made = FollowUp.objects.get()
    assert (made.repeat, made.series_start) == ("1m", due)
