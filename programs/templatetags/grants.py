"""Grant filters shared by the grants list and the program page's grant panel (no queries)."""

from decimal import Decimal

from django import template

from programs.models import Grant
from programs.selectors.grants import DeadlineNote
from programs.selectors.grants import deadline_note as _deadline_note

register = template.Library()

STATUS_BADGES: dict[str, str] = {
    Grant.Status.RESEARCHING: "text-bg-light border",
    Grant.Status.DRAFTING: "text-bg-info",
    Grant.Status.SUBMITTED: "text-bg-primary",
    Grant.Status.AWARDED: "text-bg-success",
    Grant.Status.DECLINED: "text-bg-danger",
    Grant.Status.WITHDRAWN: "text-bg-secondary",
}


@register.filter
def deadline_note(grant: Grant) -> DeadlineNote | None:
    """“due in 12 days”, “deadline passed”… for an unsubmitted grant's deadline, else None."""
    return _deadline_note(grant) if isinstance(grant, Grant) else None


@register.filter
def grant_status_badge(status: str) -> str:
    """Bootstrap classes of a status badge; the badge always says the status in words too."""
    return STATUS_BADGES.get(status, "text-bg-light border")


@register.filter
def money(amount: Decimal | None) -> str:
    """$12,500.00; empty for no amount."""
    if amount is None or amount == "":
        return ""
    return f"${Decimal(amount):,.2f}"
