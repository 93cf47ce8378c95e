"""The Documents section of the pages of organizations, contacts, touchpoints and programs:
their newest documents and a form to upload one (a meeting's page includes the same section:
outreach.views.meetings)."""

from typing import Any
from urllib.parse import urlencode

from django.db.models import Model
from django.http import HttpRequest
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.panels import panel
from core.templatetags.liaison import fixed_url
from documents.forms import FILE_HELP
from documents.models import Document
from documents.records import kind_of, record_title
from documents.selectors import RECORD_LIMIT, documents_of


def documents_section(record: Model) -> dict[str, Any]:
    """The section's context for `record`: up to RECORD_LIMIT documents, one query."""
    kind = kind_of(record)
    shown = documents_of(record)
    query = urlencode({"to": kind.name, "of": record.pk})
    # A partner's list has its own filter (its touchpoints' and meetings' documents too).
    if kind.name == "organization":
        all_url = f"{fixed_url('documents:document_list')}?organization={record.pk}"
    else:
        all_url = f"{fixed_url('documents:document_list')}?{query}"
    more = len(shown) > RECORD_LIMIT
    return {
        "documents": shown[:RECORD_LIMIT],
        "documents_more": more,
        "documents_shown": RECORD_LIMIT,
        # Every partner's page links to its list; another record's when it has more than shown.
        "documents_all_url": all_url if (kind.name == "organization" and shown) or more else "",
        "documents_record_title": record_title(record),
        "documents_upload_url": f"{fixed_url('documents:document_upload')}?{query}",
        "documents_kinds": KIND_OPTIONS,
        "documents_file_help": FILE_HELP,
    }


TEMPLATE = "documents/panels/record_documents.html"
# The kind's <option>s, "Other" chosen: the same on every page, written once.
KIND_OPTIONS = mark_safe(  # noqa: S308 — our own labels, escaped
    "".join(
        f'<option value="{value}"{" selected" if value == "other" else ""}>{escape(label)}</option>'
        for value, label in Document.Kind.choices
    )
)


# On a partner's page a moment after the page (deferred): the page's own response is at its
# budget (make bench-pages), and its documents are not what it is opened for first.
@panel(
    page="organization",
    slot="side",
    order=25,
    template=TEMPLATE,
    deferred=True,
    title="Documents",
)
def organization_documents(request: HttpRequest, organization: Model) -> dict[str, Any]:
    return documents_section(organization)


@panel(page="contact", slot="main", order=40, template=TEMPLATE)
def contact_documents(request: HttpRequest, contact: Model) -> dict[str, Any]:
    return documents_section(contact)


@panel(page="touchpoint", slot="main", order=40, template=TEMPLATE)
def touchpoint_documents(request: HttpRequest, touchpoint: Model) -> dict[str, Any]:
    return documents_section(touchpoint)


@panel(page="program", slot="side", order=40, template=TEMPLATE)
def program_documents(request: HttpRequest, program: Model) -> dict[str, Any]:
    return documents_section(program)
