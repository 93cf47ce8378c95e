from django.contrib import admin

from core.models import StaffProfile


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "time_zone"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    readonly_fields = ["calendar_token"]
