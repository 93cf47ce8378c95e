"""The partnerships that need care, and why (everyone; managers set the cadences)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from core.http import AuthenticatedHttpRequest, paginate
from core.roles import is_manager, manager_required
from health import selectors, services
from health.forms import HealthFilterForm, StageCadenceForm
from health.reasons import team_today


@require_GET
def health_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Partnerships at risk and needing attention, each with its reasons and next step."""
    filters = HealthFilterForm(request.GET)
    chosen = filters.filters()
    owner = chosen.get("owner")
    found = selectors.partnerships_by_health(
        level=chosen.get("level", selectors.NEEDS_CARE), owner_id=owner.pk if owner else None
    )
    page = paginate(request, found)
    context = {
        "trend_url": selectors.trend_url(team_today()),
        "filters": filters,
        "page": page,
        "counts": selectors.health_counts(owner_id=owner.pk if owner else None),
        "is_manager": is_manager(request.user),
    }
    return render(request, "health/overview.html", context)


@manager_required
def stage_cadences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """How often the library expects to be in touch at each stage."""
    form = StageCadenceForm(request.POST or None, current=selectors.stage_cadences())
    if request.method == "POST" and form.is_valid():
        services.stage_cadences_set(cadences=form.cleaned_data)
        # Every partnership's health again, by the task runner (thousands take a few seconds).
        services.health_refresh_soon()
        messages.success(request, "Cadences saved. Partnership health is being updated.")
        return redirect("health:overview")
    return render(request, "health/cadences.html", {"form": form})
