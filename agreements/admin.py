from django.contrib import admin

from agreements.models import Agreement
from core.sites import NeverDeleteMixin


@admin.register(Agreement)
class AgreementAdmin(NeverDeleteMixin, admin.ModelAdmin):
    """Kept on the Agreements pages (with their renewal follow-ups); here to look up."""

    list_display = ["title", "kind", "status", "signed_on", "ends_on", "owner"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
