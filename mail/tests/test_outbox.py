"""The outbox: queued once, claimed by one sender, retried with back-off, never lost."""

import datetime as dt
import smtplib
import threading

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.tests import backends
from mail import outbox
from mail.models import Heartbeat, OutgoingEmail
from partners.tests.factories import ContactFactory

Status = OutgoingEmail.Status


@pytest.fixture(autouse=True)
def scripted_email(settings):
    settings.EMAIL_BACKEND = "core.tests.backends.ScriptedBackend"
    settings.LIAISON_EMAIL_RETRY_BASE_SECONDS = 60
    settings.LIAISON_EMAIL_MAX_ATTEMPTS = 6
    settings.LIAISON_EMAIL_LEASE_SECONDS = 300
    backends.FAILURES.clear()
    backends.OPEN_FAILURE.clear()
    mail.outbox = []
    yield
    backends.FAILURES.clear()
    backends.OPEN_FAILURE.clear()


def an_email(key="test:1", to="reader@example.org", **extra) -> outbox.Email:
    fields = {
        "kind": OutgoingEmail.Kind.TEST,
        "key": key,
        "to_address": to,
        "subject": "Hello",
        "body_text": "Plain words.\n",
        "body_html": "<p>Rich words.</p>",
    }
    return outbox.Email(**{**fields, **extra})


@pytest.mark.django_db
class TestQueue:
    def test_the_same_key_queues_one_email(self):
        first = outbox.email_queue(an_email())
        second = outbox.email_queue(an_email(subject="Changed"))
        assert first is not None and second is None
        assert OutgoingEmail.objects.get().subject == "Hello"

    def test_uniqueness_is_the_databases_not_a_prior_check(self):
        outbox.email_queue(an_email())
        with pytest.raises(IntegrityError), transaction.atomic():
            OutgoingEmail.objects.create(
                kind="test", idempotency_key="test:1", to_address="x@example.org",
                subject="s", body_text="b", message_id="<m@x>",
            )  # fmt: skip

    def test_bulk_queue_skips_keys_queued_before(self):
        outbox.email_queue(an_email(key="k:1"))
        outbox.emails_queue([an_email(key=f"k:{n}") for n in range(1, 6)])
        assert OutgoingEmail.objects.count() == 5

    def test_each_email_gets_its_own_message_id_from_site_url(self, settings):
        settings.SITE_URL = "https://liaison.example-library.org"
        a = outbox.email_queue(an_email(key="a"))
        b = outbox.email_queue(an_email(key="b"))
        assert a is not None and b is not None
        assert a.message_id != b.message_id
        assert a.message_id.endswith("@liaison.example-library.org>")

    def test_do_not_contact_is_suppressed_with_the_reason(self):
        contact = ContactFactory(do_not_contact=True)
        row = outbox.email_queue(an_email(contact=contact, to=contact.email))
        assert row is not None
        assert row.status == Status.SUPPRESSED
        assert "do not contact" in row.suppressed_reason

    def test_opted_out_contact_gets_no_progress_update(self):
        contact = ContactFactory(opted_out_of_updates=True, opted_out_at=timezone.now())
        row = outbox.email_queue(
            an_email(kind=OutgoingEmail.Kind.PROGRESS_UPDATE, contact=contact, to=contact.email)
        )
        assert row is not None
        assert row.status == Status.SUPPRESSED
        assert "unsubscribed" in row.suppressed_reason

    def test_a_broker_that_is_down_costs_a_log_line_not_the_request(
        self, monkeypatch, caplog, django_capture_on_commit_callbacks
    ):
        from celery import current_app
        from kombu.exceptions import OperationalError

        def broker_down(*args, **kwargs):
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        monkeypatch.setattr(current_app, "send_task", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            outbox.email_queue(an_email())
        assert OutgoingEmail.objects.get().status == Status.QUEUED
        assert "Could not reach the Celery broker" in caplog.text

    def test_emails_sent_before_are_kept_as_sent_and_never_sent_again(
        self, django_capture_on_commit_callbacks
    ):
        then = timezone.now() - dt.timedelta(days=40)
        quiet = ContactFactory(do_not_contact=True)
        outbox.email_queue(an_email(key="k:1"))
        with django_capture_on_commit_callbacks() as woken:
            outbox.emails_record_sent(
                [
                    an_email(key="k:1", subject="Changed"),
                    an_email(key="k:2"),
                    an_email(key="k:3", contact=quiet, to=quiet.email),
                ],
                sent_at=then,
            )
        assert not woken
        rows = {row.idempotency_key: row for row in OutgoingEmail.objects.all()}
        assert rows["k:1"].status == Status.QUEUED and rows["k:1"].subject == "Hello"
        kept = rows["k:2"]
        assert (kept.status, kept.sent_at, kept.created_at, kept.attempts) == (
            Status.SENT, then, then, 1
        )  # fmt: skip
        assert kept.message_id
        assert rows["k:3"].status == Status.SUPPRESSED and rows["k:3"].sent_at is None
        assert outbox.emails_send_due().sent == 1  # only the one queued now
        assert [m.subject for m in mail.outbox] == ["Hello"]


@pytest.mark.django_db
class TestSend:
    def test_a_queued_email_is_sent_once_with_its_message_id_and_html(self):
        row = outbox.email_queue(an_email(headers={"List-Unsubscribe": "<https://x/u/1/>"}))
        assert row is not None
        report = outbox.emails_send_due()
        assert report.sent == 1
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert isinstance(message, EmailMultiAlternatives)
        assert message.extra_headers["Message-ID"] == row.message_id
        assert message.extra_headers["List-Unsubscribe"] == "<https://x/u/1/>"
        assert message.alternatives[0][0] == "<p>Rich words.</p>"
        row.refresh_from_db()
        assert (row.status, row.attempts, row.claimed_by) == (Status.SENT, 1, "")
        assert row.sent_at is not None
        assert outbox.emails_send_due().sent == 0
        assert len(mail.outbox) == 1

    def test_the_recipient_name_goes_in_the_to_header(self):
        outbox.email_queue(an_email(to_name="Dana Ruiz, RN"))
        outbox.emails_send_due()
        assert mail.outbox[0].to == ['"Dana Ruiz, RN" <reader@example.org>']

    def test_an_email_not_yet_due_waits(self):
        outbox.email_queue(an_email())
        OutgoingEmail.objects.update(next_attempt_at=timezone.now() + dt.timedelta(minutes=1))
        assert outbox.emails_send_due().sent == 0

    def test_a_lease_that_has_not_expired_is_left_alone(self):
        outbox.email_queue(an_email())
        soon = timezone.now() + dt.timedelta(minutes=1)
        OutgoingEmail.objects.update(
            status=Status.SENDING, claimed_by="other", lease_expires_at=soon
        )
        assert outbox.emails_send_due().sent == 0
        assert mail.outbox == []

    def test_an_expired_lease_is_taken_over_so_nothing_is_lost(self):
        outbox.email_queue(an_email())
        past = timezone.now() - dt.timedelta(seconds=1)
        OutgoingEmail.objects.update(
            status=Status.SENDING, claimed_by="dead", lease_expires_at=past
        )
        assert outbox.emails_send_due().sent == 1
        assert OutgoingEmail.objects.get().status == Status.SENT

    def test_a_message_is_not_started_without_enough_lease_left(self, settings):
        # EMAIL_TIMEOUT 30 s: a message needs 65 s of lease; a 60 s lease gives none.
        settings.LIAISON_EMAIL_LEASE_SECONDS = 60
        outbox.email_queue(an_email())
        report = outbox.emails_send_due()
        assert (report.sent, report.released) == (0, 1)
        row = OutgoingEmail.objects.get()
        assert (row.status, row.claimed_by, row.lease_expires_at) == (Status.QUEUED, "", None)

    def test_temporary_errors_back_off_1_5_25_minutes_then_give_up_after_6(self):
        backends.FAILURES["reader@example.org"] = smtplib.SMTPResponseException(451, b"try later")
        outbox.email_queue(an_email())
        start = timezone.now()
        expected_waits = [1, 5, 25, 125, 625]
        with time_machine.travel(start, tick=False) as clock:
            for attempt, minutes in enumerate(expected_waits, start=1):
                assert outbox.emails_send_due().retried == 1
                row = OutgoingEmail.objects.get()
                assert (row.status, row.attempts) == (Status.QUEUED, attempt)
                assert row.next_attempt_at == timezone.now() + dt.timedelta(minutes=minutes)
                assert "451" in row.last_error
                assert outbox.emails_send_due().retried == 0  # not due yet
                clock.move_to(row.next_attempt_at)
            assert outbox.emails_send_due().failed == 1
        row = OutgoingEmail.objects.get()
        assert (row.status, row.attempts) == (Status.FAILED, 6)
        assert row.last_error.startswith("Gave up after 6 attempts")

    @pytest.mark.parametrize(
        "error",
        [
            backends.refused(550, "reader@example.org"),
            smtplib.SMTPDataError(554, b"message refused"),
            ValueError("Invalid address"),
        ],
    )
    def test_permanent_errors_fail_at_once(self, error):
        backends.FAILURES["reader@example.org"] = error
        outbox.email_queue(an_email())
        assert outbox.emails_send_due().failed == 1
        row = OutgoingEmail.objects.get()
        assert (row.status, row.attempts) == (Status.FAILED, 1)

    def test_a_mailbox_that_is_temporarily_full_is_retried(self):
        backends.FAILURES["reader@example.org"] = backends.refused(452, "reader@example.org")
        outbox.email_queue(an_email())
        assert outbox.emails_send_due().retried == 1

    def test_one_bad_address_does_not_hold_up_the_others(self):
        backends.FAILURES["bad@example.org"] = backends.refused(550, "bad@example.org")
        addresses = ["r0", "r1", "bad", "r3", "r4"]
        outbox.emails_queue([an_email(key=a, to=f"{a}@example.org") for a in addresses])
        report = outbox.emails_send_due()
        assert (report.sent, report.failed) == (4, 1)

    def test_server_down_retries_the_batch_later_and_delivers_once_it_is_back(self):
        outbox.emails_queue([an_email(key=f"k{n}", to=f"r{n}@example.org") for n in range(3)])
        backends.OPEN_FAILURE.append(ConnectionRefusedError(111, "Connection refused"))
        start = timezone.now()
        with time_machine.travel(start, tick=False) as clock:
            report = outbox.emails_send_due()
            assert (report.sent, report.retried, report.released) == (0, 1, 2)
            rows = list(OutgoingEmail.objects.order_by("id"))
            assert {row.status for row in rows} == {Status.QUEUED}
            # Only the email that was tried counts an attempt; all wait out the back-off.
            assert [row.attempts for row in rows] == [1, 0, 0]
            assert {row.next_attempt_at for row in rows} == {start + dt.timedelta(minutes=1)}
            backends.OPEN_FAILURE.clear()
            assert outbox.emails_send_due().sent == 0
            clock.move_to(start + dt.timedelta(minutes=1))
            assert outbox.emails_send_due().sent == 3
        assert len(mail.outbox) == 3

    def test_a_contact_who_opts_out_after_queueing_is_suppressed_at_send_time(self):
        contact = ContactFactory()
        outbox.email_queue(
            an_email(kind=OutgoingEmail.Kind.PROGRESS_UPDATE, contact=contact, to=contact.email)
        )
        contact.do_not_contact = True
        contact.save()
        report = outbox.emails_send_due()
        assert (report.sent, report.suppressed) == (0, 1)
        assert mail.outbox == []
        assert OutgoingEmail.objects.get().status == Status.SUPPRESSED

    def test_suppressed_rows_never_reach_smtp(self):
        # One suppressed when queued; one whose contact asked not to be contacted since.
        blocked = ContactFactory(do_not_contact=True)
        outbox.email_queue(an_email(key="k:1", contact=blocked, to=blocked.email))
        since = ContactFactory()
        outbox.email_queue(an_email(key="k:2", contact=since, to=since.email))
        since.do_not_contact = True
        since.save()
        opened = backends.ScriptedBackend.opened

        report = outbox.emails_send_due()

        assert (report.sent, report.suppressed) == (0, 1)
        assert backends.ScriptedBackend.opened == opened, "an SMTP connection was opened"
        assert mail.outbox == []
        rows = OutgoingEmail.objects.order_by("idempotency_key")
        assert [(row.status, row.attempts) for row in rows] == [(Status.SUPPRESSED, 0)] * 2
        assert all("do not contact" in row.suppressed_reason for row in rows)

    def test_the_sender_records_a_heartbeat(self):
        outbox.emails_send_due()
        outbox.emails_send_due()
        beat = Heartbeat.objects.get(name=Heartbeat.SENDER)
        assert beat.runs == 2
        assert "sent 0" in beat.last_result

    def test_retry_now_requeues_a_failed_email_only(self):
        backends.FAILURES["reader@example.org"] = backends.refused(550, "reader@example.org")
        row = outbox.email_queue(an_email())
        assert row is not None
        outbox.emails_send_due()
        row.refresh_from_db()
        assert outbox.email_retry_now(email=row) is True
        row.refresh_from_db()
        assert (row.status, row.attempts) == (Status.QUEUED, 0)
        assert outbox.email_retry_now(email=row) is False
        backends.FAILURES.clear()
        assert outbox.emails_send_due().sent == 1


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_claim_disjoint_emails():
    """Real row locks: two threads claim concurrently and never share a row."""
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED needs PostgreSQL (set DATABASE_URL)")
    outbox.emails_queue([an_email(key=f"k{n}", to=f"r{n}@example.org") for n in range(200)])
    claims: dict[str, list[int]] = {}
    barrier = threading.Barrier(2)

    def claim(name: str) -> None:
        from django.db import connection as thread_connection

        barrier.wait()
        mine: list[int] = []
        while batch := outbox._claim(token=name, batch_size=7):
            mine.extend(row.id for row in batch)
        claims[name] = mine
        thread_connection.close()

    threads = [threading.Thread(target=claim, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not set(claims["a"]) & set(claims["b"])
    assert len(claims["a"]) + len(claims["b"]) == 200
    assert claims["a"] and claims["b"]
