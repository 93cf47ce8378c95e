"""A manager imports a spreadsheet in Chromium: upload, preview, confirm, what it created,
history, undo."""

import pytest

from core.tests.axe import violations as _violations
from partners.models import Organization
from transfer.tests.helpers import (
    ORGANIZATION_HEADER,
    csv_bytes,
    organization_rows,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_root"),
]


def test_manager_imports_a_file_and_undoes_it(page, log_in, manager, tmp_path):
    rows = organization_rows(3)
    rows[1][4] = "not-an-email"
    path = tmp_path / "Partners from the county.csv"
    path.write_bytes(csv_bytes([ORGANIZATION_HEADER, *rows], encoding="cp1252"))
    log_in(manager)

    page.goto("/imports/new/")
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_role("heading", name="Rows with errors (1)").wait_for()
    problems = _violations(page, "import preview")
    page.get_by_role("button", name="Import").click()
    page.get_by_text("Some rows have errors").wait_for()
    assert Organization.objects.count() == 0

    page.get_by_label("Skip the rows with errors and import the rest").check()
    page.get_by_role("button", name="Import").click()
    page.get_by_text("2 created, 0 updated, 1 skipped").wait_for()
    assert Organization.objects.count() == 2
    # The finished import links to what it created.
    problems += _violations(page, "finished import")
    page.get_by_role("link", name="Partner Organization 2").click()
    page.get_by_role("heading", name="Partner Organization 2").wait_for()

    page.goto("/imports/")
    problems += _violations(page, "import history")
    page.get_by_role("link", name="Undo import of Partners from the county.csv").click()
    page.get_by_role("button", name="Undo the import").click()
    page.get_by_text("2 organizations archived").wait_for()
    assert Organization.objects.filter(is_archived=True).count() == 2
    assert not problems, "\n".join(problems)
