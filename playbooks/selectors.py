"""What the playbook pages and the organization's Playbooks section read, each in a fixed
number of queries whatever the number of playbooks, runs and steps."""

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce

from partners.models import Organization
from playbooks.models import Playbook, PlaybookRun, PlaybookStep, RunStep

# The runs shown on an organization's page: the running ones, then the latest ended.
RUNS_SHOWN = 5


def _count(rows: QuerySet) -> Coalesce:
    counted = rows.order_by().values("playbook").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def playbooks_listed() -> QuerySet[Playbook]:
    """Every playbook, retired last, with its number of steps and of runs going on: 1 query."""
    running = PlaybookRun.objects.filter(playbook=OuterRef("pk"), status="running")
    return Playbook.objects.annotate(
        n_steps=_count(PlaybookStep.objects.filter(playbook=OuterRef("pk"))),
        n_running=_count(running),
    ).order_by("is_retired", "name")


def playbook_with_steps(pk: int) -> Playbook:
    """A playbook and its steps with their named people: 2 queries."""
    steps = PlaybookStep.objects.select_related("person").order_by("position")
    return Playbook.objects.prefetch_related(Prefetch("steps", steps)).get(pk=pk)


def runs_of_organization(organization: Organization) -> list[PlaybookRun]:
    """The organization's playbooks, running first, each with its steps and their follow-ups:
    2 queries."""
    steps = RunStep.objects.select_related("followup__assignee").order_by("position")
    return list(
        PlaybookRun.objects.filter(organization=organization)
        .select_related("playbook", "stopped_by")
        .prefetch_related(Prefetch("steps", steps))
        .order_by(Case(When(status="running", then=0), default=1), "-started_on", "-pk")[
            :RUNS_SHOWN
        ]
    )


def playbooks_offered(organization: Organization) -> list[Playbook]:
    """The playbooks one may apply: those for the organization's kind first, then the rest."""
    offered = Playbook.objects.filter(is_retired=False).only("name", "kind")
    return sorted(offered, key=lambda p: (p.kind != organization.kind, p.kind != "", p.name))
