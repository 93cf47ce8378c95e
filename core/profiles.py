"""Staff profiles: created on first use, so every staff user has one."""

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import StaffProfile, calendar_token_hash, new_calendar_token
from core.roles import is_manager


def profile_for(user: User) -> StaffProfile:
    """The user's profile, made with the library's time zone the first time it is needed."""
    cached = getattr(user, "_liaison_profile", None)
    if cached is not None:
        return cached
    profile, _ = StaffProfile.objects.get_or_create(
        user=user, defaults={"time_zone": settings.TIME_ZONE}
    )
    user._liaison_profile = profile  # type: ignore[attr-defined]
    return profile


def user_localtime(user: User | None, moment: dt.datetime) -> dt.datetime:
    """`moment` in the user's time zone (the library's for nobody): the day and time a
    touchpoint logged for them on their behalf carries."""
    zone = user_time_zone(user) if user is not None else timezone.get_default_timezone()
    return timezone.localtime(moment, zone)


def user_time_zone(user: User) -> zoneinfo.ZoneInfo:
    """The user's time zone: read with the user on every request (core.backends), else from
    their profile."""
    name = getattr(user, "_liaison_time_zone", None) or profile_for(user).time_zone
    return zoneinfo.ZoneInfo(name)


def profile_update(*, user: User, time_zone: str) -> StaffProfile:
    profile = profile_for(user)
    profile.time_zone = time_zone
    profile.full_clean()
    profile.save(update_fields=["time_zone"])
    user._liaison_time_zone = time_zone  # type: ignore[attr-defined]  # as read by core.backends
    return profile


EMAIL_PREFERENCES = ("digest", "meeting_reminders", "followup_assigned_emails")


def email_preferences_update(
    *,
    user: User,
    digest: str,
    meeting_reminders: bool,
    followup_assigned_emails: bool,
    manager_summary: bool | None = None,
) -> StaffProfile:
    """Which emails Liaison sends the user. The manager summary is a manager's (or admin's)
    choice only: for anyone else ``manager_summary`` is ignored."""
    profile = profile_for(user)
    profile.digest = digest
    profile.meeting_reminders = meeting_reminders
    profile.followup_assigned_emails = followup_assigned_emails
    fields = list(EMAIL_PREFERENCES)
    if manager_summary is not None and is_manager(user):
        profile.manager_summary = manager_summary
        fields.append("manager_summary")
    # Only what changes is checked: a time zone set elsewhere never blocks these choices.
    others = [f.name for f in StaffProfile._meta.concrete_fields if f.name not in fields]
    profile.full_clean(exclude=others)
    profile.save(update_fields=fields)
    return profile


@transaction.atomic
def calendar_token_rotate(*, user: User) -> str:
    """A new secret for the calendar feed, returned: the only time it exists in clear (only
    its hash is kept). The old feed URL, if there was one, stops working at once."""
    profile = profile_for(user)
    token = new_calendar_token()
    profile.calendar_token_hash = calendar_token_hash(token)
    profile.save(update_fields=["calendar_token_hash"])
    return token


# Which of some addresses belong to someone a higher app keeps (partners: its contacts), filled
# in that app's AppConfig.ready(): core never imports it.
ADDRESS_OWNERS: list[Callable[[list[str]], Iterable[str]]] = []


def capture_address() -> str:
    """The capture mailbox's own address (never a person's), lower-cased; "" if not set."""
    return settings.LIAISON_CAPTURE_ADDRESS.strip().lower()


def staff_by_address() -> dict[str, User]:
    """Active staff by every address they write from: their account's and their profile's."""
    found: dict[str, User] = {}
    for user in User.objects.filter(is_active=True).exclude(email=""):
        found.setdefault(user.email.strip().lower(), user)
    profiles = (
        StaffProfile.objects.filter(user__is_active=True)
        .exclude(other_email_addresses="")
        .select_related("user")
    )
    for profile in profiles:
        for address in profile.other_addresses:
            found.setdefault(address, profile.user)
    return found


def _addresses_taken(addresses: list[str], *, user: User) -> list[str]:
    """Those of `addresses` (lower-cased) that are another person's: a colleague's, the capture
    mailbox's, or one a higher app says is taken (ADDRESS_OWNERS: a partner's)."""
    staff = staff_by_address()
    others = {a for a in addresses if a in staff and staff[a].pk != user.pk}
    others |= {capture_address()} & set(addresses)
    for owned in ADDRESS_OWNERS:
        others |= set(owned(addresses))
    return [a for a in addresses if a in others]


def profile_addresses_update(
    *, user: User, addresses: list[str], signature: str | None = None
) -> StaffProfile:
    """The other addresses the user writes from (lower-cased, each once, in their order), and
    with `signature`, the signature that ends the emails they write in Liaison."""
    profile = profile_for(user)
    cleaned = list(dict.fromkeys(a.strip().lower() for a in addresses if a.strip()))
    taken = _addresses_taken(cleaned, user=user)
    if taken:
        raise ValidationError(
            {"addresses": f"Already someone else's in Liaison: {', '.join(taken)}."}
        )
    profile.other_email_addresses = "\n".join(cleaned)
    fields = ["other_email_addresses"]
    if signature is not None:
        profile.email_signature = signature.strip()
        fields.append("email_signature")
    profile.full_clean()
    profile.save(update_fields=fields)
    return profile
