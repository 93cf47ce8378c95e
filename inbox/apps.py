from django.apps import AppConfig


class InboxConfig(AppConfig):
    """Email captured into the log: a mailbox the library owns, read every minute; each message
    a touchpoint on the organizations of the people in it, or a row in the unfiled list."""

    name = "inbox"
    verbose_name = "Captured email"

    def ready(self) -> None:
        # The email behind a touchpoint on its page, and what merging moves: filled in here,
        # never imported below.
        from inbox import merge_links, panels  # noqa: F401
