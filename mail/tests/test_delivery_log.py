"""The delivery log and scheduler health: managers see every email and whether email runs."""

import datetime as dt
from html import escape

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from mail import outbox
from mail.models import Heartbeat, OutgoingEmail

pytestmark = pytest.mark.django_db

Status = OutgoingEmail.Status


def queue(n: int, **extra) -> list[OutgoingEmail]:
    rows = []
    for i in range(n):
        fields = {
            "kind": OutgoingEmail.Kind.DIGEST,
            "key": f"log:{i}:{extra.get('kind', '')}",
            "to_address": f"person{i}@example.org",
            "to_name": f"Person {i}",
            "subject": f"Your day {i}",
            "body_text": "Text body",
            "body_html": "<p>HTML body</p>",
        }
        row = outbox.email_queue(outbox.Email(**{**fields, **extra}))
        assert row is not None  # each key is new
        rows.append(row)
    return rows


def test_librarians_cannot_see_the_delivery_log(librarian_client):
    [email] = queue(1)
    assert librarian_client.get(reverse("mail:delivery_log")).status_code == 403
    assert librarian_client.get(reverse("mail:email_detail", args=[email.pk])).status_code == 403
    assert librarian_client.post(reverse("mail:email_retry", args=[email.pk])).status_code == 403


def test_the_log_lists_emails_with_their_status(manager_client):
    queue(3)
    OutgoingEmail.objects.filter(to_address="person1@example.org").update(
        status=Status.FAILED, attempts=6, last_error="SMTPRecipientsRefused: 550"
    )
    page = manager_client.get(reverse("mail:delivery_log")).content.decode()
    assert "3 emails" in page
    assert "Your day 2" in page
    assert "after 6 attempts" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "failed"}, {"Your day 1"}),
        ({"kind": "meeting_reminder"}, set()),
        ({"recipient": "person2@"}, {"Your day 2"}),
        ({"recipient": "Person 0"}, {"Your day 0"}),
    ],
)
def test_filters(manager_client, query, expected):
    queue(3)
    OutgoingEmail.objects.filter(to_address="person1@example.org").update(status=Status.FAILED)
    page = manager_client.get(reverse("mail:delivery_log"), query).content.decode()
    shown = {f"Your day {i}" for i in range(3) if f"Your day {i}<" in page}
    assert shown == expected


def test_date_filters_use_the_viewers_local_days(manager_client):
    [early, late] = queue(2)
    OutgoingEmail.objects.filter(pk=early.pk).update(
        created_at=dt.datetime(2026, 3, 1, 4, 30, tzinfo=dt.UTC)  # Feb 28, 23:30 in New York
    )
    OutgoingEmail.objects.filter(pk=late.pk).update(
        created_at=dt.datetime(2026, 3, 1, 5, 30, tzinfo=dt.UTC)  # Mar 1, 00:30 in New York
    )
    page = manager_client.get(
        reverse("mail:delivery_log"), {"start": "2026-03-01", "end": "2026-03-01"}
    ).content.decode()
    assert "Your day 1<" in page and "Your day 0<" not in page


@pytest.mark.parametrize(
    "query",
    [
        {"status": "exploded", "kind": "<script>"},
        {"start": "2026-02-30", "end": "9999-12-31"},
        {"recipient": "x" * 500},
        {"page": "-1"},
    ],
)
def test_hostile_filters_are_ignored_with_a_note(manager_client, query):
    queue(2)
    response = manager_client.get(reverse("mail:delivery_log"), query)
    assert response.status_code == 200
    assert b"<script>" not in response.content


def test_the_email_page_shows_both_bodies_escaped_and_the_error(manager_client):
    [email] = queue(1, subject="<b>Bold</b> & co", body_html='<p onclick="x()">Hi</p>')
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=Status.FAILED, last_error="SMTPDataError: 554 <rejected>"
    )
    page = manager_client.get(reverse("mail:email_detail", args=[email.pk])).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in page
    assert "Text body" in page
    # The HTML version sits in a sandboxed iframe that loads it from its own address (never
    # as markup in the page); test_email_html.py covers that address.
    assert f'sandbox src="{reverse("mail:email_html", args=[email.pk])}"' in page
    assert "onclick" not in page
    assert "554 &lt;rejected&gt;" in page
    assert "Retry now" in page


def test_retry_now_puts_a_failed_email_back_in_the_queue(manager_client):
    [email] = queue(1)
    OutgoingEmail.objects.filter(pk=email.pk).update(status=Status.FAILED, attempts=6)
    response = manager_client.post(reverse("mail:email_retry", args=[email.pk]), follow=True)
    assert "queued again" in response.content.decode()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.QUEUED, 0)
    assert email.next_attempt_at <= timezone.now()


def test_retry_of_a_sent_email_changes_nothing(manager_client):
    [email] = queue(1)
    OutgoingEmail.objects.filter(pk=email.pk).update(status=Status.SENT)
    response = manager_client.post(reverse("mail:email_retry", args=[email.pk]), follow=True)
    assert "Only a failed email" in response.content.decode()
    email.refresh_from_db()
    assert email.status == Status.SENT


class TestSchedulerHealth:
    def test_red_banner_when_beat_never_ran(self, manager_client):
        page = manager_client.get(reverse("mail:delivery_log")).content.decode()
        assert "Scheduled email is not running" in page
        assert "Celery beat has never run" in page

    def test_red_banner_when_beat_is_silent_for_15_minutes(self, manager_client):
        Heartbeat.objects.create(
            name=Heartbeat.BEAT, last_run_at=timezone.now() - dt.timedelta(minutes=16)
        )
        for url in (reverse("mail:delivery_log"), reverse("home")):
            assert "Scheduled email is not running" in manager_client.get(url).content.decode()

    def test_no_banner_while_beat_runs(self, manager_client):
        Heartbeat.objects.create(
            name=Heartbeat.BEAT, last_run_at=timezone.now() - dt.timedelta(minutes=14)
        )
        for url in (reverse("mail:delivery_log"), reverse("home")):
            assert "Scheduled email is not running" not in manager_client.get(url).content.decode()

    def test_librarians_dashboard_has_no_scheduler_panel(self, librarian_client):
        page = librarian_client.get(reverse("home")).content.decode()
        assert "Scheduled email is not running" not in page
        assert "Delivery log" not in page

    def test_queue_depth_and_oldest_due_email(self, manager_client):
        Heartbeat.objects.create(name=Heartbeat.BEAT, last_run_at=timezone.now())
        rows = queue(4)
        OutgoingEmail.objects.filter(pk=rows[0].pk).update(
            created_at=timezone.now() - dt.timedelta(minutes=42)
        )
        OutgoingEmail.objects.filter(pk=rows[3].pk).update(
            next_attempt_at=timezone.now() + dt.timedelta(hours=1)
        )
        page = manager_client.get(reverse("mail:delivery_log")).content.decode()
        assert "4 queued (3 due now)" in page
        assert "Email is waiting to be sent" in page
        assert "the oldest queued 42 minutes ago" in page

    def test_a_manager_reads_in_plain_words_that_email_is_going_out(self, manager_client):
        now = timezone.now()
        Heartbeat.objects.create(name=Heartbeat.BEAT, last_run_at=now - dt.timedelta(seconds=40))
        Heartbeat.objects.create(
            name=Heartbeat.SENDER, last_run_at=now - dt.timedelta(seconds=28), last_result="0 sent"
        )
        for url in (reverse("home"), reverse("mail:delivery_log")):
            with time_machine.travel(now, tick=False):
                page = manager_client.get(url).content.decode()
            assert "Email sending is working:</strong> last check 28\xa0seconds ago" in page
            assert "nothing waiting." in page and "No email failed in the last 7 days." in page
            # The scheduler's own words only behind the disclosure.
            technical = page.split("<summary>Technical details</summary>")[1].split("</details>")[0]
            assert "Celery beat (the scheduler) last ran" in technical and "0 sent" in technical
            before = page.split("<summary>Technical details</summary>")[0]
            for jargon in ("Beat last ran", "Scheduler health", "the sender never", "Celery"):
                assert jargon not in before, jargon

    def test_failed_and_waiting_email_are_said_plainly(self, manager_client):
        Heartbeat.objects.create(name=Heartbeat.BEAT, last_run_at=timezone.now())
        failed, _waiting = queue(2)
        OutgoingEmail.objects.filter(pk=failed.pk).update(status=Status.FAILED)
        page = manager_client.get(reverse("home")).content.decode()
        assert "1 on its way." in page
        assert '?status=failed">1 email could not be delivered</a> in the last 7 days.' in page


def test_the_email_page_keeps_message_id_and_key_behind_technical_details(manager_client):
    [email] = queue(1)
    page = manager_client.get(reverse("mail:email_detail", args=[email.pk])).content.decode()
    before, technical = page.split("<summary>Technical details</summary>")
    assert "Message-ID" not in before and "Idempotency key" not in before
    assert escape(email.message_id) in technical and email.idempotency_key in technical


@pytest.mark.parametrize("rows", [3, 60])
def test_delivery_log_query_count(manager_client, rows, django_assert_max_num_queries):
    queue(rows)
    # 4 (session, user, roles, time zone) + count + page + heartbeats + queue figures.
    with django_assert_max_num_queries(8):
        assert manager_client.get(reverse("mail:delivery_log")).status_code == 200
    email = OutgoingEmail.objects.first()
    assert email is not None
    with django_assert_max_num_queries(5):
        assert manager_client.get(reverse("mail:email_detail", args=[email.pk])).status_code == 200


def test_each_status_reads_the_same_in_the_log_and_on_the_emails_page(manager_client, settings):
    settings.TIME_ZONE = "America/New_York"
    sent, failed, suppressed, sending, retrying, waiting = [
        queue(1, key=f"status:{i}", subject=f"<b>Day {i}</b>")[0] for i in range(6)
    ]
    at = dt.datetime(2026, 3, 2, 19, 5, tzinfo=dt.UTC)  # Mar 2, 2:05 PM in New York
    OutgoingEmail.objects.filter(pk=sent.pk).update(status=Status.SENT, sent_at=at)
    OutgoingEmail.objects.filter(pk=failed.pk).update(status=Status.FAILED, attempts=1)
    OutgoingEmail.objects.filter(pk=suppressed.pk).update(
        status=Status.SUPPRESSED, suppressed_reason="Unsubscribed <2026>"
    )
    OutgoingEmail.objects.filter(pk=sending.pk).update(
        status=Status.SENDING, claimed_by="worker", lease_expires_at=at
    )
    OutgoingEmail.objects.filter(pk=retrying.pk).update(attempts=2, next_attempt_at=at)
    expected = {
        sent: 'Sent</span> <span class="small text-body-secondary text-nowrap">Mar 2, 2:05 PM',
        failed: 'Failed</span> <span class="small">after 1 attempt</span>',
        suppressed: 'Suppressed</span> <span class="small">Unsubscribed &lt;2026&gt;</span>',
        sending: "Sending</span>",
        retrying: "retry Mar 2, 2:05 PM (2 failed attempts)",
        waiting: '<span class="badge text-bg-warning">Queued</span></td>',
    }
    log = manager_client.get(reverse("mail:delivery_log")).content.decode()
    for email, text in expected.items():
        assert text in log, email.status
        page = manager_client.get(reverse("mail:email_detail", args=[email.pk])).content.decode()
        assert text.removesuffix("</td>") in page
    assert "&lt;b&gt;Day 0&lt;/b&gt;" in log and "<b>Day" not in log


@pytest.mark.parametrize("url_name", ["mail:delivery_log", "home"])
def test_a_stopped_scheduler_is_told_once_and_the_summary_points_to_it(manager_client, url_name):
    Heartbeat.objects.create(
        name=Heartbeat.BEAT, last_run_at=timezone.now() - dt.timedelta(minutes=30)
    )
    page = manager_client.get(reverse(url_name)).content.decode()
    assert page.count("Scheduled email is not running") == 1
    assert page.count("last ran 30") == 1
    assert "Email sending has stopped:</strong> see the warning at the top of the page." in page
