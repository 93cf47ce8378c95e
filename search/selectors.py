"""The records that hold what was typed, kind by kind, best first.

PostgreSQL: each searched table has a `search_words` column (a weighted tsvector kept by a
trigger, search/migrations/0001) with a GIN index; a query is `search_words @@ to_tsquery(…)`.
Best first: the records whose name holds the words asked (every one, or one of each `or`;
an organization's name, a contact's name and email, a program's or a document's title: the
words of weight A, with an index of their own, search/migrations/0002), in the order of their
names (programs as their list has them, newest first; documents newest first); then the
others by `ts_rank` of the words asked (a word in what they do counts more than one in the
rest: the weights of search.kinds), then in that same order, archived partners last.
Contacts found by their name or email come before those found by a title, each in the order
of names. Touchpoints and meetings come newest first, as their lists do. Where no
organization or contact has the words, names that look like them are offered (pg_trgm's word
similarity, its own GIN index): "tamarak" finds "Tamarack County Health Department". SQLite:
search.sqlite's plain word comparison, names first.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, F, FloatField, OrderBy, Q, QuerySet

from search import sqlite
from search.expressions import OwnSQL
from search.kinds import CONFIG, CONTACTS, ORGANIZATIONS, Kind
from search.words import Query

COLUMN = "search_words"
Order = tuple[str | OrderBy, ...]
RANK = "rank"
# Best first (RANK: by ts_rank); touchpoints and meetings newest first, as their lists are;
# programs of a rank as their list has them (newest dates first, undated last, then by title:
# "diabetes" finds this season's series before last year's; along its index, programs 0004).
ORDER: dict[str, Order] = {
    "organizations": ("is_archived", RANK, "name", "id"),
    "contacts": (RANK, "name", "id"),
    "touchpoints": ("-occurred_on", "-created_at", "-id"),
    "meetings": ("-starts_at", "-id"),
    "programs": (RANK, F("start_date").desc(nulls_last=True), "title", "id"),
    "documents": (RANK, "-created_at", "-id"),
}
SIMILAR_KINDS = (ORGANIZATIONS, CONTACTS)


def postgresql() -> bool:
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class Asked:
    """What is looked for, as each database reads it: PostgreSQL two tsqueries (all of it, and
    its words wanted, those not left out: for a name to hold, and to rank by), which a prepared
    query takes as values (search.results); SQLite the Query itself, which its SQL is written
    from."""

    query: Query | None = None
    words: str = ""
    wanted: str = ""


def asked(query: Query) -> Asked:
    if postgresql():
        return Asked(words=query.tsquery(), wanted=query.wanted_tsquery())
    return Asked(query=query)


WORDS = f'{{t}}."{COLUMN}"'
HOLDS = f"{WORDS} @@ to_tsquery({CONFIG}, %s)"
# The words that name a record (weight A: an organization's name, a contact's name and email, a
# program's or a document's title) apart, with a GIN index of their own (search/migrations/
# 0002), whose figures tell the planner how many records are named so.
NAMED = f"ts_filter({WORDS}, '{{{{a}}}}') @@ to_tsquery({CONFIG}, %s)"
# A contact found by a title (one of their affiliations', search/migrations/0002) comes after
# those found by their name or email, in the order of names: titles are few words, alike.
UNRANKED_REST = (CONTACTS,)


def _holds(kind: Kind, asked: Asked, *, counted: bool = True) -> Q:
    """The records that hold the query. `counted=False`: a check the planner is not to count
    as a filter (COALESCE hides it from its figures), where it mostly holds anyway: of the
    records whose name holds every word asked, those with none of the words left out."""
    if asked.query is None:
        sql = HOLDS if counted else f"COALESCE({HOLDS}, false)"
        return Q(OwnSQL(sql, [asked.words], BooleanField()))
    text = sqlite.text_sql(kind.text_columns())
    if kind is CONTACTS:  # and their titles, as PostgreSQL's words of a contact hold them
        text = f"{text} || ' ' || {sqlite.TITLES_SQL}"
    return sqlite.matches(text, sqlite.spelled(asked.query))


def _named(asked: Asked) -> Q:
    return Q(OwnSQL(NAMED, [asked.wanted], BooleanField()))


def _rest_rank(kind: Kind, asked: Asked) -> OwnSQL:
    if kind in UNRANKED_REST:
        return _score(0.0)
    return OwnSQL(f"ts_rank({WORDS}, to_tsquery({CONFIG}, %s))", [asked.wanted], FloatField())


def _rank(kind: Kind, asked: Asked) -> OwnSQL:
    if asked.query is None:
        # Every word in the name first, alike (then by name); then by ts_rank, which counts
        # each time a word is used, a word in what they do above one in the rest.
        rest = _rest_rank(kind, asked)
        sql = f"CASE WHEN {NAMED} THEN 100.0 ELSE {rest.template} END"
        return OwnSQL(sql, [asked.wanted, *rest.params], FloatField())
    # SQLite: a word of the name first, then the rest.
    names = sqlite.text_sql(kind.columns.get("A", ()))
    named = f"CASE WHEN {sqlite.FUNCTION}({names}, %s) THEN 1.0 ELSE 0.0 END"
    return OwnSQL(named, [sqlite.spelled_any(asked.query)], FloatField())


def ranked(kind: Kind) -> bool:
    return RANK in ORDER[kind.key]


def _ordered(records: QuerySet, order: Order) -> QuerySet:
    return records.order_by(*(F(RANK).desc() if field == RANK else field for field in order))


def matching(kind: Kind, asked: Asked, records: QuerySet) -> QuerySet:
    """`records` (of `kind`) that hold what is asked, best first."""
    found = records.filter(_holds(kind, asked))
    if ranked(kind):
        found = found.annotate(rank=_rank(kind, asked))
    return _ordered(found, ORDER[kind.key])


def first(kind: Kind, asked: Asked, records: QuerySet, *, top: int) -> QuerySet:
    """The first `top` of `matching`, or a few more (the caller takes its first `top`).

    PostgreSQL reads a ranked kind tier by tier, in one UNION ALL whose parts it runs in turn,
    each no further than `top`, and none once the caller's LIMIT has its rows: the records
    whose name holds every word asked (in the order of names, read along its index where many
    are named so: "health" names 500 organizations of 10,000), then the others by rank (or,
    contacts, by name), then (organizations) the archived, ranked alike. Ranking every record
    that has a common word would read them all. The parts run in the order written because
    each has a LIMIT of its own: PostgreSQL never hands such a part as a whole to a parallel
    worker, so the UNION is a plain Append of them, in turn (test_search.py checks the plan)."""
    if asked.query is not None or not ranked(kind):
        return matching(kind, asked, records)
    archivable = "is_archived" in ORDER[kind.key]
    order = tuple(field for field in ORDER[kind.key] if field != "is_archived")
    by_name = tuple(field for field in order if field != RANK)
    live = records.filter(is_archived=False) if archivable else records
    named = live.filter(_named(asked), _holds(kind, asked, counted=False))
    rest = live.filter(_holds(kind, asked), ~_named(asked))
    rest_order = by_name if kind in UNRANKED_REST else order
    parts = [(named, _score(100.0), by_name), (rest, _rest_rank(kind, asked), rest_order)]
    if archivable:  # last, and few: ranked all at once
        archived = records.filter(_holds(kind, asked), is_archived=True)
        parts.append((archived, _rank(kind, asked), order))
    return _tiers(parts, top)


def _score(value: float) -> OwnSQL:
    return OwnSQL(f"{value:.1f}", [], FloatField())


def _tiers(parts: list[tuple[QuerySet, OwnSQL, Order]], top: int) -> QuerySet:
    ordered = [_ordered(found.annotate(rank=rank), order)[:top] for found, rank, order in parts]
    return ordered[0].union(*ordered[1:], all=True)


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
