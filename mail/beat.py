"""Celery beat's scheduler, with a heartbeat row in the database.

The delivery log and the manager dashboard show when beat last ran, and turn red when it has
been silent for LIAISON_BEAT_SILENT_MINUTES: a stopped beat otherwise fails silently, and no
reminder goes out.
"""

import logging
import time

from celery.beat import PersistentScheduler

logger = logging.getLogger(__name__)

HEARTBEAT_EVERY_SECONDS = 30


class HeartbeatScheduler(PersistentScheduler):
    _last_heartbeat = 0.0

    def setup_schedule(self) -> None:
        import django

        django.setup()
        super().setup_schedule()

    def tick(self, *args, **kwargs) -> float:
        next_tick = super().tick(*args, **kwargs)
        if time.monotonic() - self._last_heartbeat >= HEARTBEAT_EVERY_SECONDS:
            self._beat()
        # Wake up at least as often as the heartbeat is due.
        return min(next_tick, HEARTBEAT_EVERY_SECONDS)

    def _beat(self) -> None:
        from django.db import close_old_connections

        from mail.models import Heartbeat
        from mail.outbox import heartbeat_record

        try:
            close_old_connections()
            heartbeat_record(Heartbeat.BEAT, result=f"{len(self.schedule)} periodic tasks")
            self._last_heartbeat = time.monotonic()
        except Exception:  # noqa: BLE001 — a database hiccup must not stop the schedule
            logger.warning("Could not record beat's heartbeat.", exc_info=True)
