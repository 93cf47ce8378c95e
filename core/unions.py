"""Rows of several kinds in one UNION query, and the records a page shows made from them.

A page that lists touchpoints and meetings together (an organization's timeline) or side by
side (a program's related outreach) reads them in one query: each kind's queryset maps the
same columns to its own expressions, NULL where it has nothing to say,

    touchpoints = union_part(Touchpoint.objects.filter(…), COLUMNS, id="pk", title="subject")
    meetings = union_part(Meeting.objects.filter(…), COLUMNS, id="pk", title="title")
    rows = touchpoints.union(meetings, all=True).order_by(column("-at"))[:20]

and `loaded` makes each row the record its template reads, with only those fields. A union a
page runs on every visit is compiled to SQL once per process (`Prepared`).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from django.db import connections, models
from django.db.models import Expression, F, QuerySet
from django.utils import timezone

M = TypeVar("M", bound=models.Model)

# Columns are named "u_<name>" in SQL, so that none is mistaken for a field of a model.
PREFIX = "u_"


# A column's type: a field class, or a field (DecimalField(max_digits=…, decimal_places=…)).
ColumnType = type[models.Field] | models.Field


def union_part(queryset: QuerySet, columns: Mapping[str, ColumnType], **values: Any) -> QuerySet:
    """`queryset` as rows of `columns` (name → type), in their order: each one the expression
    in `values` (a field name for short), or NULL.

    The NULLs are typed, as PostgreSQL needs to match a column whose first kinds are NULL with
    a date, and as Django converts each column's values by its type in the first kind.
    """
    expressions: dict[str, Any] = {}
    for name, output_field in columns.items():
        value = values.get(name)
        if value is None:
            value = TypedNull(_fresh(output_field))
        elif isinstance(value, str):
            value = F(value)
        expressions[f"{PREFIX}{name}"] = value
    return queryset.order_by().annotate(**expressions).values_list(*expressions)


class TypedNull(Expression):
    """NULL of a column's type: CAST(NULL AS date). Cast(Value(None)) says the same, at several
    times the cost of building the query, for each empty column of each kind."""

    def __init__(self, output_field: models.Field) -> None:
        super().__init__(output_field=output_field)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        # Field.cast_db_type is what Cast uses (a CharField without max_length is "varchar");
        # django-stubs leaves it out.
        db_type = self.output_field.cast_db_type(connection)  # type: ignore[attr-defined]
        return f"CAST(NULL AS {db_type})", []


def _fresh(column_type: ColumnType) -> models.Field:
    """A field of that type, not bound to a model."""
    if isinstance(column_type, type):
        return column_type()
    _name, _path, args, kwargs = column_type.deconstruct()
    return column_type.__class__(*args, **kwargs)


def column(name: str) -> str:
    """The SQL name of a column, to order the union by: column("-at") is "-u_at"."""
    descending = name.startswith("-")
    return f"{'-' if descending else ''}{PREFIX}{name.removeprefix('-')}"


def loaded(model: type[M], **values: Any) -> M:
    """An instance of `model` with these fields (attnames: "organization_id"). Reading any
    other field would query the database (and fail the page's query-count test) rather than
    show a blank."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db("default", names, [values[name] for name in names])


# Stand-ins for the ids a prepared query is compiled with: below any real primary key, and
# within a 32-bit column's range (a filter beyond it is compiled to no rows at all).
STAND_IN = -2_000_000_000


class Prepared:
    """A query of rows (a union_part UNION, say) compiled to SQL once per process, then run
    with each visit's ids.

    Building a UNION of six sources and compiling it costs Django several milliseconds; the
    database answers in a fraction of one. A page that runs the same query on every visit with
    another organization's id pays that each time. `build` makes the queryset from ids given as
    keyword arguments; Prepared compiles it once (per database and time zone, which the SQL of a
    date truncation names) with stand-in ids, and thereafter puts the visit's ids in the stand-ins'
    places and adds the page's LIMIT and OFFSET:

        TIMELINE = Prepared(lambda organization_id: rows_of(organization_id))
        rows = TIMELINE.rows(limit=21, offset=0, organization_id=7)

    The rows come back as values_list() gives them: tuples, each value converted by its column's
    type (SQLite's dates are text until converted). `build` must use each id only as a value
    (a filter's), never in the query's shape.
    """

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self.build = build
        self._compiled = lru_cache(maxsize=32)(self._compile)

    def _compile(self, using: str, time_zone: str, names: tuple[str, ...]) -> "_Compiled":
        stand_ins = {name: STAND_IN - number for number, name in enumerate(names)}
        queryset = self.build(**stand_ins)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        places = {
            name: [i for i, param in enumerate(params) if param == value]
            for name, value in stand_ins.items()
        }
        if missing := [name for name, found in places.items() if not found]:
            raise ValueError(f"The query does not use {', '.join(missing)} as a value.")
        columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
        return _Compiled(sql, tuple(params), places, compiler.get_converters(columns))

    def rows(self, *, limit: int, offset: int = 0, using: str = "default", **ids: int) -> list:
        compiled = self._compiled(using, timezone.get_current_timezone_name(), tuple(sorted(ids)))
        params = list(compiled.params)
        for name, value in ids.items():
            for place in compiled.places[name]:
                params[place] = int(value)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(f"{compiled.sql} LIMIT %s OFFSET %s", [*params, limit, offset])
            found = cursor.fetchall()
        if not compiled.converters:
            return [tuple(row) for row in found]
        converted = []
        for row in found:
            values = list(row)
            for place, (converters, expression) in compiled.converters.items():
                for converter in converters:
                    values[place] = converter(values[place], expression, connection)
            converted.append(tuple(values))
        return converted


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    places: dict[str, list[int]]  # each id's places among the params
    converters: dict[int, tuple[list[Callable], Any]]  # by column: converters, expression
