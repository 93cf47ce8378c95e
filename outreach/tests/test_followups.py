"""A follow-up's row (Done and one menu), its page, editing it, cancelling it, and the follow-up a
touchpoint promises, named by its next step."""

import datetime as dt
import json
import re
from urllib.parse import quote

import pytest
import time_machine
from django.urls import reverse

from core.tests.clock import frozen_clock
from core.tests.factories import UserFactory
from core.tests.forms import posted_form
from outreach import services
from outreach.models import FollowUp
from outreach.signals import followup_assigned

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 18)  # a Wednesday
LIST = reverse("outreach:followup_list")

clock = frozen_clock(dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC))


@pytest.fixture
def followup(librarian, clinic):
    return services.followup_create(
        organization=clinic,
        assignee=librarian,
        created_by=librarian,
        due_on=TODAY - dt.timedelta(days=2),
        title="Send the <minutes>",
        details="The October meeting's minutes, with the budget.",
    )


def row_of(html: str, followup: FollowUp) -> str:
    match = re.search(rf'<li [^>]*id="followup-{followup.pk}">.*?</li>', html, re.S)
    assert match, f"no row for follow-up {followup.pk}"
    return match.group(0)


def menu_of(row: str) -> str:
    return row[row.index('class="dropdown-menu') :]


def edit_url(followup: FollowUp) -> str:
    return reverse("outreach:followup_edit", args=[followup.pk])


# --- The row -----------------------------------------------------------------------------------


def test_a_row_offers_done_and_one_menu_with_the_rest(librarian_client, followup):
    row = row_of(librarian_client.get(LIST).content.decode(), followup)
    page = followup.get_absolute_url()
    assert f'<a href="{page}" class="fw-semibold">Send the &lt;minutes&gt;</a>' in row
    assert followup.organization.get_absolute_url() in row
    # Two controls: Done, and "More" (named with the title; without JavaScript, a link to the
    # follow-up's page, where every action is).
    before_menu = row[: row.index('class="dropdown-menu')]
    assert before_menu.count("<button") == 1 and ">Done<" in before_menu
    assert before_menu.count('data-bs-toggle="dropdown"') == 1
    assert f'<a href="{page}" class="btn btn-sm btn-outline-secondary dropdown-toggle"' in row
    assert '>More<span class="visually-hidden"> actions: Send the &lt;minutes&gt;</span>' in row
    menu = menu_of(row)
    assert ">Snooze 1 day</button>" in menu and ">Snooze 1 week</button>" in menu
    assert 'type="date" name="until"' in menu
    back = quote(LIST)
    assert f'href="{edit_url(followup)}?next={back}">Edit</a>' in menu
    cancel = reverse("outreach:followup_cancel", args=[followup.pk])
    assert f'href="{cancel}?next={back}">Cancel this follow-up…</a>' in menu
    assert "Reassign" not in row  # a manager's


def test_a_manager_reassigns_from_the_menu_through_the_edit_page(manager_client, followup):
    html = manager_client.get(LIST, {"assignee": "all"}).content.decode()
    menu = menu_of(row_of(html, followup))
    assert f'href="{edit_url(followup)}?next={quote(LIST)}%3Fassignee%3Dall#id_assignee">' in menu


def test_the_rows_forms_work_without_javascript(librarian_client, followup):
    """What a browser without JavaScript posts: the row's own form, `next` included."""
    row = row_of(librarian_client.get(LIST).content.decode(), followup)
    snooze = reverse("outreach:followup_snooze", args=[followup.pk])
    form = re.search(rf'<form method="post" action="{snooze}".*?</form>', row, re.S)
    assert form is not None
    fields = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form.group(0)))
    response = librarian_client.post(snooze, {**fields, "days": "7"}, follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert "is now due Wed Nov 25." in response.content.decode()
    followup.refresh_from_db()
    assert followup.due_on == TODAY + dt.timedelta(days=7)


def test_with_htmx_the_row_is_swapped_and_the_page_told(librarian_client, followup):
    response = librarian_client.post(
        reverse("outreach:followup_snooze", args=[followup.pk]),
        {"days": "1", "next": "/"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.startswith(f'<li class="list-group-item followup-row" id="followup-{followup.pk}">')
    assert json.loads(response.headers["HX-Trigger-After-Settle"]) == {
        "followups-changed": True,
        "liaison:announce": "“Send the <minutes>” is now due Thu Nov 19.",
    }
    # Said by the page's live region, not in the row; the row's links still lead back home.
    assert "Snoozed" not in html and 'role="status"' not in html
    assert f'href="{edit_url(followup)}?next=/">Edit</a>' in html


def test_reassigning_with_htmx_is_announced_not_written_in_the_row(
    manager_client, librarian, manager, followup
):
    response = manager_client.post(
        reverse("outreach:followup_reassign", args=[followup.pk]),
        {"assignee": manager.pk, "next": LIST},
        headers={"HX-Request": "true"},
    )
    said = json.loads(response.headers["HX-Trigger-After-Settle"])["liaison:announce"]
    assert said == "“Send the <minutes>” is now Maria Chen’s."
    assert "Reassigned" not in response.content.decode()


def test_a_failed_snooze_says_why_in_the_row(librarian_client, followup):
    response = librarian_client.post(
        reverse("outreach:followup_snooze", args=[followup.pk]),
        {"until": "2026-01-01"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert 'role="alert">Snooze to today or a later day.</div>' in html
    assert "HX-Trigger-After-Settle" not in response.headers
    # Posted without `next`: its links lead to the follow-up list, not to the form's address.
    assert f'href="{edit_url(followup)}?next={quote(LIST)}">Edit</a>' in html


# --- The follow-up's page ------------------------------------------------------------------------


def test_the_follow_up_page_says_what_when_who_and_where_from(
    client, librarian, clinic, django_assert_num_queries
):
    touchpoint = services.touchpoint_log(
        organization=clinic,
        staff=librarian,
        occurred_on=TODAY,
        subject="Called Dana",
        next_step="Send the floor plan",
        follow_up_on=TODAY + dt.timedelta(days=3),
    )
    followup = touchpoint.followups.get()
    followup.due_time = dt.time(14, 30)
    followup.save()
    client.force_login(UserFactory(username="bob", role="Librarian"))
    with django_assert_num_queries(2):  # who is signed in; the follow-up and what it links to
        html = client.get(followup.get_absolute_url()).content.decode()
    assert '<h1 class="h3 mb-1 text-break">Send the floor plan</h1>' in html
    assert "Saturday, November 21, 2026</time> at 2:30 PM" in html
    assert "Alice Reyes" in html and clinic.get_absolute_url() in html
    assert reverse("outreach:touchpoint_detail", args=[touchpoint.pk]) in html
    assert ">Open</span>" in html
    # Someone else's: to read, not to act on.
    assert reverse("outreach:followup_done", args=[followup.pk]) not in html
    assert edit_url(followup) not in html


def test_its_assignee_gets_every_action_as_a_plain_form_or_page(librarian_client, followup):
    html = librarian_client.get(followup.get_absolute_url()).content.decode()
    page = followup.get_absolute_url()
    for name in ("followup_done", "followup_snooze"):
        action = reverse(f"outreach:{name}", args=[followup.pk])
        assert f'action="{action}">' in html or f'action="{action}" ' in html, name
    assert html.count(f'name="next" value="{page}"') == 2
    assert 'label for="snooze-until"' in html and "(overdue)" in html
    assert f'href="{edit_url(followup)}">Edit</a>' in html
    assert reverse("outreach:followup_cancel", args=[followup.pk]) in html
    assert 'id="reassign-to"' not in html  # a manager's


def test_a_manager_reassigns_from_its_page(manager_client, manager, followup):
    page = followup.get_absolute_url()
    assert '<label for="reassign-to"' in manager_client.get(page).content.decode()
    response = manager_client.post(
        reverse("outreach:followup_reassign", args=[followup.pk]),
        {"assignee": manager.pk, "next": page},
        follow=True,
    )
    assert response.redirect_chain == [(page, 302)]
    assert "is now Maria Chen’s." in response.content.decode()
    followup.refresh_from_db()
    assert followup.assignee == manager


def test_done_from_its_page_comes_back_to_it(librarian_client, followup):
    page = followup.get_absolute_url()
    response = librarian_client.post(
        reverse("outreach:followup_done", args=[followup.pk]), {"next": page}, follow=True
    )
    assert response.redirect_chain == [(page, 302)]
    html = response.content.decode()
    assert ">Done</span>" in html and "<s>Send the &lt;minutes&gt;</s>" in html
    assert f'action="{reverse("outreach:followup_done", args=[followup.pk])}"' not in html


# --- Editing -------------------------------------------------------------------------------------


def test_edit_a_follow_up_and_come_back_where_one_was(librarian_client, followup):
    url = f"{edit_url(followup)}?next={quote(LIST)}"
    opened = librarian_client.get(url)
    assert opened.status_code == 200
    response = librarian_client.post(
        url,
        posted_form(
            opened, title="  Send the minutes and budget ", due_time="09:15", details="Both."
        ),
    )
    assert response.status_code == 302 and response.url == LIST
    followup.refresh_from_db()
    assert (followup.title, followup.details) == ("Send the minutes and budget", "Both.")
    # Overdue, and left so: an edit need not move the day.
    assert (followup.due_on, followup.due_time) == (TODAY - dt.timedelta(days=2), dt.time(9, 15))


def test_a_new_due_day_must_not_be_past(librarian_client, followup):
    opened = librarian_client.get(edit_url(followup))
    response = librarian_client.post(
        edit_url(followup), posted_form(opened, due_on="2026-11-17", title="Changed")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["due_on"] == ["Pick today or a later day."]
    followup.refresh_from_db()
    assert followup.title == "Send the <minutes>"


def test_a_librarian_cannot_hand_her_follow_up_to_someone_else(
    librarian_client, librarian, manager, followup
):
    opened = librarian_client.get(edit_url(followup))
    assert opened.context["form"].fields["assignee"].disabled
    librarian_client.post(edit_url(followup), posted_form(opened, assignee=manager.pk))
    followup.refresh_from_db()
    assert followup.assignee == librarian


def test_a_manager_reassigns_in_the_edit_form_and_the_new_assignee_is_told(
    manager_client, manager, followup
):
    told = []

    def listen(sender, *, followup, by, **kwargs):
        told.append((followup.assignee, by))

    followup_assigned.connect(listen)
    try:
        opened = manager_client.get(edit_url(followup))
        response = manager_client.post(edit_url(followup), posted_form(opened, assignee=manager.pk))
    finally:
        followup_assigned.disconnect(listen)
    assert response.status_code == 302 and response.url == followup.get_absolute_url()
    followup.refresh_from_db()
    assert followup.assignee == manager and told == [(manager, manager)]


@time_machine.travel(dt.datetime(2026, 11, 18, 18, 0, tzinfo=dt.UTC), tick=False)
def test_a_follow_up_changed_meanwhile_is_not_overwritten(librarian_client, manager, followup):
    opened = librarian_client.get(edit_url(followup))
    with time_machine.travel(dt.datetime(2026, 11, 18, 19, 14, tzinfo=dt.UTC), tick=False):
        services.followup_snooze(followup=followup, until=TODAY + dt.timedelta(days=7))

    response = librarian_client.post(
        edit_url(followup), posted_form(opened, title="Send the minutes today")
    )

    assert response.status_code == 200
    conflict = response.context["form"].conflict
    assert conflict.message == "Changed by someone at 2:14 PM since you opened it."
    rows = {row.label: (row.theirs, row.yours, row.changed_by_them) for row in conflict.fields}
    assert rows == {
        "Due date": ("Nov 25, 2026", "Nov 16, 2026", True),
        "What to do": ("Send the <minutes>", "Send the minutes today", False),
    }
    assert 'id="edit-conflict"' in response.content.decode()
    followup.refresh_from_db()
    assert (followup.title, followup.due_on) == ("Send the <minutes>", TODAY + dt.timedelta(7))

    # Posting it again keeps theirs only where the person left them: here, everything is hers.
    again = librarian_client.post(edit_url(followup), posted_form(response))
    assert again.status_code == 200  # her old day is in the past now
    assert again.context["form"].errors["due_on"] == ["Pick today or a later day."]
    kept = librarian_client.post(edit_url(followup), posted_form(response, due_on="2026-11-25"))
    assert kept.status_code == 302
    followup.refresh_from_db()
    assert (followup.title, followup.due_on) == ("Send the minutes today", dt.date(2026, 11, 25))


def test_only_its_assignee_or_a_manager_may_edit(client, manager, followup):
    client.force_login(UserFactory(username="bob", role="Librarian"))
    assert client.get(edit_url(followup)).status_code == 403
    assert client.post(edit_url(followup), {"title": "Mine now"}).status_code == 403
    client.force_login(manager)
    assert client.get(edit_url(followup)).status_code == 200
    followup.refresh_from_db()
    assert followup.title == "Send the <minutes>"


def test_a_done_follow_up_is_no_longer_edited(librarian_client, librarian, followup):
    services.followup_complete(followup=followup, by=librarian)
    response = librarian_client.get(edit_url(followup), follow=True)
    assert response.redirect_chain == [(followup.get_absolute_url(), 302)]
    assert "is done, so it can no longer be changed." in response.content.decode()


def test_done_meanwhile_nothing_is_saved(librarian_client, librarian, followup):
    opened = librarian_client.get(edit_url(followup))
    services.followup_complete(followup=followup, by=librarian)
    response = librarian_client.post(edit_url(followup), posted_form(opened, title="Changed"))
    assert response.status_code == 302  # to its page, which says so
    followup.refresh_from_db()
    assert followup.title == "Send the <minutes>"


def test_the_service_refuses_what_an_edit_may_not_change(librarian, followup):
    with pytest.raises(TypeError, match="status"):
        services.followup_update(followup=followup, by=librarian, status="done")


# --- Cancelling ----------------------------------------------------------------------------------


def test_cancel_asks_first_then_cancels_and_comes_back(librarian_client, followup):
    url = f"{reverse('outreach:followup_cancel', args=[followup.pk])}?next={quote(LIST)}"
    asked = librarian_client.get(url).content.decode()
    assert "Cancel this follow-up?" in asked and "Send the &lt;minutes&gt;" in asked
    followup.refresh_from_db()
    assert followup.status == "open"
    response = librarian_client.post(url, {"next": LIST})
    assert response.status_code == 302 and response.url == LIST
    followup.refresh_from_db()
    assert followup.status == "cancelled"
    again = librarian_client.post(url, {"next": LIST})
    assert again.status_code == 200 and "nothing to cancel" in again.content.decode()


# --- A follow-up promised while logging ---------------------------------------------------------


@pytest.mark.parametrize(
    ("next_step", "title"),
    [
        ("Send the floor plan\n and the budget ", "Send the floor plan and the budget"),
        ("  ", "Follow up: Called Dana"),
        ("", "Follow up: Called Dana"),
        ("Send " + "very " * 60 + "much", "Send " + "very " * 38 + "very…"),
    ],
)
def test_the_follow_up_is_named_by_the_next_step(librarian, clinic, next_step, title):
    touchpoint = services.touchpoint_log(
        organization=clinic,
        staff=librarian,
        occurred_on=TODAY,
        subject="Called Dana",
        next_step=next_step,
        follow_up_on=TODAY + dt.timedelta(days=7),
    )
    followup = touchpoint.followups.get()
    assert followup.title == title and len(followup.title) <= 200
    assert followup.details == next_step  # whole, as written


def test_the_quick_log_names_its_follow_up_by_the_next_step(librarian_client, clinic):
    librarian_client.post(
        reverse("outreach:touchpoint_create", args=[clinic.pk]),
        {
            "occurred_on": TODAY.isoformat(),
            "channel": "phone",
            "subject": "Called Dana",
            "next_step": "Send Dana the volunteer form",
            "follow_up": "7",
        },
    )
    assert FollowUp.objects.get().title == "Send Dana the volunteer form"
