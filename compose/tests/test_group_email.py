"""Group email: many partners, each personal; nobody who opted out receives it."""

import datetime as dt
import uuid

import pytest
from django.core import mail
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from compose.audiences import audience_of
from compose.models import GroupEmail, SentEmail
from compose.services import group_email_approve, group_email_create, group_email_decline
from compose.tests.conftest import partner
from core.tests.clock import frozen_clock
from core.tests.factories import UserFactory
from mail import outbox
from mail.models import OutgoingEmail
from mail.outbox import _publish_send_task
from outreach.models import Touchpoint
from partners.models import Organization
from partners.tests.factories import AffiliationFactory, ContactFactory

pytestmark = pytest.mark.django_db

clock = frozen_clock()

HEALTH_ACTIVE = "from=organizations&kind=health&stage=active"


def send_all(clock) -> None:
    """Run the sender as the clock moves on a second at a time, until nothing is queued: group
    email leaves one message per turn (mail.outbox.pace_gap)."""
    for _ in range(120):
        outbox.emails_send_due()
        if not OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED).exists():
            return
        clock.shift(1)
    raise AssertionError("email still queued after two minutes")


NEW = reverse("compose:group_email_new")


@pytest.fixture
def partners():
    """Four active health partners (one contact opted out, one must not be contacted, one has
    no address), an active school and a health partner only in discussion."""
    people = {
        "ana": partner("Eastside Clinic", email="ana@eastside.example.org"),
        "ben": partner("Northside Hospital", email="ben@northside.example.org"),
        "out": partner(
            "Westside Health",
            email="out@westside.example.org",
            opted_out_of_updates=True,
            opted_out_at=timezone.now() - dt.timedelta(days=3),
        ),
        "dnc": partner("Southside Clinic", email="dnc@southside.example.org", do_not_contact=True),
        "none": partner("Hilltop Clinic", email=""),
        "school": partner("Lincoln School", kind=Organization.Kind.SCHOOL),
        "talking": partner("Valley Clinic", stage="in_discussion"),
    }
    return people


def _create(
    by, query=HEALTH_ACTIVE, key=None, subject="Fair: {organization}", body="Dear {first_name}"
):
    return group_email_create(
        key=key or uuid.uuid4(), query=QueryDict(query), subject=subject, body=body, by=by
    )


def test_the_list_filters_choose_the_people_and_say_who_is_left_out(partners):
    audience = audience_of(QueryDict(HEALTH_ACTIVE))
    assert {r.contact for r in audience.included} == {partners["ana"], partners["ben"]}
    left_out = {r.contact.name: r.left_out for r in audience.left_out}
    assert left_out == {
        "Pat Westside": "Unsubscribed from group email on Oct 30, 2026",
        "Pat Southside": "Marked “do not contact”",
        "Pat Hilltop": "No email address",
    }
    assert audience.description == (
        "Primary contacts of organizations (kind: Health organization; stage: Active partner)"
    )


def test_everyone_there_and_the_contact_list_are_lists_too(partners, clinic):
    colleague = ContactFactory(name="Ann Eastside", email="ann@eastside.example.org")
    AffiliationFactory(
        contact=colleague, organization=partners["ana"].affiliations.get().organization
    )
    everyone = audience_of(QueryDict(HEALTH_ACTIVE + "&who=everyone"))
    assert colleague in {r.contact for r in everyone.included}
    assert colleague not in {r.contact for r in audience_of(QueryDict(HEALTH_ACTIVE)).included}
    contacts = audience_of(QueryDict("from=contacts&kind=school"))
    assert [r.contact for r in contacts.included] == [partners["school"]]


def test_one_person_at_two_listed_organizations_gets_it_once(partners):
    second = partners["ben"].affiliations.get().organization
    AffiliationFactory(contact=partners["ana"], organization=second)
    audience = audience_of(QueryDict(HEALTH_ACTIVE + "&who=everyone"))
    assert [r.contact for r in audience.included].count(partners["ana"]) == 1


def test_the_preview_shows_the_first_messages_and_the_counts(librarian_client, partners):
    response = librarian_client.post(
        f"{NEW}?{HEALTH_ACTIVE}",
        {
            "key": uuid.uuid4(),
            "subject": "Fair: {organization}",
            "body": "Dear {first_name}",
            "action": "preview",
        },
    )
    page = response.content.decode()
    assert "Fair: Eastside Clinic" in page and "Fair: Northside Hospital" in page
    assert "Dear Pat\n" in page
    assert "<strong>2</strong> will receive it; <strong>3</strong> left out" in page
    assert "Pat Westside</a>, Westside Health: Unsubscribed from group email" in page
    assert "Send to 2 people" in page
    assert not OutgoingEmail.objects.exists()


def test_each_recipient_gets_their_own_email_logged_on_their_organization(
    librarian, partners, clock
):
    group_email = _create(librarian)
    assert group_email.status == GroupEmail.Status.SENT
    rows = {row.contact: row for row in OutgoingEmail.objects.all()}
    assert set(rows) == {partners["ana"], partners["ben"]}
    ana = rows[partners["ana"]]
    assert ana.kind == OutgoingEmail.Kind.GROUP
    assert ana.idempotency_key == f"group:{group_email.pk}:{partners['ana'].pk}"
    assert ana.subject == "Fair: Eastside Clinic"
    assert ana.headers["List-Unsubscribe"].startswith("<https://liaison.library.example.org/")
    assert ana.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "To stop group emails and progress updates from us: https://" in ana.body_text
    touchpoints = Touchpoint.objects.filter(sent_email__group_email=group_email)
    assert {t.organization.name for t in touchpoints} == {"Eastside Clinic", "Northside Hospital"}
    assert SentEmail.objects.filter(group_email=group_email).exclude(left_out="").count() == 3
    send_all(clock)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "Pat Eastside <ana@eastside.example.org>",
        "Pat Northside <ben@northside.example.org>",
    ]


def test_sending_the_same_group_email_twice_sends_nothing_twice(librarian, partners):
    key = uuid.uuid4()
    first = _create(librarian, key=key)
    again = _create(librarian, key=key)
    assert again == first
    assert OutgoingEmail.objects.count() == 2 and Touchpoint.objects.count() == 2
    from compose.audiences import audience_of as chosen
    from compose.services import _send

    _send(first, chosen(QueryDict(HEALTH_ACTIVE)))  # even the inner step, run again
    assert OutgoingEmail.objects.count() == 2 and Touchpoint.objects.count() == 2


def test_someone_who_opts_out_after_it_is_queued_does_not_receive_it(librarian, partners, clock):
    _create(librarian)
    ana = partners["ana"]
    ana.opted_out_of_updates, ana.opted_out_at = True, timezone.now()
    ana.save()
    send_all(clock)
    assert [m.to[0] for m in mail.outbox] == ["Pat Northside <ben@northside.example.org>"]
    row = OutgoingEmail.objects.get(contact=ana)
    assert row.status == OutgoingEmail.Status.SUPPRESSED
    assert "unsubscribed from progress updates and group email" in row.suppressed_reason


def test_messages_are_paced_at_the_set_rate(librarian, settings, clock):
    settings.LIAISON_GROUP_EMAIL_PER_MINUTE = 60
    for n in range(10):
        partner(f"Clinic{n} Health", email=f"p{n}@clinic{n}.example.org")
    _create(UserFactory(username="m", role="Manager", email="m@library.example.org"))
    due = sorted(OutgoingEmail.objects.values_list("next_attempt_at", flat=True))
    start = timezone.now()
    assert [(when - start).total_seconds() for when in due] == list(range(10))
    # A second group email waits behind the first.
    for n in range(3):
        partner(f"Other{n} Health", kind="government", email=f"o{n}@other{n}.example.org")
    _create(librarian, query="from=organizations&kind=government")
    later = OutgoingEmail.objects.filter(contact__email__startswith="o").order_by("next_attempt_at")
    assert [(r.next_attempt_at - start).total_seconds() for r in later] == [10, 11, 12]
    outbox.emails_send_due()
    assert len(mail.outbox) == 1  # only the first is due now
    # The sender was away for a minute: the backlog still leaves one per second, no burst.
    clock.shift(60)
    outbox.emails_send_due()
    assert len(mail.outbox) == 2
    for _ in range(11):
        clock.shift(1)
        outbox.emails_send_due()
    sent_at = [
        row.sent_at for row in OutgoingEmail.objects.order_by("sent_at") if row.sent_at is not None
    ]
    assert len(sent_at) == 13
    gaps = {(b - a).total_seconds() for a, b in zip(sent_at[1:], sent_at[2:], strict=False)}
    assert gaps == {1.0}


def test_a_large_group_email_from_a_librarian_waits_for_a_manager(
    librarian, manager, partners, settings, client
):
    settings.LIAISON_GROUP_EMAIL_APPROVAL_OVER = 1
    group_email = _create(librarian)
    assert group_email.status == GroupEmail.Status.WAITING
    assert not OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.GROUP).exists()
    ask = OutgoingEmail.objects.get(kind=OutgoingEmail.Kind.GROUP_APPROVAL)
    assert ask.user == manager and group_email.get_absolute_url() in ask.body_text
    # A librarian cannot approve it.
    client.force_login(librarian)
    approve = reverse("compose:group_email_approve", args=[group_email.pk])
    assert client.post(approve).status_code == 403
    client.force_login(manager)
    assert client.post(approve).status_code == 302
    group_email.refresh_from_db()
    assert group_email.status == GroupEmail.Status.SENT and group_email.decided_by == manager
    assert OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.GROUP).count() == 2
    with pytest.raises(Exception, match="already"):
        group_email_approve(group_email=group_email, by=manager)


def test_a_declined_group_email_sends_nothing(librarian, manager, partners, settings):
    settings.LIAISON_GROUP_EMAIL_APPROVAL_OVER = 1
    group_email = group_email_decline(group_email=_create(librarian), by=manager)
    assert group_email.status == GroupEmail.Status.DECLINED
    assert not OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.GROUP).exists()


def test_a_manager_sends_any_number_without_approval(manager, partners, settings):
    settings.LIAISON_GROUP_EMAIL_APPROVAL_OVER = 1
    assert _create(manager).status == GroupEmail.Status.SENT


def test_the_group_email_page_shows_each_recipient(librarian_client, librarian, partners, clock):
    group_email = _create(librarian)
    send_all(clock)
    partners["ben"].opted_out_of_updates = True
    partners["ben"].opted_out_at = timezone.now() + dt.timedelta(minutes=1)
    partners["ben"].save()
    page = librarian_client.get(group_email.get_absolute_url()).content.decode()
    assert "2 sent · 0 waiting to send · 0 failed" in page
    assert "1 unsubscribed since · 3 left out" in page
    assert "Unsubscribed since" in page and "No email address" in page
    listing = librarian_client.get(reverse("compose:group_email_list")).content.decode()
    assert group_email.subject in listing


def test_nobody_to_send_to_and_too_many_are_refused(librarian, partners, monkeypatch):
    with pytest.raises(Exception, match="Nobody on this list"):
        _create(librarian, query="from=organizations&kind=business")
    monkeypatch.setattr("compose.audiences.MAX_RECIPIENTS", 1)
    with pytest.raises(Exception, match="narrow it"):
        _create(librarian)
    assert not GroupEmail.objects.exists()


def test_the_lists_offer_a_group_email_with_their_filters(librarian_client, partners):
    page = librarian_client.get(reverse("partners:organization_list") + "?kind=health")
    assert f"{NEW}?from=organizations&amp;kind=health" in page.content.decode()
    page = librarian_client.get(reverse("partners:contact_list") + "?kind=school")
    assert f"{NEW}?from=contacts&amp;kind=school" in page.content.decode()


def test_a_filter_that_no_longer_holds_is_never_widened_on_approval(
    librarian, manager, partners, settings
):
    """Written for one owner's partners; the owner left before a manager approved: the list
    would be everyone's, so nothing is sent."""
    settings.LIAISON_GROUP_EMAIL_APPROVAL_OVER = 0
    owner = UserFactory(username="rosa", role="Librarian")
    Organization.objects.update(owner=owner)
    group_email = _create(librarian, query=HEALTH_ACTIVE + f"&owner={owner.pk}")
    assert group_email.status == GroupEmail.Status.WAITING
    owner.is_active = False
    owner.save()
    with pytest.raises(Exception, match="no longer hold \\(owner\\)"):
        group_email_approve(group_email=group_email, by=manager)
    assert not OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.GROUP).exists()


def test_a_group_email_wakes_the_sender_once(
    librarian, partners, django_capture_on_commit_callbacks
):
    for n in range(5):
        partner(f"Extra{n} Clinic", email=f"x{n}@extra.example.org")
    with django_capture_on_commit_callbacks() as callbacks:
        _create(librarian)
    assert OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.GROUP).count() == 7
    # Woken once (what else waits for the commit, such as partnership health, is not the sender).
    assert callbacks.count(_publish_send_task) == 1
