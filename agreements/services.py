"""Writing agreements: save one with its partners (and its renewal follow-up), expire those past
their end.

The renewal follow-up is the owner's, on the first partner, due `renewal_notice_days` before the
end (today if that is already past). Saving again moves the open one to the new date, owner and
title; once done or cancelled, a new end date (a renewed term) gives a new one; an agreement no
longer in force, or open-ended, has its open one cancelled. Never two open for one agreement.
"""

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement
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


@transaction.atomic
def agreement_save(
    *, agreement: Agreement, organizations: Sequence[Organization], by: User
) -> Agreement:
    """Create or change an agreement with its partners (in the order given: the first one's
    page carries the renewal follow-up)."""
    _checked(agreement, organizations)
    if agreement.owner_id is None:
        agreement.owner = by
    agreement.save()
    agreement.organizations.set(organizations)
    renewal_sync(agreement=agreement, first=organizations[0], by=by)
    return agreement


def renewal_due(agreement: Agreement, today: dt.date) -> dt.date | None:
    """When the owner should hear about renewing it, or None when there is nothing to renew."""
    if not agreement.in_force or agreement.ends_on is None or agreement.owner_id is None:
        return None
    return max(agreement.ends_on - dt.timedelta(days=agreement.renewal_notice_days), today)


def _title(agreement: Agreement) -> str:
    ends = short_date(agreement.ends_on) if agreement.ends_on else ""
    title = f"Renew or close: {agreement.title} (ends {ends})"
    if len(title) > FOLLOWUP_TITLE_MAX:
        title = f"{title[: FOLLOWUP_TITLE_MAX - 1]}…"
    return title


def renewal_sync(*, agreement: Agreement, first: Organization, by: User | None) -> None:
    """Give the agreement its renewal follow-up, move it, or cancel it (module docstring)."""
    due = renewal_due(agreement, timezone.localdate())
    followup = agreement.renewal_followup
    if due is None:
        if followup is not None:
            followup_cancel(followup=followup)
        return
    assert agreement.owner is not None and agreement.ends_on is not None  # renewal_due says so
    if followup is not None and followup.status == FollowUp.Status.OPEN:
        wanted = {"title": _title(agreement), "due_on": due, "assignee_id": agreement.owner_id}
        changed = [name for name, value in wanted.items() if getattr(followup, name) != value]
        for name in changed:
            setattr(followup, name, wanted[name])
        if changed:
            followup.save(update_fields=[*changed, "updated_at"])
            if "assignee_id" in changed:
                followup_assigned.send(sender=FollowUp, followup=followup, by=by)
        return
    if followup is not None and followup.due_on == due:
        return  # Done is done (or cancelled on purpose) for this term.
    agreement.renewal_followup = followup_create(
        organization=first,
        assignee=agreement.owner,
        created_by=by,
        due_on=due,
        title=_title(agreement),
        details=f"The {agreement.get_kind_display().lower()} “{agreement.title}” ends "
        f"{short_date(agreement.ends_on)}: renew it, or let the partner know it will end.",
    )
    agreement.save(update_fields=["renewal_followup", "updated_at"])


@transaction.atomic
def agreements_expire(*, today: dt.date | None = None) -> int:
    """Agreements in force whose end has passed become expired (their open renewal follow-up
    stays: it says to renew or close). How many."""
    today = today or timezone.localdate()
    return Agreement.objects.filter(status__in=Agreement.IN_FORCE, ends_on__lt=today).update(
        status=Agreement.Status.EXPIRED, updated_at=timezone.now()
    )
