"""Bulk actions on follow-ups (reassign, snooze) and contacts (tags, export)."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from bulk.models import BulkAction
from bulk.tests.helpers import choose, confirm
from outreach.models import FollowUp
from partners.tags import Tag
from partners.tests.factories import ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _followups(assignee, count=3, **fields):
    organization = OrganizationFactory(name="Riverside Clinic")
    today = timezone.localdate()
    return [
        FollowUp.objects.create(
            title=f"Call back {n}",
            due_on=today + dt.timedelta(days=n),
            assignee=assignee,
            organization=organization,
            **fields,
        )
        for n in range(count)
    ]


def test_a_librarian_snoozes_her_follow_ups_but_not_a_colleagues(librarian_client, librarian, rosa):
    mine = _followups(librarian)
    hers = _followups(rosa, count=1)
    until = timezone.localdate() + dt.timedelta(days=14)
    ids = [f.pk for f in mine + hers]
    page = choose(librarian_client, "followups", ids, action="snooze", until=until.isoformat())
    text = page.content.decode()
    assert "3 follow-ups: due" in text
    assert "1 follow-up: assigned to someone else: only they or a manager can snooze it" in text

    confirm(librarian_client, "followups", ids, action="snooze", until=until.isoformat())

    assert {f.due_on for f in FollowUp.objects.filter(assignee=librarian)} == {until}
    assert FollowUp.objects.get(assignee=rosa).due_on == hers[0].due_on
    assert BulkAction.objects.get().skipped == 1


def test_snoozing_to_a_past_day_is_refused_with_a_message(librarian_client, librarian):
    mine = _followups(librarian)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page = choose(
        librarian_client, "followups", [mine[0].pk], action="snooze", until=yesterday.isoformat()
    )
    assert "Snooze to today or a later day." in page.content.decode()


def test_a_manager_reassigns_follow_ups_and_a_librarian_cannot(
    client, librarian, manager, rosa, marcus
):
    hers = _followups(rosa)
    ids = [f.pk for f in hers]
    client.force_login(librarian)
    refused = choose(client, "followups", ids, action="reassign", assignee=marcus.pk)
    assert "Only a manager can do this" in refused.content.decode()

    client.force_login(manager)
    confirm(client, "followups", ids, action="reassign", assignee=marcus.pk)
    assert set(FollowUp.objects.values_list("assignee", flat=True)) == {marcus.pk}
    assert BulkAction.objects.get().summary == "3 follow-ups: assignee Rosa Díaz → Marcus Lee"


def test_all_of_a_persons_follow_ups_by_the_lists_filter(manager_client, rosa, marcus):
    _followups(rosa, count=4)
    _followups(marcus, count=2)
    confirm(
        manager_client,
        "followups",
        None,
        f"assignee={rosa.pk}",
        action="reassign",
        assignee=marcus.pk,
    )
    assert FollowUp.objects.filter(assignee=marcus).count() == 6


def test_closed_follow_ups_are_left_out(manager_client, rosa, marcus):
    done = _followups(rosa, count=1, status=FollowUp.Status.DONE, completed_at=timezone.now())
    page = choose(manager_client, "followups", [done[0].pk], action="reassign", assignee=marcus.pk)
    text = page.content.decode()
    assert "Nothing to change" in text and "1 selected is gone since" in text


def test_contacts_are_tagged_and_exported_in_bulk(manager_client):
    tag = Tag.objects.create(name="CHNA participant")
    dana, eli, fay = (ContactFactory(name=name) for name in ("Dana Park", "Eli Moss", "Fay Ng"))
    confirm(manager_client, "contacts", [dana.pk, fay.pk], action="tag_add", tag=tag.pk)
    assert set(tag.contacts.all()) == {dana, fay}

    response = confirm(manager_client, "contacts", [eli.pk, fay.pk], action="export", format="csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert [row["Name"] for row in csv.DictReader(io.StringIO(text))] == ["Eli Moss", "Fay Ng"]


def test_a_row_snoozed_on_the_list_keeps_its_checkbox(librarian_client, librarian):
    followup = _followups(librarian, count=1)[0]
    response = librarian_client.post(
        reverse("outreach:followup_snooze", args=[followup.pk]),
        {"days": "7", "next": reverse("outreach:followup_list")},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'aria-label="Select {followup.title}"' in response.content.decode()
