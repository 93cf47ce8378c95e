"""Serving files to staff only, versions, archiving and purging."""

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from documents import services
from documents.models import Document
from documents.services import Upload
from documents.tests.conftest import PDF, docx_bytes

pytestmark = pytest.mark.django_db


def make(record, by, data=PDF, name="MOU.pdf", **fields) -> Document:
    import io

    upload = Upload(file=io.BytesIO(data), name=name, size=len(data))
    return services.document_upload(record=record, upload=upload, kind="agreement", by=by, **fields)


def add_version(document, by, data, name):
    import io

    return services.document_version_add(
        document=document, upload=Upload(file=io.BytesIO(data), name=name, size=len(data)), by=by
    )


def section(response) -> str:
    """The record page's Documents section (the timeline keeps the upload as history)."""
    html = response.content.decode()
    start = html.index('aria-labelledby="documents-heading"')
    return html[start : html.index("</section>", start)]


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_pdf_opens_in_the_browser_sandboxed_and_a_word_file_downloads(
    librarian_client, librarian, clinic
):
    pdf = make(clinic, librarian).versions.get()
    response = librarian_client.get(reverse("documents:version_download", args=[pdf.pk]))
    assert response.status_code == 200 and body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    word = make(clinic, librarian, docx_bytes(), "Minutes <draft>.docx").versions.get()
    response = librarian_client.get(reverse("documents:version_download", args=[word.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="Minutes <draft>.docx"'


def test_nobody_signed_out_gets_a_file_and_there_is_no_public_address(librarian, clinic):
    version = make(clinic, librarian).versions.get()
    response = Client().get(reverse("documents:version_download", args=[version.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    # The stored name is random, and nothing serves the storage's folder.
    assert Client().get(f"/media/{version.file.name}").status_code in (302, 404)
    assert default_storage.exists(version.file.name)


def test_a_new_version_keeps_the_old_ones(librarian_client, librarian, manager, clinic):
    document = make(clinic, librarian)
    second = add_version(document, manager, docx_bytes(), "MOU signed v2.docx")
    document.refresh_from_db()
    assert second.number == 2 and document.versions_count == 2
    assert document.file_name == "MOU signed v2.docx" and document.size == len(docx_bytes())
    first, newer = document.versions.order_by("number")
    assert body(librarian_client.get(reverse("documents:version_download", args=[first.pk]))) == PDF
    page = librarian_client.get(document.get_absolute_url()).content.decode()
    assert "MOU.pdf" in page and "MOU signed v2.docx" in page


def test_a_new_version_through_its_page_is_checked_too(librarian_client, librarian, clinic):
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = make(clinic, librarian)
    url = reverse("documents:version_add", args=[document.pk])
    bad = SimpleUploadedFile("v2.pdf", b"<html><script>x</script></html>")
    response = librarian_client.post(url, {"file": bad})
    assert response.status_code == 400 and "web page" in response.content.decode()
    assert document.versions.count() == 1
    good = SimpleUploadedFile("v2.pdf", PDF)
    assert librarian_client.post(url, {"file": good}).status_code == 302
    assert document.versions.count() == 2


def test_archived_documents_leave_the_lists_and_come_back(librarian_client, librarian, clinic):
    document = make(clinic, librarian, title="Old flyer")
    archive = reverse("documents:document_archive", args=[document.pk])
    librarian_client.post(archive, follow=True)  # its message shown
    document.refresh_from_db()
    assert document.is_archived and document.archived_at
    panel = reverse("panel", args=["organization", "organization-documents"])
    assert "Old flyer" not in section(librarian_client.get(panel, {"of": clinic.pk}))
    listing = reverse("documents:document_list")
    assert "Old flyer" not in librarian_client.get(listing).content.decode()
    assert "Old flyer" in librarian_client.get(listing + "?archived=on").content.decode()
    librarian_client.post(archive, {"archived": "no"})
    document.refresh_from_db()
    assert not document.is_archived


def test_a_manager_purges_the_files_for_a_reason_and_the_record_stays(
    client, librarian, manager, clinic, django_capture_on_commit_callbacks
):
    document = make(clinic, librarian)
    add_version(document, librarian, docx_bytes(), "v2.docx")
    names = [version.file.name for version in document.versions.all()]
    url = reverse("documents:document_purge", args=[document.pk])
    client.force_login(librarian)
    assert client.post(url, {"reason": "Asked"}).status_code == 403
    client.force_login(manager)
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200 and "Say why" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "The partner withdrew consent (records officer, Dec 4)."})
    document.refresh_from_db()
    assert document.purged_by == manager and document.is_archived
    assert document.purge_reason.startswith("The partner withdrew consent")
    assert [v.file.name for v in document.versions.all()] == ["", ""]
    assert [default_storage.exists(name) for name in names] == [False, False]
    version = document.versions.all()[0]
    assert client.get(reverse("documents:version_download", args=[version.pk])).status_code == 404
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Files purged" in page and "withdrew consent" in page and "v2.docx" in page
    # Kept archived, and never back in the lists with no file.
    restore = reverse("documents:document_archive", args=[document.pk])
    client.post(restore, {"archived": "no"})
    document.refresh_from_db()
    assert document.is_archived


def test_a_file_whose_row_cannot_be_saved_is_not_kept(librarian, clinic, monkeypatch):
    import io

    from documents.models import DocumentVersion

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(DocumentVersion.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.document_upload(
            record=clinic,
            upload=Upload(file=io.BytesIO(PDF), name="a.pdf", size=len(PDF)),
            kind="other",
            by=librarian,
        )
    assert not Document.objects.exists()
    assert default_storage.listdir("documents")[1] == []


def test_editing_the_description_notices_a_change_made_meanwhile(
    client, librarian, manager, clinic
):
    document = make(clinic, librarian, title="MOU")
    url = reverse("documents:document_edit", args=[document.pk])
    client.force_login(librarian)
    form = client.get(url).context["form"]
    version = form["version"].value()
    services.document_update(
        document=document, title="Signed MOU", kind="agreement", description=""
    )
    response = client.post(
        url, {"title": "MOU (draft)", "kind": "agreement", "description": "", "version": version}
    )
    assert response.status_code == 200 and response.context["form"].conflict
    document.refresh_from_db()
    assert document.title == "Signed MOU"


def test_a_page_opened_before_a_purge_neither_adds_a_version_nor_restores(
    librarian, manager, clinic
):
    import io

    from django.core.exceptions import ValidationError

    document = make(clinic, librarian)
    stale = Document.objects.get(pk=document.pk)
    services.document_purge(document=document, reason="Consent withdrawn", by=manager)
    with pytest.raises(ValidationError):
        services.document_version_add(
            document=stale,
            upload=Upload(file=io.BytesIO(PDF), name="v2.pdf", size=len(PDF)),
            by=librarian,
        )
    with pytest.raises(ValidationError):
        services.document_restore(document=stale, by=librarian)
    document.refresh_from_db()
    assert document.is_archived and document.versions.count() == 1


def test_a_file_the_storage_cannot_remove_does_not_stop_the_others(
    librarian, manager, clinic, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    document = make(clinic, librarian)
    add_version(document, librarian, docx_bytes(), "v2.docx")
    first, second = (v.file.name for v in document.versions.order_by("number"))
    real_delete = default_storage.delete

    def failing(name: str) -> None:
        if name == first:
            raise OSError("storage unavailable")
        real_delete(name)

    monkeypatch.setattr(default_storage, "delete", failing)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_purge(document=document, reason="Duplicate", by=manager)
    assert not default_storage.exists(second)
    assert "could not be removed" in caplog.text
