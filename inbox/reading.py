"""One pass over the capture mailbox: each waiting message captured, then moved away."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import DataError, IntegrityError, connection

from core.profiles import staff_by_address
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


# What one message can raise that reading it again would raise again. A database or mailbox that
# is down (OperationalError, OSError) is not among them: the pass stops and the next one retries.
NOT_FILEABLE = (
    Unreadable,
    DataError,
    IntegrityError,
    ValidationError,
    SuspiciousOperation,
    ValueError,
    LookupError,
    TypeError,
)


def _not_filed(error: Exception) -> str:
    logger.exception("A captured message could not be filed.")
    return f"Liaison could not file it ({error.__class__.__name__}): a person can, from the folder."


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
    staff = staff_by_address()  # once for the pass, not for each message
    try:
        for waiting in source.waiting(limit):
            if waiting.size > settings.LIAISON_INBOUND_MAX_BYTES:
                logger.warning(
                    "Message %s is %d bytes: left for a person.", waiting.key, waiting.size
                )
                # Moved, then noted: a move that fails is tried again next time, noted once.
                source.move(waiting.key, sources.TOO_LARGE)
                _set_aside(
                    waiting, SetAside.Reason.TOO_LARGE, sources.TOO_LARGE, _too_large(waiting)
                )
                done.too_large += 1
                continue
            try:
                raw = source.content(waiting.key)
            except KeyError:
                continue  # moved by another reader meanwhile
            try:
                captured = email_capture(raw=raw, staff=staff)
            except NOT_FILEABLE as error:
                # This message, not the mailbox or the database: set aside, and on to the next.
                reason = str(error) if isinstance(error, Unreadable) else _not_filed(error)
                logger.warning("Message %s could not be read: %s", waiting.key, reason)
                source.move(waiting.key, sources.UNREADABLE)
                _set_aside(waiting, SetAside.Reason.UNREADABLE, sources.UNREADABLE, reason)
                done.unreadable.append(reason)
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
