"""Who has gone quiet and who has been busy: the dashboard's panels, the manager summary."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, F, Q

from outreach.models import Touchpoint
from partners.models import TALKING_STAGES, Organization


def quiet_since(today: dt.date) -> dt.date:
    """The day before which a partner's last touchpoint makes it quiet (LIAISON_QUIET_DAYS)."""
    return today - dt.timedelta(days=settings.LIAISON_QUIET_DAYS)


def quiet_partners(today: dt.date) -> Any:
    """Partners the library is talking to with no touchpoint in LIAISON_QUIET_DAYS (or none
    ever), longest quiet first."""
    return quiet_partners_since(quiet_since(today))


def quiet_partners_since(since: dt.date) -> Any:
    """Partners the library is talking to with no touchpoint since `since` (or none ever),
    longest quiet first."""
    return (
        Organization.objects.active()
        .filter(stage__in=TALKING_STAGES)
        .with_last_touchpoint()
        .filter(Q(last_touchpoint_on__isnull=True) | Q(last_touchpoint_on__lt=since))
        .order_by(F("last_touchpoint_on").asc(nulls_first=True), "name", "pk")
    )


def quiet_partners_of(user: User, today: dt.date) -> Any:
    """The user's own quiet partners (see quiet_partners)."""
    return quiet_partners(today).filter(owner=user)


def touchpoints_by_person(first_day: dt.date, last_day: dt.date) -> Any:
    """How many touchpoints each staff member logged from first_day to last_day, most first."""
    return (
        Touchpoint.objects.filter(occurred_on__gte=first_day, occurred_on__lte=last_day)
        .values("staff", "staff__first_name", "staff__last_name", "staff__username")
        .annotate(touchpoints=Count("pk"))
        .order_by("-touchpoints", "staff__first_name", "staff__username")
    )
