from django.apps import AppConfig


class BulkConfig(AppConfig):
    """Changing many records at once from the organization, contact and follow-up lists."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "bulk"
    verbose_name = "Bulk actions"

    def ready(self) -> None:
        # The checkboxes and the "change the selected" form on the lists.
        from bulk import panels  # noqa: F401
