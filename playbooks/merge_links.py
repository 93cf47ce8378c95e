"""What merging two organizations moves of playbooks (partners.merge): the runs; a playbook
running on both is kept once (the survivor's), the other's follow-ups moving with the log."""

from django.db.models import Q

from partners.merge import Link, links_register
from playbooks.models import PlaybookRun

links_register(
    organization=[
        Link(
            PlaybookRun,
            "organization",
            "playbooks",
            unique_with="playbook",
            unique_when=Q(status="running"),
        ),
    ],
)
