"""The outreach log's panels on the dashboard, an organization's page and a contact's page."""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.paginator import Page
from django.http import HttpRequest
from django.utils import timezone

from core.http import AuthenticatedHttpRequest, paginate
from core.panels import panel
from core.roles import is_manager
from outreach.selectors import dashboard
from outreach.selectors.followups import group_by_due, open_followups_of_organization
from outreach.selectors.timeline import timeline_page
from outreach.selectors.touchpoints_of_contact import (
    meetings_with,
    outreach_counts,
    touchpoints_with,
)
from partners.models import Contact, Organization
from partners.selectors import AllAffiliations, people_ever_at

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# --- The dashboard ---------------------------------------------------------------------------
# Each panel shows a bounded list with its total and a link to all of it, in a fixed number of
# queries (outreach/selectors/dashboard.py; counted in config/tests/test_dashboard.py).


def _team(request: AuthenticatedHttpRequest) -> dashboard.Team:
    """Read once per request: both team tables show these figures."""
    if not hasattr(request, "_dashboard_team"):
        figures = dashboard.figures(request.user, timezone.localdate(), team=True)
        request._dashboard_team = figures.team  # type: ignore[attr-defined]
    return request._dashboard_team  # type: ignore[attr-defined]


@panel(
    page="dashboard",
    slot="main",
    order=10,
    template="outreach/panels/dashboard_followups.html",
    refresh_on=("followups",),
)
def my_followups(request: AuthenticatedHttpRequest, obj: None) -> dict[str, Any]:
    today = timezone.localdate()
    counts = dashboard.figures(request.user, today, team=False).due
    due = dashboard.due_by_section(request.user, today) if counts.due else []
    groups = group_by_due(due, today)
    return {
        "followups": groups,
        # (key, label, the rows shown, how many there are, how many more) for each section with
        # any: each shows its first few and links to the rest.
        "followup_sections": [
            (key, label, items, counts.of(key), max(counts.of(key) - len(items), 0))
            for key, label, items in groups.sections()
            if counts.of(key)
        ],
        "followups_due": counts.due,
        "followup_total": counts.open,
        # `next` brings a plain form post back here.
        "next": request.path,
    }


@panel(page="dashboard", slot="main", order=30, template="outreach/panels/dashboard_quiet.html")
def my_quiet_partners(request: AuthenticatedHttpRequest, obj: None) -> dict[str, Any]:
    quiet, count = dashboard.quiet_partners_shown(request.user, timezone.localdate())
    return {
        "quiet_partners": quiet,
        "quiet_count": count,
        "quiet_days": settings.LIAISON_QUIET_DAYS,
    }


@panel(page="dashboard", slot="main", order=40, template="outreach/panels/dashboard_recent.html")
def my_recent_touchpoints(request: AuthenticatedHttpRequest, obj: None) -> dict[str, Any]:
    return {"recent_touchpoints": dashboard.recent_touchpoints_of(request.user)}


@panel(page="dashboard", slot="side", order=10, template="outreach/panels/dashboard_meetings.html")
def my_meetings(request: AuthenticatedHttpRequest, obj: None) -> dict[str, Any]:
    return {"meetings": dashboard.upcoming_meetings_of(request.user)}


@panel(
    page="dashboard",
    slot="side",
    order=20,
    template="outreach/panels/dashboard_team_overdue.html",
    refresh_on=("followups",),
    deferred=True,
    title="Team follow-ups overdue",
    shown_to=is_manager,
)
def team_overdue(request: AuthenticatedHttpRequest, obj: None) -> dict[str, Any] | None:
    return {"team_overdue": _team(request).overdue} if is_manager(request.user) else None


@panel(
    page="dashboard",
    slot="side",
    order=40,
    template="outreach/panels/dashboard_team_touchpoints.html",
    deferred=True,
    title="Touchpoints this month by person",
    shown_to=is_manager,
)
def team_touchpoints(request: AuthenticatedHttpRequest, obj: None) -> dict[str, Any] | None:
    if not is_manager(request.user):
        return None
    return {
        "team_touchpoints": _team(request).touchpoints,
        "month_start": timezone.localdate().replace(day=1),
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


@panel(page="organization", slot="main", order=10, template="outreach/partials/quick_log.html")
def organization_quick_log(
    request: HttpRequest, organization: "WithAnnotations[Organization, AllAffiliations]"
) -> dict[str, Any]:
    # The organization as its page loaded it, with its people (partners.selectors). No form:
    # an empty one's fields are drawn once for these people (outreach.templatetags.quick_log).
    return {"form": None, "people": people_ever_at(organization)}


# Follow-ups made, done or snoozed show in the timeline too.
@panel(
    page="organization",
    slot="main",
    order=20,
    template="outreach/panels/organization_timeline.html",
    refresh_on=("followups",),
)
def organization_timeline(request: HttpRequest, organization: Organization) -> dict[str, Any]:
    return {"timeline": timeline_page(organization, request.GET.get("timeline"))}


@panel(
    page="organization",
    slot="side",
    order=10,
    template="outreach/panels/organization_followups.html",
    refresh_on=("followups",),
)
def organization_followups(request: HttpRequest, organization: Organization) -> dict[str, Any]:
    return {"open_followups": open_followups_of_organization(organization)}


# --- A contact's page ------------------------------------------------------------------------


@panel(page="contact", slot="main", order=10, template="outreach/panels/contact_log.html")
def contact_log(request: HttpRequest, contact: Contact) -> dict[str, Page]:
    touchpoints, meetings = outreach_counts(contact)
    return {
        "touchpoints": paginate(
            request, touchpoints_with(contact), 10, "touchpoints", count=touchpoints
        ),
        "meetings": paginate(request, meetings_with(contact), 10, "meetings", count=meetings),
    }
