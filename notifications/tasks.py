"""The periodic task that queues the emails Liaison sends to its own staff."""

from celery import shared_task

from notifications.services import staff_emails_queue_due


@shared_task(name="notifications.queue_staff_emails", ignore_result=True)
def queue_staff_emails() -> str:
    """Queue the digests, meeting reminders and manager summaries due now (beat, every minute).

    Safe to run twice or in two workers at once: each email's key is queued only once.
    """
    return str(staff_emails_queue_due())
