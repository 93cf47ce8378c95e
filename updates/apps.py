from django.apps import AppConfig


class UpdatesConfig(AppConfig):
    """Partner progress updates: subscriptions, drafts, review and the unsubscribe link."""

    name = "updates"
    verbose_name = "Partner progress updates"

    def ready(self) -> None:
        # Panels on the dashboard and the partner pages, and what merging moves.
        from updates import merge_links, panels  # noqa: F401
