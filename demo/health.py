"""The demo's partnership health: a cadence agreed with one partner, the last weeks recorded
(the trend a manager reads), and every partnership's level as of today."""

import datetime as dt

from django.utils import timezone

from health.services import health_refresh, health_week_record, week_of
from partners.models import Affiliation, Cadence, Organization, Stage

# Weeks of recorded health the demo starts with: half a year of trend at the demo's size; at
# a benchmark's size a month (every week is a row per partnership).
WEEKS = 26
WEEKS_AT_SCALE = 4


def demo_health_load(*, scale: int = 1) -> int:
    """Agree a monthly cadence with the first active health partner, record the past weeks'
    health (each computed as of its Monday) and this week's, then keep today's levels."""
    partner = (
        Organization.objects.filter(stage=Stage.ACTIVE, kind=Organization.Kind.HEALTH)
        .order_by("name")
        .first()
    )
    if partner is not None:
        primary = (
            Affiliation.objects.filter(organization=partner, is_primary=True)
            .select_related("contact")
            .first()
        )
        who = primary.contact.name.split()[0] if primary else "their director"
        Organization.objects.filter(pk=partner.pk).update(
            cadence_days=Cadence.MONTH, cadence_note=f"as agreed with {who} in March"
        )
    today = timezone.localdate()
    written = 0
    for weeks_back in range(WEEKS if scale == 1 else WEEKS_AT_SCALE, -1, -1):
        written += health_week_record(today=week_of(today) - dt.timedelta(weeks=weeks_back))
    health_refresh(today=today)
    return written
