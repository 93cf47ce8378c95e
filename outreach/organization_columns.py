"""The outreach log's columns on the organization lists and the board (partners.models)."""

from django.db.models import OuterRef, Subquery

from outreach.models import FollowUp, Touchpoint
from partners.models import organization_column


@organization_column("last_touchpoint_on")
def last_touchpoint_on() -> Subquery:
    """The day of the organization's latest touchpoint (None if never)."""
    latest = Touchpoint.objects.filter(organization=OuterRef("pk")).order_by("-occurred_on")
    return Subquery(latest.values("occurred_on")[:1])


@organization_column("next_followup_on")
def next_followup_on() -> Subquery:
    """The due day of the organization's earliest open follow-up (None if none)."""
    soonest = FollowUp.objects.filter(
        organization=OuterRef("pk"), status=FollowUp.Status.OPEN
    ).order_by("due_on")
    return Subquery(soonest.values("due_on")[:1])
