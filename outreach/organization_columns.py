"""The outreach log's columns on the organization lists and the board (partners.models).

The last touchpoint is not one of them: it is stored on the organization, kept by
outreach.services.organization_last_touchpoint_refresh.
"""

from django.db.models import OuterRef, Subquery

from outreach.models import FollowUp
from partners.models import organization_column


@organization_column("next_followup_on")
def next_followup_on() -> Subquery:
    """The due day of the organization's earliest open follow-up (None if none)."""
    soonest = FollowUp.objects.filter(
        organization=OuterRef("pk"), status=FollowUp.Status.OPEN
    ).order_by("due_on")
    return Subquery(soonest.values("due_on")[:1])
