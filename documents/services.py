"""Writing documents: upload, a new version, describe, archive and restore, purge.

The file is checked (documents.checks) before anything is stored, then stored under a random
name through the storage, then its rows are saved in one transaction; if they cannot be, the
file is removed again, so nothing is kept half. Purging removes the files only once the
transaction that records it has committed.
"""

import logging
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from core.tabular import size_error
from documents.checks import FileType, file_type_of, safe_file_name
from documents.models import Document, DocumentVersion, stored_name
from documents.records import attachment_fields

logger = logging.getLogger(__name__)
PURGED = "This document's files were purged: upload it as a new document."


@dataclass(frozen=True)
class Upload:
    """A file as a form received it: its bytes (a file object), its name and its size."""

    file: IO[bytes]
    name: str
    size: int


def file_check(*, upload: Upload) -> FileType:
    """The file's type, or ValidationError: over the size limit (from its size, before a byte
    is read), or a type Liaison does not keep."""
    too_large = size_error(upload.size, settings.LIAISON_DOCUMENT_MAX_BYTES)
    if too_large:
        raise ValidationError(too_large, code="too_large")
    return file_type_of(upload.file, upload.name)


def _stored(upload: Upload, found: FileType) -> str:
    upload.file.seek(0)
    return default_storage.save(stored_name(found.extension), File(upload.file))


def _version(
    document: Document, upload: Upload, found: FileType, name: str, number: int, by: User
) -> DocumentVersion:
    version = DocumentVersion.objects.create(
        document=document,
        number=number,
        file=name,
        file_name=safe_file_name(upload.name, found.extension),
        content_type=found.content_type,
        extension=found.extension,
        size=upload.size,
        uploaded_by=by,
    )
    document.file_name = version.file_name
    document.content_type = version.content_type
    document.size = version.size
    document.versions_count = number
    return version


def document_upload(
    *,
    record: Model,
    upload: Upload,
    kind: str,
    title: str = "",
    description: str = "",
    by: User,
) -> Document:
    """Attach a new document to `record`: its first version, titled after the file unless a
    title is given."""
    found = file_check(upload=upload)
    name = _stored(upload, found)
    try:
        with transaction.atomic():
            file_name = safe_file_name(upload.name, found.extension)
            document = Document.objects.create(
                title=title.strip() or file_name.rsplit(".", 1)[0],
                kind=kind,
                description=description,
                uploaded_by=by,
                file_name=file_name,
                content_type=found.content_type,
                size=upload.size,
                **attachment_fields(record),
            )
            _version(document, upload, found, name, 1, by)
    except BaseException:
        default_storage.delete(name)
        raise
    return document


def document_version_add(*, document: Document, upload: Upload, by: User) -> DocumentVersion:
    """A new version of the document; the old ones stay."""
    if document.is_purged:
        raise ValidationError(PURGED)
    found = file_check(upload=upload)
    name = _stored(upload, found)
    try:
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=document.pk)
            if locked.is_purged:  # meanwhile: the file just stored is removed below
                raise ValidationError(PURGED)
            version = _version(locked, upload, found, name, locked.versions_count + 1, by)
            locked.save(update_fields=["file_name", "content_type", "size", "versions_count"])
    except BaseException:
        default_storage.delete(name)
        raise
    document.refresh_from_db()
    return version


@transaction.atomic
def document_archive(*, document: Document, by: User) -> None:
    """Leave the lists; the document and its files stay, and can be restored."""
    if not document.is_archived:
        document.is_archived = True
        document.archived_at = timezone.now()
        document.save(update_fields=["is_archived", "archived_at", "updated_at"])


@transaction.atomic
def document_restore(*, document: Document, by: User) -> None:
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.is_purged:
        raise ValidationError("A purged document stays archived: its files are gone.")
    locked.is_archived = False
    locked.archived_at = None
    locked.save(update_fields=["is_archived", "archived_at", "updated_at"])
    document.refresh_from_db()


@transaction.atomic
def document_purge(*, document: Document, reason: str, by: User) -> None:
    """Remove the document's files for a legal reason (a manager's decision). The document
    stays, archived, with its versions' names and sizes, who purged it, when and why."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": "Say why the files are purged: it is kept with the record."}
        )
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.is_purged:
        return
    now = timezone.now()
    versions = list(locked.versions.exclude(file=""))
    names = [version.file.name for version in versions]
    DocumentVersion.objects.filter(pk__in=[v.pk for v in versions]).update(file="")
    locked.purged_at, locked.purged_by, locked.purge_reason = now, by, reason
    locked.is_archived, locked.archived_at = True, locked.archived_at or now
    locked.save()
    transaction.on_commit(lambda: _files_delete(names))
    document.refresh_from_db()


def _files_delete(names: list[str]) -> None:
    """Each file on its own: one the storage fails to remove is logged for a person to remove
    by hand, and the others still go."""
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:
            logger.exception("A purged document's file could not be removed: %s", name)


@transaction.atomic
def document_update(*, document: Document, title: str, kind: str, description: str) -> Document:
    """Describe the document anew (its files stay as they are)."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Give the document a title."})
    document.title, document.kind, document.description = title, kind, description
    document.save(update_fields=["title", "kind", "description", "updated_at"])
    return document
