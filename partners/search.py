"""Search by name: every word typed is the start of a word of the name, ignoring case and accents.

"cafe lit" finds "Café Literario", "societe" finds "Société Saint-Vincent", on both databases and
through an index on each, never a test in Python per row:

- PostgreSQL: full-text search with the `simple_unaccent` configuration (`simple` with the
  unaccent dictionary first), served by the GIN indexes on
  to_tsvector('simple_unaccent'::regconfig, COALESCE(name, '')) that partners/migrations/0009
  made. The lookup below writes that expression exactly, or PostgreSQL would not use the index.
- SQLite: an FTS5 table per searched name (tokenizer unicode61, diacritics removed), kept in step
  with the name by triggers, so that every way of writing a row (a form, an import, a merge, a
  bulk load) keeps it. A table rebuilt by a later migration loses its triggers: `sqlite_repair`
  puts them back after each migrate.
"""

import re
import unicodedata
from typing import Any

from django.db import NotSupportedError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Lookup, Q
from django.db.models.expressions import Col
from django.db.models.sql.compiler import SQLCompiler

# The names searched this way: (table, column).
SEARCHED_NAMES = (("partners_organization", "name"), ("partners_contact", "name"))
# The PostgreSQL text search configuration made by partners/migrations/0009.
POSTGRESQL_CONFIG = "simple_unaccent"
MAX_WORDS = 10


def search_words(text: str) -> list[str]:
    """The words of a search box entry: letters and digits, nothing a query language parses."""
    return re.findall(r"[^\W_]+", unicodedata.normalize("NFC", text))[:MAX_WORDS]


def full_text_filter(field: str, text: str) -> Q:
    """Match every word of `text` as the start of a word of `field` (a searched name, or a path
    to one: "contact__name"), ignoring case and accents. No words: no filter."""
    words = search_words(text)
    if not words:
        return Q()
    return Q(**{f"{field}__{NameWords.lookup_name}": words})


def sqlite_fts_table(table: str, column: str) -> str:
    return f"{table}_{column}_fts"


class NameWords(Lookup):
    """`name__has_words=[…]`: each word starts a word of the name (see the module's docstring)."""

    lookup_name = "has_words"
    prepare_rhs = False

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        lhs, params = self.process_lhs(compiler, connection)
        query = " & ".join(f"{word}:*" for word in self.rhs)
        config = f"'{POSTGRESQL_CONFIG}'::regconfig"
        sql = f"to_tsvector({config}, COALESCE({lhs}, '')) @@ to_tsquery({config}, %s)"
        return sql, [*params, query]

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        column = self.lhs
        if not isinstance(column, Col):
            raise NotSupportedError("Name search needs a column of a searched table.")
        meta = column.target.model._meta
        fts = connection.ops.quote_name(sqlite_fts_table(meta.db_table, column.target.column))
        alias = compiler.quote_name_unless_alias(column.alias)
        pk = f"{alias}.{connection.ops.quote_name(meta.pk.column)}"
        # Each word a quoted prefix: FTS5 reads no operator, column or NEAR in what was typed.
        match = " ".join(f'"{word}"*' for word in self.rhs)
        return f"{pk} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)", [match]

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        raise NotSupportedError(f"Name search is not written for {connection.vendor}.")


# SQLite's FTS5 tables and the triggers that keep them in step with the names.


def _sqlite_triggers(table: str, column: str) -> dict[str, str]:
    fts = sqlite_fts_table(table, column)
    insert = f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column});"
    delete = f"DELETE FROM {fts} WHERE rowid = old.id;"
    return {
        f"{fts}_insert": f"AFTER INSERT ON {table} BEGIN {insert} END",
        f"{fts}_update": f"AFTER UPDATE OF id, {column} ON {table} BEGIN {delete} {insert} END",
        f"{fts}_delete": f"AFTER DELETE ON {table} BEGIN {delete} END",
    }


def _sqlite_fill(cursor: Any, table: str, column: str) -> None:
    fts = sqlite_fts_table(table, column)
    cursor.execute(f"DELETE FROM {fts}")
    cursor.execute(f"INSERT INTO {fts}(rowid, {column}) SELECT id, {column} FROM {table}")


def sqlite_tables_create(connection: BaseDatabaseWrapper) -> None:
    """Make each searched name's FTS5 table, fill it and add its triggers (SQLite only)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table, column in SEARCHED_NAMES:
            cursor.execute(
                f"CREATE VIRTUAL TABLE {sqlite_fts_table(table, column)} USING fts5("
                f"{column}, tokenize = 'unicode61 remove_diacritics 2')"
            )
            _sqlite_fill(cursor, table, column)
            for name, body in _sqlite_triggers(table, column).items():
                cursor.execute(f"CREATE TRIGGER {name} {body}")


def sqlite_tables_drop(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table, column in SEARCHED_NAMES:
            for name in _sqlite_triggers(table, column):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {sqlite_fts_table(table, column)}")


def sqlite_repair(connection: BaseDatabaseWrapper) -> list[str]:
    """Put back the triggers a rebuilt table lost, refilling its FTS5 table; what was repaired.

    Django's SQLite migrations change a table by copying it into a new one and dropping the
    old, triggers included. Nothing to do where the FTS5 tables were never made (before 0009).
    """
    if connection.vendor != "sqlite":
        return []
    repaired = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        existing = {name for (name,) in cursor.fetchall()}
        for table, column in SEARCHED_NAMES:
            triggers = _sqlite_triggers(table, column)
            if sqlite_fts_table(table, column) not in existing or triggers.keys() <= existing:
                continue
            for name, body in triggers.items():
                cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
            _sqlite_fill(cursor, table, column)
            repaired.append(table)
    return repaired


def sqlite_repair_after_migrate(sender: Any, *, using: str, **kwargs: Any) -> None:
    """post_migrate receiver (partners.apps): see sqlite_repair."""
    sqlite_repair(connections[using])
