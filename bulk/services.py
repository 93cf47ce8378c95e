"""Writes of bulk actions: record one, and run it in one transaction (in a Celery task when it
changes more than TASK_THRESHOLD records)."""

import logging
from collections.abc import Callable

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import IntegrityError, transaction
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
    confirmation: str,
    status: str = BulkAction.Status.QUEUED,
) -> BulkAction:
    """Keep what the confirmation page said, with the records it counted."""
    operation = plan.operation
    return BulkAction.objects.create(
        confirmation=confirmation,
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


def bulk_action_start(
    *, plan: Plan, by: User, selection: Selection, confirmation: str
) -> BulkAction:
    """Record the action and run it: now, or in a task (queued once the record is saved). A
    confirmation already recorded (sent twice) is that action again, not a second one."""
    try:
        bulk_action = bulk_action_record(
            plan=plan, by=by, selection=selection, confirmation=confirmation
        )
    except IntegrityError:
        return BulkAction.objects.get(confirmation=confirmation)
    if bulk_action.count > TASK_THRESHOLD:
        transaction.on_commit(lambda: _queue(bulk_action.pk))
    else:
        bulk_action_run(pk=bulk_action.pk)
        bulk_action.refresh_from_db()
    return bulk_action


def _queue(pk: int) -> None:
    """Hand the action to a worker; if none can be reached, it fails at once, saying so, rather
    than waiting for ever."""
    from bulk.tasks import run  # the task module imports these services

    try:
        run.delay(pk)
    except Exception:  # noqa: BLE001 — the broker's errors are many: any means not queued
        logger.exception("Bulk action %s could not be queued.", pk)
        BulkAction.objects.filter(pk=pk, status=BulkAction.Status.QUEUED).update(
            status=BulkAction.Status.FAILED,
            error="Liaison could not hand the change to its task runner. Nothing was changed: "
            "try again in a few minutes, or tell whoever looks after Liaison's server.",
            finished_at=timezone.now(),
        )


def _ticker(pk: int, *, shown: bool) -> Callable[[], None]:
    """Counts the records done; where a progress bar shows it (a task's), says so every
    PROGRESS_EVERY records. A cache that cannot be reached only stills the bar."""
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if shown and done % PROGRESS_EVERY == 0:
            try:
                cache.set(progress_key(pk), done, timeout=60 * 60)
            except Exception:  # noqa: BLE001 — the change goes on without its progress bar
                logger.warning("Bulk action %s: progress not kept.", pk, exc_info=True)

    return tick


def _apply(bulk_action: BulkAction) -> list[int]:
    """Make the change; the ids of the records changed. The records are locked first, all of
    them, in one order (no one else's edit lands between reading and writing them, and a stage
    change elsewhere waits rather than deadlocks), then read afresh: one changed since the
    confirmation to what the action sets, or out of the user's reach, is left as it is."""
    operation = operation_for(bulk_action.records, bulk_action.action)
    if operation is None or operation.apply is None:
        raise ValueError(f"No such bulk action: {bulk_action.action!r}.")
    values = {**operation.defaults, **values_of(bulk_action.parameters)}
    rows = records_of(bulk_action.records, bulk_action.record_ids, lock=True)
    changing = [row for row in rows if not operation.unchanged(row, values, bulk_action.by)]
    tick = _ticker(bulk_action.pk, shown=bulk_action.count > TASK_THRESHOLD)
    # Each record's change history says who made the change, and that it was this one.
    with history_context(by=bulk_action.by, reason=f"Bulk change: {bulk_action.summary}"):
        operation.apply(changing, values, bulk_action.by, tick)
    return [row.pk for row in changing]


def bulk_action_run(*, pk: int) -> BulkAction | None:
    """Make the change to every record in one transaction: all of it, or (failed, with why)
    none of it. Safe to run twice: only a waiting action is run, and its row stays locked
    until the run ends, which a second run finds and leaves. Returns None when the action was
    not waiting (or is running already)."""
    try:
        with transaction.atomic():
            # A second run of the same action (a redelivery) finds it locked and leaves it.
            locked = BulkAction.objects.select_for_update(skip_locked=True)
            bulk_action = locked.filter(pk=pk).first()
            if bulk_action is None or bulk_action.status != BulkAction.Status.QUEUED:
                return None
            changed = _apply(bulk_action)
            bulk_action.skipped += len(bulk_action.record_ids) - len(changed)
            bulk_action.record_ids, bulk_action.done = changed, len(changed)
            bulk_action.status, bulk_action.finished_at = BulkAction.Status.DONE, timezone.now()
            fields = ["status", "done", "skipped", "record_ids", "finished_at"]
            bulk_action.save(update_fields=fields)
    except Exception as error:  # noqa: BLE001 — whatever it was, nothing was saved: say so
        logger.exception("Bulk action %s failed; nothing was changed.", pk)
        messages = getattr(error, "messages", None) or ["Something went wrong."]
        BulkAction.objects.filter(pk=pk, status=BulkAction.Status.QUEUED).update(
            status=BulkAction.Status.FAILED,
            error=" ".join(str(message) for message in messages),
            finished_at=timezone.now(),
        )
    finally:
        try:
            cache.delete(progress_key(pk))
        except Exception:  # noqa: BLE001 — the count expires by itself within the hour
            logger.warning("Bulk action %s: progress not cleared.", pk, exc_info=True)
    return BulkAction.objects.get(pk=pk)
