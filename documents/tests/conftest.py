import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.samples import pdf_bytes, png_bytes

PDF = pdf_bytes("Memorandum of understanding", "Signed")


def docx_bytes(*, macros: bool = False) -> bytes:
    """A minimal Word document (Office Open XML): the parts that say what it is."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00\x01")
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def pdf():
    return PDF


@pytest.fixture
def png():
    return png_bytes()
