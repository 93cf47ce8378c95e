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
    autocomplete_fields = ["organization", "other_organizations", "contacts", "staff"]
    raw_id_fields = ["meeting"]
    date_hierarchy = "occurred_on"

    def save_model(self, request, obj, form, change) -> None:
        # A date corrected or a touchpoint moved here changes the last touchpoint of the
        # organizations it was with as well as of those it is with now (save_related).
        before = Touchpoint.objects.filter(pk=obj.pk)
        # Kept on the touchpoint itself: one admin instance serves every request.
        obj._partners_before = (
            {*before.values_list("organization_id", flat=True)}
            | {*before.values_list("other_organizations", flat=True)} - {None}
            if change
            else set()
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)  # the other partners, saved
        touchpoint = form.instance
        now = {touchpoint.organization_id, *(o.pk for o in touchpoint.other_organizations.all())}
        before: set[int] = getattr(touchpoint, "_partners_before", set())
        organization_last_touchpoint_refresh(organization_ids=now | before)


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
