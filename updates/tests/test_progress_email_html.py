"""The progress update's preview frame: the email's HTML from its own address (mail.preview).

The frame loads the draft as saved, or as it is being typed (the htmx preview keeps the typed
text in the session under a key the frame's address carries), or the email as it was sent.
"""

import re

import pytest
from django.urls import reverse

from updates import services as services
from updates.tests.helpers import draft_february, progress_emails, subscribe

pytestmark = pytest.mark.django_db


def frame_address(html: str) -> str:
    match = re.search(r'<iframe [^>]*sandbox src="([^"]+)"', html)
    assert match, "no sandboxed frame"
    return match.group(1).replace("&amp;", "&")


def type_into_preview(client, update, message: str):
    return client.post(
        reverse("updates:progress_update_preview", args=[update.pk]),
        {"subject": "Our February", "message": message},
        headers={"HX-Request": "true"},
    )


def test_the_frame_shows_the_saved_draft_with_its_styles_under_its_own_policy(
    librarian_client, partner, librarian
):
    update = draft_february(subscribe(partner, librarian))
    services.progress_update_edit(update=update, subject="Our February", message="Saved words")
    page = librarian_client.get(update.get_absolute_url()).content.decode()

    response = librarian_client.get(frame_address(page))

    assert response.status_code == 200
    assert "Saved words" in response.content.decode()
    assert 'style="' in response.content.decode()  # the email's looks, as mail clients get them
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "style-src 'unsafe-inline'" in policy
    assert "sandbox" in policy and "script-src" not in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_the_frame_shows_the_text_being_typed_without_saving_it(
    librarian_client, partner, librarian
):
    update = draft_february(subscribe(partner, librarian))

    first = frame_address(
        type_into_preview(librarian_client, update, "First words").content.decode()
    )
    second = frame_address(
        type_into_preview(librarian_client, update, "Then more").content.decode()
    )

    # Each redraw points the frame at its own text, even if an earlier frame loads late.
    assert "First words" in librarian_client.get(first).content.decode()
    assert "Then more" in librarian_client.get(second).content.decode()
    update.refresh_from_db()
    assert update.message != "Then more"


def test_typed_text_stays_in_the_session_of_who_typed_it_and_with_its_update(
    client, librarian_client, partner, librarian, manager
):
    update = draft_february(subscribe(partner, librarian))
    services.progress_update_edit(update=update, subject="Our February", message="Saved words")
    typed = frame_address(type_into_preview(librarian_client, update, "Not yet").content.decode())

    client.force_login(manager)
    assert "Saved words" in client.get(typed).content.decode()
    # A key for another update is not used either.
    other = typed.replace(f"/{update.pk}/", f"/{update.pk + 1}/")
    assert librarian_client.get(other).status_code == 404


def test_the_frame_of_a_sent_update_shows_the_email_as_sent(librarian_client, partner, librarian):
    update = draft_february(subscribe(partner, librarian))
    services.progress_update_send(update=update, by=librarian)
    sent = progress_emails().first()
    assert sent is not None
    page = librarian_client.get(update.get_absolute_url()).content.decode()

    response = librarian_client.get(frame_address(page))

    assert response.content.decode() == sent.body_html


def test_a_skipped_update_has_no_email_to_frame(librarian_client, partner, librarian):
    update = draft_february(subscribe(partner, librarian))
    services.progress_update_skip(update=update, by=librarian)

    url = reverse("updates:progress_update_email_html", args=[update.pk])
    assert librarian_client.get(url).status_code == 404


def test_the_frame_queries(librarian_client, partner, librarian, django_assert_max_num_queries):
    update = draft_february(subscribe(partner, librarian))
    url = reverse("updates:progress_update_email_html", args=[update.pk])
    # The session, the user and the update; then the email renders the period's impact summary.
    with django_assert_max_num_queries(14):
        assert librarian_client.get(url).status_code == 200
