"""One import confirmed twice, or undone twice, at the same moment is carried out once.

Real row locks on PostgreSQL (core/tests/races.py): each writer in its own thread and
connection, paused inside the service between what it reads and what it writes.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.tests import races
from partners.models import Organization, StageChange
from transfer import services
from transfer.models import ImportRun, ImportRunItem
from transfer.tests.helpers import ORGANIZATION_HEADER, csv_bytes, organization_rows

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_root"),
    races.needs_row_locks,
]

ROWS = 5


@pytest.fixture
def run(manager) -> ImportRun:
    """Five new organizations, uploaded and previewed, not yet confirmed."""
    content = csv_bytes([ORGANIZATION_HEADER, *organization_rows(ROWS)])
    upload = SimpleUploadedFile("partners.csv", content)
    return services.import_preview(kind=ImportRun.Kind.ORGANIZATIONS, upload=upload, by=manager)


def confirm(run: ImportRun, by):
    signature = services.import_plan(run)[1].signature
    return lambda: services.import_confirm(
        run=ImportRun.objects.get(pk=run.pk),
        by=by,
        update_existing=False,
        skip_errors=False,
        signature=signature,
    )


def test_confirming_one_import_twice_at_once_creates_its_rows_once(
    monkeypatch, run, manager, admin_user
):
    races.widen(monkeypatch, services, "import_plan")

    winner, loser = races.winner_and_loser(
        races.race(confirm(run, manager), confirm(run, admin_user))
    )
    assert isinstance(loser.error, ValidationError), loser.error
    assert "already been imported" in " ".join(loser.error.messages)
    assert Organization.objects.count() == ROWS
    assert StageChange.objects.count() == ROWS
    assert ImportRunItem.objects.filter(run=run).count() == ROWS
    run.refresh_from_db()
    assert (run.status, run.created_count) == (ImportRun.Status.DONE, ROWS)


def test_undoing_one_import_twice_at_once_undoes_it_once(monkeypatch, run, manager, admin_user):
    confirm(run, manager)()
    races.widen(monkeypatch, services, "import_undo_plan")

    def undo(by):
        return lambda: services.import_undo(run=ImportRun.objects.get(pk=run.pk), by=by)

    winner, loser = races.winner_and_loser(races.race(undo(manager), undo(admin_user)))
    assert isinstance(loser.error, ValidationError), loser.error
    assert len(winner.value.organizations) == ROWS
    run.refresh_from_db()
    assert run.status == ImportRun.Status.UNDONE
    # Archived once, by the undo that won, at the moment it was recorded.
    assert set(Organization.objects.values_list("is_archived", "archived_at")) == {
        (True, run.undone_at)
    }
