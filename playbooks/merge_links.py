"""What merging two organizations moves of playbooks (partners.merge): the runs, all of them
with their steps (a playbook running on both runs twice on the survivor until one is stopped:
nothing of either's history is dropped)."""

from partners.merge import Link, links_register
from playbooks.models import PlaybookRun

links_register(organization=[Link(PlaybookRun, "organization", "playbooks")])
