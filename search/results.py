"""What the search page shows of each record found: its title with the words marked, a line
saying what it is, and a few words around the first word found in its longer text."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.paginator import Page
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from core.http import COUNT_LIMIT, paginate, pk_url
from core.prepared import Prepared
from core.rows import escape, local, short_date
from documents.models import Document
from outreach.models import Meeting, Touchpoint
from partners.models import Affiliation, Contact, Organization
from programs.models import Program
from search import selectors
from search.kinds import KINDS, Kind
from search.marks import excerpt, marked
from search.words import Query

PER_KIND = 5
PER_PAGE = 25


@dataclass(frozen=True)
class Hit:
    url: str
    title: SafeString
    detail: SafeString
    excerpt: SafeString
    archived: bool = False

    def html(self) -> str:
        """The result's list item, written here rather than by the template engine (core.rows:
        a tenth of the time, for up to thirty results a page)."""
        archived = ' <span class="badge text-bg-secondary">Archived</span>' if self.archived else ""
        text = f'<div class="small search-excerpt">{self.excerpt}</div>' if self.excerpt else ""
        return (
            f'<li><a href="{escape(self.url)}" class="fw-semibold">{self.title}</a>{archived}'
            f'<div class="small text-body-secondary">{self.detail}</div>{text}</li>'
        )


@dataclass(frozen=True)
class Group:
    kind: Kind
    hits: list[Hit]
    more: bool
    # Found by a name that looks like what was typed, not by the words themselves.
    similar: bool = False

    @property
    def items(self) -> SafeString:
        return mark_safe("".join(hit.html() for hit in self.hits))  # noqa: S308 - Hit.html


def _current(field: str) -> Subquery:
    """Of a contact's current affiliations, the primary one's `field` (else the first's)."""
    affiliations = Affiliation.objects.current().filter(contact=OuterRef("pk"))
    return Subquery(affiliations.order_by("-is_primary", "organization__name").values(field)[:1])


def _records(kind: Kind) -> QuerySet:
    """The records of a kind with what a result shows of them, and nothing more."""
    text = kind.text_columns()
    if kind.model is Organization:
        return Organization.objects.only("kind", "stage", "is_archived", *text)
    if kind.model is Contact:
        return Contact.objects.only(*text).annotate(
            title_at=_current("title"), organization_name=_current("organization__name")
        )
    if kind.model is Touchpoint:
        fields = ("occurred_on", "channel", "organization__name", *text)
        return Touchpoint.objects.select_related("organization").only(*fields)
    if kind.model is Meeting:
        fields = ("starts_at", "status", "organization__name", *text)
        return Meeting.objects.select_related("organization").only(*fields)
    if kind.model is Program:
        return Program.objects.only("kind", "status", *text)
    return Document.objects.current().only("kind", "file_name", "created_at", *text)


def _organization(record: Any) -> str:
    return f"{record.get_kind_display()} · {record.get_stage_display()}"


def _contact(record: Any) -> str:
    role = ", ".join(part for part in (record.title_at, record.organization_name) if part)
    return " · ".join(part for part in (role, record.email) if part) or "Contact"


def _touchpoint(record: Any) -> str:
    day = short_date(record.occurred_on)
    return f"{day} · {record.get_channel_display()} · {record.organization.name}"


def _meeting(record: Any) -> str:
    day = short_date(local(record.starts_at))
    return f"{day} · {record.get_status_display()} · {record.organization.name}"


def _program(record: Any) -> str:
    return f"{record.get_kind_display()} · {record.get_status_display()}"


def _document(record: Any) -> str:
    return f"{record.get_kind_display()} · {record.file_name}"


DETAILS: dict[str, Callable[[Any], str]] = {
    "organizations": _organization,
    "contacts": _contact,
    "touchpoints": _touchpoint,
    "meetings": _meeting,
    "programs": _program,
    "documents": _document,
}


def _url(kind: Kind, record: Any) -> str:
    if kind.model is Touchpoint:
        return pk_url("outreach:touchpoint_detail", record.pk)
    return record.get_absolute_url()


def _hit(kind: Kind, record: Any, wanted: set[str]) -> Hit:
    title_column = kind.columns["A"][0]
    rest = [getattr(record, c) or "" for c in kind.text_columns() if c != title_column]
    if kind.model is Contact:
        rest = []  # the email is in the line under the name
    return Hit(
        url=_url(kind, record),
        title=marked(getattr(record, title_column), wanted),
        # A contact may be found by their title, said in this line.
        detail=marked(DETAILS[kind.key](record), wanted if kind.model is Contact else set()),
        excerpt=excerpt(rest, wanted),
        archived=kind.model is Organization and record.is_archived,
    )


def _first(kind: Kind, words: str, named: str = "") -> QuerySet:
    asked = selectors.Asked(words=words, named=named)
    return selectors.matching(kind, asked, _records(kind), top=PER_KIND + 1)


# PostgreSQL: the first results of each kind through a query compiled once per process and
# prepared on the server (core.prepared), what is asked its only values.
FIRST = {
    kind.key: Prepared(partial(_first, kind))
    if selectors.ranked(kind)
    else Prepared(lambda words, kind=kind: _first(kind, words))
    for kind in KINDS
}


def _first_rows(kind: Kind, asked: selectors.Asked) -> list[Any]:
    if asked.query is not None:  # SQLite: its SQL is written from the query
        found = selectors.matching(kind, asked, _records(kind), top=PER_KIND + 1)
        return list(found[: PER_KIND + 1])
    first = FIRST[kind.key]
    if selectors.ranked(kind):
        return first.objects(limit=PER_KIND + 1, words=asked.words, named=asked.named)
    return first.objects(limit=PER_KIND + 1, words=asked.words)


# A mistyped name of one word ("tamarak"), the usual one, through a prepared query too.
NAMED_LIKE = {
    kind.key: Prepared(lambda word, kind=kind: selectors.named_like(_records(kind), word))
    for kind in selectors.SIMILAR_KINDS
}


def _named_like_rows(kind: Kind, words: list[str]) -> list[Any]:
    if len(words) == 1:
        return NAMED_LIKE[kind.key].objects(limit=PER_KIND + 1, word=words[0])
    if words:
        return list(selectors.named_like(_records(kind), *words)[: PER_KIND + 1])
    return []


def search_groups(query: Query) -> list[Group]:
    """The first few records of each kind that hold the query; a kind none holds is left out.
    When no kind has any, the organizations and contacts whose names look like what was typed
    (a mistyped name: "tamarak"). One query per kind, and one per kind with names after that."""
    wanted = query.wanted()
    asked = selectors.asked(query)
    groups = []
    with selectors.planned_for_these_words():
        found = [(kind, _first_rows(kind, asked)) for kind in KINDS]
    for kind, rows in found:
        if rows:
            hits = [_hit(kind, row, wanted) for row in rows[:PER_KIND]]
            groups.append(Group(kind, hits, more=len(rows) > PER_KIND))
    if groups:
        return groups
    for kind in KINDS:
        rows = _named_like_rows(kind, selectors.similar(kind, query) or [])
        if rows:
            hits = [_hit(kind, row, wanted) for row in rows[:PER_KIND]]
            groups.append(Group(kind, hits, more=len(rows) > PER_KIND, similar=True))
    return groups


def search_page(request: HttpRequest, query: Query, kind: Kind) -> tuple[Page, Group]:
    """A page of the records of one kind that hold the query (or, none holding it, of those
    with a name like it)."""
    records = _records(kind)
    found = selectors.matching(kind, selectors.asked(query), records)
    page = paginate(request, found, PER_PAGE, count_limit=COUNT_LIMIT)
    similar = False
    if not page.object_list and (words := selectors.similar(kind, query)):
        alike = selectors.named_like(records, *words)
        page = paginate(request, alike, PER_PAGE, count_limit=COUNT_LIMIT)
        similar = True
    wanted = query.wanted()
    hits = [_hit(kind, row, wanted) for row in page.object_list]
    return page, Group(kind, hits, more=page.has_next(), similar=similar)
