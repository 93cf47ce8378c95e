from django.contrib import admin
from django.http import HttpRequest

from bulk.models import BulkAction


@admin.register(BulkAction)
class BulkActionAdmin(admin.ModelAdmin):
    """Read-only: bulk actions are made from the lists, and kept as they happened."""

    list_display = ["summary", "records", "action", "status", "by", "created_at", "done"]
    list_filter = ["records", "action", "status"]
    search_fields = ["summary", "by__username"]
    list_select_related = ["by"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
