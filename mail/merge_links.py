"""What merging two contacts moves of the outbox (partners.merge)."""

from mail.models import OutgoingEmail
from partners.merge import Link, links_register

links_register(contact=[Link(OutgoingEmail, "contact", "emails")])
