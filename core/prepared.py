"""Queries compiled to SQL once per process, then run with each visit's ids.

Building a queryset and compiling it costs Django about a millisecond for a plain query with a
join or two, and several for a UNION of six sources; the database answers in a fraction of
that. A page that runs the same query on every visit, with only an organization's id changed,
pays it each time: on an organization's page, a quarter of its time. `Prepared` builds and
compiles the query once (per database, time zone, which the SQL of a date truncation names, and
set of ids), with stand-in ids, and thereafter only puts the visit's ids in the stand-ins'
places (ids, dates and moments: `today`, `now`):

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

The replay is Django's own: the compiler made at the first visit, its SQL swapped for the
visit's, runs the query and Django turns the rows into records (ModelIterable).
"""

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

# Stand-ins for the ids a prepared query is compiled with: below any real primary key, and
# within a 32-bit column's range (a filter beyond it is compiled to no rows at all); dates and
# moments in the eleventh century.
STAND_IN = -2_000_000_000


def _kind(value: Any) -> type:
    for kind in (dt.datetime, dt.date, int):  # a datetime is a date too
        if isinstance(value, kind):
            return kind
    raise TypeError(f"A prepared query takes ids, dates and moments, not {value!r}.")


def _stand_in(kind: type, number: int) -> Any:
    if kind is dt.datetime:
        return dt.datetime(1001 + number, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
    if kind is dt.date:
        return dt.date(1001 + number, 2, 3)
    return STAND_IN - number


def _adapted(value: Any, connection: Any) -> Any:
    """The value as the ORM passes it to this database (SQLite takes dates as text)."""
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    return int(value)


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet
    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    places: dict[str, list[int]]  # each id's places among the params


class Prepared:
    """A query built by `build(**ids)`, compiled once per process (see the module)."""

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self.build = build
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
        return _Compiled(queryset, compiler, sql, tuple(params), places)

    def _for(self, using: str, ids: dict[str, Any]) -> tuple[_Compiled, list[Any]]:
        """The compiled query, and its params with these values in their places."""
        kinds = tuple(sorted((name, _kind(value)) for name, value in ids.items()))
        compiled = self._compiled(using, timezone.get_current_timezone_name(), kinds)
        params = list(compiled.params)
        connection = connections[using]
        for name, value in ids.items():
            adapted = _adapted(value, connection)
            for place in compiled.places[name]:
                params[place] = adapted
        return compiled, params

    def objects(self, *, using: str = "default", **ids: Any) -> list[Any]:
        """The queryset's records for these ids, as iterating it would give them."""
        compiled, params = self._for(using, ids)
        # The first visit's compiler knows how the rows map to records; it runs this visit's
        # SQL on this thread's connection.
        replay = copy.copy(compiled.compiler)
        replay.connection = connections[using]
        replay.as_sql = lambda *args, **kwargs: (compiled.sql, params)  # type: ignore[method-assign]
        queryset = compiled.queryset._chain()  # type: ignore[attr-defined]
        queryset.query.get_compiler = lambda *args, **kwargs: replay
        return list(queryset)

    def rows(
        self, *, limit: int | None, offset: int = 0, using: str = "default", **ids: Any
    ) -> list[tuple[Any, ...]]:
        """A values_list() query's rows for these ids: `limit` of them from `offset`, or all
        with limit None; each value converted by its column's type (SQLite's dates are text
        until converted)."""
        compiled, params = self._for(using, ids)
        sql = compiled.sql
        if limit is not None:
            sql, params = f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset]
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
