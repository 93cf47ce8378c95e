from django.contrib import admin

from core.sites import NeverDeleteMixin
from saved_views.models import SavedView


@admin.register(SavedView)
class SavedViewAdmin(NeverDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "list", "owner", "shared", "pinned", "removed_at"]
    list_filter = ["list", "shared", "pinned"]
    search_fields = ["name", "owner__username"]
    list_select_related = ["owner"]
