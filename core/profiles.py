"""Staff profiles: created on first use, so every staff user has one."""

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from core.models import StaffProfile, new_calendar_token


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


def user_time_zone(user: User) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(profile_for(user).time_zone)


def profile_update(*, user: User, time_zone: str) -> StaffProfile:
    profile = profile_for(user)
    profile.time_zone = time_zone
    profile.full_clean()
    profile.save(update_fields=["time_zone"])
    return profile


@transaction.atomic
def calendar_token_rotate(*, user: User) -> StaffProfile:
    """A new secret for the calendar feed: the old feed URL stops working at once."""
    profile = profile_for(user)
    profile.calendar_token = new_calendar_token()
    profile.save(update_fields=["calendar_token"])
    return profile
