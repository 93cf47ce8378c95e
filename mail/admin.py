from django.contrib import admin

from core.sites import NeverDeleteMixin
from mail.models import Heartbeat, OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(NeverDeleteMixin, admin.ModelAdmin):
    """Read-only: email is queued by Liaison's services and changed only by the sender; the
    delivery log is kept, never deleted."""

    list_display = ["created_at", "kind", "to_address", "subject", "status", "attempts"]
    list_filter = ["kind", "status"]
    search_fields = ["to_address", "to_name", "subject", "idempotency_key"]
    date_hierarchy = "created_at"
    raw_id_fields = ["user", "contact"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "last_run_at", "runs", "last_result"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
