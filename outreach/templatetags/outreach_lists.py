"""The rows of the touchpoint and meeting lists and of every follow-up list, written in Python.

core/rows.py says why. A follow-up row carries its Done and Snooze forms and a menu: through
the template engine it cost ten times what its text does, and a page lists 25.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from core.aggregates import split_names
from core.http import pk_url
from core.people import display_name
from core.rows import (
    clock,
    escape,
    local,
    month_day,
    muted,
    names,
    select_box,
    short_date,
    shortened,
    weekday,
)
from outreach.models import FollowUp, Meeting, Touchpoint

register = template.Library()

# Choice labels by value: get_FOO_display() builds a dict of the choices at every call.
CHANNELS = dict(Touchpoint.Channel.choices)
MEETING_STATUSES = dict(Meeting.Status.choices)
# As outreach/partials/meeting_status.html colours them.
MEETING_BADGES = {"held": "text-bg-success", "cancelled": "text-bg-secondary"}


# --- Touchpoints -----------------------------------------------------------------------------


def _touchpoint_row(touchpoint: Touchpoint) -> str:
    """One row; the touchpoint comes from selectors.touchpoints.touchpoint_list."""
    when = short_date(touchpoint.occurred_on)
    if touchpoint.occurred_time:
        when += f" {muted(clock(touchpoint.occurred_time))}"
    organization = touchpoint.organization
    channel = CHANNELS.get(touchpoint.channel, touchpoint.channel)
    staff = escape(display_name(touchpoint.staff)) if touchpoint.staff else muted("Not recorded")
    contacts = names(split_names(touchpoint.contact_names), "None listed")  # type: ignore[attr-defined]
    return (
        "<tr>"
        f'<td data-label="Date" class="text-nowrap">{when}</td>'
        f'<td data-label="Channel">{escape(channel)}</td>'
        f'<td data-label="Organization"><a href="{organization.get_absolute_url()}">'
        f"{escape(organization.name)}</a></td>"
        f'<td data-label="Subject"><a href="{pk_url("outreach:touchpoint_detail", touchpoint.pk)}"'
        f' class="fw-semibold">{escape(touchpoint.subject)}</a></td>'
        f'<td data-label="Who">{staff}</td>'
        f'<td data-label="Contacts" class="small">{contacts}</td>'
        "</tr>\n"
    )


@register.simple_tag
def touchpoint_rows(touchpoints: Iterable[Touchpoint]) -> SafeString:
    """The <tr>s of the touchpoint list (outreach/partials/touchpoint_results.html)."""
    html = "".join(_touchpoint_row(touchpoint) for touchpoint in touchpoints)
    return mark_safe(html)  # noqa: S308 — every text from the database is escaped above


# --- Meetings --------------------------------------------------------------------------------


def _meeting_row(meeting: Meeting) -> str:
    """One row; the meeting comes from selectors.meetings.meeting_list."""
    starts, ends = local(meeting.starts_at), local(meeting.ends_at)
    cancelled = meeting.status == Meeting.Status.CANCELLED
    title = f"<s>{escape(meeting.title)}</s>" if cancelled else escape(meeting.title)
    partners = [meeting.organization, *meeting.other_organizations.all()]
    with_whom = ", ".join(
        f'<a href="{partner.get_absolute_url()}">{escape(partner.name)}</a>' for partner in partners
    )
    badge = MEETING_BADGES.get(meeting.status, "text-bg-light border")
    status = escape(MEETING_STATUSES.get(meeting.status, meeting.status))
    start = '<tr class="text-body-secondary">' if cancelled else "<tr>"
    return (
        f"{start}"
        f'<td data-label="When" class="text-nowrap"><time datetime="{starts.isoformat()}">'
        f"{weekday(starts)}, {short_date(starts)}<br>{clock(starts)}–{clock(ends)}</time></td>"
        f'<td data-label="Meeting"><a href="{meeting.get_absolute_url()}" class="fw-semibold">'
        f"{title}</a></td>"
        f'<td data-label="With">{with_whom}</td>'
        f'<td data-label="Status"><span class="badge {badge}">{status}</span></td>'
        "</tr>\n"
    )


@register.simple_tag
def meeting_rows(meetings: Iterable[Meeting]) -> SafeString:
    """The <tr>s of the meeting list (outreach/partials/meeting_results.html)."""
    html = "".join(_meeting_row(meeting) for meeting in meetings)
    return mark_safe(html)  # noqa: S308 — every text from the database is escaped above


# --- Follow-ups ------------------------------------------------------------------------------


def _due(followup: FollowUp, today: dt.date) -> str:
    day = followup.due_on
    overdue = day < today
    text = f'<time datetime="{day.isoformat()}">{weekday(day)} {month_day(day)}</time>'
    if followup.due_time:
        text += f" {clock(followup.due_time)}"
    if overdue:
        return f'<span class="overdue">{text} (overdue)</span>'
    return f'<span class="">{text}</span>'


def _hidden_inputs(csrf_token: str, back: str) -> str:
    return (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf_token}">'
        f'<input type="hidden" name="next" value="{back}">'
    )


def _menu(followup: FollowUp, title: str, forms: str, back: str, context: Any) -> str:
    """The row's "More" menu: snoozing (`forms`), then the pages to edit (or, for a manager,
    reassign) and cancel it, which come back to `back`. Without JavaScript "More" is a link to
    the follow-up's page, which has every action."""
    pk = followup.pk
    edit_url = f"{pk_url('outreach:followup_edit', pk)}?next={quote(back)}"
    reassign = ""
    if context.get("user_is_manager"):
        reassign = f'<a class="dropdown-item" href="{edit_url}#id_assignee">Reassign…</a>'
    return (
        f'<div class="dropdown"><a href="{pk_url("outreach:followup_detail", pk)}"'
        ' class="btn btn-sm btn-outline-secondary dropdown-toggle" role="button"'
        ' data-bs-toggle="dropdown" data-bs-auto-close="outside" aria-expanded="false">More'
        f'<span class="visually-hidden"> actions: {title}</span></a>'
        f'<div class="dropdown-menu dropdown-menu-end followup-menu">{forms}'
        f'<hr class="dropdown-divider"><a class="dropdown-item" href="{edit_url}">Edit</a>'
        f'{reassign}<a class="dropdown-item"'
        f' href="{pk_url("outreach:followup_cancel", pk)}?next={quote(back)}">'
        "Cancel this follow-up…</a></div></div>"
    )


def _actions(followup: FollowUp, title: str, context: Any) -> str:
    """Done, and "More": snooze by a day, a week or to a day, edit, reassign, cancel. Done and
    Snooze are forms that work without JavaScript and, with htmx, swap the row for its new
    state; the rest are pages."""
    request = context.get("request")
    back = context.get("next") or (request.get_full_path() if request else "")
    token = str(context.get("csrf_token") or "")  # as {% csrf_token %} writes it
    hidden = _hidden_inputs(escape("" if token == "NOTPROVIDED" else token), escape(back))
    done_url = pk_url("outreach:followup_done", followup.pk)
    snooze_url = pk_url("outreach:followup_snooze", followup.pk)
    swap = f'hx-target="#followup-{followup.pk}" hx-swap="outerHTML"'
    snooze = (
        f'<form method="post" action="{snooze_url}" hx-post="{snooze_url}" {swap}>{hidden}'
        '<button type="submit" name="days" value="1" class="dropdown-item">Snooze 1 day</button>'
        '<button type="submit" name="days" value="7" class="dropdown-item">Snooze 1 week</button>'
        '<div class="followup-until"><label>Snooze until <input type="date" name="until"'
        ' class="form-control form-control-sm"></label>'
        '<button type="submit" class="btn btn-sm btn-outline-secondary">Snooze</button></div>'
        "</form>"
    )
    return (
        '<div class="followup-actions">'
        f'<form method="post" action="{done_url}" hx-post="{done_url}" {swap}>{hidden}'
        '<button type="submit" class="btn btn-sm btn-success">Done'
        f'<span class="visually-hidden">: {title}</span></button></form>'
        f"{_menu(followup, title, snooze, back, context)}</div>"
    )


def _notes(followup: FollowUp, context: Any) -> str:
    """What the row says under its title: its details, and why the last action failed (what
    one did is said by the page's live region: core.http.announce)."""
    html = ""
    # Not when it only says the title again (a touchpoint's next step is both).
    if followup.details and " ".join(followup.details.split()) != followup.title:
        details = shortened(followup.details, 200)
        html += f'<div class="small text-body-secondary prewrap">{details}</div>'
    if error := context.get("error"):
        html += f'<div class="small text-danger" role="alert">{escape(str(error))}</div>'
    return html


@register.simple_tag(takes_context=True)
def followup_row(context: Any, followup: FollowUp) -> SafeString:
    """One follow-up: when it is due, its title (a link to its page), its organization, and for
    its assignee or a manager, Done and a menu of the rest (outreach/partials/followup_row.html
    says what it reads from the context). The follow-up comes with its organization (and
    assignee, when `show_assignee`)."""
    title = escape(followup.title)
    organization = followup.organization
    link = f'<a href="{organization.get_absolute_url()}">{escape(organization.name)}</a>'
    start = f'<li class="list-group-item" id="followup-{followup.pk}">'
    if followup.status == FollowUp.Status.DONE:
        body = f'<span class="badge text-bg-success">Done</span> <s>{title}</s> — {link}'
        return mark_safe(f"{start}{body}</li>\n")  # noqa: S308 — escaped above
    if followup.status == FollowUp.Status.CANCELLED:
        body = f'<span class="badge text-bg-secondary">Cancelled</span> <s>{title}</s>'
        return mark_safe(f"{start}{body}</li>\n")  # noqa: S308 — escaped above
    today = context.get("today") or timezone.localdate()
    assignee = ""
    if context.get("show_assignee"):
        name = escape(display_name(followup.assignee))
        assignee = f'<span class="small text-body-secondary"> · {name}</span>'
    user = context.get("user")
    # Only the assignee or a manager may act: no buttons that answer 403.
    may_act = followup.assignee_id == getattr(user, "pk", None) or context.get("user_is_manager")
    page = pk_url("outreach:followup_detail", followup.pk)
    # On the follow-up list, a checkbox for its selection (bulk actions).
    select = f"{select_box(followup.pk, title)} " if context.get("selectable") else ""
    html = (
        f'<li class="list-group-item followup-row" id="followup-{followup.pk}">'
        f'<div class="followup-text">{select}{_due(followup, today)} · '
        f'<a href="{page}" class="fw-semibold">{title}</a> · {link}{assignee}</div>'
        f"{_actions(followup, title, context) if may_act else ''}"
        f"{_notes(followup, context)}</li>\n"
    )
    return mark_safe(html)  # noqa: S308 — every text from the database is escaped above
