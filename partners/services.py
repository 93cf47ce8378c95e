"""Every change to partners goes through these functions: views, admin and commands alike."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.history import history_context, records_who, update_with_history
from partners.models import (
    Affiliation,
    Contact,
    FocusArea,
    OptOutChange,
    Organization,
    Stage,
    StageChange,
)
from partners.signals import stage_changed

ORGANIZATION_FIELDS = frozenset(
    {
        "cadence_days",
        "cadence_note",
        "name",
        "kind",
        "government_level",
        "mission",
        "initiatives",
        "services",
        "populations_served",
        "common_ground",
        "website",
        "email",
        "phone",
        "address",
        "owner",
    }
)
CONTACT_FIELDS = frozenset(
    {"name", "email", "phone", "preferred_channel", "notes", "do_not_contact"}
)


def _check_fields(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")


@records_who
@transaction.atomic
def organization_create(
    *,
    by: User | None,
    stage: str = Stage.IDENTIFIED,
    focus_areas: Iterable[FocusArea] = (),
    note: str = "",
    **fields: Any,
) -> Organization:
    """Create an organization and the first entry of its stage history."""
    _check_fields(fields, ORGANIZATION_FIELDS)
    if fields.get("kind") != Organization.Kind.GOVERNMENT:
        fields["government_level"] = ""
    organization = Organization(stage=stage, stage_changed_at=timezone.now(), **fields)
    organization.full_clean()
    organization.save()
    organization.focus_areas.set(focus_areas)
    change = stage_history_begin(organization=organization, by=by, note=note)
    # Entering its first stage is entering a stage (a playbook set to start there applies);
    # imports load organizations apart, and start none.
    stage_changed.send(sender=Organization, organization=organization, change=change, by=by)
    return organization


def stage_history_begin(
    *, organization: Organization, by: User | None, note: str = ""
) -> StageChange:
    """The first entry of a new organization's stage history: the stage it starts at."""
    return StageChange.objects.create(
        organization=organization,
        from_stage="",
        to_stage=organization.stage,
        changed_by=by,
        changed_at=organization.stage_changed_at,
        note=note,
    )


def _may_reassign(user: User | None) -> bool:
    """Managers and admins reassign owners; None is Liaison itself (imports, the admin site)."""
    from core.roles import is_manager

    return user is None or is_manager(user)


@records_who
@transaction.atomic
def organization_update(
    *,
    organization: Organization,
    by: User | None,
    focus_areas: Iterable[FocusArea] | None = None,
    **fields: Any,
) -> Organization:
    """Change an organization's profile. The stage changes only through stage_change()."""
    _check_fields(fields, ORGANIZATION_FIELDS)
    if "owner" in fields and fields["owner"] != organization.owner and not _may_reassign(by):
        raise ValidationError(
            {"owner": "Only a manager can give this partnership to someone else."}
        )
    for name, value in fields.items():
        setattr(organization, name, value)
    if organization.kind != Organization.Kind.GOVERNMENT:
        organization.government_level = ""
    organization.full_clean()
    organization.save()
    if focus_areas is not None:
        organization.focus_areas.set(focus_areas)
    return organization


def stage_change(
    *, organization: Organization, to_stage: str, by: User | None, note: str = ""
) -> StageChange | None:
    """Move an organization to another stage and record it, once.

    Returns None when the organization is already at that stage (nothing to record). The row is
    locked so that two people moving the same card at once record two honest changes, never a
    change "from" a stage the organization had already left.
    """
    if to_stage not in Stage.values:
        raise ValidationError({"to_stage": f"Unknown stage: {to_stage!r}."})
    # The note, when there is one, is also the change history's reason.
    with transaction.atomic(), history_context(by=by, reason=note.strip()):
        current = Organization.objects.select_for_update().get(pk=organization.pk)
        if current.stage == to_stage:
            organization.stage = current.stage
            return None
        now = timezone.now()
        change = StageChange.objects.create(
            organization=current,
            from_stage=current.stage,
            to_stage=to_stage,
            changed_by=by,
            changed_at=now,
            note=note.strip(),
        )
        # Saved (not a QuerySet.update()) so that the change history records the move.
        current.stage, current.stage_changed_at = to_stage, now
        current.save(update_fields=["stage", "stage_changed_at", "updated_at"])
        # In the transaction: what a receiver writes (a playbook applied) stands or falls with it.
        stage_changed.send(sender=Organization, organization=current, change=change, by=by)
    organization.stage = to_stage
    organization.stage_changed_at = now
    return change


def organization_archive(*, organization: Organization) -> None:
    """Hide an organization from lists; nothing is deleted."""
    if not organization.is_archived:
        organization.is_archived = True
        organization.archived_at = timezone.now()
        organization.save(update_fields=["is_archived", "archived_at", "updated_at"])


def organization_restore(*, organization: Organization) -> None:
    if organization.is_archived:
        organization.is_archived = False
        organization.archived_at = None
        organization.save(update_fields=["is_archived", "archived_at", "updated_at"])


def normalize_email(email: str) -> str:
    return email.strip().lower()


def contact_apply_opt_out(*, contact: Contact, opted_out: bool) -> None:
    """Set the opt-out flag on an unsaved contact, dating the opt-out when it changes."""
    if opted_out != contact.opted_out_of_updates:
        contact.opted_out_of_updates = opted_out
        contact.opted_out_at = timezone.now() if opted_out else None


def contact_unsubscribe(*, contact: Contact) -> bool:
    """Record that the contact wants no more progress updates; False if they already said so.

    The row is locked so that two clicks at once (a mail provider's one-click POST and the
    person's own) date the opt-out once, at the first.
    """
    with transaction.atomic():
        current = Contact.objects.select_for_update().get(pk=contact.pk)
        if current.opted_out_of_updates:
            changed = False
        else:
            contact_apply_opt_out(contact=current, opted_out=True)
            current.save(update_fields=["opted_out_of_updates", "opted_out_at", "updated_at"])
            _log_opt_out(current, by=None, source=OptOutChange.Source.UNSUBSCRIBE_LINK)
            changed = True
    contact.opted_out_of_updates, contact.opted_out_at = (
        current.opted_out_of_updates,
        current.opted_out_at,
    )
    return changed


RESUBSCRIBE_ONLY = (
    "An opt-out is undone only with “Subscribe again to progress updates” on the contact's "
    "page, which records why."
)


@records_who
def contact_resubscribe(*, contact: Contact, by: User | None, reason: str) -> OptOutChange | None:
    """Start progress updates again for a contact who opted out: who, when and why are recorded.

    The only way back after an opt-out. None when the contact is not opted out (nothing to do).
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": "Say why the contact is subscribed again (what they asked, and when)."}
        )
    with transaction.atomic():
        current = Contact.objects.select_for_update().get(pk=contact.pk)
        change = None
        if current.opted_out_of_updates:
            contact_apply_opt_out(contact=current, opted_out=False)
            current.save(update_fields=["opted_out_of_updates", "opted_out_at", "updated_at"])
            change = OptOutChange.objects.create(
                contact=current,
                opted_out=False,
                source=OptOutChange.Source.RESUBSCRIBE,
                reason=reason,
                changed_by=by,
            )
    contact.opted_out_of_updates, contact.opted_out_at = (
        current.opted_out_of_updates,
        current.opted_out_at,
    )
    return change


def _log_opt_out(contact: Contact, *, by: User | None, source: str) -> None:
    OptOutChange.objects.create(
        contact=contact,
        opted_out=True,
        source=source,
        changed_by=by,
        changed_at=contact.opted_out_at or timezone.now(),
    )


def _contact_apply(contact: Contact, fields: dict[str, Any], opted_out: bool | None) -> None:
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.email = normalize_email(contact.email)
    if opted_out is not None:
        contact_apply_opt_out(contact=contact, opted_out=opted_out)


EMAIL_TAKEN = "A contact with this email already exists."


def _contact_save(contact: Contact) -> None:
    contact.full_clean(validate_constraints=False)
    if (
        contact.email
        and Contact.objects.filter(email=contact.email).exclude(pk=contact.pk).exists()
    ):
        raise ValidationError({"email": EMAIL_TAKEN})
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError as error:  # another request took the email between check and save
        raise ValidationError({"email": EMAIL_TAKEN}) from error


@records_who
@transaction.atomic
def contact_create(
    *,
    organization: Organization | None = None,
    title: str = "",
    is_primary: bool = False,
    start_date: date | None = None,
    opted_out_of_updates: bool = False,
    by: User | None = None,
    **fields: Any,
) -> Contact:
    """Create a contact, and their affiliation when an organization is given."""
    _check_fields(fields, CONTACT_FIELDS)
    contact = Contact()
    _contact_apply(contact, fields, opted_out_of_updates)
    _contact_save(contact)
    if contact.opted_out_of_updates:
        _log_opt_out(contact, by=by, source=OptOutChange.Source.CONTACT_FORM)
    if organization is not None:
        affiliation_create(
            contact=contact,
            organization=organization,
            title=title,
            is_primary=is_primary,
            start_date=start_date,
        )
    return contact


@records_who
@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    by: User | None = None,
    opted_out_of_updates: bool | None = None,
    **fields: Any,
) -> Contact:
    """Change the given fields, and only those, on the contact as it is now.

    The row is read afresh and locked, so that a flag set meanwhile elsewhere (the unsubscribe
    link, a colleague, an import) stays unless the caller gives it. Opting out here is recorded
    in the consent log; undoing an opt-out is contact_resubscribe()'s, with a reason.
    """
    _check_fields(fields, CONTACT_FIELDS)
    current = Contact.objects.select_for_update().get(pk=contact.pk)
    was_opted_out = current.opted_out_of_updates
    if opted_out_of_updates is False and was_opted_out:
        raise ValidationError({"opted_out_of_updates": RESUBSCRIBE_ONLY})
    _contact_apply(current, fields, opted_out_of_updates)
    _contact_save(current)
    if current.opted_out_of_updates and not was_opted_out:
        _log_opt_out(current, by=by, source=OptOutChange.Source.CONTACT_FORM)
    for field in Contact._meta.concrete_fields:  # the caller's instance, as saved
        setattr(contact, field.attname, getattr(current, field.attname))
    return contact


@transaction.atomic
def affiliation_create(
    *,
    contact: Contact,
    organization: Organization,
    title: str = "",
    is_primary: bool = False,
    start_date: date | None = None,
) -> Affiliation:
    """Link a contact to an organization. A new primary contact replaces the old one."""
    if Affiliation.objects.filter(
        contact=contact, organization=organization, end_date__isnull=True
    ).exists():
        raise ValidationError(f"{contact} is already listed at {organization}.")
    if is_primary:
        _clear_primary(organization)
    affiliation = Affiliation(
        contact=contact,
        organization=organization,
        title=title.strip(),
        is_primary=is_primary,
        start_date=start_date,
    )
    affiliation.full_clean(validate_constraints=False)
    affiliation.save()
    return affiliation


@transaction.atomic
def affiliation_update(
    *, affiliation: Affiliation, title: str, is_primary: bool, start_date: date | None
) -> Affiliation:
    if is_primary and not affiliation.is_primary:
        _clear_primary(affiliation.organization)
    affiliation.title = title.strip()
    affiliation.is_primary = is_primary
    affiliation.start_date = start_date
    affiliation.full_clean(validate_constraints=False)
    affiliation.save()
    return affiliation


def affiliation_end(*, affiliation: Affiliation, end_date: date | None = None) -> Affiliation:
    """The contact has left (or is leaving) the organization; their history stays."""
    today = timezone.localdate()
    end_date = end_date or today
    if end_date > today:
        raise ValidationError({"end_date": "Record the end once the person has left."})
    if affiliation.start_date and end_date < affiliation.start_date:
        raise ValidationError(
            {
                "end_date": "The end date cannot be before the start date "
                f"({affiliation.start_date:%b %-d, %Y})."
            }
        )
    affiliation.end_date = end_date
    affiliation.save(update_fields=["end_date"])
    return affiliation


def _clear_primary(organization: Organization) -> None:
    update_with_history(
        Affiliation.objects.filter(
            organization=organization, is_primary=True, end_date__isnull=True
        ),
        is_primary=False,
    )
