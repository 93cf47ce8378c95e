"""An email's HTML version, served alone for the sandboxed frame on its page (mail.preview)."""

import pytest
from django.urls import reverse

from mail import outbox
from mail.models import OutgoingEmail

pytestmark = pytest.mark.django_db

STYLED = '<p style="color:#b02a37">Hi</p><script>alert(1)</script>'


def an_email(body_html: str = STYLED) -> OutgoingEmail:
    row = outbox.email_queue(
        outbox.Email(
            kind=OutgoingEmail.Kind.DIGEST, key="html", to_address="ana@example.org",
            subject="Your day", body_text="Hi", body_html=body_html,
        )
    )  # fmt: skip
    assert row is not None
    return row


def test_the_html_version_keeps_its_inline_styles_under_a_policy_of_its_own(manager_client):
    email = an_email()

    response = manager_client.get(reverse("mail:email_html", args=[email.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response.content.decode() == STYLED
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().partition(" ")[::2] for part in policy.split(";"))
    # Styles inline (what mail clients need), images only as data:, nothing else loads or runs.
    assert directives == {
        "default-src": "'none'",
        "style-src": "'unsafe-inline'",
        "img-src": "data:",
        "base-uri": "'none'",
        "form-action": "'none'",
        "frame-ancestors": "'self'",
        "sandbox": "",
    }
    # Only Liaison's own pages may frame it (every other page: frame-ancestors 'none', DENY).
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_the_email_page_frames_the_html_version_in_a_sandbox(manager_client):
    email = an_email()

    page = manager_client.get(reverse("mail:email_detail", args=[email.pk])).content.decode()

    frame = reverse("mail:email_html", args=[email.pk])
    assert f'<iframe title="HTML version of the email" sandbox src="{frame}"' in page
    assert "srcdoc" not in page and "alert(1)" not in page


def test_only_managers_see_an_emails_html(librarian_client):
    email = an_email()
    response = librarian_client.get(reverse("mail:email_html", args=[email.pk]))
    assert response.status_code == 403


def test_an_email_without_an_html_version_has_none_to_show(manager_client):
    email = an_email(body_html="")
    response = manager_client.get(reverse("mail:email_html", args=[email.pk]))
    assert response.status_code == 404
