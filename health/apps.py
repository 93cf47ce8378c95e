from django.apps import AppConfig


class HealthConfig(AppConfig):
    """Partnership health: how often we agreed to be in touch (per stage, per partner), each
    partnership's health from signals a person can check, recorded weekly, the early warning
    in the digests, and the managers' page of partnerships that need care."""

    name = "health"
    verbose_name = "Partnership health"

    def ready(self) -> None:
        # The health section of a partner's page; a touchpoint logged refreshes it at once;
        # what merging moves.
        from health import merge_links, panels, receivers  # noqa: F401
