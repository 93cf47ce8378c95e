"""Uploading: the type read from the content, the size limit, the name made safe, nothing kept
of a refused file."""

import io
import re

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from documents.models import Document, DocumentVersion
from documents.tests.conftest import PDF, docx_bytes, upload

pytestmark = pytest.mark.django_db


def upload_url(record, kind="organization") -> str:
    return f"{reverse('documents:document_upload')}?to={kind}&of={record.pk}"


def post(client, record, file, kind="agreement", **fields):
    # In the form's order: the file last (documents.forms.DocumentUploadForm).
    return client.post(upload_url(record), {"kind": kind, **fields, "file": file})


def stored_files() -> list[str]:
    try:
        return default_storage.listdir("documents")[1]
    except FileNotFoundError:
        return []


def test_the_signed_mou_is_uploaded_to_the_partner(librarian_client, librarian, clinic):
    response = post(librarian_client, clinic, upload("Signed MOU 2026.pdf", PDF))
    assert response.status_code == 302 and response.url == clinic.get_absolute_url()
    document = Document.objects.get()
    assert (document.title, document.kind, document.organization) == (
        "Signed MOU 2026",
        "agreement",
        clinic,
    )
    assert (document.content_type, document.size, document.uploaded_by) == (
        "application/pdf",
        len(PDF),
        librarian,
    )
    version = document.versions.get()
    # Stored under a random name, never the uploaded one.
    assert version.file.name.startswith("documents/") and "MOU" not in version.file.name
    assert version.file.name.endswith(".pdf") and len(version.file.name) == len("documents/") + 36
    assert version.file.read() == PDF
    page = librarian_client.get(clinic.get_absolute_url()).content.decode()
    assert "Signed MOU 2026" in page and document.get_absolute_url() in page


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("budget.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" * 8, "a program"),
        ("script.pdf", b"\x7fELF\x02\x01\x01\x00" * 8, "a program"),
        ("run.txt", b"#!/bin/sh\nrm -rf /\n", "a program"),
        ("page.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "a web page"),
        ("flyer.txt", b"  <html><body onload=alert(1)>hi</body></html>", "a web page"),
        ("logo.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "web page"),
        ("macro.docx", docx_bytes(macros=True), "macros"),
        ("files.zip", b"PK\x03\x04" + b"\x00" * 40, "damaged"),
        ("binary.dat", b"\x00\x01\x02\x03" * 100, "cannot tell"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_what_liaison_does_not_keep_is_refused_next_to_the_field(
    librarian_client, clinic, name, data, said
):
    response = post(librarian_client, clinic, upload(name, data))
    assert response.status_code == 400
    errors = response.context["form"].errors["file"]
    assert any(said in error for error in errors), errors
    assert said in response.content.decode()
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert stored_files() == []


def test_a_zip_of_files_is_refused(librarian_client, clinic):
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.pdf", PDF)
    response = post(librarian_client, clinic, upload("papers.zip", out.getvalue()))
    assert "zip archive" in response.content.decode()
    assert not Document.objects.exists()


def test_a_30_mb_file_is_refused_while_it_is_read(librarian_client, clinic, settings):
    data = b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024 - 9)
    response = post(librarian_client, clinic, upload("huge.pdf", data))
    assert response.status_code == 400
    # Its size as the request gives it (the form's other fields counted in: 30.0 or 30.1).
    assert re.search(r"The file is 30\.[01] MB; the limit is 25 MB\.", response.content.decode())
    assert list(response.context["form"].errors) == ["file"]  # the kind arrived
    assert not Document.objects.exists() and stored_files() == []


@pytest.mark.parametrize(
    ("name", "data", "content_type", "extension"),
    [
        ("minutes.docx", docx_bytes(), "wordprocessingml.document", ".docx"),
        ("notes.txt", "Café hours: 9–5\n".encode(), "text/plain", ".txt"),
        ("sign-in.csv", b"name,zip\nAna,60612\n", "text/csv", ".csv"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "msword", ".doc"),
        ("photo.jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 64, "image/jpeg", ".jpg"),
        # The name says PDF; the content is a PNG: it is kept, and served, as what it is.
        ("flyer.pdf", None, "image/png", ".png"),
    ],
)
def test_documents_spreadsheets_images_and_text_are_kept_as_what_they_are(
    librarian_client, clinic, png, name, data, content_type, extension
):
    response = post(librarian_client, clinic, upload(name, data or png), kind="other")
    assert response.status_code == 302
    version = DocumentVersion.objects.get()
    assert content_type in version.content_type
    assert version.extension == extension and version.file_name.endswith(extension)


def test_a_spreadsheet_saved_by_excel_is_a_spreadsheet(librarian_client, clinic):
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    post(librarian_client, clinic, upload("budget.xlsx", out.getvalue()), kind="budget")
    assert DocumentVersion.objects.get().extension == ".xlsx"


def test_the_file_name_is_made_safe(librarian_client, clinic):
    post(librarian_client, clinic, upload("../../etc/\x07pass\x1bwd.pdf", PDF))
    document = Document.objects.get()
    assert document.file_name == "passwd.pdf" and document.title == "passwd"


def test_a_title_and_description_can_be_given(librarian_client, clinic):
    post(
        librarian_client,
        clinic,
        upload("x.pdf", PDF),
        title="  Data-sharing agreement ",
        description="Signed by both directors.",
    )
    document = Document.objects.get()
    assert (document.title, document.description) == (
        "Data-sharing agreement",
        "Signed by both directors.",
    )


def test_an_unknown_record_is_not_found(librarian_client, clinic):
    url = f"{reverse('documents:document_upload')}?to=spaceship&of={clinic.pk}"
    assert librarian_client.get(url).status_code == 404
    url = f"{reverse('documents:document_upload')}?to=organization&of=99999999"
    assert librarian_client.get(url).status_code == 404
    url = f"{reverse('documents:document_upload')}?to=organization&of=1e9"
    assert librarian_client.get(url).status_code == 404


def _zip(entries: list[tuple[str, bytes, int]]) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data, compression in entries:
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return out.getvalue()


def test_a_small_zip_that_unpacks_to_gigabytes_is_never_unpacked(librarian_client, clinic):
    import tracemalloc
    import zipfile

    bomb = _zip([("mimetype", b"\0" * (200 * 1024 * 1024), zipfile.ZIP_DEFLATED)])
    assert len(bomb) < 300 * 1024
    tracemalloc.start()
    response = post(librarian_client, clinic, upload("report.odt", bomb))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert response.status_code == 400 and "zip archive" in response.content.decode()
    assert peak < 20 * 1024 * 1024


def _central(data: bytes, offset: int, value: bytes) -> bytes:
    """The zip with `value` written at `offset` of its first central directory entry."""
    at = data.index(b"PK\x01\x02") + offset
    return data[:at] + value + data[at + len(value) :]


@pytest.mark.parametrize(
    "damage",
    [
        # The first part's compressed bytes corrupted.
        lambda data: data[:52] + bytes(b ^ 0xFF for b in data[52:70]) + data[70:],
        # Marked encrypted.
        lambda data: _central(data, 8, b"\x01\x00"),
        # An unknown compression method.
        lambda data: _central(data, 10, b"\x63\x00"),
    ],
)
def test_a_damaged_document_is_refused_not_an_error(librarian_client, clinic, damage):
    import zipfile

    data = _zip(
        [
            ("[Content_Types].xml", b"<Types>" * 200, zipfile.ZIP_DEFLATED),
            ("word/document.xml", b"<w/>", zipfile.ZIP_STORED),
        ]
    )
    response = post(librarian_client, clinic, upload("minutes.docx", damage(data)))
    assert response.status_code == 400
    assert "damaged" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("macro.odt", None),
        ("renamed.docx", None),
        ("sheet.xlsx", None),
        (
            "old.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 900 + "_VBA_PROJECT".encode("utf-16-le"),
        ),
        ("setup.msi", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
    ],
)
def test_macros_and_installers_are_refused(librarian_client, clinic, name, data):
    import zipfile

    stored = zipfile.ZIP_STORED
    made = {
        "macro.odt": [
            ("mimetype", b"application/vnd.oasis.opendocument.text", stored),
            ("content.xml", b"<x/>", stored),
            ("Basic/Standard/Module1.xml", b"<script/>", stored),
        ],
        "renamed.docx": [
            (
                "[Content_Types].xml",
                b'<Override ContentType="application/vnd.ms-office.vbaProject"/>',
                stored,
            ),
            ("word/document.xml", b"<w/>", stored),
            ("word/evil.bin", b"\0", stored),
        ],
        "sheet.xlsx": [
            ("[Content_Types].xml", b"<Types/>", stored),
            ("xl/workbook.xml", b"<w/>", stored),
            ("xl/macrosheets/sheet1.xml", b"<m/>", stored),
        ],
    }
    response = post(librarian_client, clinic, upload(name, data or _zip(made[name])))
    assert response.status_code == 400
    text = response.content.decode()
    assert "macros" in text or "installer" in text
    assert not Document.objects.exists()


def test_text_that_mentions_markup_and_unicode_text_are_kept(librarian_client, clinic):
    csv = b"name,notes\nAna,said <body> text is fine\n"
    assert post(librarian_client, clinic, upload("notes.csv", csv)).status_code == 302
    utf16 = "Notes in Unicode text\r\n".encode("utf-16")
    assert post(librarian_client, clinic, upload("notes.txt", utf16)).status_code == 302
    assert Document.objects.count() == 2


def test_a_record_number_in_other_digits_is_not_found(librarian_client, clinic):
    url = f"{reverse('documents:document_upload')}?to=organization&of=²"
    assert librarian_client.get(url).status_code == 404
