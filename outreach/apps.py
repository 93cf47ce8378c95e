from django.apps import AppConfig


class OutreachConfig(AppConfig):
    """The relationship log: touchpoints, meetings, follow-ups, the timeline, calendar feeds."""

    name = "outreach"
    verbose_name = "Outreach log"

    def ready(self) -> None:
        # The log's panels (dashboard, organization and contact pages), its columns on the
        # organization lists and what merging moves: filled in here, never imported below.
        from outreach import merge_links, organization_columns, panels  # noqa: F401
