"""What a document's file is, read from its content, never from its name or the browser's word.

Liaison keeps documents, spreadsheets, presentations, PDFs, images and plain text. It refuses
programs (an .exe renamed .pdf is still a program), web pages (HTML and SVG can run script in
a browser), archives, and anything it cannot tell: `file_type_of` says which, in the words a
person would use, or gives the type and the extension the file is stored and served under.

The signatures are the formats' own (the first bytes of a PDF, PNG, JPEG, GIF or WebP; the
compound-file header of legacy Office files; the parts inside an Office Open XML or
OpenDocument zip). A dozen formats chosen by the library's policy did not call for a
detection library: python-magic needs libmagic on every laptop, and puremagic takes any zip
for a Word file.
"""

import os
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError

HEAD = 8192
CHUNK = 1024 * 1024
# A document has dozens of parts; a zip of hundreds of thousands is a trap.
MAX_ZIP_ENTRIES = 10_000
CONTENT_TYPES_BYTES = 64 * 1024
MACROS = "This file contains macros (programs): save it without them."
# A legacy Office file's macro storages, as its directory names them (UTF-16).
LEGACY_MACROS = tuple(name.encode("utf-16-le") for name in ("_VBA_PROJECT", "Macros", "VBA"))
LONGEST_MACRO_NAME = max(len(name) for name in LEGACY_MACROS)


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    label: str


PDF = FileType("application/pdf", ".pdf", "PDF")
IMAGES = {
    b"\x89PNG\r\n\x1a\n": FileType("image/png", ".png", "PNG image"),
    b"\xff\xd8\xff": FileType("image/jpeg", ".jpg", "JPEG image"),
    b"GIF87a": FileType("image/gif", ".gif", "GIF image"),
    b"GIF89a": FileType("image/gif", ".gif", "GIF image"),
}
WEBP = FileType("image/webp", ".webp", "WebP image")
# Legacy Word, Excel and PowerPoint share one container: the name says which of the three.
LEGACY_OFFICE = {
    ".doc": FileType("application/msword", ".doc", "Word document"),
    ".xls": FileType("application/vnd.ms-excel", ".xls", "Excel spreadsheet"),
    ".ppt": FileType("application/vnd.ms-powerpoint", ".ppt", "PowerPoint presentation"),
}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OPEN_XML = {
    "word/document.xml": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
        "Word document",
    ),
    "xl/workbook.xml": FileType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
        "Excel spreadsheet",
    ),
    "ppt/presentation.xml": FileType(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".pptx",
        "PowerPoint presentation",
    ),
}
OPEN_DOCUMENT = {
    "application/vnd.oasis.opendocument.text": FileType(
        "application/vnd.oasis.opendocument.text", ".odt", "OpenDocument text"
    ),
    "application/vnd.oasis.opendocument.spreadsheet": FileType(
        "application/vnd.oasis.opendocument.spreadsheet", ".ods", "OpenDocument spreadsheet"
    ),
    "application/vnd.oasis.opendocument.presentation": FileType(
        "application/vnd.oasis.opendocument.presentation", ".odp", "OpenDocument presentation"
    ),
}
TEXT = FileType("text/plain", ".txt", "plain text")
CSV = FileType("text/csv", ".csv", "CSV file")
# Programs: Windows (MZ), Linux (ELF), macOS (Mach-O, fat binaries), Java classes, scripts.
PROGRAMS = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
# What makes text a web page a browser would render (and run the script of).
WEB_PAGE = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<iframe")

ACCEPTED = (
    "Liaison keeps documents (Word, OpenDocument, PDF), spreadsheets, presentations, images "
    "(PNG, JPEG, GIF, WebP) and plain text."
)


def _refused(why: str) -> ValidationError:
    return ValidationError(f"{why} {ACCEPTED}", code="file_type")


def file_type_of(upload: IO[bytes], name: str) -> FileType:
    """The file's type from its content, or ValidationError saying why it is refused. `name` (as
    uploaded) only picks among the legacy Office formats, which share one container."""
    upload.seek(0)
    head = upload.read(HEAD)
    upload.seek(0)
    extension = os.path.splitext(name)[1].lower()
    if not head:
        raise ValidationError("The file is empty.", code="empty")
    if head.startswith(b"%PDF-"):
        return PDF
    for signature, found in IMAGES.items():
        if head.startswith(signature):
            return found
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(OLE):
        return _legacy_office(upload, extension)
    if head.startswith(b"PK\x03\x04"):
        return _zipped(upload)
    if head.startswith(PROGRAMS):
        raise _refused("This file is a program, whatever its name says: Liaison never keeps one.")
    return _text(head, extension)


def _legacy_office(upload: IO[bytes], extension: str) -> FileType:
    """A Word, Excel or PowerPoint file of before 2007, by its name among the three (the
    container is shared with installers and other programs' files, which are refused), and
    without a macro project: its storage names (UTF-16) are looked for through the whole file,
    a megabyte at a time."""
    found = LEGACY_OFFICE.get(extension)
    if found is None:
        raise _refused("Liaison cannot tell what this file is (an installer, perhaps).")
    tail = b""
    while chunk := upload.read(CHUNK):
        window = tail + chunk
        if any(name in window for name in LEGACY_MACROS):
            upload.seek(0)
            raise _refused(MACROS)
        tail = window[-LONGEST_MACRO_NAME:]
    upload.seek(0)
    return found


def _zipped(upload: IO[bytes]) -> FileType:
    """An Office Open XML or OpenDocument file, told by the parts inside its zip. Nothing is
    unpacked but what is needed, and never more than a few kilobytes of it: a small zip can
    unpack to gigabytes."""
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise _refused("This file holds too many parts to be a document.")
            names = {entry.filename for entry in entries}
            mimetype = _odf_mimetype(archive, names)
            types = ""
            if "[Content_Types].xml" in names:
                with archive.open("[Content_Types].xml") as listing:
                    types = listing.read(CONTENT_TYPES_BYTES).decode("utf-8", "replace").lower()
    except ValidationError:
        raise
    except Exception as error:  # zipfile raises many kinds for a damaged or odd zip
        raise _refused("This file looks damaged: it could not be opened.") from error
    finally:
        upload.seek(0)
    lowered = {name.lower() for name in names}
    if (
        any(name.endswith("vbaproject.bin") or "macrosheets/" in name for name in lowered)
        or any(marker in types for marker in ("macroenabled", "vbaproject", "macrosheet"))
        or any(name.startswith(("basic/", "scripts/")) for name in lowered)
    ):
        raise _refused(MACROS)
    for main_part, found in OPEN_XML.items():
        if main_part in names and "[Content_Types].xml" in names:
            return found
    if mimetype in OPEN_DOCUMENT:
        return OPEN_DOCUMENT[mimetype]
    raise _refused("This file is a zip archive: upload the documents inside it one by one.")


def _odf_mimetype(archive: zipfile.ZipFile, names: set[str]) -> str:
    """An OpenDocument file's type, as its first part says it: stored uncompressed and short,
    as the format requires (anything else is not read)."""
    if "mimetype" not in names:
        return ""
    info = archive.getinfo("mimetype")
    if info.compress_type != zipfile.ZIP_STORED or info.file_size > 200:
        return ""
    with archive.open(info) as part:
        return part.read(200).decode("ascii", "replace")


def _text(head: bytes, extension: str) -> FileType:
    """Plain text (UTF-8, UTF-16 with its byte-order mark, or a Windows code page, as
    spreadsheets save CSV), never a web page: markup from its first character (text that only
    mentions a tag is text; a text file is only ever downloaded, never shown, anyway)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head[2:].decode("utf-16-le" if head[0] == 0xFF else "utf-16-be", "replace").encode()
    if b"\x00" in head:
        raise _refused("Liaison cannot tell what this file is.")
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(b"<") and any(marker in lowered for marker in WEB_PAGE):
        raise _refused("This file is a web page (HTML or SVG), which could run in a browser.")
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The head may end within a character; anything else is not UTF-8.
        if error.start < len(head) - 3:
            text = head.decode("cp1252", "replace")
        else:
            text = head[: error.start].decode("utf-8")
    if any(unicodedata.category(c) == "Cc" and c not in "\t\r\n\f" for c in text):
        raise _refused("Liaison cannot tell what this file is.")
    return CSV if extension == ".csv" else TEXT


def safe_file_name(name: str, extension: str) -> str:
    """The uploaded name, fit to show and to offer for download: no folders, no control
    characters, at most 200 characters, ending in the extension of what the file is."""
    base = os.path.basename(name.replace("\\", "/"))
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip(" .")
    stem = os.path.splitext(base)[0][:200].strip(" .") or "document"
    return f"{stem}{extension}"
