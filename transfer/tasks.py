"""The periodic task of imports (beat: "delete-old-import-files")."""

from celery import shared_task

from transfer.services import import_files_delete_old


@shared_task(name="transfer.delete_old_import_files", ignore_result=True)
def delete_old_import_files() -> int:
    """Delete the uploaded files of imports past their keeping time; the runs stay.

    The database says what is due, and a run whose file is gone is never due again, so running
    this twice, or in two workers at once, deletes nothing twice.
    """
    return import_files_delete_old()
