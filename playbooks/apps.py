from django.apps import AppConfig


class PlaybooksConfig(AppConfig):
    """Playbooks: named sequences of steps for a kind of partnership, applied to an
    organization (by hand, or when it enters a stage); each step a follow-up when it is due."""

    name = "playbooks"
    verbose_name = "Playbooks"

    def ready(self) -> None:
        # The Playbooks section of an organization's page, what merging moves, and the steps
        # scheduled when a follow-up is done or an organization enters a stage.
        from playbooks import merge_links, panels, receivers  # noqa: F401
