from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from core.roles import is_admin


class LiaisonAdminSite(admin.AdminSite):
    """The Django admin is for the Admin role (and superusers), through Liaison's own login."""

    site_header = "Liaison administration"
    site_title = "Liaison admin"
    index_title = "Records"

    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and is_admin(request.user)

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        if request.user.is_authenticated:
            # Signed in but not an admin: sending them to the login form again would loop.
            raise PermissionDenied("The administration pages are for the Admin role.")
        next_url = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")


class NeverDeleteMixin:
    """For a ModelAdmin or an inline of records Liaison archives or keeps as history: no delete
    view, no "delete selected" action, no delete box on inline rows, whoever is signed in.

    (Organizations are archived; merging deletes a duplicate through its own service.)
    """

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ChangeHistoryAdmin(NeverDeleteMixin, admin.ModelAdmin):
    """A historical table (core.history) in the admin: read-only, newest first, searchable by
    the record's id, the reason and who made the change. Register with `search_fields` naming
    the record's own name field too."""

    list_display = ["history_date", "history_user", "history_type", "__str__", "reason"]
    list_select_related = ["history_user"]
    list_filter = ["history_type"]
    date_hierarchy = "history_date"
    search_fields = ["history_change_reason", "history_user__username"]

    @admin.display(description="reason")
    def reason(self, obj: object) -> str:
        return getattr(obj, "history_change_reason", None) or ""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
