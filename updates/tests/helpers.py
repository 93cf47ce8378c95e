"""Helpers shared by the progress-update tests: subscribing, drafting February, the emails."""

import datetime as dt
import zoneinfo
from types import SimpleNamespace
from typing import Any

import time_machine
from django.contrib.auth.models import User
from django.db.models import QuerySet

from mail.models import OutgoingEmail
from updates import services as services
from updates.models import ProgressSubscription, ProgressUpdate

Cadence, Mode, Status = (
    ProgressSubscription.Cadence,
    ProgressSubscription.Mode,
    ProgressUpdate.Status,
)
NEW_YORK = "America/New_York"
FEBRUARY = (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
CONSENTED = "The job club helped me write my first résumé in twenty years."
SECRET = "Please do not repeat what I said about my landlord."


def local(
    zone: str, year: int, month: int, day: int, hour: int = 0, minute: int = 0
) -> dt.datetime:
    """An aware moment on the library's wall clock."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=zoneinfo.ZoneInfo(zone))


def subscribe(
    partner: SimpleNamespace, owner: User, *, when: dt.datetime | None = None, **fields: Any
) -> ProgressSubscription:
    """A subscription about the clinic made at `when` (February 10, 2026, in New York)."""
    fields = {
        "cadence": Cadence.MONTHLY,
        "mode": Mode.REVIEW,
        "recipients": [partner.ana, partner.ben],
        **fields,
    }
    if "program" not in fields:
        fields.setdefault("organization", partner.organization)
    with time_machine.travel(when or local(NEW_YORK, 2026, 2, 10, 9), tick=False):
        return services.progress_subscription_create(by=owner, owner=owner, **fields)


def draft_february(subscription: ProgressSubscription) -> ProgressUpdate:
    (update,) = services.progress_updates_draft_due(now=local(NEW_YORK, 2026, 3, 1, 0, 5))
    assert update.subscription == subscription
    return update


def progress_emails() -> QuerySet[OutgoingEmail]:
    return OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.PROGRESS_UPDATE).order_by("pk")
