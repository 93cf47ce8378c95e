from django.apps import AppConfig


class ComposeConfig(AppConfig):
    """Email written in Liaison: to one person from their page, or to everyone on a filtered
    list at once, from templates managers keep; every message through the outbox, logged."""

    name = "compose"
    verbose_name = "Email written in Liaison"

    def ready(self) -> None:
        # The "Email" buttons, a touchpoint's delivery status and what merging moves: filled in
        # here, never imported below.
        from compose import merge_links, panels  # noqa: F401
