"""The progress-update list's rows and an update's status badge, written in Python (core/rows.py
says why). The badge is the one home of its markup: the list, the review page and a
subscription's page all show it through `progress_update_status`."""

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.http import pk_url
from core.people import display_name
from core.rows import escape, local, month_day, short_date
from updates.models import ProgressUpdate

register = template.Library()

Status = ProgressUpdate.Status
BADGES: dict[str, str] = {
    Status.DRAFT: '<span class="badge text-bg-warning">Awaiting review</span>',
    Status.SENT: '<span class="badge text-bg-success">Sent</span>',
}
SKIPPED = '<span class="badge text-bg-secondary">Skipped</span>'


@register.simple_tag
def progress_update_status(update: ProgressUpdate) -> SafeString:
    """“Awaiting review”, “Sent” or “Skipped”, as a badge."""
    return mark_safe(BADGES.get(update.status, SKIPPED))  # noqa: S308 — our own words


def _about(update: ProgressUpdate) -> str:
    subscription = update.subscription
    # A subscription is about an organization or a program.
    if organization := subscription.organization:
        url = pk_url("partners:organization_detail", organization.pk)
        return f'<a href="{url}">{escape(organization.name)}</a>'
    program = subscription.program
    assert program is not None
    url = pk_url("programs:program_detail", program.pk)
    return (
        f'<a href="{url}">{escape(program.title)}</a> '
        '<span class="text-body-secondary small">(program)</span>'
    )


def _when(update: ProgressUpdate) -> str:
    """When it was sent (and to how many), skipped, or drafted."""
    if update.status == Status.SENT:
        n = update.recipients_count
        sent = short_date(local(update.sent_at)) if update.sent_at else ""
        return f"{sent} to {n} {'person' if n == 1 else 'people'}"
    if update.status == Status.SKIPPED:
        return short_date(local(update.skipped_at)) if update.skipped_at else ""
    return f"since {month_day(local(update.created_at))}"


def _reviewer(update: ProgressUpdate) -> str:
    if update.status == Status.SENT:
        if update.approved_by:
            return escape(display_name(update.approved_by))
        return "Sent automatically"
    if update.status == Status.SKIPPED:
        return escape(display_name(update.skipped_by)) or "—"
    return escape(display_name(update.subscription.owner))


def _row(update: ProgressUpdate) -> str:
    url = pk_url("updates:progress_update_review", update.pk)
    period = f"{month_day(update.period_start)} – {short_date(update.period_end)}"
    start = '<tr class="table-warning">' if update.status == Status.DRAFT else "<tr>"
    return (
        f"{start}"
        f'<td data-label="Period" class="text-nowrap"><a href="{url}">{period}</a></td>'
        f'<td data-label="About">{_about(update)}</td>'
        f'<td data-label="Subject"><a href="{url}">{escape(update.subject)}</a></td>'
        f'<td data-label="Status">{BADGES.get(update.status, SKIPPED)}'
        f'<div class="small text-body-secondary">{_when(update)}</div></td>'
        f'<td data-label="Reviewed by">{_reviewer(update)}</td>'
        "</tr>\n"
    )


@register.simple_tag
def progress_update_rows(updates: Iterable[ProgressUpdate]) -> SafeString:
    """The <tr>s of the progress-update list (updates/progress_update_list.html)."""
    return mark_safe("".join(_row(update) for update in updates))  # noqa: S308 — escaped above
