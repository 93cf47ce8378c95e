"""SQL about the columns of a query's own table, whatever alias the query gives that table (a
subquery calls it U0): what the search reads of a row is not a model field (`search_words`, a
column the search's migration keeps) or is several at once (SQLite's folded text)."""

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Expression, Field
from django.db.models.sql.compiler import SQLCompiler


class OwnSQL(Expression):
    """`template` with {t} standing for the table's alias, and its parameters."""

    def __init__(self, template: str, params: list[Any], output_field: Field) -> None:
        super().__init__(output_field=output_field)
        self.template, self.params = template, params

    @property
    def conditional(self) -> bool:
        return self.output_field.get_internal_type() == "BooleanField"

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return self.template.format(t=alias), list(self.params)

    def __repr__(self) -> str:
        return f"OwnSQL({self.template!r}, {self.params!r})"
