from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    """Agreements with partners (MOU, data sharing, facility use, media consent, sub-awards):
    renewal follow-ups, expiry by themselves, on the partner's and the program's pages."""

    name = "agreements"
    verbose_name = "Agreements"

    def ready(self) -> None:
        # The Agreements sections of the partner's and the program's pages, what merging moves.
        from agreements import merge_links, panels  # noqa: F401
