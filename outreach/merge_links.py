"""What merging two organizations or two contacts moves of the outreach log (partners.merge)."""

from django.db.models import Q

from outreach.models import FollowUp, Meeting, Touchpoint
from outreach.services import organization_last_touchpoint_refresh
from partners.merge import Link, links_register


def _last_touchpoint_refresh(survivor_pk: int) -> None:
    """The survivor's last touchpoint, now that it has the other's touchpoints too."""
    organization_last_touchpoint_refresh(organization_ids=[survivor_pk])


links_register(
    organization=[
        Link(Touchpoint, "organization", "touchpoints", after_move=_last_touchpoint_refresh),
        Link(
            Touchpoint.other_organizations.through,
            "organization",
            "coalition touchpoints",
            unique_with="touchpoint",
            # As for multi-partner meetings below.
            redundant=lambda survivor, other: Q(
                organization__in=(survivor, other), touchpoint__organization__in=(survivor, other)
            ),
            after_move=_last_touchpoint_refresh,
        ),
        Link(Meeting, "organization", "meetings"),
        Link(
            Meeting.other_organizations.through,
            "organization",
            "multi-partner meetings",
            unique_with="meeting",
            # A meeting with one of the two that also lists the other would list the survivor
            # twice: as its organization and among the others (whichever of the two moved first).
            redundant=lambda survivor, other: Q(
                organization__in=(survivor, other), meeting__organization__in=(survivor, other)
            ),
        ),
        Link(FollowUp, "organization", "follow-ups"),
    ],
    contact=[
        Link(Touchpoint.contacts.through, "contact", "touchpoints", unique_with="touchpoint"),
        Link(Meeting.contacts.through, "contact", "meetings", unique_with="meeting"),
    ],
)
