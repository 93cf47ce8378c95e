"""The periodic task that queues the emails Liaison sends to its own staff."""

from celery import shared_task

from outreach.services.staff_emails import staff_emails_queue_due


@shared_task(name="outreach.queue_staff_emails", ignore_result=True)
def queue_staff_emails() -> str:
    """Queue the digests, meeting reminders and manager summaries due now (beat, every minute).

    Safe to run twice or in two workers at once: each email's key is queued only once.
    """
    return str(staff_emails_queue_due())
