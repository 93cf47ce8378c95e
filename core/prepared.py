"""Queries compiled to SQL once per process, then run with each visit's ids.

Building a queryset and compiling it costs Django about a millisecond for a plain query with a
join or two, and several for a UNION of six sources; the database answers in a fraction of
that. A page that runs the same query on every visit, with only an organization's id changed,
pays it each time: on an organization's page, a quarter of its time. `Prepared` builds and
compiles the query once (per database, time zone, which the SQL of a date truncation names, and
set of ids), with stand-in ids, and thereafter only puts the visit's ids in the stand-ins'
places (ids, dates and moments: `today`, `now`; and choices, a filter's `kind`):

    OPEN_FOLLOWUPS = Prepared(
        lambda organization_id: FollowUp.objects.filter(organization_id=organization_id)[:10]
    )
    followups = OPEN_FOLLOWUPS.objects(organization_id=7)        # model instances
    rows = TIMELINE.rows(limit=21, offset=0, organization_id=7)  # values_list() tuples

`objects` gives what iterating the queryset gives (select_related's records, annotations,
prefetch_related's lists, which are read by their own queries as usual); `rows` gives a
values_list() query's tuples, each value converted as the ORM converts it, with a LIMIT and
OFFSET added. `build` takes each id (or date) as a keyword argument and may use it only as a
value (a filter's), never in the query's shape, nor work another value out of it: it is
compiled twice with different stand-ins, and refused if anything but their places differs (a
week after `today` is passed as a date of its own). A build that does not use one is refused.

A list of ids is one value too, where the build filters with `__any_of` (core.lookups), which
PostgreSQL reads as one array: `Prepared(lambda ids: Story.objects.filter(program_id__any_of=ids))`.
On SQLite, which has no arrays, a query that takes a list is compiled for each visit.

The replay is Django's own: the compiler made at the first visit, its SQL swapped for the
visit's, runs the query and Django turns the rows into records (ModelIterable).

PostgreSQL, for its part, plans every query it is sent anew: a few tenths of a millisecond for a
join, more for a UNION, often longer than running it. On PostgreSQL a prepared query is therefore
also prepared on the server (PREPARE, its stand-ins' places as typed parameters, every other
value written in), once per database connection, and each visit runs it with EXECUTE and the
visit's values, with the one plan PostgreSQL made for it (plan_cache_mode=force_generic_plan,
config/settings.py: left to itself, it plans a query that takes a list anew at every run).
The PREPARE goes straight to the driver, like the connection's own setup, so it is not one of
a page's queries: it is paid once per connection, not per visit. A query whose best plan
depends on its values (a search's, on how many records hold the words) is made with
`on_server=False`: compiled once all the same, but sent as SQL with its values, which
PostgreSQL plans for them at each run. (A pooler in transaction mode,
such as PgBouncer's, would need its prepared-statement support turned on.)
"""

import copy
import datetime as dt
import hashlib
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any, overload

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

# Stand-ins for the ids a prepared query is compiled with: below any real primary key, and
# within a 32-bit column's range (a filter beyond it is compiled to no rows at all); dates and
# moments in the eleventh century.
STAND_IN = -2_000_000_000


def _kind(value: Any) -> type:
    if isinstance(value, (list, tuple)) and all(_kind(each) is int for each in value):
        return list
    for kind in (dt.datetime, dt.date, int, str):  # a datetime is a date too
        if isinstance(value, kind) and not isinstance(value, bool):
            return kind
    raise TypeError(
        f"A prepared query takes ids, lists of ids, dates, moments and choices, not {value!r}."
    )


def _stand_in(kind: type, number: int) -> Any:
    if kind is dt.datetime:
        return dt.datetime(1001 + number, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
    if kind is dt.date:
        return dt.date(1001 + number, 2, 3)
    if kind is list:
        return [STAND_IN - number]
    if kind is str:
        return f"{STAND_IN - number} stands for a choice"
    return STAND_IN - number


def _adapted(value: Any, connection: Any) -> Any:
    """The value as the ORM passes it to this database (SQLite takes dates as text)."""
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    if isinstance(value, (list, tuple)):
        return [int(each) for each in value]
    if isinstance(value, str):
        return value
    return int(value)


# The server's type of each kind of value a prepared query takes (and of LIMIT and OFFSET).
_SERVER_TYPES = {
    int: "bigint",
    list: "bigint[]",
    str: "text",
    dt.date: "date",
    dt.datetime: "timestamptz",
}


@dataclass(frozen=True)
class _Statement:
    """A query prepared on the server: its name, and the PREPARE that makes it."""

    name: str
    prepare: str


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet
    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    places: dict[str, list[int]]  # each id's places among the params
    # PostgreSQL's: without and with LIMIT and OFFSET, and the count of the latter's rows
    # (empty on other databases).
    statements: tuple[_Statement, ...] = ()


# The statements each PostgreSQL connection (the driver's, which dies with it) has prepared;
# each thread has its own connections, the lock keeps the dictionary whole between them.
_prepared_on: "weakref.WeakKeyDictionary[Any, set[str]]" = weakref.WeakKeyDictionary()
_prepared_lock = threading.Lock()


def _statements(
    connection: BaseDatabaseWrapper, sql: str, params: list[Any], places: dict[str, list[int]]
) -> tuple[_Statement, ...]:
    """The PREPAREs of this query on PostgreSQL: each id's places numbered in `places`' order
    ($1, $2…), every other param written into the SQL by the driver, as it would be sent."""
    from psycopg2.extensions import AsIs

    marked = list(params)
    for number, found in enumerate(places.values(), start=1):
        for place in found:
            marked[place] = AsIs(f"${number}")
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        text = cursor.mogrify(sql, marked).decode()
    types = [_SERVER_TYPES[_kind(params[found[0]])] for found in places.values()]
    count = len(types)
    limited = f"{text} LIMIT ${count + 1} OFFSET ${count + 2}"
    variants = (
        (text, types),
        (limited, [*types, "bigint", "bigint"]),
        (f"SELECT COUNT(*) FROM ({limited}) counted", [*types, "bigint", "bigint"]),
    )
    statements = []
    for body, kinds in variants:
        name = "liaison_" + hashlib.sha1(body.encode()).hexdigest()[:20]
        typed = f"({', '.join(kinds)})" if kinds else ""
        statements.append(_Statement(name, f"PREPARE {name}{typed} AS {body}"))
    return tuple(statements)


def _on_server(
    connection: BaseDatabaseWrapper, statement: _Statement, values: list[Any]
) -> tuple[str, list[Any]]:
    """EXECUTE of the statement with these values, prepared first if this connection has not."""
    connection.ensure_connection()
    with _prepared_lock:
        done = _prepared_on.setdefault(connection.connection, set())
    if statement.name not in done:
        with connection.connection.cursor() as cursor:
            cursor.execute(statement.prepare)
        done.add(statement.name)
    if not values:
        return f"EXECUTE {statement.name}", []
    return f"EXECUTE {statement.name}({', '.join(['%s'] * len(values))})", values


class Prepared:
    """A query built by `build(**ids)`, compiled once per process (see the module)."""

    def __init__(self, build: Callable[..., QuerySet], *, on_server: bool = True) -> None:
        """`on_server=False`: compiled once, but sent as SQL with its values at each run, so
        that PostgreSQL plans it for them (a search, whose best plan depends on how many
        records hold the words asked), rather than prepared with one plan for all."""
        self.build = build
        self.on_server = on_server
        self._compiled = lru_cache(maxsize=32)(self._compile)

    def _compile(
        self, using: str, time_zone: str, kinds: tuple[tuple[str, type], ...]
    ) -> _Compiled:
        # Compiled twice, with two sets of stand-ins: a param that differs between the two but is
        # no stand-in's place was worked out from one (a date a week after `today`), and would
        # be wrong for every other visit.
        first, second = (
            {name: _stand_in(kind, number + offset) for number, (name, kind) in enumerate(kinds)}
            for offset in (0, len(kinds))
        )
        queryset = self.build(**first)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        connection = connections[using]
        places = {
            name: [i for i, param in enumerate(params) if param == _adapted(value, connection)]
            for name, value in first.items()
        }
        if missing := [name for name, found in places.items() if not found]:
            raise ValueError(f"The query does not use {', '.join(missing)} as a value.")
        other_sql, other_params = self.build(**second).query.get_compiler(using=using).as_sql()
        ours = {place for found in places.values() for place in found}
        if (other_sql, len(other_params)) != (sql, len(params)) or any(
            a != b and i not in ours
            for i, (a, b) in enumerate(zip(params, other_params, strict=True))
        ):
            raise ValueError(
                "The query's SQL or a value in it is worked out from an id or a date: pass that "
                "as one of its own."
            )
        statements: tuple[_Statement, ...] = ()
        if connection.vendor == "postgresql" and self.on_server:
            statements = _statements(connection, sql, list(params), places)
        return _Compiled(queryset, compiler, sql, tuple(params), places, statements)

    def _for(
        self,
        using: str,
        ids: dict[str, Any],
        limit: int | None = None,
        offset: int = 0,
        *,
        counted: bool = False,
    ) -> tuple[_Compiled, str, list[Any]]:
        """The compiled query, and the SQL and params that run it with these values (and this
        LIMIT and OFFSET, if any); `counted`: the SQL that counts those rows."""
        compiled, sql, params = self._sql_for(using, ids, limit, offset, counted=counted)
        if counted and not compiled.statements:
            sql = f"SELECT COUNT(*) FROM ({sql}) counted"
        return compiled, sql, params

    def _sql_for(
        self, using: str, ids: dict[str, Any], limit: int | None, offset: int, *, counted: bool
    ) -> tuple[_Compiled, str, list[Any]]:
        kinds = tuple(sorted((name, _kind(value)) for name, value in ids.items()))
        connection = connections[using]
        if connection.vendor != "postgresql" and any(kind is list for _name, kind in kinds):
            # A list is one array only on PostgreSQL (core.lookups): compiled for each visit.
            queryset = self.build(**ids)
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            compiled = _Compiled(queryset, compiler, sql, tuple(params), {})
            if limit is None:
                return compiled, sql, list(params)
            return compiled, f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset]
        compiled = self._compiled(using, timezone.get_current_timezone_name(), kinds)
        adapted = {name: _adapted(value, connection) for name, value in ids.items()}
        if compiled.statements:
            values = [adapted[name] for name in compiled.places]
            if counted:  # LIMIT NULL: no limit
                statement = compiled.statements[2]
                return compiled, *_on_server(connection, statement, [*values, limit, offset])
            if limit is None:
                return compiled, *_on_server(connection, compiled.statements[0], values)
            statement = compiled.statements[1]
            return compiled, *_on_server(connection, statement, [*values, limit, offset])
        params = list(compiled.params)
        for name, value in adapted.items():
            for place in compiled.places[name]:
                params[place] = value
        if limit is None:
            return compiled, compiled.sql, params
        return compiled, f"{compiled.sql} LIMIT %s OFFSET %s", [*params, limit, offset]

    def objects(
        self, *, limit: int | None = None, offset: int = 0, using: str = "default", **ids: Any
    ) -> list[Any]:
        """The queryset's records for these ids, as iterating it would give them; with a
        `limit`, that many from `offset` (of a query that is not sliced already)."""
        compiled, sql, params = self._for(using, ids, limit, offset)
        # The first visit's compiler knows how the rows map to records; it runs this visit's
        # SQL on this thread's connection.
        replay = copy.copy(compiled.compiler)
        replay.connection = connections[using]
        replay.as_sql = lambda *args, **kwargs: (sql, params)  # type: ignore[method-assign]
        queryset = compiled.queryset._chain()  # type: ignore[attr-defined]
        queryset.query.get_compiler = lambda *args, **kwargs: replay
        return list(queryset)

    def one(self, *, using: str = "default", **ids: Any) -> Any:
        """The one record of a query by primary key (a detail page's), or its model's
        DoesNotExist, as QuerySet.get() would raise it."""
        found = self.objects(using=using, **ids)
        if not found:
            model = self._for(using, ids)[0].queryset.model
            said = ", ".join(str(value) for value in ids.values())
            raise model.DoesNotExist(f"No {model._meta.verbose_name} {said}.")
        return found[0]

    def count(self, *, limit: int | None, using: str = "default", **ids: Any) -> int:
        """How many rows the query has for these values, counted by the database no further
        than `limit` (None: all of them)."""
        _compiled, sql, params = self._for(using, ids, limit, counted=True)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return int(cursor.fetchone()[0])

    def sql(
        self, *, limit: int | None, offset: int = 0, using: str = "default", **ids: Any
    ) -> tuple[str, list[Any]]:
        """The SQL and params that run the query with these values (and LIMIT and OFFSET), to
        be sent inside a query of one's own: only a query made with `on_server=False`."""
        if self.on_server:
            raise ValueError("A query prepared on the server runs by itself: use rows().")
        _compiled, sql, params = self._for(using, ids, limit, offset)
        return sql, params

    def rows(
        self, *, limit: int | None, offset: int = 0, using: str = "default", **ids: Any
    ) -> list[tuple[Any, ...]]:
        """A values_list() query's rows for these ids: `limit` of them from `offset`, or all
        with limit None; each value converted by its column's type (SQLite's dates are text
        until converted)."""
        compiled, sql, params = self._for(using, ids, limit, offset)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        compiler = compiled.compiler
        columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(columns)
        if not converters:
            return [tuple(row) for row in found]
        converted = []
        for row in found:
            values = list(row)
            for place, (functions, expression) in converters.items():
                for function in functions:
                    values[place] = function(values[place], expression, connection)
            converted.append(tuple(values))
        return converted


def keep_prefetched(instance: Any, relation: str, rows: list[Any]) -> None:
    """Keep `rows` as the instance's `relation` (a reverse foreign key or a many-to-many), as
    prefetch_related would: `instance.<relation>.all()` gives them without a query, and each
    row of a reverse foreign key knows the instance. For relations read by a prepared query of
    their own, which prefetch_related cannot run."""
    manager = getattr(instance, relation)
    queryset = manager.get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    field = getattr(manager, "field", None)  # the foreign key on the rows' side
    if field is not None:
        for row in rows:
            field.set_cached_value(row, instance)
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[relation] = queryset


def filter_values(
    filters: dict[str, Any], *, values: tuple[str, ...] = (), records: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A filter form's cleaned data as the values of a prepared query: each of `values` (a
    choice, a date) as it is, each of `records` (a model choice) as its id under `<name>_id`;
    filters left empty are left out, so each set of filters in use is one compiled query."""
    found = {name: filters[name] for name in values if filters.get(name)}
    for name in records:
        if filters.get(name):
            found[f"{name}_id"] = getattr(filters[name], "pk", filters[name])
    return found


class PreparedList:
    """A list page's records read through prepared queries, for core.http.ListPaginator: each
    page one query (`records`, with LIMIT and OFFSET), and the count of the rows' ids (`ids`,
    a values_list("pk") of the same rows, unsorted), counted by the database only as far as
    the paginator counts. Both built from the same `values`."""

    def __init__(self, records: Prepared, ids: Prepared, values: dict[str, Any]) -> None:
        self.records = records
        self.ids = ids
        self.values = values

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, int):
            found = self.records.objects(limit=1, offset=index, **self.values)
            if index < 0 or not found:
                raise IndexError(index)
            return found[0]
        start, stop = index.start or 0, index.stop
        if index.step is not None or stop is None or start < 0:
            raise TypeError("A prepared list gives pages: [start:stop].")
        if stop <= start:  # the one page of an empty list: nothing to read, as for a queryset
            return []
        return self.records.objects(limit=stop - start, offset=start, **self.values)

    def count_up_to(self, cap: int | None) -> int:
        """How many rows there are, counting no further than `cap` (None: all of them): counted
        by the database, not read (a thousand ids took a millisecond to send and read)."""
        return self.ids.count(limit=cap, **self.values)

    def count(self) -> int:
        return self.count_up_to(None)

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Any]:
        return iter(self.records.objects(**self.values))


class PreparedLists:
    """A list page's prepared queries, for each shape of the list: `build(*shape, **values)`
    makes its queryset, where the shape is what changes the SQL itself (an order, a choice of
    which rows) and the values what only fills it in (ids, dates, choices). `of(*shape,
    **values)` is that list as a PreparedList; its two queries (the rows, and their ids for the
    count, in no order) are compiled at the shape's first use and kept, so a caller takes its
    shapes from a fixed set (a Sorting's chosen())."""

    def __init__(self, build: Callable[..., QuerySet], *, on_server: bool = True) -> None:
        """`on_server=False`: its queries planned for each visit's values, as Prepared's."""
        self.build = build
        self.on_server = on_server
        self._shapes: dict[tuple[Any, ...], tuple[Prepared, Prepared]] = {}

    def of(self, *shape: Any, **values: Any) -> PreparedList:
        queries = self._shapes.get(shape)
        if queries is None:
            rows = partial(self.build, *shape)
            ids = Prepared(
                lambda **each: rows(**each).order_by().values_list("pk"), on_server=self.on_server
            )
            queries = self._shapes[shape] = (Prepared(rows, on_server=self.on_server), ids)
        return PreparedList(*queries, values)
