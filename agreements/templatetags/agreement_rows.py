"""The agreements list's rows and a record's Agreements section, written in Python
(core/rows.py says why)."""

from collections.abc import Iterable

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from agreements.models import Agreement
from core.http import pk_url
from core.people import display_name
from core.rows import escape, muted, short_date

register = template.Library()

KINDS = dict(Agreement.Kind.choices)
STATUSES = dict(Agreement.Status.choices)
# As agreements/partials/status.html colours them.
BADGES = {
    Agreement.Status.SIGNED: "text-bg-success",
    Agreement.Status.ACTIVE: "text-bg-success",
    Agreement.Status.EXPIRED: "text-bg-secondary",
    Agreement.Status.TERMINATED: "text-bg-secondary",
}


def status_badge(agreement: Agreement) -> str:
    colour = BADGES.get(agreement.status, "text-bg-light border")  # type: ignore[call-overload]
    label = escape(STATUSES.get(agreement.status, agreement.status))
    return f'<span class="badge {colour}">{label}</span>'


def _ends(agreement: Agreement) -> str:
    if agreement.ends_on is None:
        return muted("Open-ended")
    days = (agreement.ends_on - timezone.localdate()).days
    soon = " text-danger fw-semibold" if agreement.in_force and 0 <= days <= 30 else ""
    return f'<span class="text-nowrap{soon}">{short_date(agreement.ends_on)}</span>'


def _agreement_row(agreement: Agreement) -> str:
    partners = ", ".join(
        f'<a href="{pk_url("partners:organization_detail", number)}">{escape(name)}</a>'
        for name, number in agreement.partners_named
    )
    owner = escape(display_name(agreement.owner)) if agreement.owner else muted("Nobody")
    return (
        "<tr>"
        f'<td data-label="Agreement"><a href="{agreement.get_absolute_url()}" class="fw-semibold">'
        f"{escape(agreement.title)}</a>"
        f'<div class="small text-body-secondary">{escape(KINDS.get(agreement.kind, ""))}</div></td>'
        f'<td data-label="Partners">{partners}</td>'
        f'<td data-label="Status">{status_badge(agreement)}</td>'
        f'<td data-label="Ends">{_ends(agreement)}</td>'
        f'<td data-label="Owner">{owner}</td>'
        "</tr>\n"
    )


@register.simple_tag
def agreement_rows(agreements: Iterable[Agreement]) -> SafeString:
    """The <tr>s of the agreements list (agreements/agreement_list.html)."""
    html = "".join(_agreement_row(agreement) for agreement in agreements)
    return mark_safe(html)  # noqa: S308 — every text from the database is escaped above


def _agreement_item(agreement: Agreement) -> str:
    url = pk_url("agreements:agreement_detail", agreement.pk)
    return (
        f'<li class="mb-1"><a href="{url}">{escape(agreement.title)}</a> {status_badge(agreement)}'
        f' <span class="text-body-secondary">· {escape(KINDS.get(agreement.kind, ""))} · ends '
        f"{_ends(agreement)}</span></li>\n"
    )


@register.simple_tag
def agreement_items(agreements: Iterable[Agreement]) -> SafeString:
    """The <li>s of a partner's or a program's Agreements section."""
    html = "".join(_agreement_item(agreement) for agreement in agreements)
    return mark_safe(html)  # noqa: S308 — every text from the database is escaped above
