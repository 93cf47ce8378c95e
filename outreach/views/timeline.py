from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from outreach.selectors.timeline import timeline_page
from partners.models import Organization


@require_GET
def organization_timeline(request: HttpRequest, org_pk: int) -> HttpResponse:
    """A further page of an organization's timeline (htmx "Show older")."""
    organization = get_object_or_404(Organization, pk=org_pk)
    return render(
        request,
        "outreach/partials/timeline.html",
        {
            "organization": organization,
            "timeline": timeline_page(organization, request.GET.get("page")),
        },
    )
