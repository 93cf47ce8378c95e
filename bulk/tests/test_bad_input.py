"""What a tampered, stale or empty request gets: a clear message, never a 500, nothing saved."""

import pytest
from django.urls import reverse

from bulk.models import BulkAction
from bulk.tests.helpers import choose
from partners.models import Organization

pytestmark = pytest.mark.django_db


def _message(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


def test_no_rows_selected_goes_back_to_the_list_saying_so(librarian_client):
    response = librarian_client.get(
        reverse("bulk:bulk_choose"), {"records": "organizations", "filter": "stage=active"}
    )
    assert response.status_code == 302
    assert response.url == reverse("partners:organization_list") + "?stage=active"
    assert "Select at least one organization first" in _message(response)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"records": "programs", "ids": "1"},
        {"records": "organizations", "ids": "1; drop table"},
        {"records": "organizations", "ids": "-4"},
    ],
)
def test_a_tampered_selection_is_refused_with_a_message(librarian_client, params):
    response = librarian_client.get(reverse("bulk:bulk_choose"), params)
    assert response.status_code == 302
    assert _message(response)


def test_an_unknown_action_is_a_form_error(librarian_client, rosas_partners):
    page = choose(librarian_client, "organizations", [rosas_partners[0].pk], action="delete")
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()


def test_ids_of_records_that_do_not_exist_change_nothing(manager_client, marcus):
    page = choose(manager_client, "organizations", [987654], action="owner", owner=marcus.pk)
    assert "Nothing to change" in page.content.decode()
    posted = manager_client.post(
        reverse("bulk:bulk_run"),
        {"records": "organizations", "ids": ["987654"], "action": "owner", "owner": marcus.pk},
    )
    assert posted.status_code == 200 and "Nothing to change" in posted.content.decode()
    assert not BulkAction.objects.exists()


def test_a_confirmation_without_its_digest_is_shown_again_not_run(
    manager_client, rosa, marcus, rosas_partners
):
    ids = [str(o.pk) for o in rosas_partners[:2]]
    posted = manager_client.post(
        reverse("bulk:bulk_run"),
        {"records": "organizations", "ids": ids, "action": "owner", "owner": marcus.pk},
    )
    assert posted.status_code == 200 and "Check and confirm" in posted.content.decode()
    assert not Organization.objects.filter(owner=marcus).exists()


def test_a_confirmation_with_a_bad_value_goes_back_to_the_choice(manager_client, rosas_partners):
    posted = manager_client.post(
        reverse("bulk:bulk_run"),
        {
            "records": "organizations",
            "ids": [rosas_partners[0].pk],
            "action": "owner",
            "owner": "x",
        },
    )
    assert posted.status_code == 302 and posted.url.startswith(reverse("bulk:bulk_choose"))


def test_the_bulk_pages_answer_get_and_post_only_as_meant(librarian_client):
    assert librarian_client.post(reverse("bulk:bulk_choose")).status_code == 405
    assert librarian_client.get(reverse("bulk:bulk_run")).status_code == 405


def test_a_filter_with_a_line_break_is_read_as_a_query_string_not_a_header(librarian_client):
    response = librarian_client.get(
        reverse("bulk:bulk_choose"),
        {"records": "organizations", "filter": "stage=active\r\nSet-Cookie: x=1"},
    )
    assert response.status_code == 302
    assert "\n" not in response["Location"] and "Set-Cookie" not in response.cookies


def test_digits_of_other_scripts_are_no_record_numbers(manager_client):
    response = manager_client.get(
        reverse("bulk:bulk_choose"), {"records": "organizations", "ids": "²"}
    )
    assert response.status_code == 302  # back to the list, saying so; not a 500


def test_a_snooze_after_the_last_day_liaison_takes_is_refused_next_to_the_field(
    librarian_client, librarian
):
    from bulk.tests.test_followups_and_contacts import _followups

    followup = _followups(librarian, count=1)[0]
    page = librarian_client.get(
        reverse("bulk:bulk_choose"),
        {"records": "followups", "ids": [followup.pk], "action": "snooze", "until": "2101-01-01"},
    )
    assert page.status_code == 200
    assert "Pick a day in 2100 or earlier." in page.content.decode()
