"""The entries of an organization's timeline, written in Python (core/rows.py says why).

An organization's page shows twenty; through the template engine they were a fifth of its
time. One home for an entry's markup: the page, its "Show older" pages and the entries a quick
log adds (outreach/partials/timeline.html, quick_log_logged.html) all use `timeline_entries`.
"""

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.http import pk_url
from core.people import display_name
from core.rows import clock, escape, local, month_day, short_date, shortened
from documents.models import Document
from outreach.models import FollowUp, Meeting, Touchpoint
from outreach.selectors.timeline import TimelineEntry
from partners.models import Stage

register = template.Library()

CHANNELS = dict(Touchpoint.Channel.choices)
MEETING_STATUSES = dict(Meeting.Status.choices)
STAGES = dict(Stage.choices)
DOCUMENT_KINDS = dict(Document.Kind.choices)
HEADER = '<div class="d-flex flex-wrap justify-content-between gap-1">'


def _when(at_text: str, datetime: str) -> str:
    return (
        f' <span class="small text-body-secondary"><time datetime="{datetime}">{at_text}</time>'
        "</span>"
    )


def _touchpoint(entry: TimelineEntry) -> str:
    item = entry.item
    at = f" {clock(item.occurred_time)}" if item.occurred_time else ""
    staff = escape(display_name(item.staff)) or "Someone"
    people = ", ".join(
        f'<a href="{pk_url("partners:contact_detail", person.pk)}">{escape(person.name)}</a>'
        for person in entry.people
    )
    html = (
        f'{HEADER}<span class="fw-semibold"><span class="badge text-bg-info">'
        f"{escape(CHANNELS.get(item.channel, item.channel))}</span> "
        f'<a href="{pk_url("outreach:touchpoint_detail", item.pk)}">{escape(item.subject)}</a>'
        "</span>"
        f' <span class="small text-body-secondary"><time datetime="{item.occurred_on.isoformat()}">'
        f"{short_date(item.occurred_on)}</time>{at}</span></div>"
        f'<div class="small text-body-secondary">{staff}{" with " + people if people else ""}'
        "</div>"
    )
    if entry.logged_with is not None:
        host = entry.logged_with
        html += (
            '<div class="small text-body-secondary">With several partners, logged with '
            f'<a href="{pk_url("partners:organization_detail", host.pk)}">{escape(host.name)}</a>'
            "</div>"
        )
    if item.notes:
        html += f'<div class="small prewrap">{shortened(item.notes, 400)}</div>'
    if item.outcome:
        html += f'<div class="small"><strong>Outcome:</strong> {shortened(item.outcome, 200)}</div>'
    if item.next_step:
        html += (
            f'<div class="small"><strong>Next step:</strong> {shortened(item.next_step, 200)}</div>'
        )
    return html


def _meeting(entry: TimelineEntry) -> str:
    item = entry.item
    status = ""
    if item.status != Meeting.Status.SCHEDULED:
        colour = "success" if item.status == Meeting.Status.HELD else "secondary"
        label = escape(MEETING_STATUSES.get(item.status, item.status))
        status = f' <span class="badge text-bg-{colour}">{label}</span>'
    starts = local(item.starts_at)
    html = (
        f'{HEADER}<span class="fw-semibold"><span class="badge text-bg-primary">Meeting</span> '
        f'<a href="{pk_url("outreach:meeting_detail", item.pk)}">{escape(item.title)}</a>'
        f"{status}</span>"
        f"{_when(f'{short_date(starts)}, {clock(starts)}', starts.isoformat())}</div>"
    )
    if entry.people:
        people = ", ".join(escape(person.name) for person in entry.people)
        html += f'<div class="small text-body-secondary">With {people}</div>'
    return html


def _stage_change(entry: TimelineEntry) -> str:
    item = entry.item
    if item.from_stage:
        moved = f"Stage: {escape(STAGES.get(item.from_stage, item.from_stage))} → "
    else:
        moved = "Added as "
    changed = local(item.changed_at)
    html = (
        f"{HEADER}<span>{moved}<strong>{escape(STAGES.get(item.to_stage, item.to_stage))}"
        f"</strong></span>{_when(short_date(changed), changed.isoformat())}</div>"
        f'<div class="small text-body-secondary">{escape(display_name(item.changed_by))}</div>'
    )
    if item.note:
        html += f'<div class="small prewrap">{escape(item.note)}</div>'
    return html


def _followup_link(followup: FollowUp) -> str:
    """The follow-up's title, linked to its page (its details, notes and what became of it)."""
    url = pk_url("outreach:followup_detail", followup.pk)
    return f'<a href="{url}">{escape(followup.title)}</a>'


def _followup_created(entry: TimelineEntry) -> str:
    item, at = entry.item, local(entry.at)
    return (
        f"{HEADER}<span>Follow-up set: <strong>{_followup_link(item)}</strong> — due "
        f"{month_day(item.due_on)}, {escape(display_name(item.assignee))}</span>"
        f"{_when(short_date(at), at.isoformat())}</div>"
    )


def _followup_done(entry: TimelineEntry) -> str:
    item, at = entry.item, local(entry.at)
    by = f" — {escape(display_name(item.completed_by))}" if item.completed_by else ""
    return (
        f'{HEADER}<span><span class="badge text-bg-success">Done</span> {_followup_link(item)}{by}'
        f"</span>{_when(short_date(at), at.isoformat())}</div>"
    )


def _document(entry: TimelineEntry) -> str:
    item, at = entry.item, local(entry.at)
    kind = escape(DOCUMENT_KINDS.get(item.kind, item.kind))
    who = escape(display_name(item.uploaded_by)) if item.uploaded_by_id else "Someone"
    return (
        f'{HEADER}<span>Uploaded: <a href="{pk_url("documents:document_detail", item.pk)}">'
        f'{escape(item.title)}</a> <span class="small text-body-secondary">({kind})</span></span>'
        f"{_when(short_date(at), at.isoformat())}</div>"
        f'<div class="small text-body-secondary">{who}</div>'
    )


KINDS = {
    "touchpoint": _touchpoint,
    "meeting": _meeting,
    "stage_change": _stage_change,
    "followup_created": _followup_created,
    "followup_done": _followup_done,
    "document": _document,
}


@register.simple_tag
def timeline_entries(entries: Iterable[TimelineEntry]) -> SafeString:
    """The <li>s of these entries (outreach.selectors.timeline)."""
    html = "".join(
        f'<li class="timeline-entry timeline-{entry.kind}">{KINDS[entry.kind](entry)}'
        f"{_earlier(entry)}</li>\n"
        for entry in entries
    )
    return mark_safe(html)


def _earlier(entry: TimelineEntry) -> str:
    """The older messages of the entry's email conversation, under it."""
    if not entry.earlier:
        return ""
    items = "".join(
        f'<li class="timeline-entry timeline-{older.kind}">{KINDS[older.kind](older)}</li>'
        for older in entry.earlier
    )
    count = len(entry.earlier)
    return (
        f'<div class="small text-body-secondary mt-2">Earlier in this conversation ({count} '
        f"{'email' if count == 1 else 'emails'})</div>"
        f'<ol class="list-unstyled timeline-conversation">{items}</ol>'
    )  # noqa: S308 — every text from the database is escaped above
