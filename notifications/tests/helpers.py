"""Helpers shared by the staff-email tests: people, their follow-ups, the scan and the outbox.

Each test looks at the outbox rows (mail.models.OutgoingEmail) a scan or a service queued.
"""

import datetime as dt
import zoneinfo

import time_machine
from django.contrib.auth.models import User
from django.urls import reverse

from core import roles
from core.profiles import profile_for
from core.tests.factories import UserFactory
from mail.models import OutgoingEmail
from notifications.services import StaffEmailReport, staff_emails_queue_due
from outreach.models import FollowUp
from partners.tests.factories import OrganizationFactory

Kind = OutgoingEmail.Kind
SITE = "https://liaison.example-library.org"
NEW_YORK = "America/New_York"
# Monday 9 March 2026, the day after the United States moved its clocks forward.
MONDAY = dt.date(2026, 3, 9)
PROFILE = SITE + reverse("profile")
DST_ZONES = ["America/New_York", "America/Los_Angeles", "Europe/Berlin", "Australia/Sydney"]


def local(day: dt.date, hour: int, minute: int = 0, zone: str = NEW_YORK) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone))


def staff_member(
    username: str, *, zone: str = NEW_YORK, role: str = roles.LIBRARIAN, **prefs: object
) -> User:
    first, last = username.split("_") if "_" in username else (username, "")
    user = UserFactory(
        username=username, first_name=first.title(), last_name=last.title(), role=role
    )
    profile = profile_for(user)
    profile.time_zone = zone
    for name, value in prefs.items():
        setattr(profile, name, value)
    profile.save()
    return user


def prefer(user: User, **prefs: object) -> None:
    """Change a person's email preferences, as their profile page does."""
    profile = profile_for(user)
    for name, value in prefs.items():
        setattr(profile, name, value)
    profile.save()


def followup(
    assignee: User, *, due_on: dt.date, title: str = "Send the book-drive flyer", **fields: object
) -> FollowUp:
    fields.setdefault("organization", OrganizationFactory(name="Riverside County Health"))
    return FollowUp.objects.create(assignee=assignee, due_on=due_on, title=title, **fields)


def scan(now: dt.datetime) -> StaffEmailReport:
    with time_machine.travel(now, tick=False):
        return staff_emails_queue_due()


def queued(kind: str, user: User | None = None) -> list[OutgoingEmail]:
    qs = OutgoingEmail.objects.filter(kind=kind).order_by("created_at", "pk")
    if user is not None:
        qs = qs.filter(user=user)
    return list(qs)
