"""Change history: who changed a record, when, and why (django-simple-history underneath).

Organizations, contacts and affiliations (partners) and programs (programs) declare
`history = History()`: every save and delete of one of them writes a row to its historical
table, a copy of the record as it became, with `history_user` and `history_change_reason`.
Web requests name the user through simple-history's middleware; services that know better, or
run without a request (imports, merges, Celery, commands), say who and why with
`history_context(by=…, reason=…)`, which every write inside it — saves, deletes, and the bulk
helpers below — records.

`QuerySet.update()` and `bulk_create()` send no signals, so they leave no history: services
that change these models in bulk use `update_with_history`, `record_rows` (after a raw UPDATE)
or simple-history's `bulk_create_with_history` (with `acting().reason`) instead. Not recorded:
many-to-many fields (an organization's or a program's focus areas), and rows written by raw
SQL or the database console.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from simple_history.models import HistoricalChanges, HistoricalRecords
from simple_history.utils import get_history_manager_for_model

M = TypeVar("M", bound=models.Model)
P = ParamSpec("P")
R = TypeVar("R")

# Rows written per INSERT or read per SELECT by the bulk helpers.
BATCH = 500


@dataclass(frozen=True)
class Acting:
    """Who is making the changes in progress, and why (both optional)."""

    user: AbstractBaseUser | None = None
    reason: str = ""


# Acting is frozen: one shared default is safe.
_acting: ContextVar[Acting] = ContextVar("liaison_history_acting", default=Acting())  # noqa: B039


@contextmanager
def history_context(*, by: AbstractBaseUser | None = None, reason: str = "") -> Iterator[Acting]:
    """Record `by` as who and `reason` as why for every change made inside the block.

    Blocks nest: an inner block's user or reason replaces the outer one's only where it is
    given. Without a user the request's signed-in user is recorded (the middleware), if any.
    """
    outer = _acting.get()
    acting = Acting(user=by if by is not None else outer.user, reason=reason or outer.reason)
    token = _acting.set(acting)
    try:
        yield acting
    finally:
        _acting.reset(token)


def acting() -> Acting:
    return _acting.get()


class History(HistoricalRecords):
    """HistoricalRecords that reads who and why from `history_context` too.

    The reason is a text (a merge names both records; an import its file), not the library's
    100 characters.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("history_change_reason_field", models.TextField(null=True))
        # Like the records' own ids: a history outgrows its table.
        kwargs.setdefault("history_id_field", models.BigAutoField(primary_key=True))
        super().__init__(**kwargs)

    def get_history_user(self, instance: models.Model) -> Any:
        if hasattr(instance, "_history_user"):
            return instance._history_user
        current = _acting.get()
        if current.user is not None:
            return current.user
        return super().get_history_user(instance)

    def get_change_reason_for_object(
        self, instance: models.Model, history_type: str, using: str | None
    ) -> str | None:
        reason = super().get_change_reason_for_object(instance, history_type, using)
        return reason or _acting.get().reason or None


def is_tracked(model: type[models.Model]) -> bool:
    """Whether `model` keeps a change history."""
    return hasattr(model._meta, "simple_history_manager_attribute")


def is_historical(model: type[models.Model]) -> bool:
    """Whether `model` is a historical table (its rows record the past: never moved, never
    counted as links to the records they name)."""
    return issubclass(model, HistoricalChanges)


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def record_rows(model: type[models.Model], pks: Iterable[Any], *, created: bool = False) -> None:
    """Write a history row for each of these records as they are now.

    For writes that bypassed save(): a QuerySet.update() or a raw UPDATE of many rows, or rows
    loaded by bulk_create (`created`). The rows are read back (one SELECT per 500) and their
    history written in bulk, with the user and reason of `history_context`.
    """
    if not is_tracked(model):
        return
    manager = get_history_manager_for_model(model)
    reason = _acting.get().reason
    for chunk in _chunks(sorted(set(pks))):
        rows = list(model._base_manager.filter(pk__in=chunk).order_by("pk"))
        manager.bulk_history_create(
            rows, batch_size=BATCH, update=not created, default_change_reason=reason or None
        )


def update_with_history(queryset: models.QuerySet[M], **values: Any) -> int:
    """`queryset.update(**values)`, with a history row for each record it changed.

    The rows are chosen before the update (its values may take them out of the filter), then
    updated by id. A model without history is updated as usual, in one query.
    """
    model = queryset.model
    if not is_tracked(model):
        return queryset.update(**values)
    pks = list(queryset.values_list("pk", flat=True))
    if not pks:
        return 0
    updated = 0
    for chunk in _chunks(pks):
        updated += model._base_manager.filter(pk__in=chunk).update(**values)
    record_rows(model, pks)
    return updated


def records_who(service: Callable[P, R]) -> Callable[P, R]:
    """Record the service's `by=` argument as who made the changes it writes (if given)."""

    @wraps(service)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        by = kwargs.get("by")
        with history_context(by=by if isinstance(by, AbstractBaseUser) else None):
            return service(*args, **kwargs)

    return wrapper
