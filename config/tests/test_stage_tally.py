"""The stage tally never drifts from the organizations it counts (partners.models.StageTally).

The board's and the dashboard's counts read the tally; triggers in the database keep it
(partners migration 0012). Each test changes organizations one way Liaison does — created,
moved, archived, restored, given to someone else, merged away, imported, updated in bulk, left
by a deleted user, seeded as demo data — and after each step the tally must be a count of the
organizations not archived, per owner and stage, on PostgreSQL and SQLite alike.
"""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Count

from partners import merge, services
from partners.models import Organization, Stage, StageTally
from partners.selectors import board_counts, pipeline_counts
from partners.tests.factories import OrganizationFactory
from transfer.tests.helpers import ORGANIZATION_HEADER, confirm, csv_bytes, upload_run

pytestmark = pytest.mark.django_db


def counted() -> dict[tuple[int, str], int]:
    """Organizations not archived per (owner id or 0, stage), counted from their rows."""
    rows = (
        Organization.objects.active()
        .order_by()
        .values_list("owner", "stage")
        .annotate(n=Count("*"))
    )
    return {(owner or 0, stage): n for owner, stage, n in rows}


def assert_no_drift() -> None:
    tally = list(StageTally.objects.values_list("owner_key", "stage", "organizations"))
    assert all(n >= 0 for _, _, n in tally)
    assert {(owner, stage): n for owner, stage, n in tally if n} == counted()


def test_the_services_keep_the_tally(librarian, manager):
    assert_no_drift()  # nothing yet
    county = services.organization_create(
        by=librarian, name="Riverside County Health", kind="government", owner=librarian
    )
    clinic = services.organization_create(by=librarian, name="Eastside Clinic", kind="health")
    assert counted() == {(librarian.pk, Stage.IDENTIFIED): 1, (0, Stage.IDENTIFIED): 1}
    assert_no_drift()

    services.stage_change(organization=county, to_stage=Stage.CONTACTED, by=librarian)
    assert_no_drift()
    services.stage_change(organization=county, to_stage=Stage.CONTACTED, by=librarian)  # no-op
    assert_no_drift()

    services.organization_update(organization=clinic, by=manager, owner=manager)
    assert_no_drift()
    services.organization_update(organization=clinic, by=manager, name="Eastside Health Clinic")
    assert_no_drift()  # a profile edit changes no count

    services.organization_archive(organization=county)
    assert (librarian.pk, Stage.CONTACTED) not in counted()
    assert_no_drift()
    services.stage_change(organization=county, to_stage=Stage.ACTIVE, by=manager)  # archived
    assert_no_drift()
    services.organization_restore(organization=county)
    assert counted()[librarian.pk, Stage.ACTIVE] == 1
    assert_no_drift()


def test_merging_away_a_duplicate_takes_it_from_the_tally(manager, librarian):
    survivor = OrganizationFactory(name="Riverside County Health Dept", owner=librarian)
    other = OrganizationFactory(name="Riverside County Health Department", stage=Stage.ACTIVE)
    assert_no_drift()

    merge.organization_merge(survivor=survivor, other=other, fields={}, by=manager)

    assert not Organization.objects.filter(pk=other.pk).exists()
    assert_no_drift()


def test_bulk_updates_and_a_deleted_owner_keep_the_tally(librarian, manager):
    for stage in (Stage.IDENTIFIED, Stage.CONTACTED, Stage.CONTACTED):
        OrganizationFactory(stage=stage, owner=librarian)
    OrganizationFactory(stage=Stage.DORMANT, owner=manager)

    Organization.objects.filter(stage=Stage.CONTACTED).update(stage=Stage.IN_DISCUSSION)
    assert_no_drift()
    Organization.objects.filter(owner=librarian).update(owner=manager)
    assert_no_drift()

    User.objects.filter(pk=manager.pk).delete()  # their partnerships are nobody's now

    assert set(counted()) == {(0, Stage.IDENTIFIED), (0, Stage.IN_DISCUSSION), (0, Stage.DORMANT)}
    assert_no_drift()


def test_an_import_creating_updating_and_archiving_keeps_the_tally(manager_client, media_root):
    OrganizationFactory(name="Partner Organization 0", stage=Stage.CONTACTED)
    rows = [
        ["Partner Organization 0", "Nonprofit", "Active partner", "", "", ""],
        ["Partner Organization 1", "Nonprofit", "Contacted", "", "", ""],
        ["Partner Organization 2", "Nonprofit", "Identified", "", "", ""],
    ]
    run = upload_run(manager_client, csv_bytes([ORGANIZATION_HEADER, *rows]))

    assert confirm(manager_client, run, update=True).status_code == 302

    assert counted() == {(0, Stage.ACTIVE): 1, (0, Stage.CONTACTED): 1, (0, Stage.IDENTIFIED): 1}
    assert_no_drift()


def test_the_demo_data_comes_with_its_tally(settings):
    settings.DEBUG = True  # seed_demo refuses otherwise

    call_command("seed_demo", stdout=StringIO())

    assert sum(counted().values()) > 10
    assert_no_drift()


def test_the_counts_read_the_tally(librarian, manager):
    for stage in (Stage.ACTIVE, Stage.ACTIVE, Stage.CONTACTED):
        OrganizationFactory(stage=stage, owner=librarian)
    OrganizationFactory(stage=Stage.ACTIVE, owner=manager, kind="health")
    services.organization_archive(organization=OrganizationFactory(owner=librarian))

    stages, mine = pipeline_counts(librarian)

    assert {row["stage"]: row["count"] for row in stages if row["count"]} == {
        Stage.ACTIVE: 3,
        Stage.CONTACTED: 1,
    }
    assert mine == 3
    assert {stage: n for stage, n in board_counts({}).items() if n} == {
        Stage.ACTIVE: 3,
        Stage.CONTACTED: 1,
    }
    assert {stage: n for stage, n in board_counts({"owner": librarian}).items() if n} == {
        Stage.ACTIVE: 2,
        Stage.CONTACTED: 1,
    }

    # What they show is the tally's, not a count of the organizations: a tally set wrong by
    # hand shows (the tests above hold that nothing else ever sets it wrong).
    StageTally.objects.filter(owner_key=librarian.pk, stage=Stage.ACTIVE).update(organizations=40)
    assert pipeline_counts(librarian)[1] == 41
    assert board_counts({})[Stage.ACTIVE] == 41
    assert board_counts({"owner": librarian})[Stage.ACTIVE] == 40
    # Filters the tally does not know count the organizations themselves.
    assert {stage: n for stage, n in board_counts({"kind": "health"}).items() if n} == {
        Stage.ACTIVE: 1
    }


SQLITE_SCRIPT = """
import json

import django

django.setup()

from django.db import connection
from django.db.models import Count

from partners.models import Organization, StageTally
from partners.tally import TRIGGERS, stage_tally_repair


def drift():
    tally = {(o, s): n for o, s, n in StageTally.objects.values_list("owner_key", "stage",
             "organizations") if n}
    rows = Organization.objects.active().order_by().values_list("owner", "stage")
    counted = {(o or 0, s): n for o, s, n in rows.annotate(n=Count("*"))}
    return tally != counted


Organization.objects.create(name="Riverside Clinic", normalized_name="riverside clinic")
Organization.objects.create(name="Cedar Council", normalized_name="cedar", stage="active")
after_migrate = drift()
with connection.cursor() as cursor:  # as a migration that rebuilds the table leaves it
    for name in TRIGGERS:
        cursor.execute(f"DROP TRIGGER {name}")
Organization.objects.create(name="Harlow School", normalized_name="harlow", stage="active")
lost = drift()
repaired = stage_tally_repair(connection)
print(json.dumps({"after_migrate": after_migrate, "lost": lost, "repaired": repaired,
                  "after_repair": drift(), "again": stage_tally_repair(connection)}))
"""


def test_on_sqlite_the_triggers_a_rebuilt_table_lost_are_put_back(tmp_path):
    """SQLite (the embedded default): `migrate` rebuilds partners_organization in a later
    migration (0016), which drops its triggers; after every migrate they are made again and the
    tally counted afresh (partners.tally), so the dashboard's counts move on a new install."""
    from partners.tests.test_search_sqlite import sqlite_run

    seen = sqlite_run(tmp_path, SQLITE_SCRIPT)
    assert seen == {
        "after_migrate": False,
        "lost": True,
        "repaired": True,
        "after_repair": False,
        "again": False,
    }
