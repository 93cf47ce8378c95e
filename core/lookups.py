"""`__any_of`: a column equal to one of a list of ids, in SQL whose shape is the same for any
number of them.

`filter(program_id__in=ids)` is written `IN (%s, %s, %s)`, one placeholder per id, so its SQL
differs with each list's length and cannot be compiled once (core.prepared). On PostgreSQL
`filter(program_id__any_of=ids)` is written `= ANY(%s)`, the list one array value; SQLite has
no arrays, and gets IN with a placeholder per id (an empty list matches nothing on both).
Registered on every field and relation from CoreConfig.ready().
"""

from typing import Any

from django.db.models import Field, ForeignObject, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self) -> list[int]:
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        if not values:
            return "1 = 0", []
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


def register() -> None:
    Field.register_lookup(AnyOf)
    ForeignObject.register_lookup(AnyOf)  # relations keep lookups of their own
