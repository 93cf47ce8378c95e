"""Writes of bulk actions: record one, and run it in one transaction (in a Celery task when it
changes more than TASK_THRESHOLD records)."""

import logging
from collections.abc import Callable

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from bulk.models import BulkAction
from bulk.operations import operation_for, parameters_of, records_of, values_of
from bulk.plans import Plan
from bulk.selection import Selection
from bulk.selectors import progress_key
from core.history import history_context

logger = logging.getLogger(__name__)

# Above this many records the change runs in a Celery task, with a progress bar.
TASK_THRESHOLD = 1000
# The progress bar moves every this many records.
PROGRESS_EVERY = 25


@transaction.atomic
def bulk_action_record(
    *,
    plan: Plan,
    by: User,
    selection: Selection,
    status: str = BulkAction.Status.QUEUED,
) -> BulkAction:
    """Keep what the confirmation page said, with the records it counted."""
    operation = plan.operation
    return BulkAction.objects.create(
        records=operation.records,
        action=operation.action,
        parameters=parameters_of(plan.values),
        record_ids=[record.pk for record in plan.changing],
        count=len(plan.changing),
        skipped=plan.skipped_count + plan.missing,
        done=len(plan.changing) if status == BulkAction.Status.DONE else 0,
        summary=plan.summary[:500],
        selected_all=selection.ids is None,
        selection_filter=selection.filter[:2000],
        status=status,
        by=by,
        finished_at=timezone.now() if status == BulkAction.Status.DONE else None,
    )


def bulk_action_start(*, plan: Plan, by: User, selection: Selection) -> BulkAction:
    """Record the action and run it: now, or in a task (queued once the record is saved)."""
    from bulk.tasks import run  # the task module imports these services

    bulk_action = bulk_action_record(plan=plan, by=by, selection=selection)
    if bulk_action.count > TASK_THRESHOLD:
        transaction.on_commit(lambda: run.delay(bulk_action.pk))
    else:
        bulk_action_run(pk=bulk_action.pk)
        bulk_action.refresh_from_db()
    return bulk_action


def _ticker(pk: int) -> Callable[[], None]:
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if done % PROGRESS_EVERY == 0:
            cache.set(progress_key(pk), done, timeout=60 * 60)

    return tick


def _apply(bulk_action: BulkAction) -> int:
    operation = operation_for(bulk_action.records, bulk_action.action)
    if operation is None or operation.apply is None:
        raise ValueError(f"No such bulk action: {bulk_action.action!r}.")
    values = {**operation.defaults, **values_of(bulk_action.parameters)}
    rows = records_of(bulk_action.records, bulk_action.record_ids)
    # Each record's change history says who made the change, and that it was this one.
    with history_context(by=bulk_action.by, reason=f"Bulk change: {bulk_action.summary}"):
        operation.apply(rows, values, bulk_action.by, _ticker(bulk_action.pk))
    return len(rows)


def bulk_action_run(*, pk: int) -> BulkAction | None:
    """Make the change to every record in one transaction: all of it, or (failed, with why)
    none of it. Safe to run twice: only a waiting action is run, and the row stays locked
    until the run ends, so a second run waits and then finds it done. Returns None when the
    action was not waiting."""
    try:
        with transaction.atomic():
            bulk_action = BulkAction.objects.select_for_update().filter(pk=pk).first()
            if bulk_action is None or bulk_action.status != BulkAction.Status.QUEUED:
                return None
            done = _apply(bulk_action)
            bulk_action.status, bulk_action.done = BulkAction.Status.DONE, done
            bulk_action.finished_at = timezone.now()
            bulk_action.save(update_fields=["status", "done", "finished_at"])
    except Exception as error:  # noqa: BLE001 — whatever it was, nothing was saved: say so
        logger.exception("Bulk action %s failed; nothing was changed.", pk)
        messages = getattr(error, "messages", None) or ["Something went wrong."]
        BulkAction.objects.filter(pk=pk).update(
            status=BulkAction.Status.FAILED,
            error=" ".join(str(message) for message in messages),
            finished_at=timezone.now(),
        )
    finally:
        cache.delete(progress_key(pk))
    return BulkAction.objects.get(pk=pk)
