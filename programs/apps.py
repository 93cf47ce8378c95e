from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    """Joint programs, grants, outcomes, stories, surveys and the impact summary."""

    name = "programs"
    verbose_name = "Joint programs"

    def ready(self) -> None:
        # The programs panel of the organization page, and what merging moves.
        from programs import merge_links, panels  # noqa: F401
