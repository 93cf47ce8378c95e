"""The records that hold what was typed, kind by kind, best first.

PostgreSQL: each searched table has a `search_words` column (a weighted tsvector kept by a
trigger, search/migrations/0001) with a GIN index; a query is `search_words @@ to_tsquery(…)`,
ranked by `ts_rank` (a word in the name counts more than one in the description: the weights of
search.kinds). Touchpoints and meetings come newest first, as their lists do. Where no
organization or contact has the words, names that look like them are offered (pg_trgm's
word similarity, its own GIN index): "tamarak" finds "Tamarack County Health Department".
SQLite: search.sqlite's plain word comparison, names first.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import BooleanField, F, FloatField, Q, QuerySet

from search import sqlite
from search.expressions import OwnSQL
from search.kinds import CONFIG, CONTACTS, ORGANIZATIONS, TITLES, Kind
from search.words import Query

COLUMN = "search_words"
RANK = "rank"
# Best first (RANK: by ts_rank); touchpoints and meetings newest first, as their lists are.
ORDER = {
    "organizations": ("is_archived", RANK, "name", "id"),
    "contacts": (RANK, "name", "id"),
    "touchpoints": ("-occurred_on", "-id"),
    "meetings": ("-starts_at", "-id"),
    "programs": (RANK, "title", "id"),
    "documents": (RANK, "-created_at", "-id"),
}
SIMILAR_KINDS = (ORGANIZATIONS, CONTACTS)


def postgresql() -> bool:
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class Asked:
    """What is looked for, as each database reads it: PostgreSQL two tsqueries (all of it, and
    its words in a name), which a prepared query takes as values (search.results); SQLite the
    Query itself, which its SQL is written from."""

    query: Query | None = None
    words: str = ""
    named: str = ""


def asked(query: Query) -> Asked:
    if postgresql():
        return Asked(words=query.tsquery(), named=query.named_tsquery())
    return Asked(query=query)


@contextmanager
def planned_for_these_words() -> Iterator[None]:
    """PostgreSQL plans the prepared queries within for the words asked, each time.

    config/settings.py has a prepared query keep one plan, made without its values. A search's
    best plan depends on how many records hold the words: a word in a few touchpoints is found
    through the GIN index, one in thousands by reading the newest touchpoints until five have
    it (a tenth of the time of the other way, and a thousand times it for a rare word: the
    planner's figures for the words, search/migrations/0001, tell the two apart). The setting
    ends with the transaction; within one begun before (a test's), it is put back.
    """
    if not postgresql():
        yield
        return
    outer = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        yield
        if outer:
            cursor.execute("RESET plan_cache_mode")


def _holds(kind: Kind, asked: Asked) -> Q:
    if asked.query is None:
        sql = f'{{t}}."{COLUMN}" @@ to_tsquery({CONFIG}, %s)'
        return Q(OwnSQL(sql, [asked.words], BooleanField()))
    return sqlite.matches(sqlite.text_sql(kind.text_columns()), sqlite.spelled(asked.query))


def _rank(kind: Kind, asked: Asked) -> OwnSQL:
    if asked.query is None:
        # All the words in the name first, then by ts_rank (which counts every time a word is
        # used: a long description may use it more often than the name does).
        column = f'{{t}}."{COLUMN}"'
        sql = (
            f"CASE WHEN {column} @@ to_tsquery({CONFIG}, %s) THEN 100.0 ELSE 0.0 END"
            f" + ts_rank({column}, to_tsquery({CONFIG}, %s))"
        )
        return OwnSQL(sql, [asked.named, asked.words], FloatField())
    # SQLite: a word of the name first, then the rest.
    names = sqlite.text_sql(kind.columns.get("A", ()))
    named = f"CASE WHEN {sqlite.FUNCTION}({names}, %s) THEN 1.0 ELSE 0.0 END"
    return OwnSQL(named, [sqlite.spelled_any(asked.query)], FloatField())


def ranked(kind: Kind) -> bool:
    return RANK in ORDER[kind.key]


def matching(kind: Kind, asked: Asked, records: QuerySet, *, top: int | None = None) -> QuerySet:
    """`records` (of `kind`) that hold what is asked, best first. `top`: only the first so many
    are wanted (the first page of results), which spares contacts reading every one found."""
    condition = _holds(kind, asked)
    if kind is CONTACTS:
        condition = Q(pk__in=_contacts_or_titles(asked, condition, top))
    found = records.filter(condition)
    if ranked(kind):
        found = found.annotate(rank=_rank(kind, asked))
    order = ORDER[kind.key]
    return found.order_by(*(F(RANK).desc() if field == RANK else field for field in order))


def _contacts_or_titles(asked: Asked, named: Q, top: int | None) -> QuerySet:
    """The ids of the contacts whose words hold the query, and of those holding a title that
    does ("school nurse"): one list from both indexes (an OR of the two would read every
    contact). With `top`, the best `top` of each, enough for the first `top` of both."""
    people = CONTACTS.model._default_manager.filter(named)
    titles = TITLES.model._default_manager.filter(_holds(TITLES, asked))
    if top is None or asked.query is not None:  # SQLite: no LIMIT within a UNION
        return people.order_by().values("pk").union(titles.order_by().values("contact_id"))
    people = people.annotate(rank=_rank(CONTACTS, asked)).order_by("-rank", "name", "id")
    titles = titles.annotate(rank=_rank(TITLES, asked)).order_by("-rank", "id")
    return people.values("pk")[:top].union(titles.values("contact_id")[:top], all=True)


def similar(kind: Kind, query: Query) -> list[str] | None:
    """The words to look for in names like them, where a kind has names (organizations,
    contacts) and nothing but words was typed (PostgreSQL only: None elsewhere)."""
    words = query.plain_words()
    if kind not in SIMILAR_KINDS or not words or not postgresql():
        return None
    return words


def named_like(records: QuerySet, *words: str) -> QuerySet:
    """The records whose name looks like the words, most alike first: each word like a word of
    the name (`word <% name`: pg_trgm's word_similarity at least its threshold, 0.6), served
    by the trigram index on the name."""
    name = '{t}."name"'
    for word in words:
        records = records.filter(OwnSQL(f"%s <%% {name}", [word], BooleanField()))
    alike = " + ".join(f"word_similarity(%s, {name})" for _ in words)
    return records.annotate(alike=OwnSQL(alike, list(words), FloatField())).order_by(
        "-alike", "name", "id"
    )
