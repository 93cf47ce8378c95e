from django.contrib import admin

from core.sites import NeverDeleteMixin
from inbox.models import CapturedAttachment, CapturedEmail, SetAside


class CapturedAttachmentInline(admin.TabularInline):
    model = CapturedAttachment
    fields = ["filename", "content_type", "size"]
    readonly_fields = ["filename", "content_type", "size"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CapturedEmail)
class CapturedEmailAdmin(NeverDeleteMixin, admin.ModelAdmin):
    """Read-only: captured by the mailbox reader, filed or discarded on the Unfiled email page;
    kept, never deleted."""

    list_display = ["sent_at", "direction", "from_address", "subject", "status", "sender_verified"]
    list_filter = ["status", "direction", "sender_verified"]
    search_fields = ["from_address", "subject", "message_id"]
    date_hierarchy = "sent_at"
    raw_id_fields = ["staff", "handled_by"]
    inlines = [CapturedAttachmentInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SetAside)
class SetAsideAdmin(NeverDeleteMixin, admin.ModelAdmin):
    """Messages the reader left in the mailbox for a person, and why."""

    list_display = ["created_at", "reason", "subject", "sender", "folder", "seen_at"]
    list_filter = ["reason"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
