from django.apps import AppConfig


class TransferConfig(AppConfig):
    """Import and export. The package was `imports/`; its app label stays "imports" so that
    its tables, migration history and permissions are the ones an existing database has."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "transfer"
    label = "imports"
    verbose_name = "Import and export"

    def ready(self) -> None:
        # The export links on the lists, and what merging leaves with an import.
        from transfer import merge_links, panels  # noqa: F401
