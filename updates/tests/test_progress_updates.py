"""Partner progress updates: drafted once at each period's end, reviewed, sent via the outbox."""

import datetime as dt
import re
import zoneinfo
from types import SimpleNamespace

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.tests.factories import UserFactory
from mail import outbox
from mail.models import OutgoingEmail
from partners.services import affiliation_end, contact_unsubscribe
from partners.tests.factories import AffiliationFactory, OrganizationFactory
from programs.models import Outcome, ProgramSession, Story
from programs.selectors.impact import impact_summary
from programs.tests.factories import ProgramFactory, ProgramPartnerFactory
from updates import services as services
from updates.models import ProgressSubscription, ProgressUpdate
from updates.tasks import queue_progress_updates

pytestmark = pytest.mark.django_db

Cadence, Mode, Status = (
    ProgressSubscription.Cadence,
    ProgressSubscription.Mode,
    ProgressUpdate.Status,
)
NEW_YORK = "America/New_York"
FEBRUARY = (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
CONSENTED = "The job club helped me write my first résumé in twenty years."
SECRET = "Please do not repeat what I said about my landlord."


def local(zone: str, *args: int) -> dt.datetime:
    """An aware moment on the library's wall clock."""
    return dt.datetime(*args, tzinfo=zoneinfo.ZoneInfo(zone))


@pytest.fixture
def partner(db):
    """A clinic with two people, a joint program with a February to report on."""
    organization = OrganizationFactory(name="Riverside Health Clinic", stage="active")
    ana = AffiliationFactory(
        organization=organization, contact__name="Ana Ruiz", contact__email="ana@clinic.example.org"
    ).contact
    ben = AffiliationFactory(
        organization=organization,
        contact__name="Ben Okoro",
        contact__email="ben@clinic.example.org",
    ).contact
    program = ProgramFactory(
        title="Job club", status="active", start_date=dt.date(2026, 1, 5), end_date=None
    )
    ProgramPartnerFactory(program=program, organization=organization)
    for day, people in ((5, 20), (12, 15), (19, None)):
        ProgramSession.objects.create(
            program=program, starts_at=local(NEW_YORK, 2026, 2, day, 18), attendance=people
        )
    # 22:30 on February 28 in New York is already March 1 in UTC: it still counts for February.
    ProgramSession.objects.create(
        program=program, starts_at=local(NEW_YORK, 2026, 2, 28, 22, 30), attendance=7
    )
    ProgramSession.objects.create(
        program=program, starts_at=local(NEW_YORK, 2026, 3, 2, 18), attendance=99
    )
    Outcome.objects.create(
        program=program,
        metric="Reporting more confidence",
        value=78,
        unit="%",
        measured_on=dt.date(2026, 2, 20),
    )
    Story.objects.create(
        program=program,
        text=CONSENTED,
        who="Marisol",
        told_on=dt.date(2026, 2, 12),
        consent_to_share=True,
    )
    Story.objects.create(
        program=program, text=SECRET, who="Anonymous", told_on=dt.date(2026, 2, 12)
    )
    return SimpleNamespace(organization=organization, ana=ana, ben=ben, program=program)


def subscribe(partner, owner, *, when=None, **fields) -> ProgressSubscription:
    """A subscription about the clinic made at `when` (February 10, 2026, in New York)."""
    fields = {
        "cadence": Cadence.MONTHLY,
        "mode": Mode.REVIEW,
        "recipients": [partner.ana, partner.ben],
        **fields,
    }
    if "program" not in fields:
        fields.setdefault("organization", partner.organization)
    with time_machine.travel(when or local(NEW_YORK, 2026, 2, 10, 9), tick=False):
        return services.progress_subscription_create(by=owner, owner=owner, **fields)


def draft_february(subscription) -> ProgressUpdate:
    (update,) = services.progress_updates_draft_due(now=local(NEW_YORK, 2026, 3, 1, 0, 5))
    assert update.subscription == subscription
    return update


def progress_emails():
    return OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.PROGRESS_UPDATE).order_by("pk")


# Drafting at the end of each period -------------------------------------------------------


@pytest.mark.parametrize(
    "zone", [NEW_YORK, "Pacific/Honolulu", "Europe/Berlin", "Pacific/Kiritimati"]
)
def test_monthly_draft_is_made_once_when_the_month_has_ended_in_the_library_zone(
    settings, partner, librarian, zone
):
    settings.TIME_ZONE = zone
    subscription = subscribe(partner, librarian, when=local(zone, 2026, 2, 10, 9))

    with time_machine.travel(local(zone, 2026, 2, 28, 23, 59), tick=False):
        assert services.progress_updates_draft_due() == []
    with time_machine.travel(local(zone, 2026, 3, 1, 0, 0), tick=False):
        first = services.progress_updates_draft_due()
        second = services.progress_updates_draft_due()

    assert second == []
    (update,) = ProgressUpdate.objects.all()
    assert first == [update]
    assert update.subscription == subscription
    assert (update.period_start, update.period_end) == FEBRUARY
    assert update.status == Status.DRAFT
    assert "February 2026" in update.subject
    assert "Riverside Health Clinic" in update.message
    assert librarian.get_full_name() in update.message


@pytest.mark.parametrize("zone", [NEW_YORK, "Australia/Sydney"])
def test_quarterly_draft_covers_the_calendar_quarter_once_it_has_ended(
    settings, partner, librarian, zone
):
    settings.TIME_ZONE = zone
    subscribe(partner, librarian, cadence=Cadence.QUARTERLY, when=local(zone, 2026, 2, 10, 9))

    # March has ended, and with it the first quarter; the last quarter of 2025 ended before the
    # subscription was made, so it is never reported on.
    with time_machine.travel(local(zone, 2026, 3, 31, 23, 59), tick=False):
        assert services.progress_updates_draft_due() == []
    with time_machine.travel(local(zone, 2026, 4, 1, 0, 0), tick=False):
        services.progress_updates_draft_due()
        services.progress_updates_draft_due()
    with time_machine.travel(local(zone, 2026, 6, 30, 12), tick=False):
        services.progress_updates_draft_due()

    (update,) = ProgressUpdate.objects.all()
    assert (update.period_start, update.period_end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert "January – March 2026" in update.subject


def test_the_next_month_is_drafted_when_it_ends_too(partner, librarian):
    subscribe(partner, librarian)
    services.progress_updates_draft_due(now=local(NEW_YORK, 2026, 3, 1, 1))
    services.progress_updates_draft_due(now=local(NEW_YORK, 2026, 3, 20))
    services.progress_updates_draft_due(now=local(NEW_YORK, 2026, 4, 1, 0, 1))

    periods = list(ProgressUpdate.objects.order_by("period_start").values_list("period_start"))
    assert periods == [(dt.date(2026, 2, 1),), (dt.date(2026, 3, 1),)]


def test_nothing_is_drafted_for_a_period_that_ended_before_the_subscription(partner, librarian):
    subscribe(partner, librarian, when=local(NEW_YORK, 2026, 3, 15, 9))

    assert services.progress_updates_draft_due(now=local(NEW_YORK, 2026, 3, 20)) == []
    assert not ProgressUpdate.objects.exists()


def test_a_paused_subscription_drafts_nothing(partner, librarian):
    subscription = subscribe(partner, librarian)
    services.progress_subscription_update(
        subscription=subscription,
        owner=librarian,
        cadence=Cadence.MONTHLY,
        mode=Mode.REVIEW,
        recipients=[partner.ana],
        is_active=False,
    )

    assert services.progress_updates_draft_due(now=local(NEW_YORK, 2026, 3, 2)) == []


def test_the_periodic_task_drafts_the_updates_due(partner, librarian):
    subscribe(partner, librarian)
    with time_machine.travel(local(NEW_YORK, 2026, 3, 1, 8), tick=False):
        assert queue_progress_updates.run() == 1
        assert queue_progress_updates.run() == 0
    assert ProgressUpdate.objects.count() == 1


def test_review_mode_waits_for_the_owner(partner, librarian):
    subscribe(partner, librarian, mode=Mode.REVIEW)

    update = draft_february(ProgressSubscription.objects.get())

    assert update.status == Status.DRAFT
    assert not progress_emails().exists()


def test_auto_mode_queues_the_emails_at_once(partner, librarian):
    subscribe(partner, librarian, mode=Mode.AUTO)

    update = draft_february(ProgressSubscription.objects.get())

    update.refresh_from_db()
    assert update.status == Status.SENT
    assert update.approved_by is None and update.sent_at is not None
    assert update.recipients_count == 2
    assert sorted(progress_emails().values_list("to_address", "status")) == [
        ("ana@clinic.example.org", "queued"),
        ("ben@clinic.example.org", "queued"),
    ]


def test_auto_mode_with_nobody_to_send_to_leaves_the_draft_for_the_owner(partner, librarian):
    subscription = subscribe(partner, librarian, mode=Mode.AUTO, recipients=[partner.ana])
    affiliation_end(affiliation=partner.ana.affiliations.get(), end_date=dt.date(2026, 2, 20))

    update = draft_february(subscription)

    update.refresh_from_db()
    assert update.status == Status.DRAFT
    assert not progress_emails().exists()


# Approving and sending --------------------------------------------------------------------


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
        organization=partner.organization, contact__email="cleo@clinic.example.org"
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
    assert [message.to for message in mail.outbox] == [[f"{cleo.name} <cleo@clinic.example.org>"]]


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
    html = message.alternatives[0][0]
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
    headers = message.message()
    link = re.fullmatch(r"<(.+)>", headers["List-Unsubscribe"]).group(1)
    assert link.startswith(settings.SITE_URL + "/unsubscribe/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["Reply-To"] == librarian.email
    # The same link is in both bodies, and it works.
    assert link in message.body
    assert link in message.alternatives[0][0]
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
    assert "Job club in February 2026" in progress_emails().first().body_text


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


# Pages ------------------------------------------------------------------------------------


def test_the_organization_page_offers_progress_updates_and_lists_them(
    librarian_client, partner, librarian
):
    subscribe(partner, librarian)

    response = librarian_client.get(partner.organization.get_absolute_url())

    page = response.content.decode()
    assert "Progress updates" in page
    new = reverse(
        "updates:progress_subscription_create_for_organization", args=[partner.organization.pk]
    )
    assert new in page
    assert "Monthly" in page and "To 2 people" in page


def test_the_program_page_offers_progress_updates(librarian_client, partner):
    response = librarian_client.get(partner.program.get_absolute_url())

    new = reverse("updates:progress_subscription_create_for_program", args=[partner.program.pk])
    assert new in response.content.decode()


def test_setting_up_updates_in_the_browser(librarian_client, partner, librarian):
    blocked = AffiliationFactory(
        organization=partner.organization,
        contact__name="Dora Blocked",
        contact__do_not_contact=True,
    ).contact
    url = reverse(
        "updates:progress_subscription_create_for_organization", args=[partner.organization.pk]
    )

    page = librarian_client.get(url).content.decode()
    # Everyone at the clinic is listed; who cannot receive updates is shown as such, disabled.
    assert "Ana Ruiz" in page
    assert re.search(rf'value="{blocked.pk}"[^>]*disabled', page)
    assert "Dora Blocked" in page and "cannot receive updates: marked “do not contact”" in page

    response = librarian_client.post(
        url,
        {
            "recipients": [partner.ana.pk, partner.ben.pk],
            "cadence": "quarterly",
            "mode": "review",
            "owner": librarian.pk,
        },
    )

    assert response.status_code == 302
    assert response.url == partner.organization.get_absolute_url()
    subscription = ProgressSubscription.objects.get()
    assert subscription.organization == partner.organization
    assert subscription.created_by == librarian and subscription.owner == librarian
    assert set(subscription.recipients.all()) == {partner.ana, partner.ben}


@pytest.mark.parametrize(
    "data",
    [
        {"cadence": "weekly", "mode": "review"},
        {"cadence": "monthly", "mode": "yolo"},
        {"recipients": ["x"]},
        {"recipients": ["999999999"]},
        {"recipients": ["99999999999999999999999999"]},
        {"recipients": []},
        {"owner": "0"},
        {"owner": "abc"},
    ],
)
def test_hostile_subscription_forms_show_errors_and_save_nothing(
    librarian_client, partner, librarian, data
):
    url = reverse(
        "updates:progress_subscription_create_for_organization", args=[partner.organization.pk]
    )
    form = {
        "recipients": [partner.ana.pk],
        "cadence": "monthly",
        "mode": "review",
        "owner": librarian.pk,
        **data,
    }

    response = librarian_client.post(url, form)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ProgressSubscription.objects.exists()


def test_a_tampered_form_cannot_choose_someone_unavailable_or_elsewhere(
    librarian_client, partner, librarian
):
    contact_unsubscribe(contact=partner.ben)
    stranger = AffiliationFactory(contact__email="x@elsewhere.example.org").contact
    url = reverse(
        "updates:progress_subscription_create_for_organization", args=[partner.organization.pk]
    )
    for chosen in (partner.ben, stranger):
        response = librarian_client.post(
            url,
            {
                "recipients": [chosen.pk],
                "cadence": "monthly",
                "mode": "review",
                "owner": librarian.pk,
            },
        )
        assert response.status_code == 200
        assert "recipients" in response.context["form"].errors
    assert not ProgressSubscription.objects.exists()


def test_reviewing_a_draft_shows_the_email_and_who_will_be_suppressed(
    librarian_client, partner, librarian
):
    update = draft_february(subscribe(partner, librarian))
    contact_unsubscribe(contact=partner.ben)

    response = librarian_client.get(update.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "Approve and send" in page and "Skip this period" in page
    assert "Will be suppressed" in page and "unsubscribed from progress updates" in page
    # The preview is the email itself: figures, the consented story and never the other one.
    preview = response.context["preview"].body_html
    assert CONSENTED in preview
    assert SECRET not in page
    assert "Reporting more confidence" in preview
    assert "srcdoc=" in page


def test_approving_in_the_browser_saves_the_edits_and_queues_the_emails(
    librarian_client, partner, librarian
):
    update = draft_february(subscribe(partner, librarian))

    response = librarian_client.post(
        update.get_absolute_url(),
        {"subject": "  Our  February  ", "message": "We loved it.", "action": "approve"},
        follow=True,
    )

    assert "on its way to 2 people" in response.content.decode()
    update.refresh_from_db()
    assert (update.status, update.subject, update.message) == (
        Status.SENT,
        "Our February",
        "We loved it.",
    )
    assert progress_emails().count() == 2
    # Approving again (a double click, a second tab) changes nothing.
    response = librarian_client.post(
        update.get_absolute_url(),
        {"subject": "Again", "message": "x", "action": "approve"},
        follow=True,
    )
    assert "already sent" in response.content.decode()
    assert progress_emails().count() == 2
    # The sent update shows each email's delivery status.
    page = librarian_client.get(update.get_absolute_url()).content.decode()
    assert "Delivery" in page and "ana@clinic.example.org" in page and "Queued" in page


def test_saving_a_draft_keeps_it_a_draft(librarian_client, partner, librarian):
    update = draft_february(subscribe(partner, librarian))

    response = librarian_client.post(
        update.get_absolute_url(), {"subject": "New words", "message": "Hello", "action": "save"}
    )

    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.status, update.subject) == (Status.DRAFT, "New words")
    assert not progress_emails().exists()


@pytest.mark.parametrize(
    "data",
    [
        {"subject": "", "message": "x", "action": "approve"},
        {"subject": "   ", "message": "x", "action": "approve"},
        {"subject": "x" * 201, "message": "x", "action": "save"},
        {"subject": "ok", "message": "x" * 10_001, "action": "approve"},
        {"action": "approve"},
    ],
)
def test_hostile_review_forms_show_errors_and_send_nothing(
    librarian_client, partner, librarian, data
):
    update = draft_february(subscribe(partner, librarian))

    response = librarian_client.post(update.get_absolute_url(), data)

    assert response.status_code == 200
    assert response.context["form"].errors
    update.refresh_from_db()
    assert update.status == Status.DRAFT
    assert not progress_emails().exists()


def test_the_htmx_preview_shows_unsaved_text_without_saving_it(
    librarian_client, partner, librarian
):
    update = draft_february(subscribe(partner, librarian))

    response = librarian_client.post(
        reverse("updates:progress_update_preview", args=[update.pk]),
        {"subject": "Draft subject", "message": "Words being typed"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "Words being typed" in response.context["preview"].body_text
    assert "Draft subject" in response.content.decode()
    update.refresh_from_db()
    assert update.subject != "Draft subject"


def test_a_librarian_who_is_not_the_owner_can_look_but_not_approve_skip_or_edit(
    client, partner, librarian, manager
):
    update = draft_february(subscribe(partner, librarian))
    bob = UserFactory(username="bob")
    client.force_login(bob)

    page = client.get(update.get_absolute_url())
    assert page.status_code == 200
    assert "Approve and send" not in page.content.decode()
    approve = client.post(
        update.get_absolute_url(), {"subject": "x", "message": "y", "action": "approve"}
    )
    skip = client.post(reverse("updates:progress_update_skip", args=[update.pk]))
    preview = client.post(reverse("updates:progress_update_preview", args=[update.pk]))
    edit_url = reverse("updates:progress_subscription_edit", args=[update.subscription.pk])
    edit = client.post(
        edit_url,
        {"recipients": [partner.ana.pk], "cadence": "monthly", "mode": "auto", "owner": bob.pk},
    )

    assert [r.status_code for r in (approve, skip, preview, edit)] == [403, 403, 403, 403]
    assert client.get(edit_url).status_code == 200  # who gets the updates is no secret
    update.refresh_from_db()
    assert update.status == Status.DRAFT
    assert update.subscription.owner == librarian
    assert not progress_emails().exists()


def test_a_manager_may_approve_someone_elses_draft(client, partner, librarian, manager):
    update = draft_february(subscribe(partner, librarian))
    client.force_login(manager)

    response = client.post(
        update.get_absolute_url(), {"subject": "Feb", "message": "", "action": "approve"}
    )

    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.status, update.approved_by) == (Status.SENT, manager)


def test_the_owner_may_skip_a_period(librarian_client, partner, librarian):
    update = draft_february(subscribe(partner, librarian))

    response = librarian_client.post(reverse("updates:progress_update_skip", args=[update.pk]))

    assert response.status_code == 302
    update.refresh_from_db()
    assert update.status == Status.SKIPPED


def test_the_owner_edits_the_subscription(librarian_client, partner, librarian):
    subscription = subscribe(partner, librarian)
    url = reverse("updates:progress_subscription_edit", args=[subscription.pk])

    assert librarian_client.get(url).status_code == 200
    response = librarian_client.post(
        url,
        {
            "recipients": [partner.ben.pk],
            "cadence": "quarterly",
            "mode": "auto",
            "owner": librarian.pk,
        },
    )

    assert response.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.cadence, subscription.mode, subscription.is_active) == (
        "quarterly",
        "auto",
        False,  # the box was left unticked
    )
    assert list(subscription.recipients.all()) == [partner.ben]


def test_the_list_shows_drafts_awaiting_review_first_and_filters_mine_or_all(
    client, partner, librarian, manager
):
    mine = subscribe(partner, librarian)
    services.progress_updates_draft_due(now=local(NEW_YORK, 2026, 3, 1, 1))
    services.progress_updates_draft_due(now=local(NEW_YORK, 2026, 4, 1, 1))
    february = ProgressUpdate.objects.get(period_start=dt.date(2026, 2, 1))
    march = ProgressUpdate.objects.get(period_start=dt.date(2026, 3, 1))
    services.progress_update_send(update=march, by=librarian)
    theirs = subscribe(partner, manager, recipients=[partner.ben])
    services.progress_updates_draft_due(now=local(NEW_YORK, 2026, 3, 1, 1))
    others = ProgressUpdate.objects.get(subscription=theirs)
    assert mine != theirs

    client.force_login(librarian)
    response = client.get(reverse("updates:progress_update_list"))
    assert list(response.context["page"].object_list) == [february, march]
    response = client.get(reverse("updates:progress_update_list"), {"show": "all"})
    assert list(response.context["page"].object_list) == [others, february, march]
    response = client.get(reverse("updates:progress_update_list"), {"show": "<script>"})
    assert response.context["show"] == "mine"


# Query counts -----------------------------------------------------------------------------

# Session, user, roles and the user's time zone (4 queries), then the page's own. The draft's
# review page renders the email, so it includes the impact summary (7 for an organization).
MAX_QUERIES = {
    "progress_update_list": 6,
    "progress_update_review_draft": 15,
    "progress_update_review_sent": 7,
    "subscription_form_organization": 8,
    "subscription_form_program": 8,
    "subscription_edit": 10,
}


@pytest.fixture(params=[2, 25], ids=["few", "many"])
def busy(request, partner, librarian):
    """`n` people at the clinic, all recipients, and `n` months of sent updates."""
    n = request.param
    people = [partner.ana, partner.ben]
    people += [
        AffiliationFactory(organization=partner.organization, contact__name=f"Person {i}").contact
        for i in range(n)
    ]
    subscription = subscribe(
        partner, librarian, recipients=people, when=local(NEW_YORK, 2023, 1, 10, 9)
    )
    for month in range(n):
        start = dt.date(2023 + month // 12, month % 12 + 1, 1)
        update = services.progress_update_draft(
            subscription=subscription,
            period_start=start,
            period_end=(start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1),
        )
        services.progress_update_send(update=update, by=librarian)
    contact_unsubscribe(contact=people[-1])
    draft = draft_february(subscription)
    return SimpleNamespace(subscription=subscription, draft=draft, n=n)


def test_progress_update_list_queries(librarian_client, busy, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES["progress_update_list"]):
        response = librarian_client.get(reverse("updates:progress_update_list"), {"show": "all"})
    assert len(response.context["page"].object_list) == min(busy.n + 1, 25)


def test_progress_update_review_queries(librarian_client, busy, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES["progress_update_review_draft"]):
        response = librarian_client.get(busy.draft.get_absolute_url())
    assert len(response.context["recipients"]) == busy.n + 2
    sent = busy.subscription.updates.filter(status=Status.SENT).first()
    with django_assert_max_num_queries(MAX_QUERIES["progress_update_review_sent"]):
        response = librarian_client.get(sent.get_absolute_url())
    assert len(response.context["emails"]) == busy.n + 2


def test_subscription_form_queries(librarian_client, busy, partner, django_assert_max_num_queries):
    for name, url in (
        (
            "subscription_form_organization",
            reverse(
                "updates:progress_subscription_create_for_organization",
                args=[partner.organization.pk],
            ),
        ),
        (
            "subscription_form_program",
            reverse("updates:progress_subscription_create_for_program", args=[partner.program.pk]),
        ),
        (
            "subscription_edit",
            reverse("updates:progress_subscription_edit", args=[busy.subscription.pk]),
        ),
    ):
        with django_assert_max_num_queries(MAX_QUERIES[name]):
            response = librarian_client.get(url)
        assert response.status_code == 200
        assert f"Person {busy.n - 1}" in response.content.decode()


def test_the_preview_escapes_what_the_owner_typed(librarian_client, partner, librarian):
    update = draft_february(subscribe(partner, librarian))
    hostile = '"><script>alert(1)</script>'
    services.progress_update_edit(update=update, subject=f"Hi {hostile}", message=hostile)

    page = librarian_client.get(update.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in page
    # The email, escaped into the frame's srcdoc attribute; its text version in a <pre>.
    assert 'srcdoc="&lt;!doctype html&gt;' in page
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    preview = librarian_client.post(
        reverse("updates:progress_update_preview", args=[update.pk]),
        {"subject": hostile, "message": hostile},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "<script>alert(1)" not in preview
