"""What the search page shows of each record found: its title with the words marked, a line
saying what it is, and a few words around the first word found in its longer text."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

from django.core.paginator import Page
from django.db import connection, models
from django.db.models import Choices, F, QuerySet
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from core.http import COUNT_LIMIT, paginate, pk_url
from core.prepared import Prepared
from core.rows import escape, local, short_date
from documents.models import Document
from outreach.models import Meeting, Touchpoint
from partners.models import Affiliation, Contact, Organization, Stage
from programs.models import Program
from search import selectors
from search.kinds import BY_KEY, KINDS, Kind
from search.marks import excerpt, has_a_word, marked
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


# A contact's roles, current first (the primary one first, then by the organization's name),
# then those that ended, latest first: a found contact is shown with those whose title has a
# word looked for (they may have been found by them: two at most), else with the first. One
# query for the contacts shown, after them (as a subquery of theirs, it took longer to plan
# than to run).
ROLES = Prepared(
    lambda contact_ids: (
        Affiliation.objects.filter(contact_id__any_of=contact_ids)
        .order_by(
            "contact_id", F("end_date").desc(nulls_first=True), "-is_primary", "organization__name"
        )
        .values_list("contact_id", "title", "organization__name", "end_date")
    )
)


def _with_roles(contacts: list[dict[str, Any]], wanted: set[str]) -> list[dict[str, Any]]:
    roles: dict[int, list[tuple[str, str, Any]]] = {}
    if contacts:
        ids = [contact["id"] for contact in contacts]
        for contact_id, *role in ROLES.rows(limit=None, contact_ids=ids):
            roles.setdefault(contact_id, []).append(tuple(role))
    for contact in contacts:
        held = roles.get(contact["id"], [])
        found = [role for role in held if has_a_word(role[0], wanted)][:2]
        contact["roles"] = found or held[:1]
    return contacts


def _label(choices: type[Choices], value: str) -> str:
    """A choice's label, or the value itself where it is none of them (as get_FOO_display)."""
    return str(_labels(choices).get(value, value))


@cache
def _labels(choices: type[Choices]) -> dict[str, Any]:
    # The labels as written in the class (translated when shown, by str()).
    return dict(choices.choices)


def _organization(row: dict[str, Any]) -> str:
    return f"{_label(Organization.Kind, row['kind'])} · {_label(Stage, row['stage'])}"


def _role(title: str, organization: str, ended: Any) -> str:
    role = ", ".join(part for part in (title, organization) if part)
    return f"{role} (until {short_date(ended)})" if role and ended else role


def _contact(row: dict[str, Any]) -> str:
    roles = "; ".join(filter(None, (_role(*role) for role in row["roles"])))
    return " · ".join(part for part in (roles, row["email"]) if part) or "Contact"


def _touchpoint(row: dict[str, Any]) -> str:
    channel = _label(Touchpoint.Channel, row["channel"])
    return f"{short_date(row['occurred_on'])} · {channel} · {row['organization__name']}"


def _meeting(row: dict[str, Any]) -> str:
    day, status = short_date(local(row["starts_at"])), _label(Meeting.Status, row["status"])
    return f"{day} · {status} · {row['organization__name']}"


def _program(row: dict[str, Any]) -> str:
    return f"{_label(Program.Kind, row['kind'])} · {_label(Program.Status, row['status'])}"


def _document(row: dict[str, Any]) -> str:
    return f"{_label(Document.Kind, row['kind'])} · {row['file_name']}"


@dataclass(frozen=True)
class Shown:
    """What a result shows of a record of a kind: its page, the line under its title
    (`detail`), and the columns that line reads besides the kind's words (search.kinds)."""

    url_name: str
    detail: Callable[[dict[str, Any]], str]
    columns: tuple[str, ...] = ()


SHOWN = {
    "organizations": Shown(
        "partners:organization_detail", _organization, ("kind", "stage", "is_archived")
    ),
    "contacts": Shown("partners:contact_detail", _contact),
    "touchpoints": Shown(
        "outreach:touchpoint_detail", _touchpoint, ("occurred_on", "channel", "organization__name")
    ),
    "meetings": Shown(
        "outreach:meeting_detail", _meeting, ("starts_at", "status", "organization__name")
    ),
    "programs": Shown("programs:program_detail", _program, ("kind", "status")),
    "documents": Shown("documents:document_detail", _document, ("kind", "file_name")),
}


def _fields(kind: Kind) -> tuple[str, ...]:
    return ("id", *SHOWN[kind.key].columns, *kind.text_columns())


def _records(kind: Kind) -> QuerySet:
    """The records of a kind as rows of what a result shows of them, and nothing more (read
    as values: a search's thirty results are no records to change)."""
    records: QuerySet
    if kind.model is Document:
        records = Document.objects.current()
    else:
        records = kind.model._default_manager.all()
    return records.values_list(*_fields(kind))


def _as_dicts(kind: Kind, rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    # Each row: the fields, then what it was ordered by (a rank, a likeness), left out here.
    fields = _fields(kind)
    return [dict(zip(fields, row[: len(fields)], strict=True)) for row in rows]


def _hit(kind: Kind, row: dict[str, Any], wanted: set[str]) -> Hit:
    title_column = kind.columns["A"][0]
    rest = [row[c] or "" for c in kind.text_columns() if c != title_column]
    if kind.model is Contact:
        rest = []  # the email is in the line under the name
    shown = SHOWN[kind.key]
    return Hit(
        url=pk_url(shown.url_name, row["id"]),
        title=marked(row[title_column] or "", wanted),
        # A contact may be found by their title, said in this line.
        detail=marked(shown.detail(row), wanted if kind.model is Contact else set()),
        excerpt=excerpt(rest, wanted),
        archived=bool(row.get("is_archived")),
    )


def _hits(kind: Kind, found: list[dict[str, Any]], wanted: set[str]) -> list[Hit]:
    if kind.model is Contact:
        found = _with_roles(found, wanted)
    return [_hit(kind, row, wanted) for row in found]


def _first(kind: Kind, words: str, wanted: str = "") -> QuerySet:
    asked = selectors.Asked(words=words, wanted=wanted)
    return selectors.first(kind, asked, _records(kind), top=PER_KIND + 1)


# PostgreSQL: the first results of each kind through a query compiled once per process
# (core.prepared), what is asked its only values; sent as SQL, not prepared on the server, so
# that each is planned for the words asked. A search's best plan depends on how many records
# hold them: a word in a few touchpoints is found through the GIN index, one in thousands by
# reading the newest touchpoints until six have it (a tenth of the time of the other way, and
# a thousand times it for a rare word: the planner's figures for the words, search/migrations,
# tell the two apart).
FIRST = {kind.key: Prepared(partial(_first, kind), on_server=False) for kind in KINDS}


def _values(kind: Kind, asked: selectors.Asked) -> dict[str, Any]:
    if selectors.ranked(kind):
        return {"words": asked.words, "wanted": asked.wanted}
    return {"words": asked.words}


def _first_rows(asked: selectors.Asked) -> dict[str, list[dict[str, Any]]]:
    """Each kind's first rows, a few more than shown (whether there are more), as dicts.

    PostgreSQL: every kind's in one query, a UNION ALL of each kind's own (its rows as JSON,
    the kind's number before them), whose parts PostgreSQL plans each as it would alone and
    runs in turn: one statement, not six (0.7 to 1.1 ms less a search at 10,000
    organizations, of about 4 for the six)."""
    if asked.query is not None:  # SQLite: its SQL is written from the query
        top = PER_KIND + 1
        return {
            kind.key: _as_dicts(
                kind, list(selectors.first(kind, asked, _records(kind), top=top)[:top])
            )
            for kind in KINDS
        }
    parts, params = [], []
    for number, kind in enumerate(KINDS):
        sql, values = FIRST[kind.key].sql(limit=PER_KIND + 1, **_values(kind, asked))
        parts.append(f"(SELECT {number}, row_to_json(found.*) FROM ({sql}) found)")
        params.extend(values)
    found: dict[str, list[dict[str, Any]]] = {kind.key: [] for kind in KINDS}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for number, row in cursor.fetchall():
            kind = KINDS[number]
            for name, read in _read_from_json(kind.key):
                if row[name] is not None:
                    row[name] = read(row[name])
            found[kind.key].append(row)
    return found


# What JSON gives as it was (text, numbers, true and false), and what it gives as text.
AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)
AS_TEXT = {models.DateTimeField: dt.datetime.fromisoformat, models.DateField: dt.date.fromisoformat}


@cache
def _read_from_json(key: str) -> tuple[tuple[str, Callable[[str], Any]], ...]:
    """The columns of a kind's rows that JSON gives as text (dates, moments), each with what
    reads it back; a column of any other type but those JSON keeps is refused."""
    kind = BY_KEY[key]
    readers = []
    for name in _fields(kind):
        field = _field(kind.model, name)
        read = next((read for cls, read in AS_TEXT.items() if isinstance(field, cls)), None)
        if read is not None:
            readers.append((name, read))
        elif not isinstance(field, AS_IS):
            raise TypeError(f"{key}.{name}: JSON would not give a {type(field).__name__} back.")
    return tuple(readers)


def _field(model: Any, path: str) -> models.Field:
    *through, last = path.split("__")
    for name in through:
        model = model._meta.get_field(name).related_model
    return model._meta.get_field(last)


# A mistyped name of one word ("tamarak"), the usual one, through a prepared query too.
NAMED_LIKE = {
    kind.key: Prepared(lambda word, kind=kind: selectors.named_like(_records(kind), word))
    for kind in selectors.SIMILAR_KINDS
}


def _named_like_rows(kind: Kind, words: list[str]) -> list[Any]:
    if len(words) == 1:
        return NAMED_LIKE[kind.key].rows(limit=PER_KIND + 1, word=words[0])
    if words:
        return list(selectors.named_like(_records(kind), *words)[: PER_KIND + 1])
    return []


def search_groups(query: Query) -> list[Group]:
    """The first few records of each kind that hold the query; a kind none holds is left out.
    When no kind has any, the organizations and contacts whose names look like what was typed
    (a mistyped name: "tamarak"). One query for every kind (and one for the roles of the
    contacts found), and one per kind with names after that."""
    wanted = query.wanted()
    asked = selectors.asked(query)
    groups = []
    found = _first_rows(asked)
    for kind in KINDS:
        rows = found[kind.key]
        if rows:
            hits = _hits(kind, rows[:PER_KIND], wanted)
            groups.append(Group(kind, hits, more=len(rows) > PER_KIND))
    if groups:
        return groups
    for kind in KINDS:
        alike = _named_like_rows(kind, selectors.similar(kind, query) or [])
        if alike:
            hits = _hits(kind, _as_dicts(kind, alike[:PER_KIND]), wanted)
            groups.append(Group(kind, hits, more=len(alike) > PER_KIND, similar=True))
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
    hits = _hits(kind, _as_dicts(kind, list(page.object_list)), wanted)
    return page, Group(kind, hits, more=page.has_next(), similar=similar)
