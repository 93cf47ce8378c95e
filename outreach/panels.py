"""The outreach log's panels on the dashboard, an organization's page and a contact's page."""

from typing import Any

from django.conf import settings
from django.core.paginator import Page
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from core.forms import staff_users
from core.http import AuthenticatedHttpRequest, paginate
from core.panels import panel
from core.roles import is_manager
from outreach.forms.touchpoints import TouchpointForm
from outreach.models import Meeting, Touchpoint
from outreach.selectors.activity import quiet_partners_of, touchpoints_by_person
from outreach.selectors.followups import (
    followups_for,
    group_by_due,
    open_followups_of_organization,
    overdue_by_person,
    week_end,
)
from outreach.selectors.timeline import timeline_page
from outreach.selectors.touchpoints_of_contact import meetings_with, touchpoints_with
from partners.models import Contact, Organization

LIST_LIMIT = 10

# --- The dashboard ---------------------------------------------------------------------------


@panel(page="dashboard", slot="main", order=10, template="outreach/panels/dashboard_followups.html")
def my_followups(request: AuthenticatedHttpRequest, obj: None) -> dict[str, Any]:
    today = timezone.localdate()
    mine = followups_for(request.user)
    due = list(mine.filter(due_on__lte=week_end(today))[:50])
    return {
        "followups": group_by_due(due, today),
        "followups_shown": len(due),
        "followup_total": mine.count(),
        # Managers reassign from each row; `next` brings a plain form post back here.
        "staff": list(staff_users()) if is_manager(request.user) else [],
        "next": request.path,
    }


@panel(page="dashboard", slot="main", order=30, template="outreach/panels/dashboard_quiet.html")
def my_quiet_partners(request: AuthenticatedHttpRequest, obj: None) -> dict[str, Any]:
    quiet = quiet_partners_of(request.user, timezone.localdate())
    return {
        "quiet_partners": list(quiet[:LIST_LIMIT]),
        "quiet_count": quiet.count(),
        "quiet_days": settings.LIAISON_QUIET_DAYS,
    }


@panel(page="dashboard", slot="main", order=40, template="outreach/panels/dashboard_recent.html")
def my_recent_touchpoints(request: AuthenticatedHttpRequest, obj: None) -> dict[str, Any]:
    recent = (
        Touchpoint.objects.filter(staff=request.user)
        .select_related("organization")
        .order_by("-occurred_on", "-created_at")[:5]
    )
    return {"recent_touchpoints": list(recent)}


@panel(page="dashboard", slot="side", order=10, template="outreach/panels/dashboard_meetings.html")
def my_meetings(request: HttpRequest, obj: None) -> dict[str, Any]:
    upcoming = (
        Meeting.objects.filter(
            Q(staff=request.user) | Q(created_by=request.user),
            starts_at__gte=timezone.now(),
            status=Meeting.Status.SCHEDULED,
        )
        .distinct()
        .select_related("organization")
        .order_by("starts_at")[:5]
    )
    return {"meetings": list(upcoming)}


@panel(
    page="dashboard", slot="side", order=20, template="outreach/panels/dashboard_team_overdue.html"
)
def team_overdue(request: HttpRequest, obj: None) -> dict[str, Any] | None:
    if not is_manager(request.user):
        return None
    return {"team_overdue": overdue_by_person(timezone.localdate())}


@panel(
    page="dashboard",
    slot="side",
    order=40,
    template="outreach/panels/dashboard_team_touchpoints.html",
)
def team_touchpoints(request: HttpRequest, obj: None) -> dict[str, Any] | None:
    if not is_manager(request.user):
        return None
    today = timezone.localdate()
    month_start = today.replace(day=1)
    return {
        "team_touchpoints": list(touchpoints_by_person(month_start, today)),
        "month_start": month_start,
    }


# --- An organization's page ------------------------------------------------------------------


@panel(
    page="organization",
    slot="actions",
    order=10,
    template="outreach/panels/organization_actions.html",
)
def organization_actions(request: HttpRequest, organization: Organization) -> dict[str, Any]:
    return {}


@panel(page="organization", slot="main", order=10, template="outreach/panels/organization_log.html")
def organization_log(request: HttpRequest, organization: Organization) -> dict[str, Any]:
    return {
        "form": TouchpointForm(organization=organization),
        "timeline": timeline_page(organization, request.GET.get("timeline")),
    }


@panel(
    page="organization",
    slot="side",
    order=10,
    template="outreach/panels/organization_followups.html",
)
def organization_followups(request: HttpRequest, organization: Organization) -> dict[str, Any]:
    return {"open_followups": open_followups_of_organization(organization)}


# --- A contact's page ------------------------------------------------------------------------


@panel(page="contact", slot="main", order=10, template="outreach/panels/contact_log.html")
def contact_log(request: HttpRequest, contact: Contact) -> dict[str, Page]:
    return {
        "touchpoints": paginate(request, touchpoints_with(contact), 10, "touchpoints"),
        "meetings": paginate(request, meetings_with(contact), 10, "meetings"),
    }
