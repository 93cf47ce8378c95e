"""Writes for joint grant applications: the grant, its deliverables and letters of support.

Each deliverable is a follow-up for its owner. The follow-up is created with the deliverable,
moved (never duplicated) when the date, owner or title changes, and cancelled when the
deliverable is removed. A follow-up already done or cancelled is left as it is.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from outreach.models import FollowUp
from outreach.services import followup_cancel, followup_create
from outreach.signals import followup_assigned
from partners.models import Organization
from programs.models import Grant, GrantDeliverable, Program, SupportLetter
from programs.selectors.grants import lead_partner, partner_organizations

NO_PARTNER = (
    "Add a partner organization to the program first: each deliverable becomes a follow-up "
    "with the program's lead partner."
)
AWARDED_NEEDS_AMOUNT = "Enter the amount awarded: the status says the grant was awarded."
NOT_A_GRANT_PROGRAM = "Only a program of the kind “Joint grant application” has a grant."
FOLLOWUP_TITLE_MAX = FollowUp._meta.get_field("title").max_length


@dataclass(frozen=True)
class DeliverableChange:
    """A deliverable to add (pk None), to change, or to remove (delete=True)."""

    title: str = ""
    due_on: dt.date | None = None
    owner: User | None = None
    pk: int | None = None
    delete: bool = False


@dataclass(frozen=True)
class LetterChange:
    """A letter of support to add (pk None), to change, or to remove (delete=True)."""

    organization: Organization | None = None
    received_on: dt.date | None = None
    pk: int | None = None
    delete: bool = False


def deliverable_followup_title(title: str, funder: str) -> str:
    text = f"Grant deliverable: {title} ({funder})"
    if FOLLOWUP_TITLE_MAX is not None and len(text) > FOLLOWUP_TITLE_MAX:
        text = text[: FOLLOWUP_TITLE_MAX - 1].rstrip() + "…"
    return text


@transaction.atomic
def grant_save(
    *,
    program: Program,
    by: User,
    funder: str,
    status: str = Grant.Status.RESEARCHING,
    amount_requested: Decimal | None = None,
    amount_awarded: Decimal | None = None,
    submission_deadline: dt.date | None = None,
    decision_expected: dt.date | None = None,
    deliverables: Iterable[DeliverableChange] = (),
    letters: Iterable[LetterChange] = (),
) -> Grant:
    """Create the program's grant or update it, with its deliverables and letters: all or none.

    Errors name the part they concern: a grant field, "deliverables" or "letters".
    """
    # One editor at a time per program: two first saves would otherwise both create a grant.
    program = Program.objects.select_for_update().get(pk=program.pk)
    if program.kind != Program.Kind.GRANT:
        raise ValidationError(NOT_A_GRANT_PROGRAM)
    if status == Grant.Status.AWARDED and amount_awarded is None:
        raise ValidationError({"amount_awarded": AWARDED_NEEDS_AMOUNT})
    grant = Grant.objects.filter(program=program).first() or Grant()
    grant.program = program
    grant.funder = funder.strip()
    grant.status = status
    grant.amount_requested = amount_requested
    grant.amount_awarded = amount_awarded
    grant.submission_deadline = submission_deadline
    grant.decision_expected = decision_expected
    grant.full_clean()
    grant.save()
    _apply_letters(grant, program, list(letters))
    _apply_deliverables(grant, program, list(deliverables), by=by)
    return grant


def _apply_deliverables(
    grant: Grant, program: Program, changes: list[DeliverableChange], *, by: User
) -> None:
    existing = {d.pk: d for d in grant.deliverables.select_related("followup")}
    organization: Organization | None = None

    def followup_organization() -> Organization:
        nonlocal organization
        if organization is None:
            organization = lead_partner(program)
            if organization is None:
                raise ValidationError({"deliverables": NO_PARTNER})
        return organization

    for change in changes:
        if change.pk is not None and change.pk not in existing:
            raise ValidationError(
                {"deliverables": "A deliverable was removed meanwhile: reload the page."}
            )
        if change.delete:
            if change.pk is not None:
                deliverable_delete(deliverable=existing.pop(change.pk))
            continue
        found = existing.get(change.pk) if change.pk is not None else None
        deliverable = found or GrantDeliverable(grant=grant)
        deliverable.title = change.title.strip()
        # A missing date or owner (None) is left for full_clean() below to refuse.
        deliverable.due_on = change.due_on  # type: ignore[assignment]
        deliverable.owner = change.owner  # type: ignore[assignment]
        try:
            deliverable.full_clean()
        except ValidationError as error:
            raise ValidationError({"deliverables": error.messages}) from error
        deliverable.save()
        existing[deliverable.pk] = deliverable
    # Every deliverable, changed or not: a new funder name retitles the open follow-ups too.
    for deliverable in existing.values():
        _sync_followup(deliverable, grant=grant, by=by, organization=followup_organization)


def _sync_followup(
    deliverable: GrantDeliverable,
    *,
    grant: Grant,
    by: User,
    organization: Callable[[], Organization],
) -> None:
    """Give the deliverable its follow-up, or move the open one to its date, owner and title."""
    title = deliverable_followup_title(deliverable.title, grant.funder)
    followup = deliverable.followup
    if followup is None:
        deliverable.followup = followup_create(
            organization=organization(),
            assignee=deliverable.owner,
            created_by=by,
            due_on=deliverable.due_on,
            title=title,
            details=f"A deliverable of the {grant.funder} grant application for "
            f"“{grant.program.title}”.",
        )
        deliverable.save(update_fields=["followup"])
        return
    if followup.status != FollowUp.Status.OPEN:
        return  # Done is done; a cancelled reminder was cancelled on purpose.
    wanted = {"title": title, "due_on": deliverable.due_on, "assignee_id": deliverable.owner_id}
    changed = [name for name, value in wanted.items() if getattr(followup, name) != value]
    if changed:
        for name in changed:
            setattr(followup, name, wanted[name])
        followup.save(update_fields=[*changed, "updated_at"])
        if "assignee_id" in changed:
            followup_assigned.send(sender=FollowUp, followup=followup, by=by)


def deliverable_delete(*, deliverable: GrantDeliverable) -> None:
    """Remove a deliverable; its open follow-up is cancelled, a done one stays in the history."""
    if deliverable.followup is not None:
        followup_cancel(followup=deliverable.followup)
    deliverable.delete()


def _checked_letter(
    change: LetterChange, allowed: set[int], today: dt.date
) -> tuple[Organization, dt.date]:
    """A letter's sender and day: both given, a partner of the program, not in the future."""
    organization, received_on = change.organization, change.received_on
    if organization is None or received_on is None:
        raise ValidationError({"letters": "Each letter needs an organization and a date."})
    if organization.pk not in allowed:
        raise ValidationError(
            {"letters": f"{organization.name} is not a partner organization of this program."}
        )
    if received_on > today:
        message = f"The letter from {organization.name} cannot be received in the future."
        raise ValidationError({"letters": message})
    return organization, received_on


def _one_letter_per_organization(letters: list[tuple[Organization, dt.date]]) -> None:
    seen: set[int] = set()
    for organization, _ in letters:
        if organization.pk in seen:
            raise ValidationError(
                {"letters": f"{organization.name} is listed twice: one letter per organization."}
            )
        seen.add(organization.pk)


def _apply_letters(grant: Grant, program: Program, changes: list[LetterChange]) -> None:
    if not changes:
        return
    existing = {letter.pk: letter for letter in grant.letters.select_related("organization")}
    # A letter already on file stays acceptable if its sender later left the program.
    allowed = {o.pk for o in partner_organizations(program)}
    allowed |= {letter.organization_id for letter in existing.values()}
    today = timezone.localdate()
    final: dict[int, tuple[Organization, dt.date]] = {
        pk: (letter.organization, letter.received_on) for pk, letter in existing.items()
    }
    new: list[tuple[Organization, dt.date]] = []
    for change in changes:
        if change.pk is not None and change.pk not in existing:
            raise ValidationError({"letters": "A letter was removed meanwhile: reload the page."})
        if change.delete:
            if change.pk is not None:
                final.pop(change.pk, None)
            continue
        checked = _checked_letter(change, allowed, today)
        if change.pk is None:
            new.append(checked)
        else:
            final[change.pk] = checked
    _one_letter_per_organization([*final.values(), *new])
    # Letters that change sender are deleted and made again, so swapping two senders never
    # trips the one-letter-per-organization constraint halfway.
    moved = [
        pk
        for pk, (organization, _) in final.items()
        if organization.pk != existing[pk].organization_id
    ]
    kept = set(final) - set(moved)
    SupportLetter.objects.filter(grant=grant).exclude(pk__in=kept).delete()
    for pk in kept:
        letter = existing[pk]
        received_on = final[pk][1]
        if letter.received_on != received_on:
            letter.received_on = received_on
            letter.save(update_fields=["received_on"])
    SupportLetter.objects.bulk_create(
        SupportLetter(grant=grant, organization=organization, received_on=received_on)
        for organization, received_on in [*(final[pk] for pk in moved), *new]
    )
