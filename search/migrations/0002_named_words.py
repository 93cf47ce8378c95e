"""The words that name a record, apart, and a contact's titles with their name (PostgreSQL).

The search shows first the records whose name holds every word asked, in the order of their
names (search.selectors.first). A GIN index on the weight-A words of `search_words` (an
organization's name, a contact's name and email, a program's or a document's title) tells
the planner how many records a word names: it reads those in the order of names along its index where many are (a
word in the names of 500 organizations of 10,000), or takes the few from this index where few
are, instead of ranking every record that has the word anywhere (programs are read in their
list's order, newest first, along its index: programs 0004).

A contact's titles (one on each of their affiliations, "School nurse coordinator") were words
of the affiliations, searched apart and joined to their contacts; they are now words of the
contact (weight B, after their name and email), kept by the contact's trigger and by one on
affiliations that recomputes its contact's words when a title is written or an affiliation
moves to another contact (a merge). Read with the contact, a word in the titles of thousands is
found along the contacts' names, like any other; the affiliations' own words are dropped.
"""

import importlib

from django.db import migrations

INITIAL = importlib.import_module("search.migrations.0001_search_words")
CONFIG = INITIAL.CONFIG
NAMED = {
    "partners_organization": "organization_named_words",
    "partners_contact": "contact_named_words",
    "outreach_program": "program_named_words",
    "documents_document": "document_named_words",
}
TITLES = (
    "(SELECT string_agg(regexp_replace(normalize(COALESCE(a.title, ''), NFC), "
    f"{INITIAL.JOINERS}, ' ', 'g'), ' ' ORDER BY a.id) "
    "FROM partners_affiliation a WHERE a.contact_id = {row}id)"
)


def _contact_words(row):
    titles = TITLES.format(row=row)
    name = INITIAL._vector({"A": ("name", "email")}, row)
    return f"{name} || setweight(to_tsvector({CONFIG}, COALESCE({titles}, '')), 'B')"


def words_add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    changed = INITIAL._changed({"A": ("name", "email")})
    run(
        "CREATE OR REPLACE FUNCTION partners_contact_search_words() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN IF {changed} THEN "
        f"NEW.search_words := {_contact_words('NEW.')}; END IF; RETURN NEW; END $$"
    )
    run(
        "CREATE FUNCTION partners_affiliation_contact_words() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN "
        "IF TG_OP = 'UPDATE' AND NEW.title IS NOT DISTINCT FROM OLD.title "
        "AND NEW.contact_id = OLD.contact_id THEN RETURN NULL; END IF; "
        f"UPDATE partners_contact c SET search_words = {_contact_words('c.')} "
        "WHERE c.id IN (CASE WHEN TG_OP <> 'INSERT' THEN OLD.contact_id END, "
        "CASE WHEN TG_OP <> 'DELETE' THEN NEW.contact_id END); "
        "RETURN NULL; END $$"
    )
    run(
        "CREATE TRIGGER contact_words AFTER INSERT OR UPDATE OR DELETE ON partners_affiliation "
        "FOR EACH ROW EXECUTE FUNCTION partners_affiliation_contact_words()"
    )
    run(f"UPDATE partners_contact SET search_words = {_contact_words('partners_contact.')}")
    # Every contact's words rewritten wait in the index's pending list, which each search
    # reads through until a vacuum: merged into the index now.
    run("SELECT gin_clean_pending_list('partners_contact_search_words'::regclass)")
    run("DROP TRIGGER search_words ON partners_affiliation")
    run("DROP FUNCTION partners_affiliation_search_words()")
    run("ALTER TABLE partners_affiliation DROP COLUMN search_words")  # and its index
    for table, index in NAMED.items():
        run(f"CREATE INDEX {index} ON {table} USING gin (ts_filter(search_words, '{{a}}'))")
        # As for search_words itself (0001): a thousand times the words counted.
        run(f"ALTER INDEX {index} ALTER COLUMN 1 SET STATISTICS 1000")
        run(f"ANALYZE {table}")


def words_remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    for index in NAMED.values():
        run(f"DROP INDEX IF EXISTS {index}")
    run("DROP TRIGGER IF EXISTS contact_words ON partners_affiliation")
    run("DROP FUNCTION IF EXISTS partners_affiliation_contact_words()")
    contact = {"A": ("name", "email")}
    run(
        "CREATE OR REPLACE FUNCTION partners_contact_search_words() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN IF {INITIAL._changed(contact)} THEN "
        f"NEW.search_words := {INITIAL._vector(contact, 'NEW.')}; END IF; RETURN NEW; END $$"
    )
    run(f"UPDATE partners_contact SET search_words = {INITIAL._vector(contact, '')}")
    titles = {"B": ("title",)}
    run("ALTER TABLE partners_affiliation ADD COLUMN search_words tsvector")
    run("ALTER TABLE partners_affiliation ALTER COLUMN search_words SET STATISTICS 1000")
    run(
        "CREATE FUNCTION partners_affiliation_search_words() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ BEGIN IF {INITIAL._changed(titles)} THEN "
        f"NEW.search_words := {INITIAL._vector(titles, 'NEW.')}; END IF; RETURN NEW; END $$"
    )
    run(
        "CREATE TRIGGER search_words BEFORE INSERT OR UPDATE ON partners_affiliation "
        "FOR EACH ROW EXECUTE FUNCTION partners_affiliation_search_words()"
    )
    run(f"UPDATE partners_affiliation SET search_words = {INITIAL._vector(titles, '')}")
    run(
        "CREATE INDEX partners_affiliation_search_words ON partners_affiliation "
        "USING gin (search_words)"
    )
    run("ANALYZE partners_affiliation")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_words")]

    operations = [migrations.RunPython(words_add, words_remove)]
