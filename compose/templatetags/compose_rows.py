"""A group email's recipient rows and an outbox row's delivery status, written in Python.

core/rows.py says why: a group email's page lists 25 people, each with a status badge, its
error or reason and the links to the person, the partner and the touchpoint; through the
template engine that was most of the page's time. `delivery` is the one home of the status in
words, shown on the group email's page and on the touchpoint a sent email logged.
"""

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

from compose.models import GroupEmail, SentEmail
from compose.selectors import unsubscribed_since
from core.http import pk_url
from core.rows import clock, escape, local, short_date, shortened
from mail.models import OutgoingEmail

register = template.Library()

Status = OutgoingEmail.Status


def _badge(colour: str, text: str) -> str:
    return f'<span class="badge text-bg-{colour}">{text}</span>'


def _delivery(row: OutgoingEmail, *, error_length: int | None = None) -> str:
    """“Sent Dec 4, 2026, 2:30 PM”, “Failed: the reason”…: the badge and its words."""

    def said(text: str) -> str:
        return shortened(text, error_length) if error_length else escape(text)

    if row.status == Status.SENT:
        sent = local(row.sent_at) if row.sent_at else None
        when = f" {short_date(sent)}, {clock(sent)}" if sent else ""
        return _badge("success", "Sent") + when
    if row.status == Status.FAILED:
        return f"{_badge('danger', 'Failed')} {said(row.last_error)}"
    if row.status == Status.SUPPRESSED:
        return f"{_badge('secondary', 'Not sent')} {said(row.suppressed_reason)}"
    leaves = clock(local(row.next_attempt_at))
    if row.attempts:
        again = _badge("warning", "Trying again")
        return f"{again} at {leaves} ({said(row.last_error)})"
    return (
        f'{_badge("info", "Waiting to send")} <span class="text-nowrap">(leaves by {leaves})</span>'
    )


@register.simple_tag
def delivery(row: OutgoingEmail) -> SafeString:
    """An outbox row's delivery status in words (a mail.OutgoingEmail)."""
    return mark_safe(_delivery(row))  # noqa: S308 — every text from the database is escaped


def _recipient_row(recipient: SentEmail, group_email: GroupEmail) -> str:
    """One row; the recipient comes from selectors.recipients_of."""
    contact, organization, outgoing = recipient.contact, recipient.organization, recipient.outgoing
    name = escape(contact.name)
    address = escape(recipient.address) if recipient.address else "no address"
    where = (
        f'<a href="{organization.get_absolute_url()}">{escape(organization.name)}</a>'
        if organization
        else "—"
    )
    if outgoing is None:
        left_out = '<span class="badge text-bg-light border">Left out</span>'
        status = f"{left_out} {escape(recipient.left_out)}"
    else:
        status = _delivery(outgoing, error_length=120)
        if unsubscribed_since(recipient, group_email):
            status += ' <span class="badge text-bg-warning">Unsubscribed since</span>'
        if recipient.touchpoint_id is not None:
            url = pk_url("outreach:touchpoint_detail", recipient.touchpoint_id)
            status += (
                f' <a href="{url}" class="ms-1">Touchpoint'
                f'<span class="visually-hidden"> with {name}</span></a>'
            )
    return (
        "<tr>"
        f'<td data-label="Person"><a href="{contact.get_absolute_url()}">{name}</a>'
        f'<div class="text-body-secondary">{address}</div></td>'
        f'<td data-label="Organization">{where}</td>'
        f'<td data-label="Status">{status}</td>'
        "</tr>\n"
    )


@register.simple_tag
def recipient_rows(recipients: Iterable[SentEmail], group_email: GroupEmail) -> SafeString:
    """The <tr>s of a group email's recipients (compose/group_email_detail.html)."""
    html = "".join(_recipient_row(recipient, group_email) for recipient in recipients)
    return mark_safe(html)  # noqa: S308 — every text from the database is escaped above
