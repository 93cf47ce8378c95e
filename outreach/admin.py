from django.contrib import admin

from core.sites import NeverDeleteMixin
from outreach.models import FollowUp, Meeting, Touchpoint
from outreach.services import organization_last_touchpoint_refresh
from outreach.signals import followup_assigned


@admin.register(Touchpoint)
class TouchpointAdmin(NeverDeleteMixin, admin.ModelAdmin):
    list_display = ["occurred_on", "channel", "subject", "organization", "staff"]
    list_filter = ["channel", "occurred_on"]
    search_fields = ["subject", "notes", "organization__name", "contacts__name"]
    list_select_related = ["organization", "staff"]
    autocomplete_fields = ["organization", "contacts", "staff"]
    raw_id_fields = ["meeting"]
    date_hierarchy = "occurred_on"

    def save_model(self, request, obj, form, change) -> None:
        # A date corrected or a touchpoint moved here changes the last touchpoint of the
        # organization it was at as well as of the one it is at now.
        before = Touchpoint.objects.filter(pk=obj.pk).values_list("organization_id", flat=True)
        organization_ids = {obj.organization_id, *(before if change else ())}
        super().save_model(request, obj, form, change)
        organization_last_touchpoint_refresh(organization_ids=organization_ids)


@admin.register(Meeting)
class MeetingAdmin(NeverDeleteMixin, admin.ModelAdmin):
    list_display = ["title", "starts_at", "organization", "status"]
    list_filter = ["status", "starts_at"]
    search_fields = ["title", "agenda", "minutes", "organization__name"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization", "other_organizations", "contacts", "staff"]
    date_hierarchy = "starts_at"


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["title", "due_on", "assignee", "organization", "status"]
    list_filter = ["status", "due_on", "assignee"]
    search_fields = ["title", "details", "organization__name"]
    list_select_related = ["organization", "assignee"]
    autocomplete_fields = ["organization", "assignee"]
    raw_id_fields = ["touchpoint", "meeting"]
    readonly_fields = ["completed_by", "completed_at"]
    date_hierarchy = "due_on"

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # Given to someone else here, as anywhere in Liaison: they are told by email.
        if not change or "assignee" in form.changed_data:
            followup_assigned.send(sender=FollowUp, followup=obj, by=request.user)
