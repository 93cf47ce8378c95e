"""SQLite's plain search (the embedded default): every word compared without case or accents.

SQLite has no text search configuration that folds accents in a LIKE, so each connection gets a
function, `liaison_fold(text)`, that returns the keys of the text's words (search.words.key:
folded and stemmed, the little ones left out) between spaces: " clinica la esperanza ". A word
is then `LIKE '% key %'`, a phrase `LIKE '% flu shot %'`, read row by row: a plain fallback for
a small library's database, not the indexed search PostgreSQL does.
"""

from typing import Any

from django.db.models import BooleanField, Q

from search.expressions import OwnSQL
from search.words import Query, Term, keys_of

FUNCTION = "liaison_fold"


def folded_words(text: str | None) -> str:
    return f" {' '.join(keys_of(text or ''))} "


def fold_function_add(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver (search.apps)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 1, folded_words, deterministic=True)


def _like(text_sql: str, term: Term) -> Q:
    pattern = f"% {' '.join(term.keys)} %"
    condition = Q(OwnSQL(f"{FUNCTION}({text_sql}) LIKE %s", [pattern], BooleanField()))
    return ~condition if term.negated else condition


def matches(text_sql: str, query: Query) -> Q:
    """The rows whose text (an SQL expression) holds the query."""
    condition = Q()
    for clause in query.clauses:
        either = Q()
        for term in clause:
            either |= _like(text_sql, term)
        condition &= either
    return condition


def text_sql(columns: tuple[str, ...] | list[str]) -> str:
    """The columns' text together; {t} for the table's alias (search.expressions.OwnSQL)."""
    return " || ' ' || ".join(f"COALESCE({{t}}.\"{column}\", '')" for column in columns)
