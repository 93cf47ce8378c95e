"""The month calendar's days, written in Python (core/rows.py says why).

A month shows 35 or 42 days, each with up to CALENDAR_DAY_MEETINGS meetings and "+N more":
through the template engine (two date filters a meeting, five conditions a day) the grid cost
most of the page's time.
"""

import datetime as dt
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.http import pk_url
from core.periods import MONTH_NAMES
from core.rows import clock, escape, local, month_day
from outreach.models import Meeting

register = template.Library()


def _meeting(meeting: Meeting) -> str:
    starts = local(meeting.starts_at)
    if meeting.status == Meeting.Status.CANCELLED:
        title = f'<s>{escape(meeting.title)}</s> <span class="visually-hidden">(cancelled)</span>'
    else:
        title = escape(meeting.title)
    return (
        f'<li class="mt-1"><time datetime="{starts.isoformat()}">{clock(starts)}</time>'
        f' <a href="{pk_url("outreach:meeting_detail", meeting.pk)}">{title}</a></li>'
    )


def _more(day: dt.date, more: int, list_url: str) -> str:
    """“+12 more”, read out as “+12 more meetings on December 4”: that day's list."""
    noun = "meeting" if more == 1 else "meetings"
    return (
        f'<a class="d-block mt-1 small fw-semibold" href="{list_url}day={day.isoformat()}">'
        f'+{more} more<span class="visually-hidden"> {noun} on {MONTH_NAMES[day.month - 1]}'
        f" {day.day}</span></a>"
    )


def _day(cell: dict[str, Any], list_url: str) -> str:
    """One <td>: a cell from views.meetings._calendar_day."""
    day: dt.date = cell["date"]
    number = str(day.day) if cell["in_month"] else month_day(day)
    label = f'<time datetime="{day.isoformat()}">{number}</time>'
    if cell["is_today"]:
        start = '<td class="align-top p-1 bg-primary-subtle" aria-current="date">'
        label = (
            f'<div class="small fw-bold">{label} <span class="badge text-bg-primary">Today</span>'
        )
    elif cell["in_month"]:
        start = '<td class="align-top p-1">'
        label = f'<div class="small">{label}'
    else:
        start = '<td class="align-top p-1 bg-body-tertiary">'
        label = f'<div class="small text-body-secondary">{label}'
    meetings = "".join(_meeting(meeting) for meeting in cell["meetings"])
    if meetings:
        meetings = f'<ul class="list-unstyled small mb-0">{meetings}</ul>'
    more = _more(day, cell["more"], list_url) if cell["more"] else ""
    return f"{start}{label}</div>{meetings}{more}</td>"


@register.simple_tag
def calendar_weeks(weeks: list[list[dict[str, Any]]], list_url: str, mine: bool) -> SafeString:
    """The <tr>s of the month: a week a row. "+N more" links to `list_url` for that day (the
    meeting list, only mine when the calendar is)."""
    more_url = f"{list_url}?who=mine&amp;" if mine else f"{list_url}?"
    rows = (f"<tr>{''.join(_day(cell, more_url) for cell in week)}</tr>\n" for week in weeks)
    return mark_safe("".join(rows))  # noqa: S308 — every title is escaped above
