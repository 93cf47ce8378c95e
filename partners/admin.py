from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.http import HttpRequest

from core.sites import ChangeHistoryAdmin, NeverDeleteMixin
from partners import services
from partners.models import (
    Affiliation,
    Contact,
    FocusArea,
    Merge,
    OptOutChange,
    Organization,
    StageChange,
    StageTally,
)
from partners.relations import OrganizationRelation
from partners.tags import Tag


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["contact", "organization"]
    fields = ["contact", "organization", "title", "is_primary", "start_date", "end_date"]


class StageChangeInline(NeverDeleteMixin, admin.TabularInline):
    """Stage history, read-only: it is written by the stage-change service only."""

    model = StageChange
    extra = 0
    can_delete = False
    readonly_fields = ("changed_at", "from_stage", "to_stage", "changed_by", "note")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(NeverDeleteMixin, admin.ModelAdmin):
    """Archived, never deleted: the archive action instead of "delete selected"."""

    list_display = [
        "name",
        "kind",
        "government_level",
        "stage",
        "owner",
        "is_archived",
        "updated_at",
    ]
    list_filter = ["stage", "kind", "government_level", "is_archived", "focus_areas", "owner"]
    search_fields = ["name", "email", "website"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]
    filter_horizontal = ["focus_areas"]
    readonly_fields = [
        "is_archived",
        "archived_at",
        "stage_changed_at",
        "last_touchpoint_on",
        "created_at",
        "updated_at",
    ]
    inlines = [AffiliationInline, StageChangeInline]
    actions = ["archive", "restore"]
    list_per_page = 50

    def save_model(self, request: HttpRequest, obj: Organization, form, change: bool) -> None:
        """Stage changes made here are recorded by the same service as everywhere else."""
        assert isinstance(request.user, User)  # the admin site lets in signed-in admins only
        if not change:
            super().save_model(request, obj, form, change)
            services.stage_history_begin(
                organization=obj, by=request.user, note="Created in the admin."
            )
        elif "stage" in form.changed_data:
            new_stage = obj.stage
            obj.stage = form.initial["stage"]
            super().save_model(request, obj, form, change)
            services.stage_change(
                organization=obj, to_stage=new_stage, by=request.user, note="Changed in the admin."
            )
        else:
            super().save_model(request, obj, form, change)

    @admin.action(description="Archive the selected organizations")
    def archive(self, request: HttpRequest, queryset) -> None:
        for organization in queryset:
            services.organization_archive(organization=organization)

    @admin.action(description="Restore the selected organizations to the lists")
    def restore(self, request: HttpRequest, queryset) -> None:
        for organization in queryset:
            services.organization_restore(organization=organization)


@admin.register(StageChange)
class StageChangeAdmin(NeverDeleteMixin, admin.ModelAdmin):
    list_display = ["organization", "from_stage", "to_stage", "changed_by", "changed_at"]
    list_filter = ["to_stage", "from_stage"]
    search_fields = ["organization__name", "note"]
    list_select_related = ["organization", "changed_by"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(StageTally)
class StageTallyAdmin(NeverDeleteMixin, admin.ModelAdmin):
    """To look at only: the database keeps the tally (partners.models.StageTally)."""

    list_display = ["stage", "owner_key", "organizations"]
    list_filter = ["stage"]
    search_fields = ["stage"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ContactAdminForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "email", "phone", "preferred_channel", "notes", "do_not_contact"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # As on the contact form: saved only if changed on this page (see ContactForm).
        self.fields["do_not_contact"].show_hidden_initial = True


@admin.register(Contact)
class ContactAdmin(NeverDeleteMixin, admin.ModelAdmin):
    """The opt-out is read-only here: the unsubscribe link, the contact form and "Subscribe
    again" (with a reason) change it, and the consent log records each change."""

    form = ContactAdminForm
    list_display = [
        "name",
        "email",
        "phone",
        "preferred_channel",
        "do_not_contact",
        "opted_out_of_updates",
    ]
    list_filter = ["preferred_channel", "do_not_contact", "opted_out_of_updates"]
    search_fields = ["name", "email", "phone"]
    readonly_fields = ["opted_out_of_updates", "opted_out_at", "created_at", "updated_at"]
    inlines = [AffiliationInline]

    def save_model(self, request: HttpRequest, obj: Contact, form, change: bool) -> None:
        assert isinstance(request.user, User)  # the admin site lets in signed-in admins only
        if not change:
            obj.email = services.normalize_email(obj.email)
            super().save_model(request, obj, form, change)
            return
        # Only what was changed on this page, onto the contact as it is now.
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        services.contact_update(
            contact=obj,
            by=request.user,
            **{name: value for name, value in changed.items() if name in services.CONTACT_FIELDS},
        )


@admin.register(OptOutChange)
class OptOutChangeAdmin(NeverDeleteMixin, admin.ModelAdmin):
    """The consent log, read-only: written by the services only."""

    list_display = ["changed_at", "contact", "opted_out", "source", "changed_by"]
    list_filter = ["opted_out", "source"]
    search_fields = ["contact__name", "contact__email", "reason"]
    list_select_related = ["contact", "changed_by"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Affiliation)
class AffiliationAdmin(admin.ModelAdmin):
    list_display = ["contact", "organization", "title", "is_primary", "start_date", "end_date"]
    list_filter = ["is_primary", "organization__kind"]
    search_fields = ["contact__name", "contact__email", "organization__name", "title"]
    list_select_related = ["contact", "organization"]
    autocomplete_fields = ["contact", "organization"]


@admin.register(Merge)
class MergeAdmin(admin.ModelAdmin):
    """Merges are made on the partner pages (partners.merge); here they can only be read."""

    list_display = ["merged_at", "kind", "merged_name", "organization", "contact", "merged_by"]
    list_filter = ["kind"]
    search_fields = ["merged_name", "organization__name", "contact__name"]
    list_select_related = ["organization", "contact", "merged_by"]
    date_hierarchy = "merged_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(OrganizationRelation)
class OrganizationRelationAdmin(NeverDeleteMixin, admin.ModelAdmin):
    list_display = ["organization", "kind", "related", "started_on", "ended_on", "removed_at"]
    list_filter = ["kind"]
    search_fields = ["organization__name", "related__name", "note"]
    list_select_related = ["organization", "related"]
    autocomplete_fields = ["organization", "related"]


@admin.register(Tag)
class TagAdmin(NeverDeleteMixin, admin.ModelAdmin):
    """Managers keep the tags in the app (Manage → Tags); here for the admin's overview."""

    list_display = ["name", "colour", "retired_at"]
    search_fields = ["name"]
    autocomplete_fields = ["organizations", "contacts"]


# The change history, read-only (core.history): who changed what, and when.
for model, names in (
    (Organization, ["name"]),
    (Contact, ["name", "email"]),
    (Affiliation, ["title", "contact__name", "organization__name"]),
    (OrganizationRelation, ["note", "organization__name", "related__name"]),
):
    admin.site.register(
        model.history.model,
        ChangeHistoryAdmin,
        search_fields=[*ChangeHistoryAdmin.search_fields, *names],
    )
