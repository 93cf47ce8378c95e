"""The records a document can be attached to, by the name forms and addresses use.

Organizations and contacts are this app's foreign keys; touchpoints, meetings, programs and
agreements belong to apps above this one, so they are found by app label and model name (never
imported) and named by content type and id.
"""

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from core.http import pk_url, record_number


@dataclass(frozen=True)
class RecordKind:
    name: str
    label: str  # "organization", as a sentence says it
    model: str  # app_label.ModelName
    detail: str  # the view of its page, for links
    title: str = "name"  # the field that names a record

    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)


KINDS = {
    kind.name: kind
    for kind in (
        RecordKind(
            "organization", "organization", "partners.Organization", "partners:organization_detail"
        ),
        RecordKind("contact", "contact", "partners.Contact", "partners:contact_detail"),
        RecordKind(
            "touchpoint",
            "touchpoint",
            "outreach.Touchpoint",
            "outreach:touchpoint_detail",
            "subject",
        ),
        RecordKind("meeting", "meeting", "outreach.Meeting", "outreach:meeting_detail", "title"),
        RecordKind("program", "program", "programs.Program", "programs:program_detail", "title"),
        RecordKind(
            "agreement", "agreement", "agreements.Agreement", "agreements:agreement_detail", "title"
        ),
    )
}

# By "app_label.modelname", as ContentType names them.
KINDS_BY_MODEL = {kind.model.lower(): kind for kind in KINDS.values()}


def record_of(kind_name: str, pk: Any) -> Model | None:
    """The record a form or an address names (`?to=touchpoint&of=7`), or None."""
    kind, number = KINDS.get(kind_name), record_number(pk)
    if kind is None or number is None:
        return None
    return kind.model_class()._default_manager.filter(pk=number).first()


def kind_of(record: Model) -> RecordKind:
    label = record._meta.label
    for kind in KINDS.values():
        if kind.model == label:
            return kind
    raise ValueError(f"Documents are not attached to a {label}.")


def attachment_fields(record: Model) -> dict[str, Any]:
    """The document's fields that attach it to `record` (and to a touchpoint's or meeting's
    organization, so that the partner's page and timeline show it too)."""
    kind = kind_of(record)
    if kind.name in ("organization", "contact"):
        return {kind.name: record}
    # The partner a record belongs to (a touchpoint's, a meeting's) or names
    # (an agreement's `document_organization_id`).
    partner = getattr(record, "organization_id", None) or getattr(
        record, "document_organization_id", None
    )
    return {
        "record_type": ContentType.objects.get_for_model(record),
        "record_id": record.pk,
        "organization_id": partner,
    }


def record_url(record: Model) -> str:
    return pk_url(kind_of(record).detail, record.pk)


def record_title(record: Model) -> str:
    """How a list names the record: its name, subject or title (RecordKind.title)."""
    return str(getattr(record, kind_of(record).title, "") or record)
