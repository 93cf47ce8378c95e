"""The saved views above each list (its `actions` slot: core.panels), and those pinned to the
dashboard with their counts."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from core.http import AuthenticatedHttpRequest
from core.panels import panel
from core.templatetags.liaison import fixed_url
from saved_views.lists import LISTS
from saved_views.models import SavedView
from saved_views.selectors import pinned_views, views_of_list
from saved_views.services import query_kept

TEMPLATE = "saved_views/panels/list_views.html"


def _of_list(request: AuthenticatedHttpRequest, kind: str) -> dict[str, Any]:
    """The list's saved views, the one open now marked, and "Save this view…" with its filters:
    written here rather than by a template (on every list page, at every filter change)."""
    try:
        query: str | None = query_kept(kind, request.GET.urlencode())
    except ValidationError:  # too long to be filters: nothing to save
        query = None
    spec, user = LISTS[kind], request.user
    links = []
    for view in views_of_list(user, kind):
        current = ' aria-current="page" class="fw-semibold"' if view.query == query else ""
        whose = ""
        if view.owner_id != user.pk:
            name = view.owner.first_name or view.owner.username
            whose = format_html(' <span class="text-body-secondary">({})</span>', name)
        links.append(
            format_html(
                '<a href="{}"{}>{}</a>{}',
                spec.url(view.query),
                mark_safe(current),
                view.name,
                whose,
            )
        )
    if not links:
        links.append(mark_safe('<span class="text-body-secondary">none yet</span>'))
    if query is not None:
        asked = urlencode({"list": kind, "query": query})
        save = f"{fixed_url('saved_views:saved_view_create')}?{asked}"
        links.append(format_html('<a href="{}">Save this view…</a>', save))
    return {"saved_views_html": mark_safe(" · ".join(links))}  # noqa: S308 — each part escaped


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
