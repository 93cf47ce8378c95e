"""Email written in Liaison, against real services: a Celery worker on Redis sending to an SMTP
server, and the capture mailbox on Dovecot.

One email goes the whole way round: written in Liaison, sent by the worker with the capture
mailbox in the envelope (Bcc), its copy and the partner's reply delivered to Dovecot and read
by the worker — one conversation, nothing logged twice. A group email leaves at its pace.
"""

import time
import uuid

import pytest
from django.db import connection
from django.http import QueryDict

from compose.services import group_email_create, personal_email_send
from compose.tests.conftest import partner
from config.celery import app
from config.realservices import (
    DovecotServer,
    RedisServer,
    SmtpSink,
    Worker,
    database_url,
    point_celery_at,
    service_env,
    wait_for,
)
from config.tests.test_inbox_imap import deliver, folder_counts
from core.tests.factories import UserFactory
from inbox.models import CapturedEmail
from inbox.tests.messages import raw
from mail.models import OutgoingEmail
from outreach.models import Touchpoint
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

CAPTURE = "liaison@library.example.org"
PER_MINUTE = 120  # one every half second


@pytest.fixture
def services(settings, tmp_path):
    """Redis, an SMTP sink, Dovecot and one worker pointed at all three."""
    if connection.vendor != "postgresql":
        pytest.skip("The Celery worker tests need PostgreSQL (set DATABASE_URL)")
    if not RedisServer.available():
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    if not DovecotServer.available():
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")
    settings.LIAISON_CAPTURE_ADDRESS = CAPTURE
    settings.DEFAULT_FROM_EMAIL = f"Liaison <{CAPTURE}>"
    redis, smtp, dovecot = RedisServer().start(), SmtpSink().start(), DovecotServer().start()
    point_celery_at(redis.url)
    env = service_env(
        database_url=database_url(),
        redis_url=redis.url,
        email_url=smtp.url,
        DEFAULT_FROM_EMAIL=settings.DEFAULT_FROM_EMAIL,
        LIAISON_CAPTURE_ADDRESS=CAPTURE,
        INBOUND_IMAP_URL=dovecot.url,
        INBOUND_IMAP_CA_FILE=dovecot.ca_file,
        LIAISON_VAR_DIR=str(tmp_path),
        LIAISON_GROUP_EMAIL_PER_MINUTE=str(PER_MINUTE),
    )
    worker = Worker("written", env).start()
    try:
        yield smtp, dovecot, worker
    finally:
        worker.close()
        point_celery_at("memory://")
        for server in (redis, dovecot):
            server.close()
        smtp.stop()


def test_an_email_written_in_liaison_and_its_reply_are_one_conversation(services):
    smtp, dovecot, worker = services
    rosa = UserFactory(
        username="rosa", first_name="Rosa", last_name="Diaz", email="rosa@library.example.org"
    )
    clinic = OrganizationFactory(name="Eastside Community Clinic")
    maya = ContactFactory(name="Maya Lopez", email="maya@clinic.example.org")
    AffiliationFactory(contact=maya, organization=clinic, is_primary=True)

    [sent] = personal_email_send(
        key=uuid.uuid4(),
        sender=rosa,
        contacts=[maya],
        organization=clinic,
        subject="Workshop dates",
        body="Dear {first_name}, could we meet on the 14th?",
    )
    # Queueing woke the worker: no beat needed.
    try:
        wait_for(lambda: smtp.count() == 1, timeout=30, what="the email to reach SMTP")
    except TimeoutError:
        raise AssertionError(worker.log()[-3000:]) from None
    [(envelope, _)] = smtp.envelopes
    assert sorted(envelope) == [CAPTURE, "maya@clinic.example.org"]
    [message] = smtp.messages
    assert message["From"] == f"Rosa Diaz <{CAPTURE}>"
    assert message["Reply-To"] == "rosa@library.example.org"
    assert message["Bcc"] is None
    assert "Dear Maya, could we meet on the 14th?" in message.get_content()

    # The capture mailbox gets the blind copy, then Maya's reply.
    assert sent.outgoing is not None and sent.touchpoint is not None
    message_id = sent.outgoing.message_id
    reply = raw(
        sender="Maya Lopez <maya@clinic.example.org>",
        to="rosa@library.example.org",
        subject="Re: Workshop dates",
        text="The 14th works for us.",
        headers={"In-Reply-To": message_id, "References": message_id},
    )
    deliver(dovecot, smtp.raw[0], reply)
    app.send_task("inbox.read_mailbox")
    wait_for(lambda: folder_counts(dovecot)["INBOX"] == 0, timeout=60, what="the mailbox read")
    assert CapturedEmail.objects.count() == 2  # the copy was recognised: nothing new
    touchpoints = Touchpoint.objects.filter(organization=clinic).order_by("pk")
    assert [t.conversation for t in touchpoints] == [message_id, message_id]
    assert touchpoints[1].notes.startswith("The 14th works for us.")


def test_a_group_email_leaves_at_its_pace_each_message_once(services, settings):
    smtp, _, worker = services
    settings.LIAISON_GROUP_EMAIL_PER_MINUTE = PER_MINUTE  # as the worker's
    manager = UserFactory(username="maria", email="maria@library.example.org", role="Manager")
    count = 8
    for n in range(count):
        partner(f"Clinic{n} Health", email=f"pat{n}@clinic{n}.example.org")
    started = time.monotonic()
    group_email = group_email_create(
        key=uuid.uuid4(),
        query=QueryDict("from=organizations&kind=health"),
        subject="Health fair: {organization} is invited",
        body="Dear {first_name}",
        by=manager,
    )
    # What beat does every minute, here every quarter second: each run sends what is due.
    deadline = time.monotonic() + 60
    while smtp.count() < count and time.monotonic() < deadline:
        app.send_task("mail.send_emails")
        time.sleep(0.25)
    time.sleep(1)  # a duplicate would arrive now
    arrivals = [when - started for _, when in smtp.envelopes]
    assert len(arrivals) == count, worker.log()[-3000:]
    assert max(smtp.message_ids().values()) == 1
    for n, seconds in enumerate(arrivals):
        assert seconds >= n * 0.5 - 0.1, arrivals  # never before its turn
    # However often the sender runs, no second's window holds more than its pace allows.
    assert all(sum(a <= s < a + 1 for s in arrivals) <= 3 for a in arrivals), arrivals
    statuses = set(
        OutgoingEmail.objects.filter(sent_email__group_email=group_email).values_list(
            "status", flat=True
        )
    )
    assert statuses == {OutgoingEmail.Status.SENT}
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:], strict=False)]
    assert min(gaps) >= 0.45, arrivals  # the worker's pace, however often it is woken
    print(f"{count} messages at {PER_MINUTE} a minute: gaps {min(gaps):.2f}–{max(gaps):.2f} s")
