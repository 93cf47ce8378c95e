"""Search by name: word prefixes, any case, any accents, through an index on each database.

These run on the suite's database (PostgreSQL in CI); test_search_sqlite.py searches a SQLite
database made as on a laptop.
"""

import pytest
from django.db import connection

from partners import selectors
from partners.models import Contact, Organization, full_text_filter, search_words
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def explain(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # With a handful of rows a sequential scan is cheapest; forbid it to see which index
        # the planner can use for the expression. A plain index scan of another index (the
        # name order's), filtering every row, is forbidden too: with the statistics earlier
        # tests leave behind it can look as cheap, and it uses no index for the search.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("full-text indexes exist on PostgreSQL only (set DATABASE_URL)")


def test_name_search_uses_the_organization_index(postgres_only):
    OrganizationFactory(name="Harlow Springs Food Bank")
    plan = explain(Organization.objects.filter(full_text_filter("name", "food har")))
    assert "partners_org_name_fts" in plan


def test_organization_list_search_finds_contacts_through_their_index(postgres_only):
    AffiliationFactory(
        organization=OrganizationFactory(name="Harlow Springs Food Bank"),
        contact=ContactFactory(name="Priya Natarajan"),
    )
    # Figures for a table of some size: for the handful of rows an earlier test's ANALYZE may
    # have counted, reading every row of another index (the names') in a bitmap costs less.
    Contact.objects.bulk_create(Contact(name=f"Person {i}") for i in range(500))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE partners_contact")
    plan = explain(selectors.organization_list({"q": "priya"}))
    assert "partners_contact_name_fts" in plan


def test_contact_search_uses_the_name_index(postgres_only):
    plan = explain(Contact.objects.filter(full_text_filter("name", "natara")))
    assert "partners_contact_name_fts" in plan


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("food", True),
        ("FOOD BANK", True),
        ("harl spr", True),  # word prefixes, any order
        ("bank food", True),
        ("priya", True),  # a contact's name
        ("foods", False),
        ("", True),
        ("!!! & | :*", True),  # nothing searchable: no filter, no error
    ],
)
def test_search_matches_word_prefixes(text, found):
    AffiliationFactory(
        organization=OrganizationFactory(name="Harlow Springs Food Bank"),
        contact=ContactFactory(name="Priya Natarajan"),
    )
    assert Organization.objects.search(text).exists() is found


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("cafe", "Café Literario"),
        ("CAFE LIT", "Café Literario"),
        ("Societe", "Société Saint-Vincent de Paul"),
        ("société vinc", "Société Saint-Vincent de Paul"),
        ("café", "Cafe Hope"),  # an accent typed that the name does not have
        ("Cafe\u0301", "Café Literario"),  # an accent typed as a separate mark
        ("naive", "Naïve Theatre Troupe"),
    ],
)
def test_search_ignores_accents(text, name):
    OrganizationFactory(name=name)
    OrganizationFactory(name="Harlow Springs Food Bank")
    assert list(Organization.objects.search(text).values_list("name", flat=True)) == [name]


def test_the_lists_find_contacts_whatever_the_accents():
    clinic = OrganizationFactory(name="Eastside Clinic")
    AffiliationFactory(organization=clinic, contact=ContactFactory(name="José Álvarez"))
    ContactFactory(name="Joseph Alvin")
    assert [c.name for c in selectors.contact_list({"q": "jose alvarez"})] == ["José Álvarez"]
    assert [c.name for c in selectors.contact_list({"q": "JOSÉ ÁLVA"})] == ["José Álvarez"]
    assert list(selectors.organization_list({"q": "alvarez"})) == [clinic]


def test_accent_search_uses_the_organization_index(postgres_only):
    OrganizationFactory(name="Café Literario")
    plan = explain(Organization.objects.filter(full_text_filter("name", "café lit")))
    assert "partners_org_name_fts" in plan


def test_search_words_are_letters_and_digits_only():
    assert search_words("Café_Literario  'x' | !* 2nd") == ["Café", "Literario", "x", "2nd"]
    assert search_words("Cafe\u0301") == ["Café"]
    assert len(search_words("a " * 50)) == 10
