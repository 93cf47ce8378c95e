from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Staff email: daily digests, meeting reminders, follow-ups handed over, manager summary."""

    name = "notifications"
    verbose_name = "Staff email"

    def ready(self) -> None:
        from notifications import receivers  # noqa: F401  (listens to the outreach log's events)
