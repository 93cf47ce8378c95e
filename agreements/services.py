"""Writing agreements: save one with its partners (and its renewal follow-up), expire those past
their end.

The renewal follow-up is the owner's, on a partner's page, due `renewal_notice_days` before the
end (today if that is already past). It belongs to a term, the end less the notice
(`renewal_term`): a change of end date or notice moves the open one (or makes a new one once
it was done or cancelled: a renewed term); anything else leaves its date alone (an edit of the
obligations never moves an overdue reminder to today). A change of owner hands it over; a
partner no longer on the agreement gives it to the first one. Draft, in review or terminated:
the open one is cancelled (and back in force, a new one is made). Expired: left as it is, to
say renew or close. Never two open for one agreement.
"""

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from agreements.models import Agreement
from core.dates import EARLIEST, FIRST_YEAR, LAST_YEAR, LATEST
from core.rows import short_date
from outreach.models import FollowUp
from outreach.services import followup_cancel, followup_create
from outreach.signals import followup_assigned
from partners.models import Organization

FOLLOWUP_TITLE_MAX = FollowUp._meta.get_field("title").max_length or 200


def _checked(agreement: Agreement, organizations: Sequence[Organization]) -> None:
    if not organizations:
        raise ValidationError({"partners": "Name at least one partner organization."})
    if agreement.starts_on and agreement.ends_on and agreement.ends_on < agreement.starts_on:
        raise ValidationError({"ends_on": "The end comes before the start."})
    if agreement.status in Agreement.IN_FORCE and agreement.signed_on is None:
        raise ValidationError({"signed_on": "A signed or active agreement has a signing date."})
    for name in ("signed_on", "starts_on", "ends_on"):
        day = getattr(agreement, name)
        if day is not None and not EARLIEST <= day <= LATEST:
            raise ValidationError({name: f"Pick a day from {FIRST_YEAR} to {LAST_YEAR}."})


@transaction.atomic
def agreement_save(
    *, agreement: Agreement, organizations: Sequence[Organization], by: User
) -> Agreement:
    """Create or change an agreement with its partners (the renewal follow-up goes on the first
    one's page)."""
    _checked(agreement, organizations)
    if agreement.owner_id is None:
        agreement.owner = by
    if agreement.status == Agreement.Status.TERMINATED and agreement.ended_on is None:
        agreement.ended_on = timezone.localdate()
    elif agreement.status in Agreement.IN_FORCE:
        agreement.ended_on = None
    agreement.save()
    agreement.organizations.set(organizations)
    renewal_sync(agreement=agreement, partners=list(organizations), by=by)
    return agreement


def renewal_term(agreement: Agreement) -> dt.date | None:
    """The day the owner should hear about renewing it (before bringing it forward to today), or
    None when there is nothing to renew."""
    if not agreement.in_force or agreement.ends_on is None or agreement.owner_id is None:
        return None
    return max(agreement.ends_on - dt.timedelta(days=agreement.renewal_notice_days), EARLIEST)


def _title(agreement: Agreement) -> str:
    ends = short_date(agreement.ends_on) if agreement.ends_on else ""
    title = f"Renew or close: {agreement.title} (ends {ends})"
    if len(title) > FOLLOWUP_TITLE_MAX:
        title = f"{title[: FOLLOWUP_TITLE_MAX - 1]}…"
    return title


def renewal_sync(*, agreement: Agreement, partners: list[Organization], by: User | None) -> None:
    """Give the agreement its renewal follow-up, move it, hand it over or cancel it (module
    docstring)."""
    followup = agreement.renewal_followup
    is_open = followup is not None and followup.status == FollowUp.Status.OPEN
    if agreement.status == Agreement.Status.EXPIRED:
        return
    term = renewal_term(agreement)
    if term is None:
        if followup is not None and is_open:
            followup_cancel(followup=followup)
        if agreement.renewal_term is not None:
            agreement.renewal_term = None
            agreement.save(update_fields=["renewal_term", "updated_at"])
        return
    assert agreement.owner is not None and agreement.ends_on is not None  # renewal_term says so
    due = max(term, timezone.localdate())
    if followup is not None and agreement.renewal_term == term:
        if is_open:  # the same term: its date stays; its owner, title and partner follow
            _follow(followup, agreement, partners, by, due_on=followup.due_on)
        return  # done, or cancelled on purpose, for this term
    if followup is not None and is_open:
        _follow(followup, agreement, partners, by, due_on=due)
    else:
        agreement.renewal_followup = followup_create(
            organization=partners[0],
            assignee=agreement.owner,
            created_by=by,
            due_on=due,
            title=_title(agreement),
            details=f"The {agreement.get_kind_display().lower()} “{agreement.title}” ends "
            f"{short_date(agreement.ends_on)}: renew it, or let the partner know it will end.",
        )
    agreement.renewal_term = term
    agreement.save(update_fields=["renewal_followup", "renewal_term", "updated_at"])


def _follow(
    followup: FollowUp,
    agreement: Agreement,
    partners: list[Organization],
    by: User | None,
    *,
    due_on: dt.date,
) -> None:
    """Move the open follow-up to this date, owner, title and (if its partner left) partner."""
    wanted = {"title": _title(agreement), "due_on": due_on, "assignee_id": agreement.owner_id}
    if followup.organization_id not in {partner.pk for partner in partners}:
        wanted["organization_id"] = partners[0].pk
    changed = [name for name, value in wanted.items() if getattr(followup, name) != value]
    for name in changed:
        setattr(followup, name, wanted[name])
    if changed:
        followup.save(update_fields=[*changed, "updated_at"])
        if "assignee_id" in changed:
            followup_assigned.send(sender=FollowUp, followup=followup, by=by)


@transaction.atomic
def agreements_expire(*, today: dt.date | None = None) -> int:
    """Agreements in force whose end has passed become expired (their open renewal follow-up
    stays: it says to renew or close). How many."""
    today = today or timezone.localdate()
    return Agreement.objects.filter(status__in=Agreement.IN_FORCE, ends_on__lt=today).update(
        status=Agreement.Status.EXPIRED, ended_on=F("ends_on"), updated_at=timezone.now()
    )
