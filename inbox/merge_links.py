"""What merging two organizations moves of captured email (partners.merge): which email each
touchpoint came from. An email filed on both keeps the survivor's link; the other's touchpoint
moves with the rest of the log."""

from inbox.models import FiledEmail
from partners.merge import Link, links_register

links_register(
    organization=[Link(FiledEmail, "organization", "captured emails", unique_with="email")],
    contact=[],
)
