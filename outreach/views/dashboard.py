from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.roles import is_manager
from core.selectors import scheduler_health
from outreach.selectors.dashboard import dashboard
from partners.forms import staff_users


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    manager = is_manager(request.user)
    context = dashboard(request.user, manager=manager)
    context["staff"] = list(staff_users()) if manager else []
    context["health"] = scheduler_health() if manager else None
    context["next"] = request.path
    return render(request, "outreach/dashboard.html", context)
