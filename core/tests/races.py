"""Two writers at once, for real: the race tests of every app.

    pytestmark = [pytest.mark.django_db(transaction=True), races.needs_row_locks]

    def test_two_moves_record_one_change(monkeypatch, county):
        races.widen(monkeypatch, StageChange.objects, "create")
        first, second = races.race(lambda: stage_change(...), lambda: stage_change(...))

Each writer runs in its own thread, so over its own database connection, and all start together
at a barrier. The rows a test makes beforehand are committed (`transaction=True`), so every
writer sees them. Starting together is not enough for a race: one short transaction can commit
before the other has begun. `widen` makes the writers pause at one call inside the service,
between what it reads and what it writes; without the service's row lock, both writers then act
on the same stale state, and the test sees the double.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, connections

# Long enough that the other writer certainly reaches the same point; short enough to keep
# each race test well under a second when the lock makes the writers take turns.
PAUSE_SECONDS = 0.25
# Longest wait for a writer: past it the race has hung (a deadlock, or a lock never released).
TIMEOUT_SECONDS = 30.0
RACER = "racer-"

needs_row_locks = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row locks (SELECT … FOR UPDATE) are PostgreSQL's: set DATABASE_URL to run this race",
)


@dataclass
class Outcome:
    """What one writer's call returned, or the exception it raised."""

    value: Any = None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def race(*writers: Callable[[], object]) -> list[Outcome]:
    """Run the writers at the same moment, each in its own thread and database connection."""
    barrier = threading.Barrier(len(writers))
    outcomes = [Outcome() for _ in writers]

    def run(writer: Callable[[], object], outcome: Outcome) -> None:
        try:
            barrier.wait(TIMEOUT_SECONDS)
            outcome.value = writer()
        except Exception as error:  # noqa: BLE001 — the test decides which errors are right
            outcome.error = error
        finally:
            connections.close_all()  # this thread's own connections

    threads = [
        threading.Thread(target=run, args=(writer, outcome), name=f"{RACER}{index}")
        for index, (writer, outcome) in enumerate(zip(writers, outcomes, strict=True))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a writer hangs (deadlock?)"
    return outcomes


def widen(
    monkeypatch: pytest.MonkeyPatch,
    target: object,
    name: str,
    *,
    seconds: float = PAUSE_SECONDS,
    after: bool = False,
    only: int | None = None,
) -> None:
    """Make each racing writer pause when it calls `target.name` (other threads do not).

    The pause comes before the call, or `after` it returns; `only` limits it to one writer
    (0 for race()'s first), to decide which of the two reaches the next step first.
    """
    original = getattr(target, name)

    def paused(*args: Any, **kwargs: Any) -> Any:
        me = threading.current_thread().name
        pausing = me == f"{RACER}{only}" if only is not None else me.startswith(RACER)
        if pausing and not after:
            time.sleep(seconds)
        result = original(*args, **kwargs)
        if pausing and after:
            time.sleep(seconds)
        return result

    monkeypatch.setattr(target, name, paused)


def winner_and_loser(outcomes: list[Outcome]) -> tuple[Outcome, Outcome]:
    """The one writer that succeeded and the one that failed; fails the test otherwise."""
    assert len(outcomes) == 2
    succeeded = [outcome for outcome in outcomes if outcome.ok]
    failed = [outcome for outcome in outcomes if not outcome.ok]
    assert len(succeeded) == 1, f"expected one writer to win: {outcomes}"
    return succeeded[0], failed[0]
