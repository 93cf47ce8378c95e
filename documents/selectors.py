"""Reading documents: a record's, everyone's (searched and filtered), one with its versions."""

from functools import cache
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Model, Q, QuerySet, Value

from core.prepared import Prepared
from documents.models import Document, DocumentVersion
from documents.records import KINDS, KINDS_BY_MODEL, RecordKind, kind_of

# A record's page lists its newest documents and links to the rest.
RECORD_LIMIT = 10
LIST_COLUMNS = (
    "title",
    "kind",
    "file_name",
    "size",
    "created_at",
    "is_archived",
    "purged_at",
    "organization_id",
    "contact_id",
    "record_type_id",
    "record_id",
    "uploaded_by__first_name",
    "uploaded_by__last_name",
    "uploaded_by__username",
    "organization__name",
    "contact__name",
)


def _listed(documents: QuerySet[Document]) -> QuerySet[Document]:
    return documents.select_related("uploaded_by", "organization", "contact").only(*LIST_COLUMNS)


def documents_of(record: Model) -> list[Document]:
    """The record's newest documents (RECORD_LIMIT, and one more to know whether there are
    more), archived ones left out; an organization's include those on its touchpoints and
    meetings. One query, compiled once per process (core.prepared): every record page reads it."""
    kind = kind_of(record)
    if kind.name in ("organization", "contact"):
        prepared = _OF_PARTNER if kind.name == "organization" else _OF_CONTACT
        return prepared.objects(record_id=record.pk)
    meta = record._meta
    return _of_record(meta.app_label, meta.model_name or "").objects(record_id=record.pk)


def _shown(documents: QuerySet[Document]) -> QuerySet[Document]:
    """What a record's Documents section shows of each."""
    current = documents.filter(is_archived=False).only("title", "kind", "created_at", "size")
    return current.order_by("-created_at", "-id")[: RECORD_LIMIT + 1]


_OF_PARTNER = Prepared(lambda record_id: _shown(Document.objects.filter(organization_id=record_id)))
_OF_CONTACT = Prepared(lambda record_id: _shown(Document.objects.filter(contact_id=record_id)))


@cache
def _of_record(app_label: str, model_name: str) -> Prepared:
    """A touchpoint's, a meeting's or a program's: by its content type's names, a join (no
    lookup of the type's id that only a first visit, before ContentType's cache, would pay)."""
    return Prepared(
        lambda record_id: _shown(
            Document.objects.filter(
                record_type__app_label=app_label,
                record_type__model=model_name,
                record_id=record_id,
            )
        )
    )


def document_search(filters: dict[str, Any]) -> QuerySet[Document]:
    """Every document, newest first: words in the title, description or file name (`q`), a
    kind, a partner; archived ones only when asked (`archived`)."""
    found = Document.objects.all()
    if filters.get("nothing"):
        return _listed(found.none())
    if filters.get("to") and filters.get("of"):
        found = found.filter(_of_record_filter(filters["to"], filters["of"]))
    if not filters.get("archived"):
        found = found.current()
    if words := (filters.get("q") or "").split():
        for word in words[:10]:
            found = found.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(file_name__icontains=word)
            )
    if filters.get("kind"):
        found = found.filter(kind=filters["kind"])
    if filters.get("organization"):
        found = found.filter(organization=filters["organization"])
    return _listed(found).order_by("-created_at", "-id")


def _of_record_filter(kind_name: str, pk: int) -> Q:
    """A record's documents (`?to=meeting&of=7`), as its Documents section lists them."""
    kind = KINDS[kind_name]
    if kind.name in ("organization", "contact"):
        return Q(**{f"{kind.name}_id": pk})
    app_label, model = kind.model.lower().split(".")
    return Q(record_type__app_label=app_label, record_type__model=model, record_id=pk)


def document_page(pk: int) -> Document | None:
    """A document with who uploaded and who purged it. The record it is on is read apart, by
    record_of_document: one query whatever its kind."""
    return Document.objects.select_related("uploaded_by", "purged_by").filter(pk=pk).first()


def record_of_document(document: Document) -> Model | None:
    """The touchpoint, meeting or program it is on, else its contact, else its partner: one
    query (a document on a touchpoint names the touchpoint's partner too; the touchpoint wins)."""
    return document.record or document.contact or document.organization


def versions_of(document: Document) -> QuerySet[DocumentVersion]:
    """Every version of the document, newest first, with who uploaded it."""
    return document.versions.select_related("uploaded_by").order_by("-number")


def record_titles(documents: list[Document]) -> dict[tuple[int, int], tuple[RecordKind, str]]:
    """The kind and title of each touchpoint, meeting or program these documents are on, by
    (content type id, record id): one query (a UNION over the kinds), none if there are none."""
    wanted: dict[int, set[int]] = {}
    for document in documents:
        if document.record_type_id is not None and document.record_id is not None:
            wanted.setdefault(document.record_type_id, set()).add(document.record_id)
    if not wanted:
        return {}
    parts = []
    kinds: dict[int, RecordKind] = {}
    for type_id, ids in sorted(wanted.items()):
        content_type = ContentType.objects.get_for_id(type_id)
        kind = kinds[type_id] = KINDS_BY_MODEL[f"{content_type.app_label}.{content_type.model}"]
        parts.append(
            kind.model_class()
            ._default_manager.filter(pk__in=sorted(ids))
            .annotate(type_id=Value(type_id), shown=F(kind.title))
            .values_list("type_id", "pk", "shown")
            .order_by()
        )
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return {(type_id, pk): (kinds[type_id], str(shown)) for type_id, pk, shown in rows}
