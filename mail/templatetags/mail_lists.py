"""The delivery log's rows and an email's status, written in Python (core/rows.py says why).

The status is the one home of its markup: the delivery log's rows and an email's own page both
show it through `email_status`.
"""

import datetime as dt
from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.http import pk_url
from core.rows import clock, escape, local, month_day, plural
from mail.models import OutgoingEmail

register = template.Library()

KINDS = dict(OutgoingEmail.Kind.choices)
Status = OutgoingEmail.Status


def _when(moment: dt.datetime) -> str:
    """“Dec 4, 2:30 PM”, in the reader's time zone."""
    moment = local(moment)
    return f"{month_day(moment)}, {clock(moment)}"


def _status(email: OutgoingEmail) -> str:
    if email.status == Status.SENT:
        sent = _when(email.sent_at) if email.sent_at else ""
        return (
            '<span class="badge text-bg-success">Sent</span> '
            f'<span class="small text-body-secondary text-nowrap">{sent}</span>'
        )
    if email.status == Status.FAILED:
        return (
            '<span class="badge text-bg-danger">Failed</span> '
            f'<span class="small">after {plural(email.attempts, "attempt")}</span>'
        )
    if email.status == Status.SUPPRESSED:
        return (
            '<span class="badge text-bg-secondary">Suppressed</span> '
            f'<span class="small">{escape(email.suppressed_reason)}</span>'
        )
    if email.status == Status.SENDING:
        return '<span class="badge text-bg-info">Sending</span>'
    html = '<span class="badge text-bg-warning">Queued</span>'
    if email.attempts:
        retry = _when(email.next_attempt_at)
        failed = plural(email.attempts, "failed attempt")
        html += f' <span class="small">retry {retry} ({failed})</span>'
    return html


@register.simple_tag
def email_status(email: OutgoingEmail) -> SafeString:
    """The email's status badge, with when it was sent, why it failed or when it is retried."""
    return mark_safe(_status(email))  # noqa: S308 — the one text from the database is escaped


def _email_row(email: OutgoingEmail) -> str:
    if email.to_name:
        recipient = (
            f"{escape(email.to_name)} "
            f'<span class="text-body-secondary small">&lt;{escape(email.to_address)}&gt;</span>'
        )
    else:
        recipient = escape(email.to_address)
    kind = escape(KINDS.get(email.kind, email.kind))
    return (
        "<tr>"
        f'<td data-label="Queued" class="text-nowrap">{_when(email.created_at)}</td>'
        f'<td data-label="Kind">{kind}</td>'
        f'<td data-label="Recipient" class="text-break">{recipient}</td>'
        f'<td data-label="Subject"><a href="{pk_url("mail:email_detail", email.pk)}" '
        f'class="fw-semibold">{escape(email.subject)}</a></td>'
        f'<td data-label="Status">{_status(email)}</td>'
        "</tr>\n"
    )


@register.simple_tag
def email_rows(emails: Iterable[OutgoingEmail]) -> SafeString:
    """The <tr>s of the delivery log (mail/partials/delivery_results.html)."""
    html = "".join(_email_row(email) for email in emails)
    return mark_safe(html)  # noqa: S308 — every text from the database is escaped above
