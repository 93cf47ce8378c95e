from django.contrib import admin

from core.models import StaffProfile


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "time_zone", "reports_to", "digest"]
    list_select_related = ["user", "reports_to"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reports_to":
            from django.contrib.auth.models import User

            from core import roles

            # Only someone who receives the weekly manager summary can be told.
            kwargs["queryset"] = (
                User.objects.filter(is_active=True, groups__name__in=[roles.MANAGER, roles.ADMIN])
                .distinct()
                .order_by("first_name", "last_name", "username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
