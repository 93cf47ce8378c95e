"""Reads of import runs for the import pages."""

from django.db.models import QuerySet

from core.sorting import SortColumn, Sorting
from transfer.models import ImportRun, ImportRunItem

NEWEST = ("-created_at", "-pk")
# An import a week or so: each order sorts a few hundred rows; Uploaded reads importrun_created.
IMPORT_SORTING = Sorting(
    SortColumn("uploaded", "Uploaded", ("created_at", "pk")),
    SortColumn("file", "File", ("original_name", *NEWEST), ("-original_name", *NEWEST)),
    SortColumn("kind", "Kind", ("kind", *NEWEST), ("-kind", *NEWEST)),
    SortColumn(
        "by",
        "By",
        ("uploaded_by__first_name", "uploaded_by__last_name", "uploaded_by__username", *NEWEST),
        ("-uploaded_by__first_name", "-uploaded_by__last_name", "-uploaded_by__username", *NEWEST),
    ),
    SortColumn("status", "Status", ("status", *NEWEST), ("-status", *NEWEST)),
    *(
        SortColumn(field, label, (field, *NEWEST), (f"-{field}", *NEWEST), css="text-end")
        for field, label in (
            ("created_count", "Created"),
            ("updated_count", "Updated"),
            ("skipped_count", "Skipped"),
        )
    ),
    default="-uploaded",
)


def import_run_list(sort: str | None = None) -> QuerySet[ImportRun]:
    """The import history, newest first (index importrun_created) or as `sort` says, with who
    did what; without the rows each preview keeps (megabytes each, for a list that shows none
    of them)."""
    return (
        ImportRun.objects.select_related("uploaded_by", "undone_by")
        .defer("table")
        .order_by(*IMPORT_SORTING.order_by(sort))
    )


def import_run(pk: int) -> ImportRun:
    return ImportRun.objects.select_related("uploaded_by", "undone_by").get(pk=pk)


def import_run_items(run: ImportRun) -> QuerySet[ImportRunItem]:
    """What an import did, row by row: the record each row created or updated (and the role a
    contact's row gave them), with the names the finished import's page links by. A run has
    at most parsing.MAX_ROWS items, found by the index importrunitem_run_action's run."""
    return (
        run.items.select_related("organization", "contact", "affiliation__organization")
        .only(
            "run_id",
            "row_number",
            "action",
            "organization__name",
            "organization__is_archived",
            "contact__name",
            "contact__email",
            "affiliation__title",
            "affiliation__end_date",
            "affiliation__organization__name",
        )
        .order_by("row_number", "pk")
    )
