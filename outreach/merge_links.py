"""What merging two organizations or two contacts moves of the outreach log (partners.merge)."""

from django.db.models import Q

from outreach.models import FollowUp, Meeting, Touchpoint
from partners.merge import Link, links_register

links_register(
    organization=[
        Link(Touchpoint, "organization", "touchpoints"),
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
