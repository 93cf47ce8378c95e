"""The task that runs a bulk action of more than services.TASK_THRESHOLD records."""

from celery import shared_task

from bulk.services import bulk_action_run


# Longer than the default limits (settings.CELERY_TASK_*_TIME_LIMIT): thousands of records go
# through the services one by one; still well under the broker's redelivery timeout (1 hour).
@shared_task(name="bulk.run", ignore_result=True, soft_time_limit=25 * 60, time_limit=30 * 60)
def run(bulk_action_id: int) -> None:
    """Queued once, when the action is recorded; run twice (a redelivery), it changes nothing
    twice (bulk_action_run runs only a waiting action)."""
    bulk_action_run(pk=bulk_action_id)
