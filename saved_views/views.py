"""Saving a list's filters under a name, and one's saved views: rename, share, pin, remove."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.forms import apply_service_errors
from core.http import AuthenticatedHttpRequest
from saved_views import services
from saved_views.forms import SavedViewForm
from saved_views.lists import LISTS, filters_in_words
from saved_views.models import SavedView
from saved_views.selectors import views_seen_by


def saved_view_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Save the filters of the list it was opened from (?list=…&query=…)."""
    source = request.POST if request.method == "POST" else request.GET
    kind, query = str(source.get("list", "")), str(source.get("query", ""))
    if kind not in LISTS:
        raise Http404("Views are saved from a list.")
    form = SavedViewForm(request.POST or None)
    problem = ""
    try:
        query = services.query_kept(kind, query)
    except ValidationError as error:
        query, problem = "", error.messages[0]
    if request.method == "POST" and not problem and form.is_valid():
        try:
            view = services.saved_view_create(
                owner=request.user, list=kind, query=query, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Saved: {view}. It is above the list from now on.")
            return redirect(LISTS[kind].url(view.query))
    context = {
        "form": form,
        "list": kind,
        "list_label": SavedView.List(kind).label,
        "query": query,
        "list_url": LISTS[kind].url(query),
        "filters": filters_in_words(kind, query),
        "problem": problem,
    }
    return render(request, "saved_views/saved_view_form.html", context)


@require_GET
def saved_view_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    views = list(views_seen_by(request.user).order_by("list", "name", "pk"))
    rows = [(view, LISTS[view.list].url(view.query)) for view in views if view.list in LISTS]
    return render(
        request,
        "saved_views/saved_view_list.html",
        {
            "mine": [(v, url) for v, url in rows if v.owner_id == request.user.pk],
            "shared": [(v, url) for v, url in rows if v.owner_id != request.user.pk],
        },
    )


def _own(request: AuthenticatedHttpRequest, pk: int) -> SavedView:
    return get_object_or_404(SavedView, pk=pk, owner=request.user, removed_at__isnull=True)


def saved_view_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    view = _own(request, pk)
    form = SavedViewForm(request.POST or None, instance=view)
    if request.method == "POST" and form.is_valid():
        try:
            services.saved_view_update(view=view, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Saved: {form.cleaned_data['name']}.")
            return redirect("saved_views:saved_view_list")
        view.refresh_from_db()
    context = {"form": form, "view": view, "filters": filters_in_words(view.list, view.query)}
    context["list_label"] = view.get_list_display()
    context["list_url"] = LISTS[view.list].url(view.query)
    return render(request, "saved_views/saved_view_form.html", context)


@require_POST
def saved_view_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    view = _own(request, pk)
    services.saved_view_remove(view=view)
    messages.success(request, f"Removed: {view}.")
    return redirect("saved_views:saved_view_list")
