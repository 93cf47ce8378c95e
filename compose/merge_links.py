"""What merging two contacts or organizations moves of email written in Liaison
(partners.merge): whom each email went to, and on which organization it was logged."""

from compose.models import SentEmail
from partners.merge import Link, links_register

links_register(
    organization=[Link(SentEmail, "organization", "emails written in Liaison")],
    # Both records on one group email's list (one person under two addresses): both rows move,
    # each the record of what went to one address.
    contact=[Link(SentEmail, "contact", "emails written in Liaison")],
)
