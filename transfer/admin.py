from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from transfer.models import ImportRun, ImportRunItem


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Read-only: imports are made, confirmed and undone on the import pages only."""

    list_display = [
        "original_name",
        "kind",
        "status",
        "uploaded_by",
        "created_at",
        "created_count",
        "updated_count",
        "skipped_count",
        "error_count",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["original_name", "uploaded_by__username"]
    list_select_related = ["uploaded_by"]
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ImportRun]:
        # The rows a preview keeps can be megabytes; no admin page shows them.
        return super().get_queryset(request).defer("table")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImportRunItem)
class ImportRunItemAdmin(admin.ModelAdmin):
    list_display = ["run", "row_number", "action", "organization", "contact"]
    list_filter = ["action"]
    search_fields = ["run__original_name", "organization__name", "contact__name"]
    list_select_related = ["run", "organization", "contact"]
    raw_id_fields = ["run", "organization", "contact", "affiliation"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
