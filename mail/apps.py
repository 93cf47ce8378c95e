from django.apps import AppConfig


class MailConfig(AppConfig):
    """The outbox: every email Liaison sends, its delivery, retries and the delivery log."""

    name = "mail"
    verbose_name = "Email"

    def ready(self) -> None:
        # The dashboard's email panels, and what merging moves: filled in here.
        from mail import merge_links, panels  # noqa: F401
