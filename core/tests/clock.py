"""The tests' one frozen clock: a module that needs a fixed "now" declares it with a line,

    clock = frozen_clock(NOW)

and every test of that module then runs at NOW (time-machine, not ticking). A test that moves
time along asks for the fixture by its name (`clock.shift(60)`, `clock.move_to(...)`).

Not for browser tests: the live server and Chromium keep real time.
"""

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
import time_machine

# Monday, November 2, 2026, 10:00 in New York (the librarians' default time zone).
NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)


def frozen_clock(moment: dt.datetime = NOW) -> Callable[[], Iterator[time_machine.Traveller]]:
    """An autouse fixture that stops the clock at `moment` for each test of the module."""

    @pytest.fixture(autouse=True)
    def clock() -> Iterator[time_machine.Traveller]:
        with time_machine.travel(moment, tick=False) as traveller:
            yield traveller

    return clock
