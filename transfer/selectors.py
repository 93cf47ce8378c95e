"""Reads of import runs for the import pages."""

from django.db.models import QuerySet

from transfer.models import ImportRun


def import_run_list() -> QuerySet[ImportRun]:
    """The import history, newest first (index importrun_created), with who did what; without
    the rows each preview keeps (megabytes each, for a list that shows none of them)."""
    return (
        ImportRun.objects.select_related("uploaded_by", "undone_by")
        .defer("table")
        .order_by("-created_at", "-pk")
    )


def import_run(pk: int) -> ImportRun:
    return ImportRun.objects.select_related("uploaded_by", "undone_by").get(pk=pk)
