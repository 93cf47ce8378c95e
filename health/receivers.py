"""What partnership health listens for in the layers below it (connected in HealthConfig.ready):
a touchpoint logged, or a stage changed, moves a partnership's health at once, not at the next
periodic refresh."""

import logging
from typing import Any

from django.db import connection, transaction
from django.dispatch import receiver

from health.services import health_refresh
from outreach.signals import touchpoints_changed
from partners.signals import stage_changed

logger = logging.getLogger(__name__)

# More organizations than this at once (an import, a merge of many) wait for the periodic
# refresh (at most 15 minutes) rather than slowing the change that touched them.
REFRESH_AT_ONCE = 50


@receiver(touchpoints_changed, dispatch_uid="health.touchpoints_changed")
def refresh_their_health(sender: Any, *, organization_ids: list[int] | None, **kwargs: Any) -> None:
    if organization_ids is not None:  # None: a bulk load, left to the periodic refresh
        _refresh_on_commit(organization_ids)


@receiver(stage_changed, dispatch_uid="health.stage_changed")
def refresh_on_a_new_stage(sender: Any, *, organization: Any, **kwargs: Any) -> None:
    """Into discussion or active: assessed now; out of them: no longer (the board and the
    lists stop showing a level it no longer has)."""
    _refresh_on_commit([organization.pk])


class _Pending:
    """The partnerships one transaction changed, refreshed together once it commits."""

    def __init__(self, callbacks: list) -> None:
        self.callbacks = callbacks  # the connection's list of the transaction's on-commit work
        self.ids: set[int] = set()

    def __call__(self) -> None:
        organization_ids = sorted(self.ids)
        if not organization_ids or len(organization_ids) > REFRESH_AT_ONCE:
            return
        try:
            health_refresh(organization_ids=organization_ids)
        except Exception:  # noqa: BLE001 — a receiver never fails its sender
            logger.exception("Partnership health of %s not refreshed.", organization_ids)


def _refresh_on_commit(organization_ids: list[int]) -> None:
    """Refresh these partnerships once the transaction commits: all those of one transaction
    together, in one refresh (a bulk stage change of a thousand is left to the periodic one).
    A transaction's on-commit list is a new one after each commit or rollback, and loses what
    a savepoint rolled back registered: either way, a new one is begun."""
    pending = getattr(connection, "_liaison_health_pending", None)
    if (
        pending is None
        or pending.callbacks is not connection.run_on_commit
        or not any(entry[1] is pending for entry in connection.run_on_commit)
    ):
        pending = _Pending(connection.run_on_commit)
        connection._liaison_health_pending = pending  # type: ignore[attr-defined]
        pending.ids.update(organization_ids)
        transaction.on_commit(pending)  # outside a transaction: at once
    else:
        pending.ids.update(organization_ids)
