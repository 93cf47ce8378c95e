"""What merging two organizations moves of agreements (partners.merge): each agreement names
the survivor (once) where it named the other."""

from agreements.models import Agreement
from partners.merge import Link, links_register

links_register(
    organization=[
        Link(
            Agreement.organizations.through,
            "organization",
            "agreements",
            unique_with="agreement",
        ),
    ],
)
