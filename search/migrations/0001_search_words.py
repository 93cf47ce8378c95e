"""The search box's words (PostgreSQL; SQLite searches plainly, see search.sqlite).

An `english_unaccent` text search configuration: PostgreSQL's `english` (Snowball's English
stemmer, its stop words) with the unaccent dictionary first, as partners/migrations/0009 made
`simple_unaccent` for the names. Each searched table gets a `search_words` column: its text as
one weighted tsvector in that configuration, kept by a trigger on every insert and on every
update that changes a column it reads (a form, an import, a merge, a bulk load alike), filled
for every existing row here, with a GIN index. Stored rather than computed in an index
expression so that ranking reads it instead of parsing each text again. pg_trgm and a trigram
index on organizations' and contacts' names serve the look-alike names ("tamarak").

The columns and weights are written here as they were when this migration was made;
search.kinds holds them for the queries (search/tests/test_search.py checks that each column
read there is kept here).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

CONFIG = "'english_unaccent'::regconfig"
WORD_TOKENS = (
    "asciiword, asciihword, hword_asciipart, word, hword, hword_part, numword, numhword, "
    "hword_numpart"
)
COLUMNS = {
    "partners_organization": {
        "A": ("name",),
        "B": ("services", "populations_served"),
        "C": ("initiatives", "mission", "common_ground"),
    },
    "partners_contact": {"A": ("name", "email")},
    "partners_affiliation": {"B": ("title",)},
    "outreach_touchpoint": {"A": ("subject",), "B": ("notes", "outcome", "next_step")},
    "outreach_meeting": {"A": ("title",), "B": ("agenda", "minutes", "location")},
    "outreach_program": {
        "A": ("title",),
        "B": ("description", "goals"),
        "C": ("audience", "library_resources"),
    },
    "documents_document": {"A": ("title",), "B": ("description",)},
}
NAMES = ("partners_organization", "partners_contact")


# Characters PostgreSQL's parser reads as part of one token ("MOU/agreement" a file path,
# "mou.pdf" a host name, "rosa@clinic.org" an email, "COVID-19" a word and a number, "<b>" a
# tag it leaves out, "&amp;" an entity): taken as spaces, so that the words are those
# search.words reads in what is typed. The text composed first (an accent typed apart from its
# letter is one character with it).
JOINERS = "'[/.@_:+~<>&\\-]'"


def _vector(weights, row):
    parts = []
    for weight, columns in weights.items():
        text = " || ' ' || ".join(
            f"regexp_replace(normalize(COALESCE({row}\"{c}\", ''), NFC), {JOINERS}, ' ', 'g')"
            for c in columns
        )
        parts.append(f"setweight(to_tsvector({CONFIG}, {text}), '{weight}')")
    return " || ".join(parts)


def _changed(weights):
    """Whether an update changed a column read (compared here, not named in the trigger: a
    column a trigger names cannot change type, and dropping it would drop the trigger)."""
    columns = [c for names in weights.values() for c in names]
    new = ", ".join(f'NEW."{c}"' for c in columns)
    old = ", ".join(f'OLD."{c}"' for c in columns)
    return f"TG_OP = 'INSERT' OR ROW({new}) IS DISTINCT FROM ROW({old})"


def words_add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    run("CREATE TEXT SEARCH CONFIGURATION english_unaccent (COPY = english)")
    run(
        "ALTER TEXT SEARCH CONFIGURATION english_unaccent "
        f"ALTER MAPPING FOR {WORD_TOKENS} WITH unaccent, english_stem"
    )
    for table, weights in COLUMNS.items():
        run(f"ALTER TABLE {table} ADD COLUMN search_words tsvector")
        # The planner's figures for the column: how many records hold a word decides between
        # its index and reading the newest touchpoints until five have it (search.selectors).
        # A word missing from the commonest it counted is taken as rare as half the rarest of
        # those: with a thousand times the words counted (10,000, not 100), a word in one
        # touchpoint of 100,000 is no longer taken for one in two hundred.
        run(f"ALTER TABLE {table} ALTER COLUMN search_words SET STATISTICS 1000")
        run(
            f"CREATE FUNCTION {table}_search_words() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN IF {_changed(weights)} THEN "
            f"NEW.search_words := {_vector(weights, 'NEW.')}; END IF; RETURN NEW; END $$"
        )
        run(
            f"CREATE TRIGGER search_words BEFORE INSERT OR UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_search_words()"
        )
        run(f"UPDATE {table} SET search_words = {_vector(weights, '')}")
        run(f"CREATE INDEX {table}_search_words ON {table} USING gin (search_words)")
        run(f"ANALYZE {table}")
    for table in NAMES:
        run(f"CREATE INDEX {table}_name_trigrams ON {table} USING gin (name gin_trgm_ops)")


def words_remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    for table in NAMES:
        run(f"DROP INDEX IF EXISTS {table}_name_trigrams")
    for table in COLUMNS:
        run(f"DROP TRIGGER IF EXISTS search_words ON {table}")
        run(f"DROP FUNCTION IF EXISTS {table}_search_words()")
        run(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_words")
    run("DROP TEXT SEARCH CONFIGURATION IF EXISTS english_unaccent")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("partners", "0015_tags"),
        ("outreach", "0009_coalition_touchpoints"),
        ("programs", "0005_program_tags"),
        ("documents", "0001_documents"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(words_add, words_remove),
    ]
