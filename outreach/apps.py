from django.apps import AppConfig


class OutreachConfig(AppConfig):
    """Touchpoints, meetings, follow-ups and programs: filled by the outreach-log issue."""

    name = "outreach"
    verbose_name = "Outreach"
