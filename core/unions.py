"""Rows of several kinds in one UNION query, and the records a page shows made from them.

A page that lists touchpoints and meetings together (an organization's timeline) or side by
side (a program's related outreach) reads them in one query: each kind's queryset maps the
same columns to its own expressions, NULL where it has nothing to say,

    touchpoints = union_part(Touchpoint.objects.filter(…), COLUMNS, id="pk", title="subject")
    meetings = union_part(Meeting.objects.filter(…), COLUMNS, id="pk", title="title")
    rows = touchpoints.union(meetings, all=True).order_by(column("-at"))[:20]

and `loaded` makes each row the record its template reads, with only those fields. A union a
page runs on every visit is compiled to SQL once per process (core.prepared).
"""

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import models
from django.db.models import Expression, F, QuerySet

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
