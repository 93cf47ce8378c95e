from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Documents attached to partners, contacts, touchpoints, meetings, programs and
    agreements: uploaded with their type checked, kept in versions, served only to staff,
    archived, never deleted."""

    name = "documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        # The documents panels of the partner and contact pages, and what merging moves.
        from documents import merge_links, panels  # noqa: F401
