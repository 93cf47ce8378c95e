"""Celery tasks of the outbox. Each is safe to run twice, or in two workers at once."""

import logging

from celery import shared_task
from django.conf import settings

from mail import outbox, password_reset

logger = logging.getLogger(__name__)


@shared_task(name=outbox.SEND_TASK, ignore_result=True)
def send_emails() -> str:
    """Deliver every due email; hand over to a fresh task if the time budget runs out."""
    report = outbox.emails_send_due(time_budget=settings.LIAISON_SENDER_TIME_BUDGET)
    if report.more_due:
        try:
            send_emails.apply_async()
        except Exception:  # noqa: BLE001 — the beat schedule starts the sender again
            logger.warning("Could not queue the next sender run.", exc_info=True)
    return str(report)


@shared_task(name=password_reset.TASK, ignore_result=True)
def password_reset_email_queue(email: str, request_key: str) -> int:
    """Queue the reset emails a request asked for (looked up here, never in the request)."""
    return password_reset.password_reset_email_queue(email=email, request_key=request_key)
