from django.contrib import admin

from compose.models import EmailTemplate, GroupEmail, SentEmail
from core.sites import NeverDeleteMixin


@admin.register(EmailTemplate)
class EmailTemplateAdmin(NeverDeleteMixin, admin.ModelAdmin):
    """Kept on the Email templates page; here for admins to look up. Archived, never deleted."""

    list_display = ["name", "subject", "is_archived", "updated_at"]
    list_filter = ["is_archived"]
    search_fields = ["name", "subject"]
    raw_id_fields = ["created_by"]


@admin.register(GroupEmail)
class GroupEmailAdmin(NeverDeleteMixin, admin.ModelAdmin):
    """Read-only: written, approved and sent on the Group email pages."""

    list_display = ["subject", "written_by", "status", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["subject"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SentEmail)
class SentEmailAdmin(NeverDeleteMixin, admin.ModelAdmin):
    """Read-only: one row per person an email written in Liaison went to, or left out."""

    list_display = ["contact", "address", "group_email", "left_out", "created_at"]
    raw_id_fields = ["contact", "organization", "outgoing", "touchpoint", "group_email"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
