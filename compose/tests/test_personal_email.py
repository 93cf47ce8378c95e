"""An email to one person, written in Liaison: merge fields, preview, send, log, thread."""

import uuid

import pytest
from django.core import mail
from django.urls import reverse

from compose.models import SentEmail
from compose.services import email_template_create, personal_email_send
from inbox.models import CapturedEmail
from inbox.services import email_capture
from inbox.tests.messages import raw
from mail import outbox
from mail.models import OutgoingEmail
from outreach.models import Touchpoint
from partners.tests.factories import AffiliationFactory, ContactFactory

pytestmark = pytest.mark.django_db

URL = reverse("compose:personal_email")


def _send(sender, organization, *contacts, subject="Workshop dates", body="Hello"):
    return personal_email_send(
        key=uuid.uuid4(),
        sender=sender,
        contacts=list(contacts),
        organization=organization,
        subject=subject,
        body=body,
    )


def _post(client, query: str, **fields):
    data = {"key": str(uuid.uuid4()), "subject": "Workshop dates", "body": "Hello", **fields}
    return client.post(f"{URL}?{query}", data)


def test_the_preview_is_the_email_as_sent_with_merge_fields_filled(
    librarian_client, librarian, clinic, maya
):
    librarian.profile.email_signature = "Alice Reyes\nOutreach librarian"
    librarian.profile.save()
    response = _post(
        librarian_client,
        f"contact={maya.pk}",
        action="preview",
        recipients=[maya.pk],
        organization=clinic.pk,
        subject="{organization} and {library_name}",
        body="Dear {first_name},\n\nSee you soon.\n\n{sender_signature}",
    )
    page = response.content.decode()
    assert "Alice Reyes &lt;liaison@library.example.org&gt;" in page  # From: her name
    assert "alice@library.example.org" in page  # Reply-To: her address
    assert "Eastside Community Clinic and Riverside Public Library" in page
    assert "Dear Maya," in page and "Outreach librarian" in page
    assert not OutgoingEmail.objects.exists(), "a preview sends nothing"


def test_sending_queues_the_email_and_logs_it_at_once(librarian_client, librarian, clinic, maya):
    response = _post(
        librarian_client,
        f"contact={maya.pk}",
        action="send",
        recipients=[maya.pk],
        organization=clinic.pk,
        body="Dear {first_name}, could we meet on the 14th?",
    )
    assert response.status_code == 302 and response.url == clinic.get_absolute_url()
    row = OutgoingEmail.objects.get()
    assert row.kind == OutgoingEmail.Kind.PERSONAL and row.contact == maya
    assert row.headers["From"] == "Alice Reyes <liaison@library.example.org>"
    assert row.headers["Reply-To"] == "alice@library.example.org"
    assert row.bcc == "liaison@library.example.org"
    touchpoint = Touchpoint.objects.get()
    assert touchpoint.channel == Touchpoint.Channel.EMAIL and touchpoint.staff == librarian
    assert list(touchpoint.contacts.all()) == [maya]
    assert touchpoint.notes == "Dear Maya, could we meet on the 14th?"
    assert touchpoint.conversation == row.message_id
    assert row.related_url == reverse("outreach:touchpoint_detail", args=[touchpoint.pk])
    assert SentEmail.objects.get().touchpoint == touchpoint

    outbox.emails_send_due()
    [message] = mail.outbox
    assert message.bcc == ["liaison@library.example.org"]
    assert message.to == ["Maya Lopez <maya@clinic.example.org>"]
    header = message.message()
    assert header["From"] == "Alice Reyes <liaison@library.example.org>"
    assert header["Reply-To"] == "alice@library.example.org"
    assert "Bcc" not in header


def test_the_same_form_posted_twice_sends_once(librarian_client, clinic, maya):
    key = str(uuid.uuid4())
    for _ in range(2):
        _post(
            librarian_client,
            f"contact={maya.pk}",
            action="send",
            recipients=[maya.pk],
            organization=clinic.pk,
            key=key,
        )
    assert OutgoingEmail.objects.count() == 1
    assert Touchpoint.objects.count() == 1


def test_the_blind_copy_and_the_partners_reply_join_one_conversation(librarian, clinic, maya):
    [sent] = _send(
        librarian, clinic, maya, subject="Workshop dates", body="Could we meet on the 14th?"
    )
    outbox.emails_send_due()
    copy = mail.outbox[0].message().as_bytes()
    # The capture mailbox receives the blind copy: the same Message-ID, nothing logged twice.
    captured = email_capture(raw=copy)
    assert not captured.created
    assert Touchpoint.objects.count() == 1
    assert sent.outgoing is not None and sent.touchpoint is not None
    message_id = sent.outgoing.message_id
    reply = raw(
        sender="Maya Lopez <maya@clinic.example.org>",
        to="alice@library.example.org",
        subject="Re: Workshop dates",
        text="The 14th works.",
        headers={"In-Reply-To": message_id, "References": message_id},
    )
    assert email_capture(raw=reply).created
    answer = Touchpoint.objects.exclude(pk=sent.touchpoint.pk).get()
    assert answer.conversation == sent.touchpoint.conversation == message_id
    assert CapturedEmail.objects.filter(thread_key=message_id).count() == 2


def test_do_not_contact_blocks_sending_with_a_clear_message(librarian_client, librarian, clinic):
    barred = ContactFactory(name="Sam Ortiz", email="sam@clinic.example.org", do_not_contact=True)
    AffiliationFactory(contact=barred, organization=clinic)
    page = librarian_client.get(f"{URL}?contact={barred.pk}").content.decode()
    assert "Sam Ortiz: marked “do not contact”." in page
    assert 'name="subject"' not in page
    # Posted anyway (an old page): refused, nothing queued or logged.
    response = _post(
        librarian_client,
        f"organization={clinic.pk}",
        action="send",
        recipients=[barred.pk],
        organization=clinic.pk,
    )
    assert response.status_code == 200
    assert not OutgoingEmail.objects.exists() and not Touchpoint.objects.exists()
    with pytest.raises(Exception, match="do not contact"):
        _send(librarian, clinic, barred, subject="Hi", body="Hi")


def test_an_opted_out_contact_still_gets_a_personal_email(librarian, clinic, maya):
    """Opting out is from group email and progress updates: a librarian may still write."""
    from django.utils import timezone

    maya.opted_out_of_updates, maya.opted_out_at = True, timezone.now()
    maya.save()
    _send(librarian, clinic, maya, subject="Hi", body="Hi")
    outbox.emails_send_due()
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_an_unknown_merge_field_is_named_next_to_the_field_and_nothing_is_sent(
    librarian_client, clinic, maya
):
    response = _post(
        librarian_client,
        f"contact={maya.pk}",
        action="send",
        recipients=[maya.pk],
        organization=clinic.pk,
        body="Dear {frist_name}, <script>alert(1)</script>",
    )
    page = response.content.decode()
    assert "Liaison does not know {frist_name}" in page
    assert "<script>alert(1)</script>" not in page
    assert not OutgoingEmail.objects.exists() and not Touchpoint.objects.exists()


def test_an_organizations_email_offers_its_people_with_the_primary_ticked(
    librarian_client, clinic, maya
):
    other = ContactFactory(name="Lee Park", email="lee@clinic.example.org")
    AffiliationFactory(contact=other, organization=clinic)
    nobody = ContactFactory(name="Noor Ali", email="")
    AffiliationFactory(contact=nobody, organization=clinic)
    page = librarian_client.get(f"{URL}?organization={clinic.pk}").content.decode()
    assert f'value="{maya.pk}" checked' in page.replace(' id="id_recipients_0"', "")
    assert "Lee Park &lt;lee@clinic.example.org&gt;" in page
    assert "Noor Ali: no email address." in page


def test_a_template_fills_the_form(librarian_client, manager, clinic, maya):
    template = email_template_create(
        name="Invitation", subject="Join us, {organization}", body="Dear {first_name}", by=manager
    )
    page = librarian_client.get(f"{URL}?contact={maya.pk}&template={template.pk}").content.decode()
    assert "Join us, {organization}" in page and "Dear {first_name}" in page


def test_the_touchpoint_shows_whether_the_email_has_left(librarian_client, librarian, clinic, maya):
    [sent] = _send(librarian, clinic, maya, subject="Workshop dates", body="Hello")
    assert sent.touchpoint is not None
    url = reverse("outreach:touchpoint_detail", args=[sent.touchpoint.pk])
    assert "Waiting to send" in librarian_client.get(url).content.decode()
    outbox.emails_send_due()
    page = librarian_client.get(url).content.decode()
    assert "Sent from Liaison" in page and ">Sent</span>" in page


def test_a_contact_at_no_organization_is_told_where_it_would_be_logged(librarian_client):
    loner = ContactFactory(name="Ira Cole", email="ira@example.org")
    page = librarian_client.get(f"{URL}?contact={loner.pk}").content.decode()
    assert "Ira Cole is not at any organization now" in page
    assert 'name="subject"' not in page


def test_the_email_buttons(librarian_client, clinic, maya):
    contact_page = librarian_client.get(maya.get_absolute_url()).content.decode()
    assert f'href="{URL}?contact={maya.pk}">Email</a>' in contact_page
    organization_page = librarian_client.get(clinic.get_absolute_url()).content.decode()
    assert f'href="{URL}?organization={clinic.pk}">Email</a>' in organization_page


@pytest.mark.parametrize("value", ["²", "1e3", "-1", "", "99999999999999999999"])
def test_a_tampered_link_is_not_found(librarian_client, value):
    assert librarian_client.get(f"{URL}?contact={value}").status_code == 404
    assert librarian_client.get(f"{URL}?organization={value}").status_code == 404
