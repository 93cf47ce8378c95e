"""What merging two organizations moves of joint programs (partners.merge)."""

from partners.merge import Link, links_register
from programs.models import ProgramPartner, SupportLetter

links_register(
    organization=[
        Link(ProgramPartner, "organization", "programs", unique_with="program"),
        Link(SupportLetter, "organization", "letters of support", unique_with="grant"),
    ],
)
