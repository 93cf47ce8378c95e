"""The rows of the dashboard's short lists, written in Python as the lists' rows are (core/rows.py
says why): the quiet partners, the recent touchpoints and the upcoming meetings. Each tag is the
one home of its rows' markup; the panel around them stays a template (outreach/panels/)."""

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.http import pk_url
from core.rows import clock, escape, local, month_day, weekday
from core.templatetags.liaison import days_ago, quiet_class
from outreach.models import Meeting, Touchpoint
from partners.models import Organization

register = template.Library()

# Choice labels by value: get_FOO_display() builds a dict of the choices at every call.
CHANNELS = dict(Touchpoint.Channel.choices)


@register.simple_tag
def quiet_partner_rows(organizations: Iterable[Organization]) -> SafeString:
    """Each partner with how long since its last touchpoint (`last_touchpoint_on`)."""
    rows = []
    for organization in organizations:
        day = organization.last_touchpoint_on
        quiet = f"last {days_ago(day)}" if day else "never touched"
        rows.append(
            '<li class="list-group-item d-flex justify-content-between gap-2">'
            f'<a href="{organization.get_absolute_url()}">{escape(organization.name)}</a>'
            f'<span class="small text-nowrap {quiet_class(day)}">{quiet}</span></li>'
        )
    return mark_safe("\n".join(rows))  # noqa: S308 — every text from the database is escaped


@register.simple_tag
def recent_touchpoint_rows(touchpoints: Iterable[Touchpoint]) -> SafeString:
    """Each touchpoint's day, channel and subject, and its organization (selected with it)."""
    rows = []
    for touchpoint in touchpoints:
        organization = touchpoint.organization
        channel = escape(CHANNELS.get(touchpoint.channel, touchpoint.channel))
        rows.append(
            '<li class="list-group-item"><span class="small text-body-secondary">'
            f"{month_day(touchpoint.occurred_on)} · {channel}</span> · "
            f'<a href="{pk_url("outreach:touchpoint_detail", touchpoint.pk)}">'
            f"{escape(touchpoint.subject)}</a> · "
            f'<a href="{organization.get_absolute_url()}">{escape(organization.name)}</a></li>'
        )
    return mark_safe("\n".join(rows))  # noqa: S308 — every text from the database is escaped


@register.simple_tag
def meeting_rows(meetings: Iterable[Meeting]) -> SafeString:
    """Each meeting's start in the current time zone, title and organization."""
    rows = []
    for meeting in meetings:
        starts = local(meeting.starts_at)
        rows.append(
            f'<li class="list-group-item"><time datetime="{starts.isoformat()}" class="small">'
            f"{weekday(starts)} {month_day(starts)}, {clock(starts)}</time><br>"
            f'<a href="{meeting.get_absolute_url()}">{escape(meeting.title)}</a> · '
            f'<span class="small">{escape(meeting.organization.name)}</span></li>'
        )
    return mark_safe("\n".join(rows))  # noqa: S308 — every text from the database is escaped
