"""The unfiled list, filing and discarding, set-aside notices and attachments, as staff use them."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from inbox.models import CapturedAttachment, CapturedEmail, SetAside
from inbox.services import email_capture
from inbox.tests import messages
from inbox.tests.messages import raw
from outreach.models import Touchpoint
from partners.models import Contact
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def unfiled(**kwargs) -> CapturedEmail:
    email = email_capture(
        raw=raw(sender="Jordan Ellis <jordan@pantry.example.org>", **kwargs)
    ).email
    assert email is not None and email.status == CapturedEmail.Status.UNFILED
    return email


def test_the_unfiled_list_shows_what_waits_escaped(librarian_client):
    unfiled(subject="<script>alert(1)</script> food night")
    SetAside.objects.create(
        reason=SetAside.Reason.TOO_LARGE, detail="20.0 MB, over the 15 MB.", folder="Too large",
        subject="Scans", size=20 << 20,
    )  # fmt: skip
    page = librarian_client.get(reverse("inbox:unfiled_list")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; food night" in page
    assert "<script>alert(1)" not in page
    assert "Jordan Ellis" in page and "1 email to file" in page
    assert "Too large:</strong> Scans" in page


def test_filing_from_the_page_with_the_sender_as_a_contact(librarian_client, librarian):
    email = unfiled()
    pantry = OrganizationFactory(name="Eastside Food Pantry")
    answer = librarian_client.post(
        reverse("inbox:unfiled_detail", args=[email.pk]),
        {
            "organization_name": "Eastside Food Pantry",
            "organization": pantry.pk,
            "add_people": "on",
        },
    )
    assert answer.status_code == 302 and answer["Location"] == pantry.get_absolute_url()
    touchpoint = Touchpoint.objects.get(organization=pantry)
    jordan = Contact.objects.get(email="jordan@pantry.example.org")
    assert list(touchpoint.contacts.all()) == [jordan] and touchpoint.staff == librarian
    assert (
        librarian_client.get(reverse("inbox:unfiled_list"))
        .content.decode()
        .count("Nothing to file")
        == 1
    )


def test_filing_without_an_organization_says_so_and_saves_nothing(librarian_client):
    email = unfiled()
    answer = librarian_client.post(
        reverse("inbox:unfiled_detail", args=[email.pk]), {"organization_name": "No such place"}
    )
    assert answer.status_code == 200
    assert "No such place" in answer.content.decode()
    assert 'aria-invalid="true"' in answer.content.decode()
    email.refresh_from_db()
    assert email.status == CapturedEmail.Status.UNFILED and not Touchpoint.objects.exists()


def test_discarding_from_the_page(librarian_client):
    email = unfiled()
    answer = librarian_client.post(reverse("inbox:unfiled_discard", args=[email.pk]))
    assert answer.status_code == 302
    email.refresh_from_db()
    assert email.status == CapturedEmail.Status.DISCARDED
    # Discarded twice (a second tab): a message, not an error.
    again = librarian_client.post(reverse("inbox:unfiled_discard", args=[email.pk]), follow=True)
    assert "already" in again.content.decode()


def test_a_set_aside_notice_is_marked_seen(librarian_client, librarian):
    notice = SetAside.objects.create(
        reason=SetAside.Reason.UNREADABLE, detail="It has no sender address (From).",
        folder="Could not read", size=100,
    )  # fmt: skip
    librarian_client.post(reverse("inbox:set_aside_seen", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.seen_by == librarian and notice.seen_at is not None


def test_a_touchpoint_from_an_email_shows_the_email_and_its_conversation(librarian_client):
    clinic = OrganizationFactory(name="Riverside Community Clinic")
    maya = ContactFactory(name="Maya Lopez", email="maya@clinic.example.org")
    AffiliationFactory(contact=maya, organization=clinic)
    email_capture(raw=raw(message_id="<root@clinic.example.org>", cc="Ben <ben@x.example.org>"))
    email_capture(
        raw=raw(
            sender="alice@library.example.org", to="maya@clinic.example.org",
            subject="Re: Diabetes workshop dates", message_id="<r@library.example.org>",
            headers={"In-Reply-To": "<root@clinic.example.org>"},
        )
    )  # fmt: skip
    first = Touchpoint.objects.get(subject="Diabetes workshop dates")
    page = librarian_client.get(reverse("outreach:touchpoint_detail", args=[first.pk]))
    html = page.content.decode()
    assert "The email" in html and "Ben &lt;ben@x.example.org&gt;" in html
    reply = Touchpoint.objects.get(subject="Re: Diabetes workshop dates")
    assert reverse("outreach:touchpoint_detail", args=[reply.pk]) in html


def test_a_touchpoint_logged_by_hand_has_no_email_panel(librarian_client):
    touchpoint = Touchpoint.objects.create(
        organization=OrganizationFactory(), occurred_on="2026-11-02", subject="Called",
        channel=Touchpoint.Channel.EMAIL,
    )  # fmt: skip
    page = librarian_client.get(reverse("outreach:touchpoint_detail", args=[touchpoint.pk]))
    assert page.status_code == 200 and "Captured from Liaison" not in page.content.decode()


@pytest.mark.parametrize(
    ("filename", "content_type", "disposition", "served_as"),
    [
        ("MOU.pdf", "application/pdf", "inline", "application/pdf"),
        ("page.html", "text/html", "attachment", "application/octet-stream"),
        ("run.exe", "application/x-msdownload", "attachment", "application/octet-stream"),
    ],
)
def test_attachments_are_served_safely(
    librarian_client, media_root, filename, content_type, disposition, served_as
):
    email = unfiled()
    attachment = CapturedAttachment.objects.create(
        email=email, file=ContentFile(b"content", name=filename), filename=filename,
        content_type=content_type, size=7,
    )  # fmt: skip
    answer = librarian_client.get(reverse("inbox:attachment_download", args=[attachment.pk]))
    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith(disposition)
    assert answer["Content-Type"] == served_as
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in answer["Content-Security-Policy"]


def test_attachments_need_a_login(client, media_root):
    email = unfiled()
    attachment = CapturedAttachment.objects.create(
        email=email, file=ContentFile(b"x", name="a.pdf"), filename="a.pdf",
        content_type="application/pdf", size=1,
    )  # fmt: skip
    answer = client.get(reverse("inbox:attachment_download", args=[attachment.pk]))
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_the_unfiled_list_reads_a_fixed_number_of_queries(
    librarian_client, django_assert_max_num_queries
):
    for n in range(30):
        unfiled(message_id=f"<q{n}@pantry.example.org>")
    with django_assert_max_num_queries(8):
        assert librarian_client.get(reverse("inbox:unfiled_list")).status_code == 200


def test_a_librarian_lists_the_other_addresses_she_writes_from(librarian_client, librarian):
    from core.profiles import profile_for

    answer = librarian_client.post(
        reverse("profile"),
        {"form": "other-addresses", "addresses": "Alice.Home@Example.NET\nnot an address"},
    )
    html = answer.content.decode()
    assert answer.status_code == 200 and "Not an email address: not an address." in html
    assert profile_for(librarian).other_email_addresses == ""
    answer = librarian_client.post(
        reverse("profile"), {"form": "other-addresses", "addresses": "Alice.Home@Example.NET\n"}
    )
    assert answer.status_code == 302
    librarian.refresh_from_db()
    assert librarian.profile.other_addresses == ["alice.home@example.net"]


def test_a_captured_touchpoints_page_reads_as_many_queries_however_long_the_conversation(
    librarian_client, media_root
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clinic = OrganizationFactory(name="Riverside Community Clinic")
    AffiliationFactory(contact=ContactFactory(email="maya@clinic.example.org"), organization=clinic)

    def queries_with(replies: int) -> int:
        root = f"<root{replies}@clinic.example.org>"
        email_capture(raw=raw(message_id=root, subject=f"Thread {replies}"))
        for n in range(replies):
            email_capture(
                raw=raw(message_id=f"<{replies}-{n}@x.org>", headers={"In-Reply-To": root})
            )
        touchpoint = Touchpoint.objects.get(subject=f"Thread {replies}")
        url = reverse("outreach:touchpoint_detail", args=[touchpoint.pk])
        librarian_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert librarian_client.get(url).status_code == 200
        return len(queries)

    assert queries_with(1) == queries_with(12) <= 10


def test_another_persons_address_is_refused_as_ones_own(librarian_client, librarian, settings):
    settings.LIAISON_CAPTURE_ADDRESS = "liaison@library.example.org"
    ContactFactory(email="maya@clinic.example.org")
    for taken in ("Maya@Clinic.example.org", "liaison@library.example.org"):
        answer = librarian_client.post(
            reverse("profile"), {"form": "other-addresses", "addresses": taken}
        )
        assert "Already someone else" in answer.content.decode()
    assert librarian.profile.other_email_addresses == ""


def test_filing_an_email_the_library_sent_adds_whom_it_was_sent_to(librarian_client, librarian):
    email = email_capture(
        raw=raw(sender="alice@library.example.org", to="Jordan Ellis <jordan@pantry.example.org>")
    ).email
    assert email is not None and email.status == CapturedEmail.Status.UNFILED
    page = librarian_client.get(reverse("inbox:unfiled_detail", args=[email.pk])).content.decode()
    assert "Add Jordan Ellis as a contact" in page
    pantry = OrganizationFactory(name="Eastside Food Pantry")
    librarian_client.post(
        reverse("inbox:unfiled_detail", args=[email.pk]),
        {"organization_name": pantry.name, "organization": pantry.pk, "add_people": "on"},
    )
    touchpoint = Touchpoint.objects.get(organization=pantry)
    assert [c.email for c in touchpoint.contacts.all()] == ["jordan@pantry.example.org"]
    assert not Contact.objects.filter(email="alice@library.example.org").exists()


def test_a_panel_its_page_never_fetches_again_has_no_address_of_its_own(librarian_client):
    assert librarian_client.get("/panels/touchpoint/touchpoint-email/").status_code == 404
    assert librarian_client.get("/panels/touchpoint/touchpoint-email/?of=1").status_code == 404


def test_a_conversation_shows_together_on_the_timeline(librarian_client):
    clinic = OrganizationFactory(name="Riverside Community Clinic")
    AffiliationFactory(contact=ContactFactory(email="maya@clinic.example.org"), organization=clinic)
    root = "<root@clinic.example.org>"
    email_capture(raw=raw(message_id=root, subject="Workshop dates"))
    Touchpoint.objects.create(
        organization=clinic, occurred_on="2026-11-03", subject="Called about parking",
        channel=Touchpoint.Channel.PHONE,
    )  # fmt: skip
    for n, sender in enumerate(["alice@library.example.org", "maya@clinic.example.org"]):
        email_capture(
            raw=raw(
                sender=sender, to="maya@clinic.example.org", subject="Re: Workshop dates",
                message_id=f"<reply{n}@x.org>", headers={"In-Reply-To": root, "References": root},
                when=messages.WHEN + dt.timedelta(hours=n + 1),
            )
        )  # fmt: skip
    html = librarian_client.get(clinic.get_absolute_url()).content.decode()
    timeline = html[html.index('id="timeline"') :]
    # The newest reply heads the conversation; the other two are under it, not entries of
    # their own beside the phone call.
    assert timeline.count("Earlier in this conversation (2 emails)") == 1
    top = timeline.index("Earlier in this conversation")
    assert timeline.index("Workshop dates</a>", top) > top
    assert timeline.count('class="timeline-entry timeline-touchpoint"') == 4
