"""The search box on SQLite (the laptop default): a plain search that still ignores case and
accents, and reads the same query language. Run in a process of its own on a new database."""

import pytest

from partners.tests.test_search_sqlite import sqlite_run

SCRIPT = """
import json

import django

django.setup()

from partners.models import Affiliation, Contact, Organization
from outreach.models import Touchpoint
from search.results import search_groups
from search.words import query_read


def found(text):
    return {g.kind.key: [str(hit.title) for hit in g.hits] for g in search_groups(query_read(text))}


clinic = Organization.objects.create(name="Clínica La Esperanza", services="Diabetes classes.")
Organization.objects.create(name="Harlow Hospital", services="Diabetes education, hospital care.")
Organization.objects.create(name="Diabetes Alliance", mission="Diabetes prevention.")
Organization.objects.create(name="Friends of the Søndre Library")
Touchpoint.objects.create(
    organization=clinic, subject="Call", occurred_on="2026-03-01", notes="Sent the MOU."
)
nurse = Contact.objects.create(name="Marcus Lee", email="mlee@example.org")
Affiliation.objects.create(contact=nurse, organization=clinic, title="School nurse coordinator")
texts = [
    "CLINICA", "diabetes", "diabetes -hospital", '"diabetes classes"', "clinic", "mou",
    "esperanza or alliance",
    "school nurse",
    "marcus",
    '"friends library"',
    '"friends of the sondre libraries"',
    " or ".join(f"w{i}" for i in range(40)) + " or alliance",
]
print(json.dumps({text: found(text) for text in texts}))
"""


@pytest.fixture(scope="module")
def seen(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return sqlite_run(tmp_path_factory.mktemp("sqlite-search-box"), SCRIPT)


def test_sqlite_search_ignores_case_and_accents_and_reads_the_query_language(seen):
    assert seen["CLINICA"] == {"organizations": ["<mark>Clínica</mark> La Esperanza"]}
    # The name first, then the others by name.
    assert seen["diabetes"]["organizations"] == [
        "<mark>Diabetes</mark> Alliance",
        "Clínica La Esperanza",
        "Harlow Hospital",
    ]
    assert seen["diabetes -hospital"]["organizations"] == [
        "<mark>Diabetes</mark> Alliance",
        "Clínica La Esperanza",
    ]
    assert seen['"diabetes classes"']["organizations"] == ["Clínica La Esperanza"]
    assert seen["clinic"] == {}  # a word, not the start of one
    assert seen["mou"] == {"touchpoints": ["Call"]}
    assert len(seen["esperanza or alliance"]["organizations"]) == 2
    # A phrase's words as far apart as in the text, as PostgreSQL reads them.
    assert seen['"friends library"'] == {}
    assert seen['"friends of the sondre libraries"'] == {
        "organizations": ["<mark>Friends</mark> of the <mark>Søndre</mark> <mark>Library</mark>"]
    }
    # A contact by their name, or by a title (their affiliation's), with the title shown.
    assert seen["marcus"]["contacts"] == ["<mark>Marcus</mark> Lee"]
    assert seen["school nurse"] == {"contacts": ["Marcus Lee"]}
    # Only the first ten terms count: the eleventh, "alliance", is not read.
    assert seen[" or ".join(f"w{i}" for i in range(40)) + " or alliance"] == {}
