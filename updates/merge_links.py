"""What merging moves of partner progress updates (partners.merge)."""

from partners.merge import Link, links_register
from updates.models import ProgressSubscription

links_register(
    organization=[
        Link(ProgressSubscription, "organization", "progress-update subscriptions"),
    ],
    contact=[
        Link(
            ProgressSubscription.recipients.through,
            "contact",
            "progress-update subscriptions",
            unique_with="progresssubscription",
        ),
    ],
)
