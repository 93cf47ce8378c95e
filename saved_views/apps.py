from django.apps import AppConfig


class SavedViewsConfig(AppConfig):
    """A list's filters kept under a name (organizations, contacts, touchpoints, follow-ups,
    the pipeline), for oneself or the team, shown above the list and pinned to the dashboard
    with their count."""

    name = "saved_views"
    verbose_name = "Saved views"

    def ready(self) -> None:
        # The saved views above each list, and those pinned to the dashboard.
        from saved_views import panels  # noqa: F401
