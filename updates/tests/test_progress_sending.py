"""Approving and sending progress updates through the outbox: one email per person, never to
someone who opted out or left, and the recipients a subscription may have."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone

from mail import outbox
from mail.models import OutgoingEmail
from partners.services import affiliation_end, contact_unsubscribe
from partners.tests.factories import AffiliationFactory, OrganizationFactory
from programs.selectors.impact import impact_summary
from programs.tests.factories import ProgramPartnerFactory
from updates import services as services
from updates.models import ProgressSubscription, ProgressUpdate
from updates.tests.helpers import (
    CONSENTED,
    FEBRUARY,
    NEW_YORK,
    SECRET,
    Cadence,
    Mode,
    Status,
    draft_february,
    local,
    progress_emails,
    subscribe,
)

pytestmark = pytest.mark.django_db


def test_approve_queues_exactly_one_email_per_recipient_and_twice_does_not_double(
    partner, librarian
):
    update = draft_february(subscribe(partner, librarian))

    result = services.progress_update_approve(
        update=update, by=librarian, subject="February with the clinic", message="Thank you!"
    )
    with pytest.raises(ValidationError, match="already sent"):
        services.progress_update_approve(
            update=update, by=librarian, subject="Again", message="Again"
        )

    assert result == services.SendResult(queued=2, suppressed=0)
    emails = list(progress_emails())
    assert [e.to_address for e in emails] == ["ana@clinic.example.org", "ben@clinic.example.org"]
    assert {e.subject for e in emails} == {"February with the clinic"}
    sub = update.subscription
    assert [e.idempotency_key for e in emails] == [
        f"progress:{sub.pk}:2026-02-01:{partner.ana.pk}",
        f"progress:{sub.pk}:2026-02-01:{partner.ben.pk}",
    ]
    update.refresh_from_db()
    assert (update.status, update.approved_by, update.recipients_count) == (
        Status.SENT,
        librarian,
        2,
    )
    assert update.subject == "February with the clinic"


def test_sending_the_same_period_again_never_doubles_an_email(partner, librarian):
    update = draft_february(subscribe(partner, librarian))
    services.progress_update_send(update=update, by=librarian)
    # Even if the update were somehow a draft again, the keys keep one email per person.
    ProgressUpdate.objects.filter(pk=update.pk).update(status=Status.DRAFT, sent_at=None)
    update.refresh_from_db()

    services.progress_update_send(update=update, by=librarian)

    assert progress_emails().count() == 2


def test_opted_out_and_do_not_contact_recipients_are_suppressed_and_never_reach_smtp(
    settings, partner, librarian
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cleo = AffiliationFactory(
        organization=partner.organization,
        contact__name="Dr. Cleo Park",
        contact__email="cleo@clinic.example.org",
    ).contact
    update = draft_february(
        subscribe(partner, librarian, recipients=[partner.ana, partner.ben, cleo])
    )
    contact_unsubscribe(contact=partner.ana)
    partner.ben.do_not_contact = True
    partner.ben.save()

    result = services.progress_update_send(update=update, by=librarian)
    report = outbox.emails_send_due()

    assert result == services.SendResult(queued=1, suppressed=2)
    rows = {e.to_address: e for e in progress_emails()}
    assert rows["ana@clinic.example.org"].status == OutgoingEmail.Status.SUPPRESSED
    assert "unsubscribed from progress updates" in rows["ana@clinic.example.org"].suppressed_reason
    assert rows["ben@clinic.example.org"].status == OutgoingEmail.Status.SUPPRESSED
    assert "do not contact" in rows["ben@clinic.example.org"].suppressed_reason
    assert rows["cleo@clinic.example.org"].status == OutgoingEmail.Status.SENT
    assert report.sent == 1
    # A name with a full stop is quoted, as RFC 5322 asks of a display name.
    assert [message.to for message in mail.outbox] == [
        ['"Dr. Cleo Park" <cleo@clinic.example.org>']
    ]


def test_a_contact_who_opts_out_after_queuing_is_suppressed_at_send_time(
    settings, partner, librarian
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    update = draft_february(subscribe(partner, librarian))
    services.progress_update_send(update=update, by=librarian)
    assert set(progress_emails().values_list("status", flat=True)) == {"queued"}

    contact_unsubscribe(contact=partner.ana)
    report = outbox.emails_send_due()

    assert (report.sent, report.suppressed) == (1, 1)
    ana = progress_emails().get(contact=partner.ana)
    assert ana.status == OutgoingEmail.Status.SUPPRESSED
    assert "unsubscribed" in ana.suppressed_reason
    assert [message.to[0] for message in mail.outbox] == [
        f"{partner.ben.name} <ben@clinic.example.org>"
    ]


def test_the_email_has_the_numbers_of_the_impact_summary_and_only_consented_stories(
    settings, partner, librarian
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    update = draft_february(subscribe(partner, librarian, recipients=[partner.ana]))
    services.progress_update_approve(
        update=update, by=librarian, subject="Our February", message="A note from Alice & co."
    )
    outbox.emails_send_due()

    with timezone.override(zoneinfo.ZoneInfo(NEW_YORK)):
        summary = impact_summary(
            organization=partner.organization, start=FEBRUARY[0], end=FEBRUARY[1]
        )
    # Four sessions in February (one late on the 28th), 42 people, the March session left out.
    assert (summary.sessions, summary.people_reached, summary.outcomes) == (4, 42, 1)
    (message,) = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    html = message.alternatives[0][0]
    assert isinstance(html, str)
    for body in (message.body, html):
        assert SECRET not in body
        assert "Dear Ana Ruiz" in body
        assert "Reporting more confidence" in body and "78%" in body
        assert "Job club" in body
        assert "February 2026" in body
    assert CONSENTED in message.body
    assert "résumé" in html and "Marisol" in html
    assert "4 sessions · 42 people reached · 1 outcome measured" in message.body
    assert "A note from Alice & co." in message.body  # plain text is not HTML-escaped
    assert "A note from Alice &amp; co." in html
    assert re.search(r">\s*4\s*</div>\s*<div[^>]*>sessions", html)
    assert re.search(r">\s*42\s*</div>\s*<div[^>]*>people reached", html)


def test_the_delivered_message_carries_the_one_click_unsubscribe_headers(
    settings, partner, librarian, client
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    update = draft_february(subscribe(partner, librarian, recipients=[partner.ana]))
    services.progress_update_send(update=update, by=librarian)
    outbox.emails_send_due()

    (message,) = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    headers = message.message()
    header = re.fullmatch(r"<(.+)>", headers["List-Unsubscribe"])
    assert header is not None
    link = header.group(1)
    assert link.startswith(settings.SITE_URL + "/unsubscribe/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["Reply-To"] == librarian.email
    # The same link is in both bodies, and it works.
    assert link in message.body
    html = message.alternatives[0][0]
    assert isinstance(html, str)
    assert link in html
    response = client.post(
        link.removeprefix(settings.SITE_URL),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    partner.ana.refresh_from_db()
    assert partner.ana.opted_out_of_updates


def test_an_organization_update_without_activity_says_so(partner, librarian):
    quiet = OrganizationFactory(name="Quiet Pantry")
    person = AffiliationFactory(organization=quiet, contact__email="p@pantry.example.org").contact
    subscription = subscribe(partner, librarian, organization=quiet, recipients=[person])
    update = draft_february(subscription)

    services.progress_update_send(update=update, by=librarian)

    email = progress_emails().get()
    assert "No joint programs ran in this period." in email.body_text
    assert "0 sessions" in email.body_text


def test_a_program_update_goes_to_people_at_its_partners(partner, librarian):
    other = OrganizationFactory(name="Northside Library Friends")
    ProgramPartnerFactory(program=partner.program, organization=other)
    dee = AffiliationFactory(organization=other, contact__email="dee@friends.example.org").contact
    subscription = subscribe(
        partner, librarian, program=partner.program, recipients=[partner.ana, dee]
    )
    update = draft_february(subscription)
    assert update.subject.startswith("Job club: ")

    services.progress_update_send(update=update, by=librarian)

    assert sorted(progress_emails().values_list("to_address", flat=True)) == [
        "ana@clinic.example.org",
        "dee@friends.example.org",
    ]
    first = progress_emails().first()
    assert first is not None
    assert "Job club in February 2026" in first.body_text


def test_a_recipient_who_left_the_partner_gets_no_more_updates(partner, librarian):
    update = draft_february(subscribe(partner, librarian))
    affiliation_end(affiliation=partner.ben.affiliations.get(), end_date=dt.date(2026, 2, 27))

    services.progress_update_send(update=update, by=librarian)

    assert list(progress_emails().values_list("to_address", flat=True)) == [
        "ana@clinic.example.org"
    ]


def test_skipping_sends_nothing_and_keeps_the_period_in_the_history(partner, librarian):
    update = draft_february(subscribe(partner, librarian))

    services.progress_update_skip(update=update, by=librarian)

    update.refresh_from_db()
    assert (update.status, update.skipped_by) == (Status.SKIPPED, librarian)
    with pytest.raises(ValidationError):
        services.progress_update_send(update=update, by=librarian)
    assert not progress_emails().exists()
    # And it is not drafted again.
    assert services.progress_updates_draft_due(now=local(NEW_YORK, 2026, 3, 5)) == []


# Choosing recipients ----------------------------------------------------------------------


def test_recipients_must_be_at_the_partner_now_and_willing(partner, librarian):
    stranger = AffiliationFactory(contact__email="x@elsewhere.example.org").contact
    left = AffiliationFactory(organization=partner.organization).contact
    affiliation_end(affiliation=left.affiliations.get())
    contact_unsubscribe(contact=partner.ben)
    blocked = AffiliationFactory(organization=partner.organization, contact__do_not_contact=True)
    no_email = AffiliationFactory(organization=partner.organization, contact__email="").contact

    for people, message in (
        ([stranger], "is not currently at Riverside Health Clinic"),
        ([left], "is not currently at"),
        ([partner.ben], "unsubscribed from progress updates"),
        ([blocked.contact], "do not contact"),
        ([no_email], "no email address"),
        ([], "at least one person"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.progress_subscription_create(
                by=librarian,
                owner=librarian,
                cadence=Cadence.MONTHLY,
                mode=Mode.REVIEW,
                recipients=people,
                organization=partner.organization,
            )
    assert not ProgressSubscription.objects.exists()


def test_a_subscription_is_about_an_organization_or_a_program_never_both(partner, librarian):
    with pytest.raises(ValueError):
        services.progress_subscription_create(
            by=librarian,
            owner=librarian,
            cadence=Cadence.MONTHLY,
            mode=Mode.REVIEW,
            recipients=[partner.ana],
            organization=partner.organization,
            program=partner.program,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressSubscription.objects.create(
            owner=librarian, organization=partner.organization, program=partner.program
        )
