"""Name search on SQLite, the laptop default: FTS5 tables that triggers keep in step.

The suite runs on PostgreSQL in CI, so this makes a SQLite database as `make run` does
(`manage.py migrate`), writes and searches it in a subprocess, and checks what it saw.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)

SCRIPT = """
import json

import django

django.setup()

from django.core.management import call_command
from django.db import connection, models

from partners import selectors
from partners.models import Affiliation, Contact, Organization
from partners.names import normalize_name


def names(text):
    return sorted(Organization.objects.search(text).values_list("name", flat=True))


def contacts(text):
    return [contact.name for contact in selectors.contact_list({"q": text})]


def triggers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'")
        return cursor.fetchone()[0]


seen = {}
cafe = Organization.objects.create(name="Café Literario")
Organization.objects.create(name="Harlow Springs Food Bank")
societe = "Société Saint-Vincent"
bulk = Organization(name=societe, normalized_name=normalize_name(societe))
Organization.objects.bulk_create([bulk])
Affiliation.objects.create(organization=cafe, contact=Contact.objects.create(name="José Álvarez"))
zoe = Contact.objects.create(name="Zoë Ng")
texts = ["cafe", "CAFE lit", "societe", "alvarez", "caf", "cafes", "food har", "!!! :*"]
seen["organizations"] = {text: names(text) for text in texts}
seen["contacts"] = {text: contacts(text) for text in ["jose", "zoe", "ZOË NG", "ng zo"]}

sql, params = selectors.organization_list({"q": "cafe"}).query.sql_with_params()
with connection.cursor() as cursor:
    cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
    seen["plan"] = " / ".join(str(row[-1]) for row in cursor.fetchall())

cafe.name = "Biblioteca Pública"
cafe.save()
Organization.objects.filter(name__startswith="Harlow").update(name="Harlow Élan Food Bank")
zoe.delete()
seen["edited"] = {text: names(text) for text in ["cafe", "publica", "elan", "springs"]}
seen["deleted"] = contacts("zoe")

# A migration changing a column rebuilds the table, as Django does on SQLite, losing its
# triggers; the next migrate puts them back and catches up with names written meanwhile.
wider = models.CharField(max_length=41, blank=True)
wider.set_attributes_from_name("phone")
wider.model = Organization
with connection.schema_editor() as editor:
    editor.alter_field(Organization, Organization._meta.get_field("phone"), wider)
seen["triggers_after_rebuild"] = triggers()
Organization.objects.create(name="Centre Récréatif")
seen["before_migrate"] = names("recreatif")
call_command("migrate", verbosity=0)
seen["triggers_after_migrate"] = triggers()
seen["after_migrate"] = names("recreatif")
Organization.objects.filter(name="Centre Récréatif").update(name="Centre Sportif")
seen["after_rename"] = names("sportif")
print(json.dumps(seen))
"""


def sqlite_run(folder: Path, script: str) -> dict:
    """`manage.py migrate` on a new SQLite database in `folder`, then `script` in a process of
    its own: what the script printed last, as JSON."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "REDIS_URL", "EMAIL_", "LIAISON_", "CELERY_"))
    }
    environment.update(
        DATABASE_URL=f"sqlite:///{folder / 'liaison.sqlite3'}",
        LIAISON_VAR_DIR=str(folder / "var"),
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="1",
    )
    for command in (
        [sys.executable, "manage.py", "migrate", "--noinput"],
        [sys.executable, "-c", script],
    ):
        result = subprocess.run(
            command, cwd=BASE_DIR, env=environment, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, f"{' '.join(command[:3])}:\n{result.stderr}"
    return json.loads(result.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def seen(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return sqlite_run(tmp_path_factory.mktemp("sqlite-search"), SCRIPT)


def test_sqlite_search_ignores_case_and_accents(seen):
    assert seen["organizations"] == {
        "cafe": ["Café Literario"],
        "CAFE lit": ["Café Literario"],
        "societe": ["Société Saint-Vincent"],  # written by bulk_create: no save() needed
        "alvarez": ["Café Literario"],  # one of its people
        "caf": ["Café Literario"],
        "cafes": [],
        "food har": ["Harlow Springs Food Bank"],
        "!!! :*": ["Café Literario", "Harlow Springs Food Bank", "Société Saint-Vincent"],
    }
    assert seen["contacts"] == {
        "jose": ["José Álvarez"],
        "zoe": ["Zoë Ng"],
        "ZOË NG": ["Zoë Ng"],
        "ng zo": ["Zoë Ng"],
    }


def test_sqlite_search_reads_its_full_text_index(seen):
    assert "VIRTUAL TABLE INDEX" in seen["plan"]
    assert "partners_organization_name_fts" in seen["plan"]
    assert "partners_contact_name_fts" in seen["plan"]


def test_sqlite_search_follows_renames_updates_and_deletions(seen):
    assert seen["edited"] == {
        "cafe": [],
        "publica": ["Biblioteca Pública"],
        "elan": ["Harlow Élan Food Bank"],  # a QuerySet.update(), no save()
        "springs": [],
    }
    assert seen["deleted"] == []


def test_migrate_puts_back_the_triggers_a_table_rebuild_dropped(seen):
    assert seen["triggers_after_rebuild"] == 3  # the contact table's only
    assert seen["before_migrate"] == []
    # The name search's, on both tables, and the stage tally's (partners.tally).
    assert seen["triggers_after_migrate"] == 9
    assert seen["after_migrate"] == ["Centre Récréatif"]
    assert seen["after_rename"] == ["Centre Sportif"]
