"""The demo's playbooks: the four Liaison ships, and "New health partner" under way with a
clinic of the demo librarian's (its first step done, the phone call next)."""

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from outreach.services import followup_complete
from partners.models import Organization
from playbooks.models import Playbook, PlaybookRun, PlaybookStep
from playbooks.services import playbook_apply
from playbooks.shipped import playbooks_ship

HEALTH = "New health partner"


def demo_playbooks_load(*, staff: list[User]) -> PlaybookRun | None:
    # Made by migration; a test's flushed database has lost them.
    playbooks_ship(Playbook, PlaybookStep)
    librarian = staff[0]
    clinic = (
        Organization.objects.filter(
            kind=Organization.Kind.HEALTH, is_archived=False, owner=librarian
        )
        .order_by("pk")
        .first()
    ) or Organization.objects.filter(kind=Organization.Kind.HEALTH).order_by("pk").first()
    if clinic is None:
        return None
    run = playbook_apply(
        playbook=Playbook.objects.get(name=HEALTH),
        organization=clinic,
        by=librarian,
        start_on=timezone.localdate() - dt.timedelta(days=4),
    )
    first = run.steps.get(position=1).followup
    if first is not None:
        followup_complete(followup=first, by=librarian)
    return run
