"""What merging two contacts or organizations moves of email written in Liaison
(partners.merge): whom each email went to, and on which organization it was logged."""

from django.db.models import Q

from compose.models import SentEmail
from partners.merge import Link, links_register

links_register(
    organization=[Link(SentEmail, "organization", "emails written in Liaison")],
    contact=[
        Link(
            SentEmail,
            "contact",
            "emails written in Liaison",
            # Both people were on one group email's list: the survivor's row stays.
            unique_with="group_email",
            unique_when=Q(group_email__isnull=False),
        )
    ],
)
