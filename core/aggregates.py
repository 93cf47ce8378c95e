"""Aggregates Django has no portable form of.

`JoinedNames` reads a short list of names (a record's focus areas) in the record's own query,
as a subquery, rather than with a prefetch query of its own:

    names = Subquery(
        Organization.focus_areas.through.objects.filter(organization_id=OuterRef("pk"))
        .order_by().values("organization_id")
        .annotate(names=JoinedNames("focusarea__name")).values("names")
    )
    split_names(row.names)  # ["Education", "Health"]
"""

from typing import Any

from django.db import connection
from django.db.models import Aggregate, TextField

# Between two names: a control character no name typed into a form contains.
SEPARATOR = "\x1f"


class JoinedNames(Aggregate):
    """The names in one string, sorted as the database sorts them, joined by SEPARATOR."""

    output_field = TextField()

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.get_source_expressions()[0])
        if connection.vendor == "postgresql":
            return f"STRING_AGG({column}, %s ORDER BY {column})", [*params, SEPARATOR, *params]
        # SQLite: GROUP_CONCAT has no ORDER BY; split_names sorts as SQLite's BINARY collation.
        return f"GROUP_CONCAT({column}, %s)", [*params, SEPARATOR]


def split_names(joined: str | None) -> list[str]:
    """The names of a JoinedNames, in the database's order ([] for none)."""
    if not joined:
        return []
    names = joined.split(SEPARATOR)
    # PostgreSQL sorted them by its collation; SQLite's BINARY one is Python's.
    return names if connection.vendor == "postgresql" else sorted(names)
