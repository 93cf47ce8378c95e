"""Progress updates' panels: drafts to review on the dashboard, subscriptions on partner pages."""

from typing import Any

from django.db.models import Count, Window
from django.http import HttpRequest

from core.http import AuthenticatedHttpRequest
from core.panels import panel
from core.prepared import Prepared
from partners.models import Organization
from programs.models import Program
from updates.models import ProgressUpdate
from updates.selectors import subscriptions_of

LIST_LIMIT = 10


# Compiled once per process (core.prepared): every dashboard reads it.
_DRAFTS = Prepared(
    lambda user_id: (
        ProgressUpdate.objects.filter(
            status=ProgressUpdate.Status.DRAFT,
            subscription__owner_id=user_id,
            subscription__is_active=True,
        )
        .select_related("subscription__organization", "subscription__program")
        .only(
            "period_start",
            "period_end",
            "subscription__organization__name",
            "subscription__program__title",
        )
        .annotate(drafts_total=Window(Count("*")))
        .order_by("period_end", "pk")[:LIST_LIMIT]
    )
)


@panel(page="dashboard", slot="main", order=20, template="updates/panels/dashboard_drafts.html")
def drafts_to_review(request: AuthenticatedHttpRequest, obj: None) -> dict[str, Any] | None:
    """Updates drafted for this person to review (review mode); hidden when there are none.

    The first LIST_LIMIT, with how many there are (a window count over the same rows, so one
    query) and a link to all of them.
    """
    drafts = _DRAFTS.objects(user_id=request.user.pk)
    if not drafts:
        return None
    return {"drafts_to_review": drafts, "drafts_total": drafts[0].drafts_total}


@panel(
    page="organization",
    slot="side",
    order=40,
    template="updates/panels/organization_subscriptions.html",
)
def organization_subscriptions(request: HttpRequest, organization: Organization) -> dict[str, Any]:
    return {"progress_subscriptions": subscriptions_of(organization=organization)}


@panel(page="program", slot="side", order=10, template="updates/panels/program_subscriptions.html")
def program_subscriptions(request: HttpRequest, program: Program) -> dict[str, Any]:
    return {"progress_subscriptions": subscriptions_of(program=program)}
