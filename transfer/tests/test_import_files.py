"""Leftovers: a preview nobody imported within 7 days is removed, file and all, and leaves the
import history; the file of an import goes after LIAISON_IMPORT_FILE_DAYS (30), while the run
stays in the history and its page says the file is gone."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.tests.clock import NOW, frozen_clock
from partners.models import Organization
from transfer.models import ImportRun
from transfer.tasks import delete_old_import_files
from transfer.tests.helpers import ORGANIZATION_HEADER, confirm, csv_bytes, organization_rows
from transfer.tests.helpers import upload_run as _upload_run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

clock = frozen_clock(NOW)
DAY = 24 * 60 * 60


def upload_run(client) -> ImportRun:
    return _upload_run(client, csv_bytes([ORGANIZATION_HEADER, *organization_rows(2)]))


def stored(run: ImportRun, media_root: Path) -> bool:
    return (media_root / run.file.name).exists()


@pytest.fixture
def later(clock, manager_client, manager):
    """Days pass (and the manager, whose session has ended meanwhile, signs in again)."""

    def shift(seconds: int) -> None:
        clock.shift(seconds)
        manager_client.force_login(manager)

    return shift


def test_a_preview_nobody_imported_leaves_the_history_after_seven_days(
    manager_client, later, media_root
):
    run = upload_run(manager_client)
    page = manager_client.get(run.get_absolute_url()).content.decode()
    assert "this preview is removed on Nov 9, 2026" in page
    later(7 * DAY - 60)
    assert delete_old_import_files() == 0
    assert stored(run, media_root)
    history = manager_client.get(reverse("transfer:import_list")).content.decode()
    assert "partners.csv" in history and "Continue" in history

    later(120)
    assert delete_old_import_files() == 1

    assert not stored(run, media_root)
    assert not ImportRun.objects.filter(pk=run.pk).exists()
    history = manager_client.get(reverse("transfer:import_list")).content.decode()
    assert "partners.csv" not in history and "Nothing has been imported yet" in history
    assert manager_client.get(run.get_absolute_url()).status_code == 404
    # Nothing can be imported from it any more.
    response = manager_client.post(
        reverse("transfer:import_confirm", args=[run.pk]),
        {"update_existing": "no", "signature": "x" * 64},
    )
    assert response.status_code == 404
    assert Organization.objects.count() == 0


def test_a_preview_imported_on_its_last_day_stays_and_so_do_other_imports(manager_client, later):
    done = upload_run(manager_client)
    confirm(manager_client, done)
    later(DAY)
    kept = upload_run(manager_client)
    later(6 * DAY - 60)
    confirm(manager_client, kept)
    later(120)

    assert delete_old_import_files() == 0
    assert set(ImportRun.objects.values_list("pk", "status")) == {
        (done.pk, ImportRun.Status.DONE),
        (kept.pk, ImportRun.Status.DONE),
    }


def test_an_imports_file_is_kept_for_the_days_set_then_deleted(manager_client, later, media_root):
    run = upload_run(manager_client)
    later(6 * DAY)  # a preview confirmed on its sixth day keeps its file
    confirm(manager_client, run)
    days = settings.LIAISON_IMPORT_FILE_DAYS
    assert days == 30
    later(days * DAY - 60)
    assert delete_old_import_files() == 0
    page = manager_client.get(run.get_absolute_url()).content.decode()
    assert "Kept until" in page

    later(120)
    assert delete_old_import_files() == 1

    assert not stored(run, media_root)
    run.refresh_from_db()
    assert run.file.name == "" and run.status == ImportRun.Status.DONE
    page = manager_client.get(run.get_absolute_url()).content.decode()
    assert "Deleted" in page and run.original_name in page
    # Undo works from what the import recorded, not from the file.
    manager_client.post(reverse("transfer:import_undo", args=[run.pk]))
    assert Organization.objects.filter(is_archived=False).count() == 0
    assert delete_old_import_files() == 0  # an undone run whose file is gone stays as it is


def test_the_days_an_imports_file_is_kept_is_a_setting(manager_client, later, settings):
    settings.LIAISON_IMPORT_FILE_DAYS = 2
    run = upload_run(manager_client)
    confirm(manager_client, run)
    later(2 * DAY + 1)
    assert delete_old_import_files() == 1


def test_deleting_old_files_twice_or_after_someone_else_is_harmless(
    manager_client, later, media_root
):
    previews = [upload_run(manager_client) for _ in range(3)]
    imports = [upload_run(manager_client) for _ in range(2)]
    for run in imports:
        confirm(manager_client, run)
    (media_root / previews[0].file.name).unlink()  # gone already: a restore, a second task
    (media_root / imports[0].file.name).unlink()
    later(31 * DAY)

    assert delete_old_import_files() == 5
    assert delete_old_import_files() == 0

    assert not any(stored(run, media_root) for run in previews + imports)
    assert list(ImportRun.objects.values_list("file", "status")) == [("", "done")] * 2


def test_beat_deletes_old_import_files_every_day():
    schedule = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "transfer.delete_old_import_files"
    ]
    assert [entry["schedule"] for entry in schedule] == [DAY]
    assert delete_old_import_files.name == "transfer.delete_old_import_files"
