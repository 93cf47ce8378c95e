"""One voice: a time of day and a name's possessive are written one way, everywhere."""

import datetime as dt
import re
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone

from core.people import possessive
from core.rows import clock

ROOT = Path(settings.BASE_DIR)
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (dt.time(13, 30), "1:30 PM"),
        (dt.time(10, 5), "10:05 AM"),
        (dt.time(0, 0), "12:00 AM"),
        (dt.time(12, 0), "12:00 PM"),
        (dt.datetime(2026, 11, 3, 23, 59), "11:59 PM"),
    ],
)
def test_a_time_of_day_reads_like_1_30_pm(moment, text):
    assert clock(moment) == text


def test_the_clock_filter_shows_the_time_in_the_readers_time_zone():
    template = Template("{% load liaison %}{{ at|clock }}, {{ due|clock }}{{ none|clock }}.")
    at = dt.datetime(2026, 11, 3, 18, 0, tzinfo=dt.UTC)  # 1 PM in New York (EST)
    with timezone.override(NEW_YORK):
        text = template.render(Context({"at": at, "due": dt.time(14, 0), "none": None}))
    # One full stop after a time that ends a sentence, never "2:00 p.m.."
    assert text == "1:00 PM, 2:00 PM."


# What formats a time by itself instead of through the `clock` filter or core.rows.clock:
# Django's time formats ("g:i a", "P", |time) and strftime's 12-hour clock and AM/PM (the 24-hour
# "%H:%M" is for machines: file names, spreadsheet cells, <input type="time">).
TEMPLATE_TIME_FORMAT = re.compile(r"\|time\b|\|date:[\"'][^\"']*[gGhHiaAPs][^\"']*[\"']")
PYTHON_TIME_FORMAT = re.compile(r"g:i|%[Ip]|[ap]\.m\.")
# Machine-readable dates that are never shown as such: <time datetime="…">, comparisons.
MACHINE = re.compile(r"\|date:[\"'](c|Y-m-d|Y-m|YmdHi|T)[\"']")


def test_no_template_writes_a_time_of_day_its_own_way():
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.*")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if TEMPLATE_TIME_FORMAT.search(MACHINE.sub("", line)):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not offenders, "use the clock filter:\n" + "\n".join(offenders)


def test_no_python_writes_a_time_of_day_its_own_way():
    allowed = {"core/rows.py"}  # clock() itself
    offenders = []
    for app in ("core", "partners", "mail", "outreach", "programs", "updates", "notifications"):
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = str(path.relative_to(ROOT))
            if "/tests/" in relative or "/migrations/" in relative or relative in allowed:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                code = line.split("#")[0]
                if PYTHON_TIME_FORMAT.search(code) and not code.strip().startswith('"""'):
                    offenders.append(f"{relative}:{number}: {line.strip()[:100]}")
    assert not offenders, "use core.rows.clock:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Maria Lopez", "Maria Lopez’s"),
        ("Riverside Pediatric Associates", "Riverside Pediatric Associates’"),
        ("Friends of the Parks", "Friends of the Parks’"),
        ("COUNTY SCHOOLS", "COUNTY SCHOOLS’"),
        ("  Eastside Clinic ", "Eastside Clinic’s"),
        ("", ""),
    ],
)
def test_a_possessive_never_reads_associates_s(name, text):
    assert possessive(name) == text


def test_the_possessive_filter_escapes_the_name():
    template = Template("{% load liaison %}{{ name|possessive }} role")
    html = template.render(Context({"name": "Hill & Associates"}))
    assert html == "Hill &amp; Associates’ role"
