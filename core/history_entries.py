"""Reading the change history: who changed what and when, from what to what.

The History panels (an organization's, a contact's and a program's page) and their full,
paginated pages show one list, newest first, that may mix several historical tables: an
organization's own changes with those of its contacts' roles. Each change is compared with the
row before it of the same record (simple-history's `diff_against`). Whatever the number of
changes shown, the queries are fixed: the page of changes (one UNION), for each table its rows
with the rows before them (one query), and the names of the related records the changes mention
(one per kind: staff, contacts, organizations…). A panel skips the UNION (each table's latest
rows, merged in Python) and the names of the records its page has already loaded.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.paginator import Page, Paginator
from django.db import connection, models
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from simple_history.utils import get_app_model_primary_key_name

from core.people import display_name
from core.rows import clock

PAGE_SIZE = 25
RECENT = 10
# Long texts (a mission, notes) are cut to this many characters in the list.
SHORT_TEXT = 80
EMPTY = "—"
ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass(frozen=True)
class HistorySource:
    """Rows of one historical table to show (`rows`, e.g. one organization's).

    `about` names what a row is about when it is not the page's own record: ("Role of",
    "contact") shows an affiliation's changes as "Role of Maria Lopez". `hidden` fields are left
    out of the changes (those that only follow another, like the date of an archiving).
    """

    rows: QuerySet
    about: tuple[str, str] | None = None
    hidden: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: dt.datetime
    who: AbstractBaseUser | None
    action: str
    subject: str
    reason: str
    changes: tuple[FieldChange, ...]

    @property
    def headline(self) -> str:
        """ "Changed", "Created · Imported from partners.csv", or the reason alone for a change
        that lists no field (the first row of a history, a merge that kept every value)."""
        if self.action == ACTIONS["~"] and not self.changes:
            # Saved as it was, or only what is not recorded changed (focus areas).
            return self.reason or "Saved (no change to the recorded fields)"
        return f"{self.action} · {self.reason}" if self.reason else self.action


def _keys(sources: Sequence[HistorySource]) -> QuerySet:
    """Every row of the sources, newest first, as {"history_date", "history_id", "source"}."""
    parts = [
        source.rows.order_by()
        .annotate(source=Value(index, output_field=IntegerField()))
        .values("history_date", "history_id", "source")
        for index, source in enumerate(sources)
    ]
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined.order_by("-history_date", "-history_id", "-source")


def _with_previous(model: type[models.Model], ids: list[int] | QuerySet) -> list[Any]:
    """The historical rows `ids` (a list, or a query of them), each with `previous`: the row
    before it of its record (for a change; None for a creation, a deletion or a record's first
    row). One query: the rows and the rows before them, found by a subquery."""
    pk_name = get_app_model_primary_key_name(model.instance_type)  # type: ignore[attr-defined]
    manager = model._default_manager
    if isinstance(ids, QuerySet) and connection.features.supports_slicing_ordering_in_compound:
        wanted = ids  # PostgreSQL takes the latest rows' query as it is, in the UNION below
    else:  # a list, or SQLite: the query once more around it
        wanted = manager.filter(history_id__in=ids).order_by().values("history_id")
    before = (
        manager.filter(**{pk_name: OuterRef(pk_name)})
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    previous_ids = (
        manager.filter(history_id__in=wanted, history_type="~")
        .order_by()
        .annotate(previous_id=Subquery(before))
        .values("previous_id")
    )
    # One IN over a UNION, not two INs joined by OR: PostgreSQL reads an OR of subqueries by
    # scanning the whole historical table, this through its primary key.
    fetched = (
        manager.filter(history_id__in=wanted.union(previous_ids, all=True))
        .order_by()  # sorted below
        .annotate(is_wanted=ExpressionWrapper(Q(history_id__in=ids), output_field=BooleanField()))
    )
    by_record: dict[Any, list[Any]] = defaultdict(list)
    for row in fetched.select_related("history_user"):
        by_record[getattr(row, pk_name)].append(row)
    rows = []
    for versions in by_record.values():
        versions.sort(key=lambda row: (row.history_date, row.history_id))
        # What comes before a wanted row here is the row before it: all the others that are
        # older than it are older than that one too.
        for earlier, row in zip([None, *versions], versions, strict=False):
            if row.is_wanted:
                row.previous = earlier if row.history_type == "~" else None
                rows.append(row)
    return rows


def _related_ids(
    rows: Iterable[tuple[HistorySource, Any, Any]],
) -> dict[type[models.Model], set[Any]]:
    """The ids of related records the rows mention, by model: one query each to name them."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for source, row, delta in rows:
        if source.about is not None:
            fk = row._meta.get_field(source.about[1])
            wanted[fk.related_model].add(getattr(row, fk.attname))
        for change in delta.changes if delta else ():
            model_field = row._meta.get_field(change.field)
            if model_field.is_relation:
                wanted[model_field.related_model].update({change.old, change.new} - {None})
    return wanted


def _names(
    wanted: dict[type[models.Model], set[Any]], known: Iterable[models.Model] = ()
) -> dict[tuple[Any, Any], str]:
    """Names of the records mentioned: those the page has loaded (`known`) without a query,
    the others with one query per kind."""
    names: dict[tuple[Any, Any], str] = {}
    for record in known:
        if record.pk in wanted.get(type(record), ()):
            names[type(record), record.pk] = _name(record)
    for model, ids in wanted.items():
        missing = [pk for pk in ids - {None} if (model, pk) not in names]
        for pk, found in model._base_manager.in_bulk(missing).items() if missing else ():
            names[model, pk] = _name(found)
    return names


def _name(record: models.Model) -> str:
    return display_name(record) if isinstance(record, AbstractBaseUser) else str(record)


def _shown(model_field: Any, value: Any, names: dict[tuple[Any, Any], str]) -> str:
    """A value as a librarian reads it: a choice's label, a related record's name…"""
    if value is None or value == "":
        return EMPTY
    if model_field.is_relation:
        return names.get((model_field.related_model, value), f"#{value} (no longer in Liaison)")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value)
        return f"{formats.date_format(local, 'M j, Y')}, {clock(local)}"
    if isinstance(value, dt.date):
        return formats.date_format(value, "M j, Y")
    if isinstance(value, dt.time):
        return clock(value)
    return Truncator(" ".join(str(value).split())).chars(SHORT_TEXT)


def _same_text(value: Any) -> Any:
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def _entry(
    source: HistorySource, row: Any, delta: Any, names: dict[tuple[Any, Any], str]
) -> HistoryEntry:
    changes = []
    for change in delta.changes if delta else ():
        if _same_text(change.old) == _same_text(change.new):
            continue  # the same text saved again from a browser (CRLF line endings)
        model_field = row._meta.get_field(change.field)
        changes.append(
            FieldChange(
                label=capfirst(str(model_field.verbose_name)),
                old=_shown(model_field, change.old, names),
                new=_shown(model_field, change.new, names),
            )
        )
    subject = ""
    if source.about is not None:
        prefix, name = source.about
        subject = f"{prefix} {_shown(row._meta.get_field(name), getattr(row, f'{name}_id'), names)}"
    return HistoryEntry(
        when=row.history_date,
        who=row.history_user,
        action=ACTIONS.get(row.history_type, row.history_type),
        subject=subject,
        reason=row.history_change_reason or "",
        changes=tuple(changes),
    )


def _found(
    source: HistorySource, ids: list[int] | QuerySet
) -> list[tuple[HistorySource, Any, Any]]:
    """The source's rows `ids`, each with its changes (None for a creation or a deletion)."""
    found = []
    for row in _with_previous(source.rows.model, ids):
        delta = None
        if row.previous is not None:
            delta = row.diff_against(row.previous, excluded_fields=source.hidden)
        found.append((source, row, delta))
    return found


def _entries(sources: Sequence[HistorySource], keys: list[dict[str, Any]]) -> list[HistoryEntry]:
    """The entries of these keys (from _keys), in their order."""
    ids: dict[int, list[int]] = defaultdict(list)
    for key in keys:
        ids[key["source"]].append(key["history_id"])
    found: dict[tuple[int, int], tuple[HistorySource, Any, Any]] = {}
    for index, history_ids in ids.items():
        for item in _found(sources[index], history_ids):
            found[index, item[1].history_id] = item
    names = _names(_related_ids(found.values()))
    return [
        _entry(*found[key["source"], key["history_id"]], names)
        for key in keys
        if (key["source"], key["history_id"]) in found
    ]


def recent_history(
    sources: Sequence[HistorySource], limit: int = RECENT, known: Iterable[models.Model] = ()
) -> tuple[list[HistoryEntry], bool]:
    """The latest `limit` changes, and whether there are older ones.

    One query per source (its latest `limit` + 1 rows with the rows before them), merged here
    newest first, and one per kind of record the changes name that is not in `known` (the
    records the page has loaded anyway, e.g. an organization's contacts).
    """
    found = []
    for index, source in enumerate(sources):
        latest = source.rows.order_by("-history_date", "-history_id").values("history_id")
        found += [(index, item) for item in _found(source, latest[: limit + 1])]
    # The order of _keys: newest first, then the latest row, then the later source.
    found.sort(
        key=lambda pair: (pair[1][1].history_date, pair[1][1].history_id, pair[0]), reverse=True
    )
    shown = [item for _index, item in found[:limit]]
    names = _names(_related_ids(shown), known)
    return [_entry(*item, names) for item in shown], len(found) > limit


def history_page(sources: Sequence[HistorySource], number: str | None) -> Page:
    """One page of every change, newest first (?page=; a bad number gives a valid page)."""
    page = Paginator(_keys(sources), PAGE_SIZE).get_page(number)
    page.object_list = _entries(sources, list(page.object_list))
    return page


def history_response(
    request: HttpRequest,
    record: models.Model,
    sources: Sequence[HistorySource],
    *,
    list_url: str,
    list_label: str,
) -> HttpResponse:
    """The full history page of a record (core/history.html), a page of changes at a time."""
    context = {
        "record": record,
        "record_url": record.get_absolute_url(),  # type: ignore[attr-defined]
        "list_url": list_url,
        "list_label": list_label,
        "page": history_page(sources, request.GET.get("page")),
    }
    return render(request, "core/history.html", context)


def history_panel(
    sources: Sequence[HistorySource],
    *,
    url: str,
    known: Iterable[models.Model] = (),
    **extra: Any,
) -> dict[str, Any]:
    """The context of a History panel (core/partials/history_panel.html). `known`: records the
    page has loaded that the changes may name (their names then cost no query)."""
    entries, more = recent_history(sources, known=known)
    return {"history_entries": entries, "history_more": more, "history_url": url, **extra}
