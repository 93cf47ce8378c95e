"""The outbox: every email Liaison sends is queued here, then delivered by the sender task.

Guarantees, and where each comes from:

- **Queued once.** ``email_queue`` inserts a row under a unique idempotency key; a second insert
  of the same key is a no-op because the database's unique constraint refuses it (not because
  of a prior SELECT, which two workers could both pass).
- **Sent once.** ``emails_send_due`` claims due rows in a short transaction
  (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, then an UPDATE conditional on the row still
  being claimable, which is what makes SQLite safe too, its transactions taking the write lock
  as they begin: settings.LIAISON_SQLITE_OPTIONS) and stamps them with a random claim token
  and a lease. Every later write is conditional on that token, so a sender whose lease ran out
  can no longer record anything for the row.
- **Never lost.** A sender that dies leaves its rows in ``sending`` with a lease; once the lease
  expires, the next run claims them again. A sender never starts a message unless enough of its
  lease is left to finish it (``EMAIL_TIMEOUT`` twice over), and gives back the rest of its batch.
- **The one possible double.** A message accepted by the SMTP server just before its sender died,
  not yet marked sent, is sent again after the lease. Each row is marked sent right after its own
  SMTP transaction, so that window is at most one message per dead sender; the repeat carries the
  same Message-ID, chosen when the row was queued, so mail clients can recognise it.
"""

import datetime as dt
import logging
import smtplib
import socket
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import formataddr, make_msgid
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db import connection as db_connection
from django.db.models import F, Q
from django.utils import timezone

from mail.models import Heartbeat, OutgoingEmail

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from partners.models import Contact

logger = logging.getLogger(__name__)

Status = OutgoingEmail.Status


@dataclass
class Email:
    """An email to queue. ``key`` names it uniquely, e.g. ``digest:<user id>:<local date>``."""

    kind: str
    key: str
    to_address: str
    subject: str
    body_text: str
    body_html: str = ""
    to_name: str = ""
    user: "User | None" = None
    contact: "Contact | None" = None
    headers: dict = field(default_factory=dict)
    related_label: str = ""
    related_url: str = ""
    bcc: str = ""
    # Not sent before this moment (a group email's pace); None: at once.
    not_before: dt.datetime | None = None
    # Chosen by the caller when it must know it before queueing (compose threads replies by it).
    message_id: str = ""


def message_id_make() -> str:
    """A new Message-ID, <…@the site's host>."""
    return _message_id()


def _message_id() -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "liaison.invalid"
    # make_msgid without a domain would look up this machine's FQDN, which can take seconds.
    return make_msgid(idstring="liaison", domain=domain)


def suppression_reason(*, kind: str, contact) -> str:
    """Why an email must not go to this contact, or "" if it may."""
    if contact is None:
        return ""
    if contact.do_not_contact:
        return "The contact is marked “do not contact”."
    if kind in BULK_KINDS and contact.opted_out_of_updates:
        when = contact.opted_out_at
        day = f" on {timezone.localdate(when):%Y-%m-%d}" if when else ""
        return f"The contact unsubscribed from progress updates and group email{day}."
    return ""


# Email sent to many partners at once: an opted-out contact gets none of it. An email a staff
# member writes to one person is not bulk: only "do not contact" stops it.
BULK_KINDS = frozenset({OutgoingEmail.Kind.PROGRESS_UPDATE, OutgoingEmail.Kind.GROUP})
# Sent one at a time at LIAISON_GROUP_EMAIL_PER_MINUTE, to respect the library's mail server.
PACED_KINDS = (OutgoingEmail.Kind.GROUP,)


def _row(email: Email) -> OutgoingEmail:
    reason = suppression_reason(kind=email.kind, contact=email.contact)
    return OutgoingEmail(
        kind=email.kind,
        idempotency_key=email.key,
        to_address=email.to_address,
        to_name=email.to_name[:200],
        user=email.user,
        contact=email.contact,
        subject=email.subject[:255],
        body_text=email.body_text,
        body_html=email.body_html,
        headers=email.headers,
        bcc=email.bcc,
        related_label=email.related_label[:200],
        related_url=email.related_url[:500],
        status=Status.SUPPRESSED if reason else Status.QUEUED,
        suppressed_reason=reason,
        message_id=email.message_id or _message_id(),
        next_attempt_at=email.not_before or timezone.now(),
    )


def email_queue(email: Email, *, wake: bool = True) -> OutgoingEmail | None:
    """Queue one email; None if an email with the same key was queued before.

    The sender is woken after the surrounding transaction commits; a caller queueing many in
    one transaction passes `wake=False` and calls sender_wake() once.
    """
    row = _row(email)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        if not OutgoingEmail.objects.filter(idempotency_key=email.key).exists():
            raise
        return None
    if row.status == Status.QUEUED and wake:
        sender_wake()
    return row


def emails_queue(emails: Iterable[Email], *, batch_size: int = 500) -> None:
    """Queue many emails at once; keys queued before are skipped (INSERT … ON CONFLICT)."""
    rows = [_row(email) for email in emails]
    OutgoingEmail.objects.bulk_create(rows, batch_size=batch_size, ignore_conflicts=True)
    if any(row.status == Status.QUEUED for row in rows):
        sender_wake()


def emails_record_sent(emails: Iterable[Email], *, sent_at: dt.datetime) -> None:
    """Keep emails that went out at `sent_at`, as the sender leaves a row it has sent (or
    suppressed), so that they are never sent again: a history loaded in bulk (the demo's year
    of progress updates). Keys kept before are skipped, as when queueing."""
    rows = [_row(email) for email in emails]
    for row in rows:
        row.created_at = row.next_attempt_at = sent_at
        if row.status == Status.QUEUED:
            row.status, row.sent_at, row.attempts = Status.SENT, sent_at, 1
    OutgoingEmail.objects.bulk_create(rows, ignore_conflicts=True)


def sender_wake() -> None:
    """Ask a worker to send queued email once the current transaction has committed.

    Only a nudge: the periodic sender finds every due row anyway, so a broker that is down
    costs a delay (logged), never an email and never the user's request.
    """
    transaction.on_commit(_publish_send_task)


# The sender task's name (mail.tasks): published by name, so the outbox needs no import of the
# task module, which itself builds on the outbox.
SEND_TASK = "mail.send_emails"


def _publish_send_task() -> None:
    try:
        current_app.send_task(SEND_TASK)
    except Exception:  # noqa: BLE001 — any broker failure; the beat schedule will catch up
        logger.warning(
            "Could not reach the Celery broker to send queued email now; the periodic sender "
            "will deliver it once the broker and a worker are back.",
            exc_info=True,
        )


# --- Sending ------------------------------------------------------------------------------


def retry_delay_seconds(attempts: int) -> int:
    """Back-off after the n-th failed attempt: 1, 5, 25, 125, 625 minutes (by default)."""
    return settings.LIAISON_EMAIL_RETRY_BASE_SECONDS * 5 ** max(attempts - 1, 0)


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    suppressed: int = 0
    released: int = 0
    more_due: bool = False

    def __str__(self) -> str:
        return (
            f"sent {self.sent}, retry later {self.retried}, failed {self.failed}, "
            f"suppressed {self.suppressed}"
        )


def _claimable(now) -> Q:
    return Q(status=Status.QUEUED, next_attempt_at__lte=now) | Q(
        status=Status.SENDING, lease_expires_at__lt=now
    )


def _claim(*, token: str, batch_size: int) -> list[OutgoingEmail]:
    """A batch of due emails, leased to this sender; never the paced ones (_claim_paced)."""
    now = timezone.now()
    lease_until = now + dt.timedelta(seconds=settings.LIAISON_EMAIL_LEASE_SECONDS)
    with transaction.atomic():
        ids = list(
            OutgoingEmail.objects.filter(_claimable(now))
            .exclude(kind__in=PACED_KINDS)
            .order_by("next_attempt_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:batch_size]
        )
        if not ids:
            return []
        OutgoingEmail.objects.filter(_claimable(now), id__in=ids).update(
            status=Status.SENDING, claimed_by=token, lease_expires_at=lease_until
        )
    return list(
        OutgoingEmail.objects.filter(id__in=ids, claimed_by=token, status=Status.SENDING)
        .select_related("contact")
        .order_by("next_attempt_at", "id")
    )


def _mine(row: OutgoingEmail, token: str):
    return OutgoingEmail.objects.filter(id=row.id, claimed_by=token, status=Status.SENDING)


def _unclaimed(**fields) -> dict:
    return {"claimed_by": "", "lease_expires_at": None, **fields}


def _build_message(row: OutgoingEmail) -> EmailMultiAlternatives:
    # X-Liaison-Kind lets people (and tests) filter Liaison's mail by what it is.
    headers = {**row.headers, "Message-ID": row.message_id, "X-Liaison-Kind": row.kind}
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((row.to_name, row.to_address)) if row.to_name else row.to_address],
        headers=headers,
        bcc=[row.bcc] if row.bcc else None,
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    return message


class _ConnectionDown(Exception):
    """The SMTP server could not be reached: stop this batch, retry it later."""


def _permanent(error: Exception) -> bool:
    """5xx answers and addresses that cannot be sent to; everything else is worth a retry."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    # Django raises ValueError for an address it cannot encode; the email package its own errors.
    return isinstance(error, ValueError | UnicodeError)


def _deliver(row: OutgoingEmail, *, token: str, connection, report: SendReport) -> None:
    reason = suppression_reason(kind=row.kind, contact=row.contact)
    if reason:
        # The contact opted out after the email was queued: it never reaches SMTP.
        _mine(row, token).update(**_unclaimed(status=Status.SUPPRESSED, suppressed_reason=reason))
        report.suppressed += 1
        return
    try:
        message = _build_message(row)
        try:
            connection.open()
        except (OSError, smtplib.SMTPException) as error:
            raise _ConnectionDown(str(error) or error.__class__.__name__) from error
        accepted = connection.send_messages([message])
        if not accepted:
            raise ValueError("The recipient address was refused before sending.")
    except _ConnectionDown:
        raise
    except Exception as error:  # noqa: BLE001 — every failure is recorded on the row
        connection.close()
        _record_failure(row, token=token, error=error, report=report)
        return
    updated = _mine(row, token).update(
        **_unclaimed(
            status=Status.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
        ),
        **_sent_body(row),
    )
    if updated:
        report.sent += 1
    else:
        logger.error("Email %s was sent after its lease ran out (possible duplicate).", row.id)


def _sent_body(row: OutgoingEmail) -> dict[str, str]:
    """What to keep of a sent email's body: all of it, but for a link that sets a password."""
    if row.kind == OutgoingEmail.Kind.PASSWORD_RESET:
        blank = "(Blanked once sent: it held a link to choose a new password.)"
        return {"body_text": blank, "body_html": ""}
    return {}


def _record_failure(row, *, token: str, error: Exception, report: SendReport) -> None:
    text = f"{error.__class__.__name__}: {error}"[:2000]
    attempts = row.attempts + 1
    if _permanent(error) or attempts >= settings.LIAISON_EMAIL_MAX_ATTEMPTS:
        if not _permanent(error):
            text = f"Gave up after {attempts} attempts. Last error: {text}"
        _mine(row, token).update(
            **_unclaimed(status=Status.FAILED, attempts=attempts, last_error=text)
        )
        report.failed += 1
        logger.warning("Email %s to %s failed: %s", row.id, row.to_address, text)
        return
    retry_at = timezone.now() + dt.timedelta(seconds=retry_delay_seconds(attempts))
    _mine(row, token).update(
        **_unclaimed(
            status=Status.QUEUED, attempts=attempts, last_error=text, next_attempt_at=retry_at
        )
    )
    report.retried += 1


def _release(rows: list[OutgoingEmail], *, token: str, next_attempt_at=None) -> int:
    fields = {"status": Status.QUEUED}
    if next_attempt_at is not None:
        fields["next_attempt_at"] = next_attempt_at
    return OutgoingEmail.objects.filter(
        id__in=[row.id for row in rows], claimed_by=token, status=Status.SENDING
    ).update(**_unclaimed(**fields))


def pace_gap() -> dt.timedelta:
    """The time between two paced emails: LIAISON_GROUP_EMAIL_PER_MINUTE to a minute."""
    return dt.timedelta(seconds=60 / max(settings.LIAISON_GROUP_EMAIL_PER_MINUTE, 1))


# Taken while a sender decides whether a paced email's turn has come, so that two senders never
# both send one within the gap (PostgreSQL; SQLite's transactions already take turns).
_PACE_LOCK = 0x1A150E11


def _claim_paced(*, token: str) -> tuple[OutgoingEmail | None, float]:
    """The next paced email if its turn has come, leased; else (None, seconds until its turn,
    or until the next one is due within a turn), 0 when none is due soon or another sender is
    sending one (that sender keeps the pace meanwhile)."""
    now = timezone.now()
    lease_until = now + dt.timedelta(seconds=settings.LIAISON_EMAIL_LEASE_SECONDS)
    paced = OutgoingEmail.objects.filter(kind__in=PACED_KINDS)
    with transaction.atomic():
        if db_connection.vendor == "postgresql":
            with db_connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PACE_LOCK])
        row_id = (
            paced.filter(_claimable(now))
            .order_by("next_attempt_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)
            .first()
        )
        sending = paced.filter(status=Status.SENDING, lease_expires_at__gte=now)
        if sending.exists():
            return None, 0.0
        if row_id is None:
            # The next one may be due within a turn (a group email is queued a turn apart).
            due: dt.datetime | None = (
                paced.filter(status=Status.QUEUED)
                .order_by("next_attempt_at")
                .values_list("next_attempt_at", flat=True)
                .first()
            )
            soon = due is not None and due - now <= pace_gap()
            # A due row locked by another transaction (skipped above) is no reason to wait.
            return None, max((due - now).total_seconds(), 0.0) if soon and due else 0.0
        last: dt.datetime | None = (
            paced.filter(sent_at__isnull=False)
            .order_by("-sent_at")
            .values_list("sent_at", flat=True)
            .first()
        )
        # A last sending stamped in the future (a clock stepped back) waits one turn, no more.
        turn = min(last, now) + pace_gap() if last is not None else now
        if turn > now:
            return None, (turn - now).total_seconds()
        OutgoingEmail.objects.filter(_claimable(now), id=row_id).update(
            status=Status.SENDING, claimed_by=token, lease_expires_at=lease_until
        )
    return (
        OutgoingEmail.objects.filter(id=row_id, claimed_by=token, status=Status.SENDING)
        .select_related("contact")
        .first(),
        0.0,
    )


def _send_batch(batch, *, token: str, connection, report: SendReport, deadline) -> bool:
    """Deliver a claimed batch; False when the sender must stop (time, lease or server)."""
    # A message is only started with enough lease left to finish it, with room to record it.
    lease_margin = dt.timedelta(seconds=2 * settings.EMAIL_TIMEOUT + 5)
    for index, row in enumerate(batch):
        assert row.lease_expires_at is not None  # claimed, so leased
        out_of_time = deadline is not None and time.monotonic() > deadline
        if out_of_time or timezone.now() > row.lease_expires_at - lease_margin:
            # Give the rest back at once rather than let it wait out the lease.
            report.released += _release(batch[index:], token=token)
            report.more_due = True
            return False
        try:
            _deliver(row, token=token, connection=connection, report=report)
        except _ConnectionDown as error:
            # The server is down: this row counts an attempt, the rest wait as long.
            _record_failure(row, token=token, error=error, report=report)
            retry_at = timezone.now() + dt.timedelta(seconds=retry_delay_seconds(row.attempts + 1))
            report.released += _release(batch[index + 1 :], token=token, next_attempt_at=retry_at)
            return False
    return True


def emails_send_due(
    *, batch_size: int | None = None, time_budget: float | None = None
) -> SendReport:
    """Send every due email, batch by batch, until none is due or the time budget is spent.

    Paced emails (group email) go one at a time, each at least pace_gap() after the last, so a
    backlog (a worker that was down) never leaves in a burst. With a time budget (the task), the
    sender waits for the next one's turn; without one it leaves it for the next run.
    """
    batch_size = batch_size or settings.LIAISON_EMAIL_BATCH_SIZE
    deadline = time.monotonic() + time_budget if time_budget else None
    token = f"{socket.gethostname()[:30]}:{uuid.uuid4().hex[:24]}"
    report = SendReport()
    connection = get_connection(fail_silently=False)
    try:
        while True:
            if deadline is not None and time.monotonic() > deadline:
                report.more_due = OutgoingEmail.objects.filter(_claimable(timezone.now())).exists()
                break
            batch = _claim(token=token, batch_size=batch_size)
            if not batch:
                row, wait = _claim_paced(token=token)
                if row is not None:
                    batch = [row]
                elif wait and deadline is not None and time.monotonic() + wait < deadline:
                    time.sleep(wait)
                    continue
                else:
                    report.more_due = report.more_due or wait > 0
                    break
            if not _send_batch(
                batch, token=token, connection=connection, report=report, deadline=deadline
            ):
                break
    finally:
        connection.close()
        heartbeat_record(Heartbeat.SENDER, result=str(report))
    return report


# --- Operator actions and heartbeats ------------------------------------------------------


def email_retry_now(*, email: OutgoingEmail) -> bool:
    """Put a failed email back in the queue for the next sender run; False if it wasn't failed."""
    updated = OutgoingEmail.objects.filter(id=email.id, status=Status.FAILED).update(
        status=Status.QUEUED, next_attempt_at=timezone.now(), attempts=0
    )
    if updated:
        sender_wake()
    return bool(updated)


def heartbeat_record(name: str, *, result: str = "") -> None:
    now = timezone.now()
    updated = Heartbeat.objects.filter(name=name).update(
        last_run_at=now, runs=F("runs") + 1, last_result=result[:200]
    )
    if not updated:
        Heartbeat.objects.bulk_create(
            [Heartbeat(name=name, last_run_at=now, runs=1, last_result=result[:200])],
            ignore_conflicts=True,
        )
