"""The saved views above each list (its `actions` slot: core.panels), and those pinned to the
dashboard with their counts."""

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import urlencode

from core.http import AuthenticatedHttpRequest
from core.panels import panel
from saved_views.lists import LISTS
from saved_views.models import SavedView
from saved_views.selectors import pinned_views, views_of_list
from saved_views.services import query_kept

TEMPLATE = "saved_views/panels/list_views.html"


def _of_list(request: AuthenticatedHttpRequest, kind: str) -> dict[str, Any]:
    """The list's saved views, the one open now marked, and "Save this view" with its filters."""
    try:
        query = query_kept(kind, request.GET.urlencode())
    except ValidationError:  # too long to be filters: nothing to save
        query = None
    views = views_of_list(request.user, kind)
    spec = LISTS[kind]
    save_url = ""
    if query is not None:
        save_url = (
            reverse("saved_views:saved_view_create")
            + "?"
            + urlencode({"list": kind, "query": query})
        )
    return {
        "saved_views": [(view, spec.url(view.query), view.query == query) for view in views],
        "save_view_url": save_url,
        "list_user": request.user,
    }


def _list_panel(page: str, kind: str) -> None:
    """Register the saved views panel above one list (named "<list>-views" for core.panels)."""

    def views(request: AuthenticatedHttpRequest, obj: None) -> dict[str, Any]:
        return _of_list(request, kind)

    views.__name__ = f"{kind}_views"
    panel(page=page, slot="actions", order=5, template=TEMPLATE)(views)


for _page, _kind in (
    ("organization_list", SavedView.List.ORGANIZATIONS),
    ("contact_list", SavedView.List.CONTACTS),
    ("touchpoint_list", SavedView.List.TOUCHPOINTS),
    ("followup_list", SavedView.List.FOLLOWUPS),
    ("board", SavedView.List.BOARD),
):
    _list_panel(_page, _kind)


@panel(
    page="dashboard",
    slot="side",
    order=5,
    template="saved_views/panels/pinned_views.html",
    deferred=True,
    title="My saved views",
)
def pinned(request: AuthenticatedHttpRequest, obj: None) -> dict[str, Any]:
    """One's pinned views with their counts; counted after the page has shown (deferred)."""
    return {"pinned": pinned_views(request.user)}
