"""Capture: each message read once into touchpoints on the right organizations, or unfiled."""

import mailbox

import pytest

from inbox.models import CapturedAttachment, CapturedEmail, SetAside
from inbox.parsing import html_to_text, parse
from inbox.reading import mailbox_read
from inbox.services import captured_email_discard, captured_email_file, email_capture
from inbox.sources import PROCESSED, TOO_LARGE, UNREADABLE, MaildirSource
from inbox.tests.messages import MALFORMED, latin1_raw, raw
from outreach.models import Touchpoint
from partners.models import Contact
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def captured(content: bytes) -> CapturedEmail:
    """The email a message became (one a person wrote)."""
    email = email_capture(raw=content).email
    assert email is not None
    return email


@pytest.fixture
def clinic():
    return OrganizationFactory(name="Riverside Community Clinic")


@pytest.fixture
def maya(clinic):
    contact = ContactFactory(name="Maya Lopez", email="maya@clinic.example.org")
    AffiliationFactory(contact=contact, organization=clinic)
    return contact


def test_an_email_from_a_contact_becomes_a_touchpoint_on_her_organization(librarian, maya, clinic):
    result = email_capture(raw=raw())
    email = result.email
    assert result.created and email is not None and email.status == CapturedEmail.Status.FILED
    assert email.direction == CapturedEmail.Direction.IN
    assert email.staff == librarian  # she wrote to Alice
    touchpoint = Touchpoint.objects.get(organization=clinic)
    assert touchpoint.channel == Touchpoint.Channel.EMAIL
    assert touchpoint.subject == "Diabetes workshop dates"
    assert touchpoint.notes == "Could we hold the workshop on the 14th?"
    assert list(touchpoint.contacts.all()) == [maya]
    assert touchpoint.staff == librarian
    clinic.refresh_from_db()
    assert clinic.last_touchpoint_on == touchpoint.occurred_on


def test_the_same_message_read_again_makes_nothing_new(librarian, maya, clinic):
    first = email_capture(raw=raw(message_id="<once@mail.example.org>"))
    again = email_capture(raw=raw(message_id="<once@mail.example.org>"))
    assert first.created and not again.created and again.email == first.email
    assert CapturedEmail.objects.count() == 1
    assert Touchpoint.objects.count() == 1


def test_email_a_librarian_sends_and_bccs_is_logged_as_hers(librarian, maya, clinic):
    email_capture(
        raw=raw(sender="Alice Reyes <alice@library.example.org>", to="maya@clinic.example.org")
    )
    email = CapturedEmail.objects.get()
    assert email.direction == CapturedEmail.Direction.OUT
    assert Touchpoint.objects.get().staff == librarian


def test_a_staff_members_other_address_is_recognised(librarian, maya):
    from core.profiles import profile_addresses_update

    profile_addresses_update(user=librarian, addresses=["Alice.Home@Example.NET"])
    email_capture(raw=raw(sender="alice.home@example.net", to="maya@clinic.example.org"))
    email = CapturedEmail.objects.get()
    assert email.direction == CapturedEmail.Direction.OUT and email.staff == librarian


def test_every_organization_of_every_person_gets_the_touchpoint(librarian, maya, clinic):
    coalition = OrganizationFactory(name="Healthy Communities Coalition")
    AffiliationFactory(contact=maya, organization=coalition)
    ben = ContactFactory(name="Ben Ortiz", email="ben@county.example.gov")
    county = OrganizationFactory(name="Tamarack County Health")
    AffiliationFactory(contact=ben, organization=county)
    email_capture(raw=raw(cc="Ben Ortiz <ben@county.example.gov>"))
    by_org = {t.organization.name: t for t in Touchpoint.objects.select_related("organization")}
    assert set(by_org) == {clinic.name, coalition.name, county.name}
    assert list(by_org[county.name].contacts.all()) == [ben]


def test_a_past_affiliation_does_not_file_the_email(librarian, maya, clinic):
    import datetime as dt

    maya.affiliations.update(end_date=dt.date(2026, 1, 1))
    email = captured(raw())
    assert email.status == CapturedEmail.Status.UNFILED
    assert not Touchpoint.objects.exists()


def test_a_staff_forward_is_the_partners_email(librarian, maya, clinic):
    forwarded = (
        "FYI, see below.\n\n---------- Forwarded message ---------\n"
        "From: Maya Lopez <maya@clinic.example.org>\n"
        "Date: Mon, 2 Nov 2026 09:12:00 -0500\n"
        "Subject: Flu clinic at the branch\n"
        "To: Alice Reyes <alice@library.example.org>\n\n"
        "Can we use the meeting room on Saturday?\n"
    )
    email_capture(
        raw=raw(
            sender="alice@library.example.org",
            to="liaison@library.example.org",
            subject="Fwd: Flu clinic at the branch",
            text=forwarded,
        )
    )
    email = CapturedEmail.objects.get()
    assert email.from_address == "maya@clinic.example.org"
    assert email.direction == CapturedEmail.Direction.IN
    assert email.subject == "Flu clinic at the branch"
    assert email.text == "Can we use the meeting room on Saturday?"
    assert email.staff == librarian
    assert Touchpoint.objects.get().organization == clinic


def test_a_forward_with_the_original_attached_is_unwrapped(librarian, maya, clinic):
    from email.message import EmailMessage

    from inbox.tests.messages import message

    original = message(subject="Grant letter of support")
    outer = EmailMessage()
    outer["From"] = "alice@library.example.org"
    outer["To"] = "liaison@library.example.org"
    outer["Subject"] = "Fwd: Grant letter of support"
    outer["Message-ID"] = "<fwd-attached@library.example.org>"
    outer.set_content("See attached.")
    outer.add_attachment(original)
    captured(bytes(outer))
    email = CapturedEmail.objects.get()
    assert (email.from_address, email.subject) == (
        "maya@clinic.example.org",
        "Grant letter of support",
    )


def test_unknown_senders_wait_in_the_unfiled_list(librarian):
    email = captured(raw(sender="someone@elsewhere.example.com"))
    assert email.status == CapturedEmail.Status.UNFILED
    assert not Touchpoint.objects.exists()


def test_filing_an_unfiled_email_with_its_sender_as_a_new_contact(librarian, clinic):
    email = captured(raw(sender="Rosa Park <Rosa@Elsewhere.example.com>"))
    touchpoint = captured_email_file(
        email=email, organization=clinic, by=librarian, add_people=True
    )
    rosa = Contact.objects.get(email="rosa@elsewhere.example.com")
    assert rosa.name == "Rosa Park"
    assert list(touchpoint.contacts.all()) == [rosa]
    assert rosa.affiliations.get().organization == clinic
    email.refresh_from_db()
    assert email.status == CapturedEmail.Status.FILED and email.handled_by == librarian
    with pytest.raises(Exception, match="already been filed"):
        captured_email_file(email=email, organization=clinic, by=librarian)


def test_discarding_keeps_the_email(librarian):
    email = captured(raw(sender="someone@elsewhere.example.com"))
    captured_email_discard(email=email, by=librarian)
    email.refresh_from_db()
    assert email.status == CapturedEmail.Status.DISCARDED


def test_mail_from_someone_who_asked_not_to_be_contacted_is_logged_and_flagged(librarian, maya):
    maya.do_not_contact = True
    maya.save()
    email = captured(raw())
    assert email.from_do_not_contact and email.status == CapturedEmail.Status.FILED


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"List-Id": "<news.clinic.example.org>"},
        {"X-Autoreply": "yes"},
    ],
)
def test_automatic_and_list_mail_is_not_logged(librarian, maya, headers):
    result = email_capture(raw=raw(headers=headers))
    assert result.email is None and result.ignored
    assert not CapturedEmail.objects.exists() and not Touchpoint.objects.exists()


def test_a_bounce_is_not_logged(librarian, maya):
    result = email_capture(raw=raw(sender="MAILER-DAEMON@mail.example.org"))
    assert result.ignored and not CapturedEmail.objects.exists()


def test_html_only_email_is_reduced_to_safe_text(librarian, maya):
    html = (
        "<html><head><style>p{color:red}</style><script>alert(1)</script></head>"
        "<body><p>Hello&nbsp;Alice,</p><p>See <b>you</b> <a href='x'>Tuesday</a>.</p>"
        "<img src=x onerror=alert(2)></body></html>"
    )
    email = captured(raw(text=None, html=html))
    assert email.text == "Hello Alice,\n\nSee you Tuesday."
    assert "alert" not in email.text and "<" not in email.text


def test_html_to_text_survives_empty_and_broken_markup():
    assert html_to_text("") == ""
    assert html_to_text("<p>unclosed <b>bold") == "unclosed bold"


def test_attachments_are_kept_with_the_email(librarian, maya, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = b"%PDF-1.4 signed memorandum"
    email = captured(raw(attachments=[("Signed MOU.pdf", "application/pdf", pdf)]))
    attachment = CapturedAttachment.objects.get(email=email)
    assert attachment.filename == "Signed MOU.pdf" and attachment.size == len(pdf)
    assert attachment.file.read() == pdf


def test_a_non_utf8_message_with_encoded_headers(librarian):
    parsed = parse(latin1_raw())
    assert parsed.from_name == "Hélène Dubois"
    assert parsed.subject == "Réunion du comité"
    assert parsed.text == "Merci pour la réunion. À bientôt, Hélène"


def test_replies_share_their_conversation(librarian, maya):
    first = captured(raw(message_id="<root@clinic.example.org>"))
    reply = captured(
        raw(
            sender="alice@library.example.org",
            to="maya@clinic.example.org",
            subject="Re: Diabetes workshop dates",
            message_id="<reply@library.example.org>",
            headers={
                "In-Reply-To": "<root@clinic.example.org>",
                "References": "<root@clinic.example.org>",
            },
        )
    )
    assert reply.thread_key == first.thread_key == "<root@clinic.example.org>"


# --- The Maildir under var/inbox/: the embedded default -------------------------------------


def _deliver(path, *messages: bytes) -> None:
    box = mailbox.Maildir(path, create=True)
    for content in messages:
        box.add(content)


def test_reading_a_maildir_moves_each_message_to_its_folder(librarian, maya, settings, tmp_path):
    settings.LIAISON_INBOX_DIR = str(tmp_path / "inbox")
    settings.LIAISON_INBOUND_MAX_BYTES = 50_000
    _deliver(
        tmp_path / "inbox",
        raw(message_id="<a@x.org>"),
        raw(message_id="<b@x.org>", headers={"Auto-Submitted": "auto-replied"}),
        MALFORMED,
        raw(message_id="<big@x.org>", text="x" * 60_000),
    )
    done = mailbox_read(MaildirSource(tmp_path / "inbox"))
    assert (done.captured, done.ignored, len(done.unreadable), done.too_large) == (1, 1, 1, 1)
    box = mailbox.Maildir(tmp_path / "inbox")
    assert len(box) == 0
    counts = {name: len(box.get_folder(name)) for name in (PROCESSED, UNREADABLE, TOO_LARGE)}
    assert counts == {PROCESSED: 2, UNREADABLE: 1, TOO_LARGE: 1}
    reasons = {s.reason: s for s in SetAside.objects.all()}
    assert "no sender" in reasons[SetAside.Reason.UNREADABLE].detail
    assert reasons[SetAside.Reason.TOO_LARGE].subject == "Diabetes workshop dates"
    # Read again: nothing waits, nothing is doubled.
    assert mailbox_read(MaildirSource(tmp_path / "inbox")).captured == 0
    assert CapturedEmail.objects.count() == 1


# --- Messages that once stopped the reader -----------------------------------------------------


def test_odd_headers_names_and_characters_are_read(librarian, maya, media_root):
    content = raw(
        message_id="<odd@x.org>",
        text="Before\x00after",
        attachments=[("..", "application/pdf", b"%PDF"), ("a\tb.pdf", "application/pdf", b"%")],
    ).replace(b"<odd@x.org>", b"<<<>>>")
    email = captured(content)
    assert email.message_id == "<<<>>>" and email.text == "Beforeafter"
    names = sorted(a.filename for a in email.attachments.all())
    assert names == ["a_b.pdf", "attachment"]
    assert all(a.file.name.startswith("inbox/") for a in email.attachments.all())


def test_a_date_in_the_future_is_taken_as_now(librarian, maya):
    import datetime as dt

    from django.utils import timezone

    email = captured(raw(when=dt.datetime(2031, 1, 1, tzinfo=dt.UTC)))
    assert abs(email.sent_at - timezone.now()) < dt.timedelta(minutes=1)


def test_html_with_an_xml_declaration_keeps_its_text():
    html = '<?xml version="1.0" encoding="utf-8"?><html><body><p>Kept</p></body></html>'
    assert html_to_text(html) == "Kept"


def test_an_attached_email_stays_an_attachment(librarian, maya, media_root):
    from email.message import EmailMessage

    from inbox.tests.messages import message

    outer = EmailMessage()
    outer["From"] = "maya@clinic.example.org"
    outer["To"] = "alice@library.example.org"
    outer["Subject"] = "See the thread below"
    outer.set_content("See below")
    outer.add_attachment(message(text="Inner body"))
    email = captured(bytes(outer))
    assert email.text == "See below"
    assert [a.filename for a in email.attachments.all()] == ["attachment.eml"]


def test_a_message_liaison_cannot_file_is_set_aside_and_the_rest_read(
    librarian, maya, settings, tmp_path, monkeypatch
):
    import inbox.reading

    settings.LIAISON_INBOX_DIR = str(tmp_path / "inbox")
    _deliver(tmp_path / "inbox", raw(message_id="<bad@x.org>"), raw(message_id="<good@x.org>"))
    real = inbox.reading.email_capture

    def fails_once(*, raw: bytes, **kwargs):
        if b"<bad@x.org>" in raw:
            raise ValueError("a value the database refuses")
        return real(raw=raw, **kwargs)

    monkeypatch.setattr(inbox.reading, "email_capture", fails_once)
    done = mailbox_read(MaildirSource(tmp_path / "inbox"))
    assert done.captured == 1 and done.unreadable == [
        "Liaison could not file it (ValueError): a person can, from the folder."
    ]
    assert SetAside.objects.get().folder == UNREADABLE


# --- Whose word is taken for the sender: the library's mail server's ----------------------------

MX = "mx.library.example.org"


@pytest.mark.parametrize(
    ("results", "verified"),
    [
        ([f"{MX}; dmarc=pass header.from=clinic.example.org"], True),
        ([f"{MX}; spf=pass smtp.mailfrom=maya@clinic.example.org; dmarc=none"], True),
        ([f"{MX}; dkim=pass header.d=mail.clinic.example.org"], False),  # another domain
        ([f"{MX}; dkim=pass header.d=example.org"], True),  # the parent domain signed it
        ([f"{MX}; spf=pass smtp.mailfrom=x@elsewhere.example.com"], False),
        (
            [
                f"{MX}; dmarc=fail header.from=clinic.example.org;"
                " spf=pass smtp.mailfrom=clinic.example.org"
            ],
            False,
        ),
        (["forger.example.com; dmarc=pass header.from=clinic.example.org"], False),  # not ours
        ([], False),
    ],
)
def test_only_the_library_servers_results_verify_a_sender(
    librarian, maya, clinic, settings, results, verified
):
    settings.LIAISON_CAPTURE_AUTHSERV_ID = MX
    content = raw()
    for result in results:
        content = f"Authentication-Results: {result}\r\n".encode() + content
    email = captured(content)
    assert email.sender_verified is verified
    assert email.status == (
        CapturedEmail.Status.FILED if verified else CapturedEmail.Status.UNFILED
    )
    assert Touchpoint.objects.exists() is verified


def test_without_a_server_to_trust_every_sender_is_taken_as_written(librarian, maya):
    assert captured(raw()).sender_verified is None
