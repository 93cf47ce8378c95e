from django.apps import AppConfig


class SearchConfig(AppConfig):
    """One search box for the whole of Liaison: organizations, contacts, touchpoints, meetings,
    programs and documents, grouped by kind, the words found marked."""

    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from search.sqlite import fold_function_add

        # SQLite's plain search compares text folded by this function (search.sqlite).
        connection_created.connect(fold_function_add, dispatch_uid="search_fold")
