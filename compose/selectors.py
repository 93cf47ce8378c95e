"""Reads for writing email: whom an email may go to, group emails, what became of each email."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from compose.audiences import personal_email_refusal
from compose.models import GroupEmail, SentEmail
from core.prepared import Prepared, PreparedList, PreparedLists
from mail.models import OutgoingEmail
from partners.models import Affiliation, Contact, Organization


@dataclass
class Addressees:
    """Whom an email written from a contact's or an organization's page may go to."""

    people: list[Contact] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    # (contact, why not) for the people it cannot go to.
    cannot: list[tuple[Contact, str]] = field(default_factory=list)
    # Who is ticked when the form opens: the contact, or the organization's primary contacts.
    ticked: list[int] = field(default_factory=list)


def addressees_of_contact(contact: Contact) -> Addressees:
    """The contact, and the organizations they are at now (where the email is logged)."""
    found = Addressees()
    reason = personal_email_refusal(contact)
    if reason:
        found.cannot.append((contact, reason))
    else:
        found.people.append(contact)
        found.ticked.append(contact.pk)
    found.organizations = list(
        Organization.objects.filter(
            is_archived=False,
            pk__in=Affiliation.objects.current().filter(contact=contact).values("organization"),
        ).order_by("name")
    )
    return found


def addressees_of_organization(organization: Organization) -> Addressees:
    """The organization's people now, primary first; those who cannot be written to apart."""
    found = Addressees(organizations=[organization])
    current = (
        Affiliation.objects.current()
        .filter(organization=organization)
        .select_related("contact")
        .order_by("-is_primary", "contact__name", "pk")
    )
    for affiliation in current:
        contact = affiliation.contact
        reason = personal_email_refusal(contact)
        if reason:
            found.cannot.append((contact, reason))
        elif contact not in found.people:
            found.people.append(contact)
            if affiliation.is_primary:
                found.ticked.append(contact.pk)
    return found


def group_emails() -> QuerySet[GroupEmail]:
    """Group emails, newest first, each with how many it went to and how many were left out."""
    return (
        GroupEmail.objects.select_related("written_by")
        .annotate(
            sent_count=Count("recipients", filter=Q(recipients__left_out="")),
            left_out_count=Count("recipients", filter=~Q(recipients__left_out="")),
        )
        .order_by("-created_at", "-id")
    )


def group_email_page(pk: int) -> GroupEmail | None:
    """A group email with who wrote and who decided it, for its page."""
    found = _GROUP_EMAIL.objects(pk=pk)
    return found[0] if found else None


def recipients_of(group_email: GroupEmail) -> PreparedList:
    """Each person on a group email's list, with their message's outbox row and organization,
    by name: read a page at a time through queries compiled once per process (core.prepared)."""
    return _RECIPIENTS.of(group_email_id=group_email.pk)


def _recipients(group_email_id: int) -> QuerySet[SentEmail]:
    return (
        SentEmail.objects.filter(group_email_id=group_email_id)
        .select_related("contact", "organization", "outgoing")
        # The columns the page shows: not the organizations' profiles nor the emails' bodies.
        .only(
            "address",
            "left_out",
            "touchpoint_id",
            "contact__name",
            "contact__opted_out_of_updates",
            "contact__opted_out_at",
            "organization__name",
            "outgoing__status",
            "outgoing__last_error",
            "outgoing__suppressed_reason",
            "outgoing__next_attempt_at",
            "outgoing__attempts",
            "outgoing__sent_at",
        )
        .order_by("contact__name", "pk")
    )


@dataclass
class Tally:
    sent: int = 0
    waiting: int = 0
    failed: int = 0
    not_sent: int = 0
    left_out: int = 0
    unsubscribed: int = 0
    total: int = 0


def tally_of(group_email: GroupEmail) -> Tally:
    """How many of a group email's people its messages reached, in one query."""
    since = group_email.sent_at or group_email.created_at
    rows = _TALLY.objects(group_email_id=group_email.pk, since=since)
    return Tally(**{k: v for k, v in rows[0].items() if k != "group_email"}) if rows else Tally()


def _tally(group_email_id: int, since: dt.datetime) -> QuerySet[SentEmail, dict[str, Any]]:
    Status = OutgoingEmail.Status
    status = "outgoing__status"
    unsubscribed = Q(
        outgoing__isnull=False,
        contact__opted_out_of_updates=True,
        contact__opted_out_at__gte=since,
    )
    return (
        SentEmail.objects.filter(group_email_id=group_email_id)
        .values("group_email")
        .annotate(
            sent=Count("pk", filter=Q(**{status: Status.SENT})),
            waiting=Count("pk", filter=Q(**{f"{status}__in": [Status.QUEUED, Status.SENDING]})),
            failed=Count("pk", filter=Q(**{status: Status.FAILED})),
            not_sent=Count("pk", filter=Q(**{status: Status.SUPPRESSED})),
            left_out=Count("pk", filter=Q(outgoing__isnull=True)),
            unsubscribed=Count("pk", filter=unsubscribed),
            total=Count("pk"),
        )
        .order_by()
    )


# Compiled once per process (core.prepared): a group email's page reads them at every visit.
_GROUP_EMAIL = Prepared(
    lambda pk: GroupEmail.objects.select_related("written_by", "decided_by").filter(pk=pk)
)
_RECIPIENTS = PreparedLists(_recipients)
_TALLY = Prepared(_tally)


def unsubscribed_since(recipient: SentEmail, group_email: GroupEmail) -> bool:
    """Whether the person opted out after this group email was sent to them."""
    contact = recipient.contact
    return bool(
        recipient.outgoing is not None
        and contact.opted_out_of_updates
        and contact.opted_out_at
        and group_email.sent_at
        and contact.opted_out_at >= group_email.sent_at
    )


def sent_email_of_touchpoint(touchpoint_id: int) -> SentEmail | None:
    """The email written in Liaison that a touchpoint logged, with its outbox row."""
    return (
        SentEmail.objects.filter(touchpoint_id=touchpoint_id)
        .select_related("outgoing", "group_email", "contact")
        .first()
    )
