"""`make bench-pages`: every page at 1,000 and at 10,000 partner organizations, against targets.

Not a test: a measurement. It seeds two PostgreSQL databases of its own (`seed_demo --scale 25`
and `--scale 250`, reused while the code and the day are the same), runs gunicorn on each with
docker-compose.yml's production settings (DEBUG off, collected static files, two workers, Redis
cache), logs in as the demo librarian and manager, finds the pages from the navigation as a
person would (with one detail page of each kind, every report and the calendar), and times each
one: 3 requests to warm up, then 30 timed, one at a time. The yardstick is the login page's
median on the same server in the same run, timed in turn with each page's requests (a request
for the page, one for the login page, and so on), so that a machine that runs slower for a
minute slows both; the 1,000- and 10,000-organization timings are compared the same way, each
as a multiple of its own login page.

Targets, at 10,000 organizations: median ≤ 4× login, p95 ≤ 8× login, ≤ 12 SQL queries and the
same number at both sizes, the median within 1.5× of the 1,000-organization one, HTML ≤ 150 KB.
Every figure that misses is marked, and the command fails if any does.
"""

import os
import platform
import statistics
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.bench.pages import Client, Timing, discover, timed
from demo.bench.server import BASE_URL_DEFAULT, gunicorn, seeded_database
from demo.partners import DEMO_PASSWORD

SMALL, LARGE = 25, 250  # units of 40 organizations: 1,000 and 10,000
ROLES = ("librarian", "manager")
MEDIAN_X, P95_X, MAX_QUERIES, FLAT_X, MAX_KB = 4.0, 8.0, 12, 1.5, 150.0
MISS = "✗"


@dataclass
class Run:
    login_ms: float
    pages: dict[tuple[str, str], Timing]  # (role, page name) → timing
    paths: dict[tuple[str, str], str]


def _measure(host: str, *, warmups: int, runs: int, log: Any) -> Run:
    yardstick = Client(host)  # signed out, on the login page
    pages: dict[tuple[str, str], Timing] = {}
    paths: dict[tuple[str, str], str] = {}
    for role in ROLES:
        client = Client(host)
        client.log_in(role, DEMO_PASSWORD)
        for name, path in discover(client).items():
            pages[role, name] = timed(client, path, warmups=warmups, runs=runs, yardstick=yardstick)
            paths[role, name] = path
        log(f"  {role}: {sum(1 for r, _ in pages if r == role)} pages")
    logins = [seconds for timing in pages.values() for seconds in timing.login_seconds]
    login_ms = statistics.median(logins) * 1000
    log(f"  login page: median {login_ms:.1f} ms over the run")
    return Run(login_ms, pages, paths)


def _row(key: tuple[str, str], small: Run, large: Run) -> tuple[list[str], bool]:
    """One line of the table, and whether it misses a target."""
    big, little = large.pages[key], small.pages.get(key)
    # Against the login page as timed in turn with this page (demo.bench.pages.timed).
    x = big.median_ms / big.login_ms
    p95_x = big.p95_ms / big.login_ms
    # Flat in the data size: the two sizes run minutes apart, so each is taken against its own
    # login page, as the machine ran then.
    flat = x / (little.median_ms / little.login_ms) if little else None
    checks = {
        "x": x <= MEDIAN_X,
        "p95": p95_x <= P95_X,
        "kb": big.kb <= MAX_KB,
        "q": big.queries is not None
        and big.queries <= MAX_QUERIES
        and little is not None
        and little.queries == big.queries,
        "flat": flat is not None and flat <= FLAT_X,
        "status": big.status == 200 and (little is None or little.status == 200),
    }

    def mark(ok: bool, text: str) -> str:
        return text if ok else f"{text} {MISS}"

    role, name = key
    cells = [
        mark(checks["status"], f"{large.paths[key]} ({name})"),
        role,
        f"{big.median_ms:.1f}",
        mark(checks["p95"], f"{big.p95_ms:.1f}"),
        mark(checks["x"], f"{x:.1f}"),
        mark(checks["kb"], f"{big.kb:.0f}"),
        mark(checks["q"], f"{little.queries if little else '–'} / {big.queries}"),
        mark(checks["flat"], f"{flat:.2f}" if flat else "–"),
    ]
    return cells, not all(checks.values())


class Command(BaseCommand):
    help = "Time every page at 1,000 and 10,000 organizations against the targets (PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fresh", action="store_true", help="Seed the databases again.")
        parser.add_argument(
            "--keep-data",
            action="store_true",
            help="Use the databases as they are (migrated), even if seeded another day or by "
            "other code: for trying a change quickly. A run for the record leaves this off.",
        )
        parser.add_argument("--runs", type=int, default=30, help="Timed requests per page.")
        parser.add_argument("--warmups", type=int, default=3)
        parser.add_argument(
            "--only", default="", help="Only pages whose path or name contains this text."
        )

    def handle(
        self, *args: Any, fresh: bool, keep_data: bool, runs: int, warmups: int, only: str, **o: Any
    ) -> None:
        base = os.environ.get("BENCH_DATABASE_URL", BASE_URL_DEFAULT)
        log = self.stdout.write
        results = {}
        for scale in (SMALL, LARGE):
            url = seeded_database(base, scale, fresh=fresh, keep=keep_data, log=log)
            log(f"{scale * 40:,} organizations: gunicorn, 2 workers, production settings…")
            with gunicorn(url) as host:
                results[scale] = _measure(host, warmups=warmups, runs=runs, log=log)
        small, large = results[SMALL], results[LARGE]
        header = [
            "page",
            "as",
            "median ms",
            "p95 ms",
            "× login",
            "KB",
            "queries 1k / 10k",
            "10k ÷ 1k",
        ]
        rows, misses = [], 0
        for key in sorted(large.pages, key=lambda k: (large.paths[k], k[0])):
            if only and only not in large.paths[key] and only not in key[1]:
                continue
            cells, missed = _row(key, small, large)
            rows.append(cells)
            misses += missed
        log(
            f"\nLogin page median: {small.login_ms:.1f} ms at 1,000 organizations, "
            f"{large.login_ms:.1f} ms at 10,000 ({platform.processor() or platform.machine()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}). Figures at 10,000 "
            f"organizations, 30,000 contacts, 100,000 touchpoints; {runs} timed requests each."
        )
        log(_markdown([header, *rows]))
        if misses:
            raise CommandError(f"{misses} of {len(rows)} pages miss a target (marked {MISS}).")
        log(self.style.SUCCESS(f"Every one of {len(rows)} pages meets every target."))


def _markdown(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
