"""The outbox's panels on a manager's dashboard: the scheduler banner and the email summary."""

from typing import Any

from django.http import HttpRequest

from core.panels import panel
from core.roles import is_manager
from mail.selectors import SchedulerHealth, scheduler_health


def _health(request: HttpRequest) -> SchedulerHealth:
    """Read once per request: the banner and the summary show the same figures."""
    if not hasattr(request, "_scheduler_health"):
        request._scheduler_health = scheduler_health()  # type: ignore[attr-defined]
    return request._scheduler_health  # type: ignore[attr-defined]


@panel(
    page="dashboard", slot="top", order=10, template="mail/panels/dashboard_scheduler_health.html"
)
def scheduler_banner(request: HttpRequest, obj: None) -> dict[str, Any] | None:
    return {"health": _health(request)} if is_manager(request.user) else None


@panel(page="dashboard", slot="side", order=30, template="mail/panels/dashboard_email.html")
def email_summary(request: HttpRequest, obj: None) -> dict[str, Any] | None:
    return {"health": _health(request)} if is_manager(request.user) else None
