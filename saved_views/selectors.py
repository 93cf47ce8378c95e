"""Reads of saved views: those above a list, those on a dashboard, and the manage page's."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import QueryDict

from core.prepared import Prepared
from core.roles import is_manager
from saved_views.lists import LISTS, holds
from saved_views.models import SavedView


def views_seen_by(user: User) -> QuerySet[SavedView]:
    """One's own views and those colleagues share, not removed."""
    return SavedView.objects.filter(
        Q(owner=user) | Q(shared=True), removed_at__isnull=True
    ).select_related("owner")


# Above every list page: compiled once per process (core.prepared).
_OF_LIST = Prepared(
    lambda user_id, kind: (
        SavedView.objects.filter(
            Q(owner_id=user_id) | Q(shared=True), list=kind, removed_at__isnull=True
        )
        .select_related("owner")
        .only("name", "list", "query", "owner__first_name", "owner__username")
    )
)


def views_of_list(user: User, kind: str) -> list[SavedView]:
    """The views above a list: one's own first, then the team's, by name. One query. Someone
    else's follow-ups are for managers to see: a librarian is not offered such a view."""
    views = list(_OF_LIST.objects(user_id=user.pk, kind=kind))
    if kind == SavedView.List.FOLLOWUPS and not is_manager(user):
        views = [view for view in views if "assignee" not in QueryDict(view.query)]
    return sorted(views, key=lambda view: (view.owner_id != user.pk, view.name.lower(), view.pk))


@dataclass(frozen=True)
class Pinned:
    view: SavedView
    url: str
    count: int | None  # None: a filter of it no longer applies (lists.holds)


def pinned_views(user: User) -> list[Pinned]:
    """The views pinned to one's dashboard, each with how many records it holds now: one query
    for the views, one count each (a bounded few: services.MAX_PINNED)."""
    views = SavedView.objects.filter(owner=user, pinned=True, removed_at__isnull=True)
    pinned = []
    for view in views.order_by("name", "pk"):
        spec = LISTS[view.list]
        count = spec.count(QueryDict(view.query), user) if holds(view.list, view.query) else None
        pinned.append(Pinned(view, spec.url(view.query), count))
    return pinned
