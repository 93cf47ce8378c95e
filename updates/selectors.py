"""Reads for partner progress updates: who may receive them, the list page, the review page."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.prepared import Prepared, PreparedList, PreparedLists
from core.sorting import SortColumn, Sorting
from mail.models import OutgoingEmail
from mail.outbox import suppression_reason
from partners.models import Affiliation, Contact, Organization
from partners.selectors import people_by_organization
from programs.models import Program, ProgramPartner
from updates.emails import library_zone, progress_email_key_prefix
from updates.models import ProgressSubscription, ProgressUpdate


def _organization_ids(*, organization: Organization | None, program: Program | None):
    """The organizations whose people may receive the updates: the one, or the program's."""
    if organization is not None:
        return [organization.pk]
    assert program is not None
    return ProgramPartner.objects.filter(program=program).values("organization_id")


def recipient_candidates(
    *, organization: Organization | None = None, program: Program | None = None
) -> QuerySet[Contact]:
    """Everyone currently affiliated with the organization, or with one of the program's
    partners, each with `subject_affiliations` (their roles there) prefetched."""
    current = Affiliation.objects.current().filter(
        organization_id__in=_organization_ids(organization=organization, program=program)
    )
    return (
        Contact.objects.filter(pk__in=current.values("contact_id"))
        .prefetch_related(
            Prefetch(
                "affiliations",
                queryset=current.select_related("organization").order_by(
                    "organization__name", "pk"
                ),
                to_attr="subject_affiliations",
            )
        )
        .order_by("name", "pk")
    )


def unavailable_reason(contact: Contact, *, what: str = "progress updates") -> str:
    """Why this contact cannot be chosen as a recipient of `what` (email to many at once:
    progress updates, group email), or "" if they can."""
    if contact.do_not_contact:
        return "marked “do not contact”"
    if contact.opted_out_of_updates:
        when = contact.opted_out_at
        day = f" on {timezone.localtime(when, library_zone()):%b %-d, %Y}" if when else ""
        return f"unsubscribed from {what}{day}"
    if not contact.email:
        return "no email address"
    return ""


def _still_there(subscription: ProgressSubscription) -> QuerySet[Affiliation]:
    """Current roles at the organization the updates are about (or at a program partner)."""
    return Affiliation.objects.current().filter(
        organization_id__in=_organization_ids(
            organization=subscription.organization, program=subscription.program
        )
    )


def current_recipients(subscription: ProgressSubscription) -> list[Contact]:
    """The subscription's recipients who are still at the organization (or a program partner)
    and have an email address: who an update is queued for. The outbox suppresses those who
    opted out or must not be contacted, and records why."""
    current = _still_there(subscription)
    return list(
        subscription.recipients.filter(pk__in=current.values("contact_id"))
        .exclude(email="")
        .order_by("name", "pk")
    )


def organizations_of_recipients(
    subscription: ProgressSubscription, contacts: list[Contact]
) -> dict[Organization, list[Contact]]:
    """Where each of these recipients is now, among the organizations the updates are about:
    the organizations whose timelines an update sent to them belongs on, with their people."""
    return people_by_organization(_still_there(subscription).filter(contact__in=contacts))


@dataclass(frozen=True)
class RecipientRow:
    contact: Contact
    # Why no email goes to them, or is suppressed; "" when it will be delivered.
    reason: str
    # An email is queued for them (possibly to be suppressed by the outbox, with the reason).
    queued: bool


def recipient_rows(subscription: ProgressSubscription) -> list[RecipientRow]:
    """Every chosen recipient, and whether the next update reaches them (and if not, why), in
    one query. Those queued are current_recipients(), in its order."""
    if subscription.organization_id is not None:
        chosen = _RECIPIENTS_OF_ORGANIZATION.objects(
            subscription_id=subscription.pk, organization_id=subscription.organization_id
        )
    else:
        chosen = _RECIPIENTS_OF_PROGRAM.objects(
            subscription_id=subscription.pk, program_id=subscription.program_id
        )
    rows = []
    for contact in chosen:
        if contact.is_current and contact.email:
            reason = suppression_reason(kind=OutgoingEmail.Kind.PROGRESS_UPDATE, contact=contact)
            rows.append(RecipientRow(contact, reason, queued=True))
        elif not contact.email:
            rows.append(RecipientRow(contact, "No email address.", queued=False))
        else:
            rows.append(RecipientRow(contact, f"No longer at {subscription.about}.", queued=False))
    return rows


def _recipients(subscription_id: int, organizations: Any) -> QuerySet[Contact]:
    """A subscription's recipients by name, each with `is_current`: still at one of the
    organizations (a list of ids, or a query of them: _organization_ids)."""
    still_there = Affiliation.objects.current().filter(
        organization_id__in=organizations, contact_id=OuterRef("pk")
    )
    return (
        Contact.objects.filter(progress_subscriptions=subscription_id)
        .annotate(is_current=Exists(still_there))
        .order_by("name", "pk")
    )


# Compiled once per process (core.prepared): every review of a draft update reads one.
_RECIPIENTS_OF_ORGANIZATION = Prepared(
    lambda subscription_id, organization_id: _recipients(subscription_id, [organization_id])
)
_RECIPIENTS_OF_PROGRAM = Prepared(
    lambda subscription_id, program_id: _recipients(
        subscription_id,
        ProgramPartner.objects.filter(program_id=program_id).values("organization_id"),
    )
)


def update_emails(update: ProgressUpdate) -> list[OutgoingEmail]:
    """The outbox rows of a sent update, one per recipient, with their delivery status."""
    return list(
        OutgoingEmail.objects.filter(idempotency_key__startswith=progress_email_key_prefix(update))
        .select_related("contact")
        .defer("body_text", "body_html")
        .order_by("to_name", "to_address", "pk")
    )


def sent_email_sample(update: ProgressUpdate) -> OutgoingEmail | None:
    """One recipient's email as it was queued, bodies included, for the page's preview."""
    return (
        OutgoingEmail.objects.filter(idempotency_key__startswith=progress_email_key_prefix(update))
        .select_related("contact")
        .order_by("pk")
        .first()
    )


NEWEST = ("-period_end", "-pk")
# Who the list names under "Reviewed by": who approved a sent update (none: sent
# automatically, last), who skipped a skipped one, the subscription's owner for a draft.
REVIEWER = Case(
    When(status=ProgressUpdate.Status.SENT, then="approved_by__first_name"),
    When(status=ProgressUpdate.Status.SKIPPED, then="skipped_by__first_name"),
    default="subscription__owner__first_name",
)
ABOUT = Coalesce("subscription__organization__name", "subscription__program__title")
# A few updates a partner a month or quarter: each order sorts a few hundred rows. Newest first
# within a status, a partner, a subject or a reviewer.
UPDATE_SORTING = Sorting(
    SortColumn("period", "Period", ("period_end", "pk")),
    SortColumn("about", "About", (ABOUT.asc(), *NEWEST), (ABOUT.desc(), *NEWEST)),
    SortColumn("subject", "Subject", ("subject", *NEWEST), ("-subject", *NEWEST)),
    # "draft" < "sent" < "skipped": drafts awaiting review first.
    SortColumn("status", "Status", ("status", *NEWEST), ("-status", *NEWEST)),
    SortColumn(
        "reviewer",
        "Reviewed by",
        (REVIEWER.asc(nulls_last=True), *NEWEST),
        (REVIEWER.desc(nulls_last=True), *NEWEST),
    ),
    default="status",
)


def _updates(sort: str, *, owner_id: int | None = None) -> QuerySet[ProgressUpdate]:
    qs = ProgressUpdate.objects.select_related(
        "subscription__organization",
        "subscription__program",
        "subscription__owner",
        "approved_by",
        "skipped_by",
    ).defer("message")
    if owner_id is not None:
        qs = qs.filter(subscription__owner_id=owner_id)
    return qs.order_by(*UPDATE_SORTING.order_by(sort))


# The list in each order, and its ids for the count: compiled once per process for each
# choice of whose updates (core.prepared).
_UPDATE_LISTS = PreparedLists(_updates)


def update_list(*, owner: User | None, sort: str | None = None) -> PreparedList:
    """Drafts awaiting review first, then the history newest first, or as `sort` says
    (UPDATE_SORTING); `owner` None for all. A page at a time, through prepared queries."""
    values = {} if owner is None else {"owner_id": owner.pk}
    return _UPDATE_LISTS.of(UPDATE_SORTING.chosen(sort), **values)


# Compiled once per process (core.prepared): a progress update's page.
_UPDATE_PAGE = Prepared(
    lambda pk: ProgressUpdate.objects.select_related(
        "subscription__organization",
        "subscription__program",
        "subscription__owner",
        "approved_by",
        "skipped_by",
    ).filter(pk=pk)
)


def update_detail(pk: int) -> ProgressUpdate:
    return _UPDATE_PAGE.one(pk=pk)


def _subscriptions(
    organization_id: int | None = None, program_id: int | None = None
) -> QuerySet[ProgressSubscription]:
    # A subscription is about an organization or a program: the other is NULL.
    about = Q(organization_id=organization_id) if organization_id else Q(organization=None)
    about &= Q(program_id=program_id) if program_id else Q(program=None)
    return (
        ProgressSubscription.objects.filter(about)
        .select_related("owner")
        .annotate(recipient_count=Count("recipients"))
        .order_by("-is_active", "pk")
    )


# Compiled once per process (core.prepared): an organization's page and a program's.
_SUBSCRIPTIONS = Prepared(_subscriptions)


def subscriptions_of(
    *, organization: Organization | None = None, program: Program | None = None
) -> list[ProgressSubscription]:
    """An organization's or a program's subscriptions for its page, in one query."""
    if organization is not None:
        return _SUBSCRIPTIONS.objects(organization_id=organization.pk)
    assert program is not None
    return _SUBSCRIPTIONS.objects(program_id=program.pk)


def subscription_detail(pk: int) -> ProgressSubscription:
    return ProgressSubscription.objects.select_related("organization", "program", "owner").get(
        pk=pk
    )


def recent_updates(subscription: ProgressSubscription, limit: int = 12) -> list[ProgressUpdate]:
    return list(
        subscription.updates.select_related("approved_by", "skipped_by")
        .defer("message")
        .order_by("-period_start")[:limit]
    )
