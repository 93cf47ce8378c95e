from django.contrib import admin

from core.sites import NeverDeleteMixin
from documents.models import Document, DocumentVersion


class _ReadOnly(NeverDeleteMixin, admin.ModelAdmin):
    """Uploaded, described, archived and purged on the Documents pages; here to look up."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(_ReadOnly):
    list_display = ["title", "kind", "file_name", "size", "created_at", "is_archived"]
    list_filter = ["kind", "is_archived"]
    search_fields = ["title", "file_name"]


@admin.register(DocumentVersion)
class DocumentVersionAdmin(_ReadOnly):
    list_display = ["document", "number", "file_name", "size", "uploaded_at"]
    search_fields = ["file_name"]
