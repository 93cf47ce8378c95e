"""The demo's saved views: a shared one pinned by the librarian, and a manager's."""

from django.contrib.auth.models import User
from django.utils.http import urlencode

from partners.models import Organization, Stage
from partners.tags import Tag
from saved_views.models import SavedView


def demo_saved_views_load(*, staff: list[User]) -> int:
    """Views of the demo's lists, saved as a librarian and a manager would."""
    librarian, manager = staff[0], staff[1]
    spanish = Tag.objects.filter(name="Spanish-speaking").first()
    views = [
        SavedView(
            owner=librarian,
            list=SavedView.List.ORGANIZATIONS,
            name="Spanish-speaking partners",
            query=urlencode({"tag": spanish.pk}) if spanish else "",
            shared=True,
            pinned=True,
        ),
        SavedView(
            owner=librarian, list=SavedView.List.FOLLOWUPS, name="My follow-ups", pinned=True
        ),
        SavedView(
            owner=manager,
            list=SavedView.List.ORGANIZATIONS,
            name="County agencies we work with",
            query=urlencode({"kind": Organization.Kind.GOVERNMENT, "stage": Stage.ACTIVE}),
            shared=True,
            pinned=True,
        ),
        SavedView(
            owner=manager,
            list=SavedView.List.BOARD,
            name="Health partners in the pipeline",
            query=urlencode({"kind": Organization.Kind.HEALTH}),
            shared=True,
        ),
    ]
    SavedView.objects.bulk_create(views)
    return len(views)
