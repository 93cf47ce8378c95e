from django.contrib import admin

from core.sites import ChangeHistoryAdmin
from programs.models import (
    Grant,
    GrantDeliverable,
    Outcome,
    Program,
    ProgramPartner,
    ProgramSession,
    Story,
    SupportLetter,
    SurveyResult,
)


class ProgramPartnerInline(admin.TabularInline):
    model = ProgramPartner
    extra = 0
    autocomplete_fields = ["organization"]


class ProgramSessionInline(admin.TabularInline):
    model = ProgramSession
    extra = 0
    raw_id_fields = ["meeting"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "start_date", "end_date", "lead"]
    list_filter = ["status", "kind", "focus_areas"]
    search_fields = ["title", "description", "program_partners__organization__name"]
    list_select_related = ["lead"]
    filter_horizontal = ["focus_areas"]
    inlines = [ProgramPartnerInline, ProgramSessionInline]


class SupportLetterInline(admin.TabularInline):
    model = SupportLetter
    extra = 0
    autocomplete_fields = ["organization"]


class GrantDeliverableInline(admin.TabularInline):
    """Read-only here: deliverables are edited on the grant page, which keeps follow-ups in step."""

    model = GrantDeliverable
    extra = 0
    can_delete = False
    readonly_fields = ("title", "due_on", "owner", "followup")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = [
        "program",
        "funder",
        "status",
        "amount_requested",
        "amount_awarded",
        "submission_deadline",
    ]
    list_filter = ["status"]
    search_fields = ["funder", "program__title"]
    list_select_related = ["program"]
    inlines = [SupportLetterInline, GrantDeliverableInline]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["metric", "value", "unit", "method", "measured_on", "program"]
    list_filter = ["method"]
    search_fields = ["metric", "note", "program__title"]
    list_select_related = ["program"]


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["who", "told_on", "consent_to_share", "program"]
    list_filter = ["consent_to_share"]
    search_fields = ["text", "who", "program__title"]
    list_select_related = ["program"]


@admin.register(SurveyResult)
class SurveyResultAdmin(admin.ModelAdmin):
    list_display = ["original_name", "program", "responses", "uploaded_at", "uploaded_by"]
    search_fields = ["original_name", "program__title"]
    list_select_related = ["program", "uploaded_by"]
    readonly_fields = ["summary", "responses", "uploaded_at"]


@admin.register(ProgramPartner)
class ProgramPartnerAdmin(admin.ModelAdmin):
    list_display = ["organization", "role", "program"]
    list_filter = ["role"]
    search_fields = ["organization__name", "program__title", "contribution"]
    list_select_related = ["organization", "program"]
    autocomplete_fields = ["organization"]


@admin.register(ProgramSession)
class ProgramSessionAdmin(admin.ModelAdmin):
    list_display = ["program", "starts_at", "location", "attendance"]
    search_fields = ["program__title", "location", "notes"]
    list_select_related = ["program"]
    raw_id_fields = ["meeting"]
    date_hierarchy = "starts_at"


@admin.register(SupportLetter)
class SupportLetterAdmin(admin.ModelAdmin):
    list_display = ["organization", "grant", "received_on"]
    search_fields = ["organization__name", "grant__funder", "grant__program__title"]
    list_select_related = ["organization", "grant__program"]
    autocomplete_fields = ["organization"]


@admin.register(GrantDeliverable)
class GrantDeliverableAdmin(admin.ModelAdmin):
    """Listed for finding; edited on the grant page, which keeps the follow-ups in step."""

    list_display = ["title", "due_on", "owner", "grant"]
    search_fields = ["title", "grant__funder", "grant__program__title"]
    list_select_related = ["owner", "grant__program"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# The change history, read-only (core.history): who changed the program, what and when.
admin.site.register(
    Program.history.model,
    ChangeHistoryAdmin,
    search_fields=[*ChangeHistoryAdmin.search_fields, "title"],
)
