"""Reads of bulk actions: the managers' list, and the records an action changed."""

from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from bulk.models import BulkAction
from outreach.models import FollowUp
from partners.models import Contact, Organization

Records = BulkAction.Records
MODELS: dict[str, Any] = {
    Records.ORGANIZATIONS: Organization,
    Records.CONTACTS: Contact,
    Records.FOLLOWUPS: FollowUp,
}


def bulk_action_list() -> QuerySet[BulkAction]:
    """Newest first, with who did each (the list's one query per page)."""
    return BulkAction.objects.select_related("by").defer("record_ids", "parameters")


def bulk_action_detail(pk: int) -> BulkAction:
    return BulkAction.objects.select_related("by").get(pk=pk)


def records_named(records: str, ids: list[int]) -> list[tuple[str, str]]:
    """(name, address) of these records in this order, in one query; ("", "") for one
    that is gone since (merged into another, or deleted)."""
    model = MODELS[records]
    name = "title" if model is FollowUp else "name"
    found = {row.pk: row for row in model.objects.filter(pk__in=ids).only(name)}
    return [
        (getattr(found[pk], name), found[pk].get_absolute_url()) if pk in found else ("", "")
        for pk in ids
    ]


def progress_key(pk: int) -> str:
    """Where a running action's count of records done is kept: the cache (Redis in
    production, shared by web and worker), as the run's own transaction shows nothing to
    others until it ends."""
    return f"bulk-action-progress-{pk}"


def progress_of(bulk_action: BulkAction) -> int:
    """How many of its records are done: all once finished; while it runs, as far as the
    task has said (services.PROGRESS_EVERY)."""
    if bulk_action.finished:
        return bulk_action.done
    return int(cache.get(progress_key(bulk_action.pk)) or 0)
