"""The periodic task of partner progress updates (beat: "queue-progress-updates")."""

from celery import shared_task

from updates.services import progress_updates_draft_due


@shared_task(name="updates.queue_progress_updates", ignore_result=True)
def queue_progress_updates() -> int:
    """Draft (or, in automatic mode, send) every update whose period has ended.

    The database decides what is due, and a period is drafted once, so running this twice, or
    in two workers at once, drafts and sends nothing twice.
    """
    return len(progress_updates_draft_due())
