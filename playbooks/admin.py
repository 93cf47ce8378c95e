from django.contrib import admin

from core.sites import NeverDeleteMixin
from playbooks.models import Playbook, PlaybookRun


@admin.register(Playbook)
class PlaybookAdmin(NeverDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "auto_apply_stage", "is_retired"]
    list_filter = ["kind", "is_retired"]
    search_fields = ["name"]


@admin.register(PlaybookRun)
class PlaybookRunAdmin(NeverDeleteMixin, admin.ModelAdmin):
    list_display = ["playbook", "organization", "started_on", "status"]
    list_filter = ["status", "playbook"]
    list_select_related = ["playbook", "organization"]
    raw_id_fields = ["organization"]
    readonly_fields = ["status", "stopped_by", "stopped_at", "finished_at"]
