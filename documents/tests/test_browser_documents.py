"""The signed MOU in Chromium: uploaded to the partner's page in two clicks (choose the file,
Upload), found again from the Documents list, opened."""

import pytest
from playwright.sync_api import expect

from core.tests.axe import violations
from core.tests.factories import UserFactory
from documents.models import Document
from documents.tests.conftest import PDF
from partners.tests.factories import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_the_signed_mou_and_find_it_again(page, log_in):
    librarian = UserFactory(username="librarian", role="Librarian")
    clinic = OrganizationFactory(name="Eastside Community Clinic")
    log_in(librarian)
    page.goto(clinic.get_absolute_url())

    documents = page.get_by_role("region", name="Documents")
    problems = violations(page, "Organization with its Documents section")
    documents.get_by_label("Kind").select_option("agreement")
    # Click one: choose the file. Click two: Upload.
    documents.get_by_label("File").set_input_files(
        files=[{"name": "Signed MOU 2026.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    documents.get_by_role("button", name="Upload").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Eastside Community Clinic")
    expect(page.locator(".alert-success")).to_contain_text("Uploaded: Signed MOU 2026")
    expect(documents.get_by_role("link", name="Signed MOU 2026")).to_be_visible()
    expect(page.locator(".timeline-document")).to_contain_text("Uploaded: Signed MOU 2026")

    navigation = page.get_by_role("navigation", name="Main")
    navigation.get_by_role("button", name="More pages").click()
    navigation.get_by_role("link", name="Documents").click()
    page.get_by_label("Search", exact=True).fill("mou")
    page.get_by_role("button", name="Search").click()
    problems += violations(page, "Documents list")
    page.get_by_role("link", name="Signed MOU 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signed MOU 2026")
    problems += violations(page, "Document page")
    download = page.get_by_role("link", name="Download")
    response = page.request.get(download.get_attribute("href") or "")
    assert response.ok and response.body() == PDF
    assert response.headers["content-disposition"].startswith("attachment")
    assert Document.objects.get().kind == "agreement"
    assert not problems, "\n".join(problems)


def test_a_refused_file_says_why_next_to_the_field(page, log_in):
    librarian = UserFactory(username="librarian", role="Librarian")
    clinic = OrganizationFactory(name="Eastside Community Clinic")
    log_in(librarian)
    page.goto(clinic.get_absolute_url())
    documents = page.get_by_role("region", name="Documents")
    documents.get_by_label("File").set_input_files(
        files=[{"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": b"MZ" + b"\0" * 64}]
    )
    documents.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a document")
    expect(page.locator("#id_file_error, .invalid-feedback")).to_contain_text("a program")
    assert not Document.objects.exists()
