from django.contrib import admin

from core.sites import NeverDeleteMixin
from reviews.models import PartnershipReview


@admin.register(PartnershipReview)
class PartnershipReviewAdmin(NeverDeleteMixin, admin.ModelAdmin):
    """Written and edited on the partner's page; here to look up."""

    list_display = ["organization", "year", "partner_satisfaction", "reviewed_on", "reviewed_by"]
    list_filter = ["year", "partner_satisfaction"]
    search_fields = ["organization__name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
