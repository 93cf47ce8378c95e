"""The documents list's rows and a document's versions, written in Python (core/rows.py says
why)."""

from collections.abc import Iterable

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.safestring import SafeString, mark_safe

from core.http import pk_url
from core.people import display_name
from core.rows import escape, local, muted, short_date
from documents.models import Document, DocumentVersion
from documents.records import RecordKind
from documents.selectors import record_titles

register = template.Library()

Titles = dict[tuple[int, int], tuple[RecordKind, str]]

DOCUMENT_KINDS = dict(Document.Kind.choices)


def size_text(size: int) -> str:
    return str(filesizeformat(size)).replace("\xa0", " ")


def _record_cell(document: Document, titles: Titles) -> str:
    links = []
    if document.organization is not None:
        url = pk_url("partners:organization_detail", document.organization.pk)
        links.append(f'<a href="{url}">{escape(document.organization.name)}</a>')
    if document.contact is not None:
        url = pk_url("partners:contact_detail", document.contact.pk)
        links.append(f'<a href="{url}">{escape(document.contact.name)}</a>')
    if document.record_type_id is not None and document.record_id is not None:
        found = titles.get((document.record_type_id, document.record_id))
        if found is not None:
            kind, title = found
            url = pk_url(kind.detail, document.record_id)
            links.append(f'{kind.label.capitalize()}: <a href="{url}">{escape(title)}</a>')
    return " · ".join(links) or muted("None")


def _document_row(document: Document, titles: Titles) -> str:
    title = escape(document.title)
    badges = ""
    if document.purged_at is not None:
        badges = ' <span class="badge text-bg-danger">Files purged</span>'
    elif document.is_archived:
        badges = ' <span class="badge text-bg-secondary">Archived</span>'
    who = escape(display_name(document.uploaded_by)) if document.uploaded_by_id else "former staff"
    return (
        "<tr>"
        f'<td data-label="Title"><a href="{document.get_absolute_url()}" class="fw-semibold">'
        f"{title}</a>{badges}"
        f'<div class="small text-body-secondary">{escape(document.file_name)}</div></td>'
        f'<td data-label="Kind">{escape(DOCUMENT_KINDS.get(document.kind, document.kind))}</td>'
        f'<td data-label="Record">{_record_cell(document, titles)}</td>'
        f'<td data-label="Uploaded">{short_date(local(document.created_at))}'
        f'<div class="small text-body-secondary">{who}</div></td>'
        f'<td data-label="Size" class="text-end">{size_text(document.size)}</td>'
        "</tr>\n"
    )


@register.simple_tag
def document_rows(documents: Iterable[Document]) -> SafeString:
    """The <tr>s of the documents list (documents/document_list.html), each with the record it
    is on: a partner, a contact, or a touchpoint, meeting or program by its title."""
    shown = list(documents)
    titles = record_titles(shown)
    html = "".join(_document_row(document, titles) for document in shown)
    return mark_safe(html)  # noqa: S308 — every text from the database is escaped above


def _version_row(version: DocumentVersion) -> str:
    who = escape(display_name(version.uploaded_by)) if version.uploaded_by_id else "former staff"
    name = escape(version.file_name)
    if version.file:
        url = pk_url("documents:version_download", version.pk)
        file_cell = f'<a href="{url}">{name}</a>'
    else:
        file_cell = f"{name} {muted('(purged)')}"
    return (
        "<tr>"
        f'<td data-label="Version">{version.number}</td>'
        f'<td data-label="File">{file_cell}</td>'
        f'<td data-label="Size">{size_text(version.size)}</td>'
        f'<td data-label="Uploaded">{short_date(local(version.uploaded_at))} · {who}</td>'
        "</tr>\n"
    )


@register.simple_tag
def version_rows(versions: Iterable[DocumentVersion]) -> SafeString:
    """The <tr>s of a document's versions, newest first (documents/document_detail.html)."""
    html = "".join(_version_row(version) for version in versions)
    return mark_safe(html)  # noqa: S308 — every text from the database is escaped above


def _document_item(document: Document) -> str:
    """One document on its record's page: its title, kind, date and size."""
    kind = escape(DOCUMENT_KINDS.get(document.kind, document.kind))
    return (
        f'<li class="mb-1"><a href="{document.get_absolute_url()}">{escape(document.title)}</a>'
        f' <span class="text-body-secondary">· {kind} · {short_date(local(document.created_at))}'
        f" · {size_text(document.size)}</span></li>\n"
    )


@register.simple_tag
def document_items(documents: Iterable[Document]) -> SafeString:
    """The <li>s of a record's documents (documents/panels/record_documents.html)."""
    html = "".join(_document_item(document) for document in documents)
    return mark_safe(html)  # noqa: S308 — every text from the database is escaped above
