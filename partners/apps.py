from django.apps import AppConfig


class PartnersConfig(AppConfig):
    """Organizations, contacts, affiliations, focus areas, the pipeline and merging."""

    name = "partners"
    verbose_name = "Partners"

    def ready(self) -> None:
        from partners import panels  # noqa: F401  (the dashboard's pipeline panel)
