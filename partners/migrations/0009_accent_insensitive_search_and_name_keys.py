"""Name search ignores accents ("cafe" finds "Café Literario"), on PostgreSQL and SQLite, and
the duplicate key ignores common abbreviations ("Health Dept." is "Health Department").

PostgreSQL: the unaccent extension, a `simple_unaccent` text search configuration, and the two
GIN indexes of 0002 made again on it (partners.search writes the same expression).
SQLite: FTS5 tables kept in step by triggers (partners.search). Every organization keeps its
row; only its normalized_name is computed again.
"""

import re
import unicodedata

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

from partners import search
from partners.names import normalize_name

INDEXES = {
    "partners_org_name_fts": "partners_organization",
    "partners_contact_name_fts": "partners_contact",
}
WORD_TOKENS = (
    "asciiword, asciihword, hword_asciipart, word, hword, hword_part, numword, numhword, "
    "hword_numpart"
)


def _indexes_make(schema_editor, config):
    for index, table in INDEXES.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(
            f"CREATE INDEX {index} ON {table} "
            f"USING gin (to_tsvector('{config}'::regconfig, COALESCE(name, '')))"
        )


def search_ignore_accents(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute("CREATE TEXT SEARCH CONFIGURATION simple_unaccent (COPY = simple)")
        schema_editor.execute(
            "ALTER TEXT SEARCH CONFIGURATION simple_unaccent "
            f"ALTER MAPPING FOR {WORD_TOKENS} WITH unaccent, simple"
        )
        _indexes_make(schema_editor, "simple_unaccent")
    search.sqlite_tables_create(connection)


def search_mind_accents(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        _indexes_make(schema_editor, "simple")
        schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS simple_unaccent")
    search.sqlite_tables_drop(connection)


def normalize_name_before_0009(name):
    """The duplicate key before this migration: abbreviations were kept as written."""
    decomposed = unicodedata.normalize("NFKD", name)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", without_accents.casefold())


def _keys_compute(apps, normalize):
    Organization = apps.get_model("partners", "Organization")
    changed = []
    for organization in Organization.objects.only("name", "normalized_name").iterator(2000):
        key = normalize(organization.name)
        if key != organization.normalized_name:
            organization.normalized_name = key
            changed.append(organization)
    Organization.objects.bulk_update(changed, ["normalized_name"], batch_size=1000)


def keys_expand_abbreviations(apps, schema_editor):
    _keys_compute(apps, normalize_name)


def keys_keep_abbreviations(apps, schema_editor):
    _keys_compute(apps, normalize_name_before_0009)


class Migration(migrations.Migration):
    dependencies = [("partners", "0008_list_board_and_report_indexes")]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(search_ignore_accents, search_mind_accents),
        migrations.RunPython(keys_expand_abbreviations, keys_keep_abbreviations),
    ]
