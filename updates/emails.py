"""What a partner progress update says, in one place for the email and the owner's preview.

The numbers come from the impact summary (programs.selectors.impact), computed in the library's
time zone: a partner's "March" is the library's March, whoever reviews the draft and wherever.
Only the stories in the summary are used, and the summary keeps only those told with consent.
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.utils import timezone

from core.people import display_name
from core.periods import MONTH_NAMES
from mail.models import OutgoingEmail
from mail.outbox import Email
from mail.rendering import RenderedEmail, render_email
from partners.models import Contact
from programs.selectors.impact import ImpactSummary, impact_summary
from updates.models import ProgressSubscription, ProgressUpdate
from updates.unsubscribe import unsubscribe_url

EMAIL_NAME = "progress-update"


def library_name() -> str:
    """The library's name as partners know it (LIAISON_LIBRARY_NAME), or "the library"."""
    return settings.LIAISON_LIBRARY_NAME or "the library"


def library_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def period_label(start: dt.date, end: dt.date) -> str:
    """“March 2026”, “January – March 2026”, or “November 2025 – January 2026”."""
    first, last = MONTH_NAMES[start.month - 1], MONTH_NAMES[end.month - 1]
    if (start.year, start.month) == (end.year, end.month):
        return f"{first} {end.year}"
    if start.year == end.year:
        return f"{first} – {last} {end.year}"
    return f"{first} {start.year} – {last} {end.year}"


def default_subject(subscription: ProgressSubscription, start: dt.date, end: dt.date) -> str:
    label = period_label(start, end)
    if subscription.program is not None:
        return f"{subscription.program.title}: what we achieved in {label}"[:200]
    return f"Our work together in {label}: an update from {library_name()}"[:200]


def default_message(subscription: ProgressSubscription, start: dt.date, end: dt.date) -> str:
    """The owner's words, prefilled: a thank-you and a signature, to make their own."""
    label = period_label(start, end)
    owner = subscription.owner
    signature = display_name(owner)
    if subscription.program is not None:
        opening = (
            f"Thank you for being part of {subscription.program.title}. Here is what the "
            f"program achieved in {label}: the sessions we held, the people we reached, what "
            "we measured and what participants told us."
        )
    else:
        assert subscription.organization is not None  # about one or the other
        opening = (
            f"Thank you for working with us. Here is what {subscription.organization.name} and "
            f"{library_name()} achieved together in {label}: the sessions we held, the people "
            "we reached, what we measured and what participants told us."
        )
    return f"{opening}\n\nWith thanks,\n{signature}"


def period_summary(update: ProgressUpdate) -> ImpactSummary:
    """The impact summary of the update's period, in the library's time zone."""
    subscription = update.subscription
    with timezone.override(library_zone()):
        return impact_summary(
            program=subscription.program if subscription.program_id else None,
            organization=subscription.organization if subscription.organization_id else None,
            start=update.period_start,
            end=update.period_end,
        )


def progress_email_render(
    *,
    update: ProgressUpdate,
    contact: Contact,
    summary: ImpactSummary,
    subject: str | None = None,
    message: str | None = None,
    with_html: bool = True,
) -> tuple[RenderedEmail, str]:
    """The email one recipient gets, and its unsubscribe link.

    `subject` and `message` override the saved ones, for previewing text not yet saved;
    without `with_html`, the HTML body is left out (mail.rendering.render_email).
    """
    subscription = update.subscription
    link = unsubscribe_url(contact) if contact.pk else ""
    context = {
        "update": update,
        "subject": update.subject if subject is None else subject,
        "message": update.message if message is None else message,
        "subscription": subscription,
        "about": subscription.about,
        "program": subscription.program if subscription.program_id else None,
        "organization": subscription.organization if subscription.organization_id else None,
        "summary": summary,
        "period": period_label(update.period_start, update.period_end),
        "contact": contact,
        "library_name": library_name(),
        "unsubscribe_url": link,
    }
    rendered = render_email(EMAIL_NAME, context, time_zone=library_zone(), with_html=with_html)
    return rendered, link


def progress_email(*, update: ProgressUpdate, contact: Contact, summary: ImpactSummary) -> Email:
    """The outbox email for one recipient, with the one-click unsubscribe headers (RFC 8058)."""
    rendered, link = progress_email_render(update=update, contact=contact, summary=summary)
    subscription = update.subscription
    headers = {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    if subscription.owner.email:
        # A partner's reply reaches the person who wrote the update, not a no-reply box.
        headers["Reply-To"] = subscription.owner.email
    return Email(
        kind=OutgoingEmail.Kind.PROGRESS_UPDATE,
        key=progress_email_key(update, contact),
        to_address=contact.email,
        to_name=contact.name,
        contact=contact,
        subject=rendered.subject,
        body_text=rendered.body_text,
        body_html=rendered.body_html,
        headers=headers,
        related_label=f"Progress update: {subscription.about}, "
        f"{period_label(update.period_start, update.period_end)}",
        related_url=update.get_absolute_url(),
    )


def progress_email_key(update: ProgressUpdate, contact: Contact) -> str:
    """One email per subscription, period and contact, however often sending is tried."""
    return f"{progress_email_key_prefix(update)}{contact.pk}"


def progress_email_key_prefix(update: ProgressUpdate) -> str:
    return f"progress:{update.subscription_id}:{update.period_start.isoformat()}:"
