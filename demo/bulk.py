"""Bulk writes for the demo data: COPY on PostgreSQL, bulk_create everywhere else.

`seed_demo --scale 250` writes some 450,000 rows. bulk_create spent most of its time compiling
INSERT statements, value by value; on PostgreSQL (with psycopg2) `insert` sends each table as one
COPY instead, after taking the rows' ids from the table's sequence as bulk_create would have. The
rows come out the same either way: the same ids, the same values, created_at and updated_at as
the builder stamped them. On other databases (SQLite on a laptop) it is bulk_create, then one
UPDATE per batch for the stamps.

`record_loaded` begins the change history of every row of a table, as core.history.record_rows
does for rows loaded in bulk, in one INSERT … SELECT instead of reading every record back.
"""

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from simple_history.utils import get_history_manager_for_model

from core.history import acting, is_tracked, record_rows

M = TypeVar("M", bound=models.Model)
# (created_at, updated_at) of each row, by id() of the row: auto_now_add would stamp it "now".
Stamps = Mapping[int, tuple[datetime, datetime]]

BATCH_SIZE = 2000  # rows per INSERT or UPDATE where COPY is not available
STAMPED = ("created_at", "updated_at")
# Field types whose values PostgreSQL reads from their str() as it reads what psycopg2 sends:
# "True", "2025-06-15", "2025-06-15 14:23:45.123456+00:00", "09:30:00", "12.50".
COPIED_AS_TEXT = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "DateField",
        "DateTimeField",
        "DecimalField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
        "TimeField",
    }
)
COPY_NULL = "\\N"
CHUNK = 1 << 16  # characters copy_expert reads at a time
COPY_SPECIAL = re.compile(r"[\\\t\n\r]")  # escaped in COPY's text format


def insert(model: type[M], rows: Sequence[M], stamps: Stamps | None = None) -> None:
    """Insert new rows of `model` and set their primary keys, as bulk_create does.

    Related rows they point at must be in already. With `stamps`, every row is written with its
    own created_at and updated_at; without, auto_now(_add) fields say "now".
    """
    if not rows:
        return
    if _copy_available(model):
        _copy(model, rows, stamps)
        return
    model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)
    if stamps is not None:
        restamp(model, rows, stamps)
        for row in rows:
            row.created_at, row.updated_at = stamps[id(row)]  # type: ignore[attr-defined]


def _copy_available(model: type[models.Model]) -> bool:
    """PostgreSQL through psycopg2 (psycopg 3 copies with cursor.copy(), not copy_expert()),
    for a table of plain values."""
    driver = getattr(connection, "Database", None)  # the DB-API module the backend uses
    return (
        connection.vendor == "postgresql"
        and getattr(driver, "__name__", "") == "psycopg2"
        and all(_plain(field) for field in model._meta.concrete_fields)
    )


def _plain(field: models.Field) -> bool:
    """A column COPY can fill from the str() of its value: no database default to leave it to."""
    return field.get_internal_type() in COPIED_AS_TEXT and field.db_default is models.NOT_PROVIDED


def _copy(model: type[M], rows: Sequence[M], stamps: Stamps | None) -> None:
    meta = model._meta
    assert meta.pk is not None
    if any(row.pk is not None for row in rows):
        raise ValueError(f"insert() makes new {meta.label} rows; some already have ids.")
    fields = [meta.pk, *(field for field in meta.concrete_fields if not field.primary_key)]
    ids = _reserve_ids(model, len(rows))
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    # The lines are made as COPY reads them: the database stores each chunk while Python makes
    # the next, on the other core.
    source = _Source(_copy_lines(fields, zip(rows, ids, strict=True), stamps))
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN", source, CHUNK)
    for row in rows:
        row._state.adding, row._state.db = False, connection.alias


def _copy_lines(
    fields: list[models.Field], rows: Iterable[tuple[M, int]], stamps: Stamps | None
) -> Iterator[str]:
    """The rows in COPY's text format, given their ids and (with `stamps`) their times."""
    relations = [field for field in fields if field.is_relation]
    auto = [field.attname for field in fields if _is_auto_stamp(field)]
    times = [index for index, field in enumerate(fields) if isinstance(field, models.DateTimeField)]
    values_of = itemgetter(*(field.attname for field in fields))
    now = timezone.now()
    for row, pk in rows:
        row.pk = pk
        _point_at_saved(row, relations)
        for name in auto:
            setattr(row, name, now)
        if stamps is not None:
            row.created_at, row.updated_at = stamps[id(row)]  # type: ignore[attr-defined]
        values = values_of(vars(row))  # as the row holds them, without the fields' descriptors
        if any(values[index] is not None and values[index].tzinfo is None for index in times):
            raise ValueError(f"A naive datetime in a new {row._meta.label} row: {values}")
        yield _copy_line(values)


class _Source:
    """A file for copy_expert to read: whole lines, made as it asks for them."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines

    def read(self, size: int = -1) -> str:
        """At least `size` characters of lines (all of them for -1), until they run out."""
        chunk, length = [], 0
        for line in self.lines:
            chunk.append(line)
            length += len(line)
            if length >= size >= 0:
                break
        return "".join(chunk)


def _copy_line(values: tuple[Any, ...]) -> str:
    """One line in COPY's text format: str() of each value, \\N for None, tabs between."""
    texts = ["" if value is None else str(value) for value in values]
    if COPY_SPECIAL.search("".join(texts)):
        texts = [_escape(text) for text in texts]
    if None in values:
        texts = [COPY_NULL if v is None else text for v, text in zip(values, texts, strict=True)]
    return "\t".join(texts) + "\n"


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("\t", "\\t")
    return text.replace("\n", "\\n").replace("\r", "\\r")


def _is_auto_stamp(field: models.Field) -> bool:
    return isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add)


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """The next `count` ids of the table's sequence, in order: the ids bulk_create would get."""
    meta = model._meta
    assert meta.pk is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_serial_sequence(%s, %s)",
            [connection.ops.quote_name(meta.db_table), meta.pk.column],
        )
        (sequence,) = cursor.fetchone()
        # The sequence named once: looked up for each row, it took longer than the rows.
        cursor.execute(
            "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count]
        )
        return sorted(pk for (pk,) in cursor.fetchall())


def _point_at_saved(row: models.Model, relations: list[models.Field]) -> None:
    """Take the ids of related rows that were assigned as objects before they were saved, as
    bulk_create does (Model._prepare_related_fields_for_save)."""
    values = vars(row)
    for field in relations:
        if values[field.attname] is not None:
            continue
        related = field.get_cached_value(row, default=None)  # type: ignore[attr-defined]
        if related is None:
            continue
        if related.pk is None:
            raise ValueError(f"{row._meta.label}.{field.name} points at an unsaved row.")
        setattr(row, field.attname, related.pk)


def restamp(model: type[models.Model], rows: Sequence[models.Model], stamps: Stamps) -> None:
    """Give rows the times they were really made: auto_now_add stamped them all "now".

    One UPDATE joined to a VALUES list per batch: bulk_update's CASE per row took 15 s for the
    44,000 rows of --scale 250; this takes well under one. PostgreSQL and SQLite 3.33+ both
    read it.
    """
    ops = connection.ops
    meta = model._meta
    assert meta.pk is not None
    table, pk = ops.quote_name(meta.db_table), ops.quote_name(meta.pk.column)
    columns = [meta.pk, *(meta.get_field(name) for name in STAMPED)]
    size = min(BATCH_SIZE, ops.bulk_batch_size(columns, rows))  # SQLite caps query parameters
    for start in range(0, len(rows), size):
        batch = rows[start : start + size]
        params = []
        for row in batch:
            created, updated = stamps[id(row)]
            params += [
                row.pk,
                ops.adapt_datetimefield_value(created),
                ops.adapt_datetimefield_value(updated),
            ]
        values = ", ".join(["(%s, %s, %s)"] * len(batch))
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH stamp (pk, created_at, updated_at) AS (VALUES {values}) "
                f"UPDATE {table} SET created_at = stamp.created_at, "
                f"updated_at = stamp.updated_at FROM stamp WHERE {table}.{pk} = stamp.pk",
                params,
            )


def record_loaded(model: type[models.Model]) -> None:
    """Begin the change history of every row of `model`: what record_rows(created=True) writes
    (a "+" row, now, with the user and reason of history_context), in one INSERT … SELECT.

    Falls back to record_rows for a historical table with columns of its own.
    """
    if not is_tracked(model) or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    historical = get_history_manager_for_model(model).model
    # The user bulk_history_create records: history_context's, else the request's, if any.
    user = historical.get_default_history_user(model())
    reason = acting().reason or None
    given = {
        "history_date": connection.ops.adapt_datetimefield_value(timezone.now()),
        "history_change_reason": reason,
        "history_type": "+",
        "history_user": user.pk if user is not None else None,
    }
    tracked = {field.name: field for field in historical.tracked_fields}
    quote = connection.ops.quote_name
    targets, sources, params = [], [], []
    for field in historical._meta.concrete_fields:
        if field.primary_key:
            continue  # history_id: numbered in the order of the records' ids, as before
        targets.append(quote(field.column))
        if field.name in given:
            sources.append("%s")
            params.append(given[field.name])
        elif field.name in tracked:
            sources.append(quote(tracked[field.name].column))
        else:
            record_rows(model, model._base_manager.values_list("pk", flat=True), created=True)
            return
    meta = model._meta
    assert meta.pk is not None
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(historical._meta.db_table)} ({', '.join(targets)}) "
            f"SELECT {', '.join(sources)} FROM {quote(meta.db_table)} "
            f"ORDER BY {quote(meta.pk.column)}",
            params,
        )
