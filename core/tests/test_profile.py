"""The profile page: a person's own time zone and the address of their calendar feed."""

import pytest
from django.test import Client
from django.urls import reverse

from core.models import StaffProfile, calendar_token_hash
from core.profiles import calendar_token_rotate, email_preferences_update, profile_for

pytestmark = pytest.mark.django_db

PROFILE = reverse("profile")
ROTATE = reverse("calendar_token_rotate")


def test_the_profile_page_shows_the_time_zone_and_the_feed_address(
    librarian_client, librarian, settings
):
    settings.SITE_URL = "https://liaison.example-library.org"
    # The address is on the page when it is made (Liaison keeps only a hash of its token).
    response = librarian_client.post(ROTATE)
    html = response.content.decode()
    token = html.split("/calendar/", 1)[1].split(".ics", 1)[0]
    assert StaffProfile.objects.get(user=librarian).calendar_token_hash == calendar_token_hash(
        token
    )
    feed = f"https://liaison.example-library.org/calendar/{token}.ics"
    assert f'value="{feed}" readonly' in html
    assert f'href="webcal://liaison.example-library.org/calendar/{token}.ics"' in html
    assert "From URL" in html and "Subscribe from web" in html
    assert "Replace the address" in html
    html = librarian_client.get(PROFILE).content.decode()
    assert '<option value="America/New_York" selected>' in html
    # Common United States zones come first, then every zone.
    assert html.index("America/Los_Angeles") < html.index("Europe/Berlin")
    assert html.count('value="America/Chicago"') == 1


def test_saving_a_time_zone(librarian_client, librarian):
    response = librarian_client.post(PROFILE, {"time_zone": "America/Los_Angeles"}, follow=True)
    assert response.redirect_chain[-1][0] == PROFILE
    assert "America/Los_Angeles time zone" in response.content.decode()
    librarian.refresh_from_db()
    assert librarian.profile.time_zone == "America/Los_Angeles"
    # The next page is in the new zone.
    assert '<option value="America/Los_Angeles" selected>' in response.content.decode()


@pytest.mark.parametrize("value", ["Mars/Olympus_Mons", "", "../../etc/passwd", "<b>x</b>"])
def test_an_unknown_time_zone_is_refused(librarian_client, librarian, value):
    response = librarian_client.post(PROFILE, {"time_zone": value})
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    assert profile_for(librarian).time_zone == "America/New_York"
    assert "<b>x</b>" not in response.content.decode()


def test_a_zone_set_elsewhere_stays_selectable(librarian_client, librarian):
    profile = profile_for(librarian)
    profile.time_zone = "US/Eastern"  # a legacy alias, e.g. set in the admin
    profile.save()
    html = librarian_client.get(PROFILE).content.decode()
    assert '<option value="US/Eastern" selected>' in html


def test_a_new_feed_address_replaces_the_old_one(librarian_client, librarian):
    old_token = calendar_token_rotate(user=librarian)
    old_feed = reverse("outreach:calendar_feed", args=[old_token])
    assert Client().get(old_feed).status_code == 200
    assert librarian_client.get(ROTATE).status_code == 405
    response = librarian_client.post(ROTATE)
    assert response.status_code == 200  # shown, not redirected: the token is in no session
    html = response.content.decode()
    assert "The old address has stopped working" in html
    new_token = html.split("/calendar/", 1)[1].split(".ics", 1)[0]
    assert new_token != old_token
    assert new_token in html and old_token not in html
    assert Client().get(old_feed).status_code == 404
    new_feed = reverse("outreach:calendar_feed", args=[new_token])
    assert Client().get(new_feed).status_code == 200


def test_the_profile_needs_a_login(client):
    assert client.get(PROFILE).status_code == 302
    assert client.post(ROTATE).status_code == 302


def test_profile_page_queries(librarian_client, librarian, django_assert_max_num_queries):
    profile_for(librarian)
    # Session, user, profile, roles.
    with django_assert_max_num_queries(4):
        assert librarian_client.get(PROFILE).status_code == 200


# --- Email preferences --------------------------------------------------------------------

EMAILS = {"form": "email-preferences"}


def test_the_profile_page_shows_the_email_preferences(librarian_client, librarian):
    html = librarian_client.get(PROFILE).content.decode()
    assert "Emails from Liaison" in html
    assert "alice@library.example.org" in html
    assert "Daily digest at 8:00 AM" in html
    assert 'value="daily"' in html and 'value="weekdays"' in html and 'value="off"' in html
    assert "Meeting reminders the afternoon before" in html
    assert "An email when someone else gives me a follow-up" in html
    # Every field has its label.
    for field in ("id_digest_0", "id_meeting_reminders", "id_followup_assigned_emails"):
        assert f'for="{field}"' in html


def test_saving_email_preferences(librarian_client, librarian):
    response = librarian_client.post(
        PROFILE, {**EMAILS, "digest": "weekdays", "meeting_reminders": "on"}, follow=True
    )
    assert response.redirect_chain[-1][0] == PROFILE
    assert "Saved: your email preferences." in response.content.decode()
    profile = StaffProfile.objects.get(user=librarian)
    assert profile.digest == "weekdays"
    assert profile.meeting_reminders is True
    assert profile.followup_assigned_emails is False
    assert profile.time_zone == "America/New_York"  # the other form's setting stays
    form = response.context["email_form"]
    assert form.initial["digest"] == "weekdays"
    assert form.initial["followup_assigned_emails"] is False


def test_saving_the_time_zone_leaves_the_email_preferences_alone(librarian_client, librarian):
    librarian_client.post(PROFILE, {**EMAILS, "digest": "off"})
    librarian_client.post(PROFILE, {"time_zone": "Europe/Berlin"})
    profile = StaffProfile.objects.get(user=librarian)
    assert (profile.time_zone, profile.digest) == ("Europe/Berlin", "off")
    assert profile.meeting_reminders is False


def test_a_manager_sees_the_manager_summary_choice_and_a_librarian_does_not(
    client, librarian, manager
):
    client.force_login(manager)
    assert "The weekly manager summary" in client.get(PROFILE).content.decode()
    client.post(PROFILE, {**EMAILS, "digest": "daily"})
    assert StaffProfile.objects.get(user=manager).manager_summary is False
    client.post(PROFILE, {**EMAILS, "digest": "daily", "manager_summary": "on"})
    assert StaffProfile.objects.get(user=manager).manager_summary is True

    client.force_login(librarian)
    assert "The weekly manager summary" not in client.get(PROFILE).content.decode()


def test_a_librarian_cannot_turn_the_manager_summary_on_or_off(librarian_client, librarian):
    StaffProfile.objects.filter(user=librarian).update(manager_summary=False)
    librarian_client.post(PROFILE, {**EMAILS, "digest": "daily", "manager_summary": "on"})
    assert StaffProfile.objects.get(user=librarian).manager_summary is False


@pytest.mark.parametrize("value", ["", "hourly", "DAILY", "<b>x</b>", "daily\x01"])
def test_an_unknown_digest_choice_is_an_error_next_to_the_field(librarian_client, librarian, value):
    response = librarian_client.post(PROFILE, {**EMAILS, "digest": value})
    assert response.status_code == 200
    assert "digest" in response.context["email_form"].errors
    assert StaffProfile.objects.get(user=librarian).digest == "daily"
    assert "<b>x</b>" not in response.content.decode()


def test_a_list_where_one_value_is_expected_is_an_error_not_a_crash(librarian_client, librarian):
    response = librarian_client.post(
        PROFILE, {**EMAILS, "digest": ["daily", "off"], "meeting_reminders": ["on", "x"]}
    )
    assert response.status_code in (200, 302)
    assert StaffProfile.objects.get(user=librarian).digest in {"daily", "off"}


def test_email_preferences_service_refuses_an_unknown_digest(librarian):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        email_preferences_update(
            user=librarian, digest="hourly", meeting_reminders=True, followup_assigned_emails=True
        )
    assert "digest" in error.value.error_dict
