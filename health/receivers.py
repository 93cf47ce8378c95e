"""What partnership health listens for in the layers below it (connected in HealthConfig.ready):
a touchpoint logged moves a partnership's health at once, not at the next periodic refresh."""

import logging
from typing import Any

from django.db import transaction
from django.dispatch import receiver

from health.services import health_refresh
from outreach.signals import touchpoints_changed

logger = logging.getLogger(__name__)

# More organizations than this at once (an import, a merge of many) wait for the periodic
# refresh (at most 15 minutes) rather than slowing the change that touched them.
REFRESH_AT_ONCE = 50


@receiver(touchpoints_changed, dispatch_uid="health.touchpoints_changed")
def refresh_their_health(sender: Any, *, organization_ids: list[int] | None, **kwargs: Any) -> None:
    if organization_ids is None or len(organization_ids) > REFRESH_AT_ONCE:
        return

    def refresh() -> None:
        try:
            health_refresh(organization_ids=organization_ids)
        except Exception:  # noqa: BLE001 — a receiver never fails its sender
            logger.exception("Partnership health of %s not refreshed.", organization_ids)

    transaction.on_commit(refresh)
