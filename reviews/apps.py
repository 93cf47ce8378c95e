from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Annual partnership reviews: what worked, what did not, the partner's satisfaction and
    words, next year's goals; on the organization's page and in the managers' report."""

    name = "reviews"
    verbose_name = "Annual partnership reviews"

    def ready(self) -> None:
        # The Annual reviews section of a partner's page, and what merging moves.
        from reviews import merge_links, panels  # noqa: F401
