"""The periodic task of imports (beat: "delete-old-import-files")."""

from celery import shared_task

from transfer.services import import_files_delete_old, import_previews_remove_abandoned


@shared_task(name="transfer.delete_old_import_files", ignore_result=True)
def delete_old_import_files() -> int:
    """Remove the previews nobody imported within a week (they leave the import history), and
    delete the uploaded files of imports past their keeping time (those runs stay).

    The database says what is due, and a removed preview or an import whose file is gone is
    never due again, so running this twice, or in two workers at once, deletes nothing twice.
    Returns how many previews and files went.
    """
    return import_previews_remove_abandoned() + import_files_delete_old()
