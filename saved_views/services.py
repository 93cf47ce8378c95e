"""Every write to saved views."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from saved_views.lists import LISTS, canonical
from saved_views.models import QUERY_MAX_LENGTH, SavedView

# Pinned views a dashboard shows at most (each is counted when it is shown).
MAX_PINNED = 6


def query_kept(kind: str, query: str) -> str:
    """A list's address query as a view keeps it (lists.canonical: its filters and order); a
    tampered one too long to be filters is refused."""
    kept = canonical(kind, query) if kind in LISTS else ""
    if len(kept) > QUERY_MAX_LENGTH:
        raise ValidationError("These filters are too long to save.")
    return kept


def _checked(view: SavedView) -> None:
    view.name = " ".join(view.name.split())
    if not view.name:
        raise ValidationError({"name": "Give the view a name."})
    if view.list not in LISTS:
        raise ValidationError(
            "Views are saved from the organizations, contacts, touchpoints, "
            "follow-ups and pipeline lists."
        )
    if view.pinned:
        # The owner locked first: two pins at once cannot both pass the count.
        User.objects.select_for_update().filter(pk=view.owner_id).first()
        pinned = SavedView.objects.filter(owner=view.owner, pinned=True, removed_at__isnull=True)
        if pinned.exclude(pk=view.pk).count() >= MAX_PINNED:
            raise ValidationError(
                {"pinned": f"Your dashboard shows {MAX_PINNED} views at most: unpin one first."}
            )
    view.full_clean()


@transaction.atomic
def saved_view_create(
    *, owner: User, list: str, query: str, name: str, shared: bool = False, pinned: bool = False
) -> SavedView:
    view = SavedView(
        owner=owner,
        list=list,
        query=query_kept(list, query),
        name=name,
        shared=shared,
        pinned=pinned,
    )
    _checked(view)
    view.save()
    return view


@transaction.atomic
def saved_view_update(*, view: SavedView, name: str, shared: bool, pinned: bool) -> SavedView:
    view = SavedView.objects.select_for_update().get(pk=view.pk)
    view.name, view.shared, view.pinned = name, shared, pinned
    _checked(view)
    view.save()
    return view


def saved_view_remove(*, view: SavedView) -> None:
    """Taken off every list and dashboard; kept."""
    if view.removed_at is None:
        view.removed_at = timezone.now()
        view.pinned = False
        view.save(update_fields=["removed_at", "pinned", "updated_at"])
