from django.contrib import admin

from updates.models import ProgressSubscription, ProgressUpdate


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    can_delete = False
    readonly_fields = (
        "period_start",
        "period_end",
        "status",
        "subject",
        "sent_at",
        "recipients_count",
    )
    fields = readonly_fields
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ProgressSubscription)
class ProgressSubscriptionAdmin(admin.ModelAdmin):
    """Set up and changed on the organization's or program's page, which checks that each
    recipient is at the partner and may be emailed; here a subscription can only be paused."""

    list_display = ["__str__", "cadence", "mode", "owner", "is_active", "created_at"]
    list_filter = ["cadence", "mode", "is_active"]
    search_fields = ["organization__name", "program__title", "owner__username"]
    list_select_related = ["organization", "program", "owner"]
    fields = [
        "organization",
        "program",
        "cadence",
        "mode",
        "owner",
        "recipients",
        "is_active",
        "created_by",
        "created_at",
    ]
    readonly_fields = [
        "organization",
        "program",
        "cadence",
        "mode",
        "owner",
        "recipients",
        "created_by",
        "created_at",
    ]
    inlines = [ProgressUpdateInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    """The history of updates; drafts are reviewed, sent and skipped on the review page."""

    list_display = ["subject", "period_start", "period_end", "status", "sent_at"]
    list_filter = ["status"]
    search_fields = [
        "subject",
        "subscription__organization__name",
        "subscription__program__title",
    ]
    list_select_related = ["subscription"]
    date_hierarchy = "period_end"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
