"""`make run`: its links follow its port, and its console reads as one log.

The Makefile's honcho line is taken from `make -n run` and run for real: with `env` in place of
honcho to see the environment it gives the processes, and as itself (web and worker, under a
temporary LIAISON_VAR_DIR) to read the console and stop it as Ctrl-C does.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The Makefile prefixes BIN with its own directory: this interpreter's, relative to it.
BIN = os.path.relpath(Path(sys.executable).parent, ROOT)
HONCHO = re.compile(r"\S+/honcho start .*$")
# "15:01:42 worker.1 | [2026-12-03 15:01:42,121: INFO/MainProcess] celery@vm ready."
RECORD = re.compile(r"^(\d\d:\d\d:\d\d) (\w+)\.1\s*\| \[\d{4}-\d\d-\d\d (\d\d:\d\d:\d\d),\d{3}: ")


def _clean_env(**variables: str) -> dict[str, str]:
    # The machine's own clock is UTC, so that a process left on it shows up against TIME_ZONE.
    machine = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    return {**machine, "TZ": "UTC", **variables}


def _honcho_line(port: int, env: dict[str, str]) -> str:
    """The shell line `make run` starts honcho with (its prerequisites are not run)."""
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", f"PORT={port}", f"BIN={BIN}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.replace("\\\n", " ").splitlines()
    return next(line for line in lines if "honcho start" in line)


def _run_environment(port: int, **variables: str) -> dict[str, str]:
    env = _clean_env(**variables)
    shell = HONCHO.sub("env", _honcho_line(port, env))
    result = subprocess.run(
        ["sh", "-c", shell], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)


def test_links_point_at_the_port_make_run_serves_on():
    assert _run_environment(8101)["SITE_URL"] == "http://127.0.0.1:8101"


def test_an_explicit_site_url_wins_over_the_port():
    environment = _run_environment(8101, SITE_URL="https://liaison.example-library.org")
    assert environment["SITE_URL"] == "https://liaison.example-library.org"


def test_honcho_keeps_the_clock_of_the_library_time_zone():
    assert _run_environment(8101)["TZ"] == "America/New_York"
    assert _run_environment(8101, TIME_ZONE="America/Chicago")["TZ"] == "America/Chicago"


def test_what_the_processes_print_reaches_the_console_at_once():
    # Through honcho's pipe, Python would hold runserver's "Starting development server at …".
    assert _run_environment(8101)["PYTHONUNBUFFERED"] == "1"


LOG_PROBE = """
import logging, django
django.setup()
logging.getLogger("django.utils.autoreload").info("Watching for file changes with StatReloader")
logging.getLogger("django.server").info('"GET /login/ HTTP/1.1" 200 4321')
logging.getLogger("mail.outbox").warning("Email 12 will be tried again")
"""


def test_each_log_line_is_printed_once_in_the_workers_format():
    result = subprocess.run(
        [sys.executable, "-c", LOG_PROBE],
        cwd=ROOT,
        env=_clean_env(DJANGO_SETTINGS_MODULE="config.settings"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    stamp = r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}: (INFO|WARNING)/MainProcess\] "
    assert len(lines) == 3, lines
    assert all(re.match(stamp, line) for line in lines), lines
    assert lines[0].endswith("Watching for file changes with StatReloader")
    assert lines[2].endswith("WARNING/MainProcess] Email 12 will be tried again")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _seconds(clock: str) -> int:
    hours, minutes, seconds = (int(part) for part in clock.split(":"))
    return hours * 3600 + minutes * 60 + seconds


class Console:
    """The honcho line of `make run`, for web and worker, with its output collected."""

    def __init__(self, tmp_path: Path):
        port = _free_port()
        env = _clean_env(LIAISON_VAR_DIR=str(tmp_path))
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            ["sh", "-c", _honcho_line(port, env) + " web worker"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, *texts: str, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while not all(any(text in line for line in self.lines) for text in texts):
            assert self.process.poll() is None, "\n".join(self.lines)
            assert time.monotonic() < deadline, "\n".join(self.lines)
            time.sleep(0.2)

    def ctrl_c(self) -> None:
        """What a terminal does on Ctrl-C: SIGINT to the foreground group (make and honcho)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            self.process.wait(timeout=30)
        self.reader.join(timeout=10)


@pytest.fixture
def console(tmp_path):
    running = Console(tmp_path)
    try:
        yield running
    finally:
        running.ctrl_c()  # again if a test failed before it did: honcho stops its processes


@pytest.mark.services
def test_the_console_has_one_clock_and_ctrl_c_stops_the_worker_quietly(console):
    console.wait_for("celery@", "ready.", "Quit the server with")
    console.ctrl_c()
    output = "\n".join(console.lines)

    assert output.count("Watching for file changes") == 1, output
    assert "worker: Warm shutdown" in output
    assert "ERROR" not in output, output
    # honcho's clock and each process's log record agree (TIME_ZONE, not the machine's UTC).
    records = [RECORD.match(line) for line in console.lines]
    stamped = [record for record in records if record]
    assert {record[2] for record in stamped} == {"web", "worker"}, output
    for record in stamped:
        apart = abs(_seconds(record[1]) - _seconds(record[3])) % (24 * 3600)
        assert min(apart, 24 * 3600 - apart) <= 2, record[0]
