"""One pass over the capture mailbox: each waiting message captured, then moved away."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from inbox import sources
from inbox.models import SetAside
from inbox.parsing import Unreadable
from inbox.services import email_capture

logger = logging.getLogger(__name__)


@dataclass
class Pass:
    """What one pass did, by outcome (the task's result; the tests read it)."""

    captured: int = 0
    already: int = 0
    ignored: int = 0
    unreadable: list[str] = field(default_factory=list)
    too_large: int = 0
    # Another reader had the mailbox: this pass read nothing.
    busy: bool = False


# One reader at a time: PostgreSQL's advisory lock (released if the worker dies with its
# connection), else the cache. A second reader would only find every message captured already
# (the unique Message-ID), but could copy one into "Processed" twice.
LOCK_KEY = 0x1A150B0C
LOCK_NAME = "inbox-mailbox-reader"


@contextmanager
def _only_reader() -> Iterator[bool]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
            locked = bool(cursor.fetchone()[0])
        try:
            yield locked
        finally:
            if locked:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
        return
    locked = cache.add(LOCK_NAME, 1, timeout=15 * 60)
    try:
        yield locked
    finally:
        if locked:
            cache.delete(LOCK_NAME)


def _too_large(waiting: sources.Waiting) -> str:
    mb = 1024 * 1024
    return (
        f"{waiting.size / mb:.1f} MB, over the {settings.LIAISON_INBOUND_MAX_BYTES / mb:.0f} MB "
        "Liaison reads: file what matters from it by hand."
    )


def _set_aside(waiting: sources.Waiting, reason: str, folder: str, detail: str) -> None:
    SetAside.objects.create(
        reason=reason,
        detail=detail[:300],
        folder=folder,
        sender=waiting.sender[:254],
        subject=waiting.subject[:300],
        size=waiting.size,
    )


def mailbox_read(source: sources.Source | None = None, *, limit: int = 500) -> Pass:
    """Capture up to `limit` waiting messages, unless another reader is at it."""
    with _only_reader() as only:
        if not only:
            if source is not None:
                source.close()
            return Pass(busy=True)
        return _read(source or sources.open_source(), limit)


def _read(source: sources.Source, limit: int) -> Pass:
    done = Pass()
    try:
        for count, waiting in enumerate(source.waiting()):
            if count >= limit:
                break
            if waiting.size > settings.LIAISON_INBOUND_MAX_BYTES:
                logger.warning(
                    "Message %s is %d bytes: left for a person.", waiting.key, waiting.size
                )
                _set_aside(
                    waiting, SetAside.Reason.TOO_LARGE, sources.TOO_LARGE, _too_large(waiting)
                )
                source.move(waiting.key, sources.TOO_LARGE)
                done.too_large += 1
                continue
            try:
                raw = source.content(waiting.key)
            except KeyError:
                continue  # moved by another reader meanwhile
            try:
                captured = email_capture(raw=raw)
            except Unreadable as error:
                logger.warning("Message %s could not be read: %s", waiting.key, error)
                _set_aside(waiting, SetAside.Reason.UNREADABLE, sources.UNREADABLE, str(error))
                source.move(waiting.key, sources.UNREADABLE)
                done.unreadable.append(str(error))
                continue
            if captured.ignored:
                done.ignored += 1
            elif captured.created:
                done.captured += 1
            else:
                done.already += 1
            source.move(waiting.key, sources.PROCESSED)
    finally:
        source.close()
    return done
