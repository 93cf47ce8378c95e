"""SQLite's plain search (the embedded default): every word compared without case or accents.

SQLite has no text search configuration, so each connection gets a function,
`liaison_holds(text, query)`, that reads a row's text once, as the keys of its words
(search.words.key: folded and stemmed, "_" for each little word left out:
" clinica la esperanza "), and says whether it holds the query: each term's keys in a row
(`" flu shot "` within it), the clauses all, a clause's terms any. Read row by row: a plain
fallback for a small library's database, not the indexed search PostgreSQL does.
"""

import json
from functools import lru_cache
from typing import Any

from django.db.models import BooleanField, Q

from search.expressions import OwnSQL
from search.words import Query, keys_of

FUNCTION = "liaison_holds"
# A contact's titles (one on each of their affiliations), read with their name and email.
TITLES_SQL = (
    "COALESCE((SELECT group_concat(\"title\", ' ') FROM partners_affiliation "
    'WHERE "contact_id" = {t}."id"), \'\')'
)


def folded_words(text: str | None) -> str:
    return f" {' '.join(keys_of(text or ''))} "


@lru_cache(maxsize=64)
def _clauses(query: str) -> list[list[tuple[str, bool]]]:
    return [[(f" {keys} ", negated) for keys, negated in clause] for clause in json.loads(query)]


def holds(text: str | None, query: str) -> bool:
    """Whether the text holds the query (as `spelled` writes it)."""
    words = folded_words(text)
    return all(
        any((keys in words) != negated for keys, negated in clause) for clause in _clauses(query)
    )


def fold_function_add(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver (search.apps)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 2, holds, deterministic=True)


def spelled(query: Query) -> str:
    """The query as `holds` reads it."""
    return json.dumps(
        [[(term.spaced_keys, term.negated) for term in clause] for clause in query.clauses]
    )


def spelled_any(query: Query) -> str:
    """Any one of the words looked for."""
    terms = [term for clause in query.clauses for term in clause if not term.negated]
    return json.dumps([[(term.spaced_keys, False) for term in terms]])


def matches(text_sql: str, spelled_query: str) -> Q:
    """The rows whose text (an SQL expression) holds the query."""
    return Q(OwnSQL(f"{FUNCTION}({text_sql}, %s)", [spelled_query], BooleanField()))


def text_sql(columns: tuple[str, ...] | list[str]) -> str:
    """The columns' text together; {t} for the table's alias (search.expressions.OwnSQL)."""
    return " || ' ' || ".join(f"COALESCE({{t}}.\"{column}\", '')" for column in columns)
