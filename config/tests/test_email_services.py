"""Email against real services: PostgreSQL, Redis, Celery workers and an SMTP server.

Each test starts its own redis-server on a free port (so a test can stop it), an aiosmtpd
server on 127.0.0.1, and `celery worker` subprocesses reading the test database. Where a
test needs beat's periodic run, it sends the task beat would send, at once rather than waiting
a minute; `test_beat_records_its_heartbeat` runs beat itself.
"""

import datetime as dt
import re
import time

import pytest
from django.db import connection
from django.utils import timezone

from config.celery import app
from config.realservices import (
    Beat,
    RedisServer,
    SmtpSink,
    Worker,
    database_url,
    point_celery_at,
    service_env,
    wait_for,
)
from mail import outbox
from mail.models import Heartbeat, OutgoingEmail

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

Status = OutgoingEmail.Status

# Short timings so that a lease or a back-off passes within a test: a sender needs
# 2 × EMAIL_TIMEOUT + 5 s of lease to start a message.
WORKER_SETTINGS = {
    "EMAIL_TIMEOUT": "3",
    "LIAISON_EMAIL_LEASE_SECONDS": "15",
    "LIAISON_EMAIL_RETRY_BASE_SECONDS": "1",
    "LIAISON_EMAIL_BATCH_SIZE": "10",
}


@pytest.fixture
def services_ready():
    if connection.vendor != "postgresql":
        pytest.skip("The real-service email tests need PostgreSQL (set DATABASE_URL)")
    if not RedisServer.available():
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        pytest.skip("aiosmtpd is not installed (pip install -r requirements-dev.txt)")


@pytest.fixture
def redis_server(services_ready):
    server = RedisServer().start()
    point_celery_at(server.url)
    yield server
    point_celery_at("memory://")
    server.close()


@pytest.fixture
def smtp(services_ready):
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def start_worker(redis_server, smtp, settings):
    settings.EMAIL_URL = smtp.url  # for the record; the test process itself sends nothing
    env = service_env(
        database_url=database_url(),
        redis_url=redis_server.url,
        email_url=smtp.url,
        **WORKER_SETTINGS,
    )
    started: list[Worker] = []

    def start(name: str, cls=Worker) -> Worker:
        worker = cls(name, env).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.close()


def queue_emails(count: int, prefix: str = "load") -> set[str]:
    """Queue `count` test emails; their Message-IDs."""
    outbox.emails_queue(
        outbox.Email(
            kind=OutgoingEmail.Kind.TEST,
            key=f"{prefix}:{n}",
            to_address=f"reader{n}@example.org",
            subject=f"Message {n}",
            body_text=f"Body {n}\n",
        )
        for n in range(count)
    )
    return set(OutgoingEmail.objects.values_list("message_id", flat=True))


def run_sender(times: int = 1) -> None:
    """What beat does every minute (and what queueing does after commit)."""
    for _ in range(times):
        app.send_task("mail.send_emails")


def sent_by(worker: Worker) -> int:
    return sum(int(n) for n in re.findall(r"succeeded in [\d.]+s: 'sent (\d+)", worker.log()))


def test_two_workers_deliver_500_emails_exactly_once(start_worker, smtp):
    first, second = start_worker("first"), start_worker("second")
    expected = queue_emails(500)
    run_sender(4)
    wait_for(lambda: smtp.count() >= 500, timeout=120, what="500 emails")
    time.sleep(0.5)  # anything more (a duplicate) would arrive now
    ids = smtp.message_ids()
    assert set(ids) == expected
    assert max(ids.values()) == 1, "an email was delivered twice"
    assert OutgoingEmail.objects.exclude(status=Status.SENT).count() == 0
    wait_for(lambda: sent_by(first) + sent_by(second) == 500, timeout=10, what="worker logs")
    assert sent_by(first) > 0 and sent_by(second) > 0, "both workers should have sent some"


def test_a_worker_killed_mid_batch_loses_nothing(start_worker, smtp):
    smtp.delay = 0.004  # ~2 s for 500: time to kill a worker in the middle
    victim, survivor = start_worker("victim"), start_worker("survivor")
    expected = queue_emails(500)
    run_sender(2)
    batch = int(WORKER_SETTINGS["LIAISON_EMAIL_BATCH_SIZE"])

    def both_mid_batch() -> bool:
        # More rows being sent than one batch: each worker holds a claimed batch, the victim too.
        sending = OutgoingEmail.objects.filter(status=Status.SENDING).count()
        return smtp.count() >= 250 and sending > batch

    wait_for(both_mid_batch, timeout=60, interval=0, what="half sent, both workers mid-batch")
    victim.kill()

    # The survivor sends everything still free; the victim's claimed batch waits for its lease.
    def survivor_idle() -> bool:
        before = smtp.count()
        time.sleep(1)
        return (
            before == smtp.count()
            and not OutgoingEmail.objects.filter(status=Status.QUEUED).exists()
        )

    wait_for(survivor_idle, timeout=60, interval=0, what="the survivor to send what was free")
    stranded = set(
        OutgoingEmail.objects.filter(status=Status.SENDING).values_list("message_id", flat=True)
    )
    assert 1 <= len(stranded) <= int(WORKER_SETTINGS["LIAISON_EMAIL_BATCH_SIZE"]), stranded
    # The victim's batch waits for its lease. Of it, only the message the victim was sending
    # when it died may have reached the server already (the one possible repeat, README).
    assert len(stranded & set(smtp.message_ids())) <= 1

    # Once the 15 s lease has run out, beat's periodic run (every 2 s here) hands them over.
    deadline = time.monotonic() + 90
    while set(smtp.message_ids()) != expected:
        assert time.monotonic() < deadline, f"only {len(smtp.message_ids())} of 500 delivered"
        run_sender()
        time.sleep(2)
    time.sleep(1)
    ids = smtp.message_ids()
    assert set(ids) == expected, "an email was lost"
    duplicates = sum(count - 1 for count in ids.values())
    assert duplicates <= 1, f"{duplicates} duplicates for one killed worker"
    assert OutgoingEmail.objects.exclude(status=Status.SENT).count() == 0
    assert sent_by(survivor) > 0


def test_smtp_down_is_retried_and_delivered_once_it_is_back(start_worker, smtp):
    start_worker("only")
    smtp.stop()
    expected = queue_emails(5, prefix="down")
    run_sender()
    wait_for(
        lambda: OutgoingEmail.objects.filter(attempts__gte=1).exists(),
        timeout=30,
        what="a failed attempt",
    )
    waiting = OutgoingEmail.objects.filter(status=Status.QUEUED, attempts=1).get()
    assert "Connection refused" in waiting.last_error or "111" in waiting.last_error
    assert OutgoingEmail.objects.filter(status=Status.SENT).count() == 0
    assert waiting.next_attempt_at > timezone.now() - dt.timedelta(seconds=5)

    smtp.start()  # same port: the server is back
    deadline = time.monotonic() + 60
    while set(smtp.message_ids()) != expected:
        assert time.monotonic() < deadline, "not delivered after the server came back"
        run_sender()
        time.sleep(1)
    time.sleep(0.5)
    assert max(smtp.message_ids().values()) == 1
    assert OutgoingEmail.objects.filter(status=Status.SENT).count() == 5


def test_beat_records_its_heartbeat(start_worker):
    start_worker("beat", cls=Beat)
    wait_for(
        lambda: Heartbeat.objects.filter(name=Heartbeat.BEAT).exists(),
        timeout=60,
        interval=0.5,
        what="beat's heartbeat row",
    )
    beat = Heartbeat.objects.get(name=Heartbeat.BEAT)
    assert timezone.now() - beat.last_run_at < dt.timedelta(minutes=1)
    assert "periodic tasks" in beat.last_result


# --- Staff email through the whole chain: beat's scan → outbox → worker → SMTP ------------

# Far enough apart that one of them is always between 09:00 and 21:00 local time.
ZONES = [
    "Pacific/Honolulu", "America/Los_Angeles", "America/New_York", "America/Sao_Paulo",
    "Europe/London", "Europe/Berlin", "Asia/Dubai", "Asia/Kolkata", "Asia/Tokyo",
    "Australia/Sydney",
]  # fmt: skip


def a_zone_in_the_daytime() -> str:
    """A time zone where it is now past the 08:00 digest and well before midnight."""
    import zoneinfo

    for name in ZONES:
        if 9 <= timezone.now().astimezone(zoneinfo.ZoneInfo(name)).hour < 21:
            return name
    raise AssertionError("no daytime zone in the list")


def staff(username: str, zone: str, role: str = "Librarian"):
    from core.profiles import profile_for
    from core.tests.factories import UserFactory

    user = UserFactory(username=username, email=f"{username}@library.example.org", role=role)
    profile = profile_for(user)
    profile.time_zone = zone
    profile.save()
    return user


def digests_to(smtp: SmtpSink, address: str) -> list:
    return [
        message
        for message in smtp.messages
        if address in message["To"] and message["X-Liaison-Kind"] == "digest"
    ]


def test_a_due_follow_up_produces_exactly_one_digest(start_worker, smtp, settings):
    from outreach import services
    from partners.tests.factories import OrganizationFactory

    start_worker("only")
    zone = a_zone_in_the_daytime()
    librarian = staff("dana", zone)
    organization = OrganizationFactory(name="County Health Department", owner=librarian)
    with timezone.override(zone):
        services.followup_create(
            organization=organization,
            assignee=librarian,
            title="Send the flu-clinic flyer",
            due_on=timezone.localdate(),
            created_by=librarian,
        )
    # Beat sends this every minute; twice here, as two beats or a retried task would.
    app.send_task("notifications.queue_staff_emails")
    app.send_task("notifications.queue_staff_emails")
    wait_for(lambda: digests_to(smtp, librarian.email), timeout=60, what="the digest")
    time.sleep(2)
    [digest] = digests_to(smtp, librarian.email)
    text = digest.get_body(("plain",)).get_content()
    html = digest.get_body(("html",)).get_content()
    assert "Send the flu-clinic flyer" in text and "County Health Department" in text
    assert "Send the flu-clinic flyer" in html
    assert settings.SITE_URL + "/" in text
    assert OutgoingEmail.objects.filter(kind="digest", user=librarian).count() == 1


def test_with_redis_stopped_the_web_still_works_and_the_digest_goes_out_later(
    start_worker, smtp, redis_server, client, caplog
):
    from django.urls import reverse

    from outreach.models import FollowUp
    from partners.tests.factories import OrganizationFactory

    start_worker("only")
    zone = a_zone_in_the_daytime()
    librarian = staff("dana", zone)
    colleague = staff("sam", zone)
    manager = staff("maria", zone, role="Manager")
    organization = OrganizationFactory(name="Parks and Recreation", owner=librarian)

    redis_server.stop()
    client.force_login(librarian)
    started = time.monotonic()
    with timezone.override(zone):
        today = timezone.localdate()
    response = client.post(
        reverse("outreach:touchpoint_create", args=[organization.pk]),
        {
            "occurred_on": today.isoformat(),
            "channel": "phone",
            "subject": "Called about the summer reading kickoff",
            "follow_up": "date",
            "follow_up_on": today.isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    followup = FollowUp.objects.get(organization=organization)
    # A manager hands the follow-up to a colleague: that queues an email and nudges the broker.
    client.force_login(manager)
    response = client.post(
        reverse("outreach:followup_reassign", args=[followup.pk]), {"assignee": colleague.pk}
    )
    assert response.status_code in (200, 302)
    assert time.monotonic() - started < 15, "a broker that is down must not hang the page"
    assert "Could not reach the Celery broker" in caplog.text
    followup.refresh_from_db()
    assert followup.assignee == colleague

    redis_server.start()  # same port: Redis is back; the worker reconnects by itself
    deadline = time.monotonic() + 90
    while not digests_to(smtp, colleague.email):
        assert time.monotonic() < deadline, "no digest after Redis came back"
        app.send_task("notifications.queue_staff_emails")  # beat's next run
        time.sleep(2)
    time.sleep(2)
    [digest] = digests_to(smtp, colleague.email)
    assert "Parks and Recreation" in digest.get_body(("plain",)).get_content()
    # The assignment email queued while Redis was down went out too, once.
    assigned = [
        message
        for message in smtp.messages
        if colleague.email in message["To"] and message["Message-ID"] != digest["Message-ID"]
    ]
    assert OutgoingEmail.objects.filter(user=colleague).exclude(status=Status.SENT).count() == 0
    assert max(smtp.message_ids().values()) == 1
    assert len(assigned) == OutgoingEmail.objects.filter(user=colleague).count() - 1
