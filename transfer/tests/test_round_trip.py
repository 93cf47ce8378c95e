"""A file Liaison exported imports back as it is: every column it writes is understood, and the
records made from it (or put back by it) equal the ones exported, field by field."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Affiliation, Contact, FocusArea, Organization, StageChange
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory
from transfer.models import ImportRun
from transfer.tests.helpers import confirm, preview, upload_run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

FORMATS = ["csv", "xlsx"]


def areas(*names: str) -> list[FocusArea]:
    return [FocusArea.objects.get_or_create(name=name)[0] for name in names]


@pytest.fixture
def world(manager, librarian):
    """Partners with every field an export writes filled in, in the ways that are hard to
    carry: a text a spreadsheet would take for a formula, lines, accents, an archived partner,
    a past role, an opt-out."""
    county = OrganizationFactory(
        name="Riverside County Health Department",
        kind=Organization.Kind.GOVERNMENT,
        government_level=Organization.GovernmentLevel.COUNTY,
        stage="active",
        stage_changed_at=dt.datetime(2024, 3, 5, 17, 0, tzinfo=dt.UTC),
        owner=manager,
        website="https://health.riverside.example.gov",
        email="info@health.riverside.example.gov",
        phone="+1 (555) 010-2030",
        address="1 Main St\nRiverside",
        mission="Healthy people in every neighborhood",
        initiatives="- Vaccination drive\n- Health fair",
        services="Clinics, @home visits",
        populations_served="Families; older adults",
        common_ground="Health literacy classes at the library",
    )
    county.focus_areas.set(areas("Health literacy", "Wellness"))
    clinic = OrganizationFactory(
        name="Clínica del Este",
        kind=Organization.Kind.HEALTH,
        stage="dormant",
        stage_changed_at=dt.datetime(2023, 11, 20, 12, 0, tzinfo=dt.UTC),
        owner=librarian,
        is_archived=True,
        archived_at=dt.datetime(2025, 1, 2, tzinfo=dt.UTC),
    )
    clinic.focus_areas.set(areas("Mental health"))
    school = OrganizationFactory(name="Lincoln Elementary", kind=Organization.Kind.SCHOOL)
    ana = ContactFactory(
        name="Ana Ruiz",
        email="ana@health.riverside.example.gov",
        phone="555-0101",
        preferred_channel=Contact.Channel.PHONE,
        notes="Spanish and English.\nBest before 10 AM.",
    )
    AffiliationFactory(
        contact=ana,
        organization=county,
        title="Outreach coordinator",
        is_primary=True,
        start_date=dt.date(2023, 5, 1),
    )
    AffiliationFactory(
        contact=ana,
        organization=clinic,
        title="Volunteer",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2022, 12, 31),
    )
    ContactFactory(
        name="Nora Nobody",
        email="nora@example.org",
        do_not_contact=True,
        opted_out_of_updates=True,
        opted_out_at=dt.datetime(2025, 2, 1, tzinfo=dt.UTC),
    )
    bo = ContactFactory(name="Bo Li", email="bo@lincoln.example.edu", phone="")
    AffiliationFactory(contact=bo, organization=school, title="")
    return county


def organizations() -> dict[str, dict]:
    """Every organization as the export shows it, by name."""
    return {
        o.name: {
            "kind": o.kind,
            "government_level": o.government_level,
            "stage": o.stage,
            "stage_since": timezone.localdate(o.stage_changed_at),
            "owner": o.owner_id,
            "focus_areas": sorted(area.name for area in o.focus_areas.all()),
            "website": o.website,
            "email": o.email,
            "phone": o.phone,
            "address": o.address,
            "is_archived": o.is_archived,
            "mission": o.mission,
            "initiatives": o.initiatives,
            "services": o.services,
            "populations_served": o.populations_served,
            "common_ground": o.common_ground,
        }
        for o in Organization.objects.all()
    }


def contacts() -> dict[str, dict]:
    """Every contact and their roles, by email."""
    return {
        c.email: {
            "name": c.name,
            "phone": c.phone,
            "preferred_channel": c.preferred_channel,
            "notes": c.notes,
            "do_not_contact": c.do_not_contact,
            "opted_out_of_updates": c.opted_out_of_updates,
            "roles": sorted(
                (a.organization.name, a.title, a.is_primary, a.start_date, a.end_date)
                for a in c.affiliations.all()
            ),
        }
        for c in Contact.objects.all()
    }


def exported(client, what: str, fmt: str) -> bytes:
    url = reverse(f"transfer:{what}_export")
    response = client.get(url, {"format": fmt, "archived": "all"})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def imported(client, content: bytes, kind: str, fmt: str, *, update: bool = False) -> ImportRun:
    run = upload_run(client, content, kind=kind, name=f"{kind}.{fmt}")
    plan = preview(client, run).context["plan"]
    assert [(row.number, row.errors) for row in plan.errors] == []
    assert confirm(client, run, update=update).status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    return run


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_imports_back_into_an_empty_liaison_field_by_field(manager_client, world, fmt):
    before = organizations(), contacts()
    assert len(before[0]) == 3 and len(before[1]) == 3
    assert before[0][world.name]["focus_areas"] == ["Health literacy", "Wellness"]
    files = {what: exported(manager_client, what, fmt) for what in ("organization", "contact")}
    Contact.objects.all().delete()  # a new Liaison: the test's own way of starting afresh
    Organization.objects.all().delete()

    run = imported(manager_client, files["organization"], "organizations", fmt)
    assert (run.created_count, run.error_count) == (3, 0)
    run = imported(manager_client, files["contact"], "contacts", fmt)
    # Ana's two rows are one person with two roles.
    assert (run.created_count, run.skipped_count, run.error_count) == (3, 0, 0)

    assert (organizations(), contacts()) == before
    # Each new organization's stage history starts on its "Stage since" day.
    county = Organization.objects.get(name=world.name)
    first = StageChange.objects.get(organization=county)
    assert (first.from_stage, first.to_stage) == ("", "active")
    assert timezone.localdate(first.changed_at) == dt.date(2024, 3, 5)
    # The opt-out the file carried is in the consent log, saying where it came from.
    nora = Contact.objects.get(email="nora@example.org")
    assert list(nora.opt_out_changes.values_list("source", "reason")) == [
        ("import", f"Imported from contacts.{fmt}.")
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_imported_as_updates_puts_back_what_changed_since(
    manager_client, manager, world, fmt
):
    before = organizations(), contacts()
    files = {what: exported(manager_client, what, fmt) for what in ("organization", "contact")}
    # Then people change things in Liaison.
    county = world
    Organization.objects.filter(pk=county.pk).update(
        kind=Organization.Kind.NONPROFIT, government_level="", phone="555-9999", mission="?"
    )
    county.focus_areas.set(areas("Housing"))
    Organization.objects.filter(name="Clínica del Este").update(is_archived=False, archived_at=None)
    Organization.objects.filter(name="Lincoln Elementary").update(
        is_archived=True, archived_at=timezone.now()
    )
    Contact.objects.filter(email="ana@health.riverside.example.gov").update(
        phone="555-0000", preferred_channel=Contact.Channel.EMAIL, notes="moved?"
    )
    Affiliation.objects.filter(title="Volunteer").delete()

    run = imported(manager_client, files["organization"], "organizations", fmt, update=True)
    assert (run.created_count, run.updated_count) == (0, 3)
    run = imported(manager_client, files["contact"], "contacts", fmt, update=True)
    assert (run.created_count, run.updated_count) == (0, 3)

    assert (organizations(), contacts()) == before
    # The stage was not changed, so it was not touched: no new stage history.
    assert StageChange.objects.filter(changed_by=manager).count() == 0


def test_an_exported_files_preview_leaves_no_column_out(manager_client, world):
    for what, kind in (("organization", "organizations"), ("contact", "contacts")):
        run = upload_run(manager_client, exported(manager_client, what, "csv"), kind=kind)
        response = preview(manager_client, run)

        form = response.context["mapping_form"]
        not_imported = [form[name].label for name in form.fields if not form[name].value()]
        assert not_imported == [], kind
        page = response.content.decode()
        assert "selected>Not imported</option>" not in page
        assert response.context["plan"].errors == []
    # The two columns Liaison works out itself are recognised, and said to be left alone.
    assert response.context["plan"].worked_out == []
    run = upload_run(manager_client, exported(manager_client, "organization", "csv"))
    response = preview(manager_client, run)
    assert response.context["plan"].worked_out == [
        ("Last touchpoint", "the touchpoints logged"),
        ("Next follow-up", "the open follow-ups"),
    ]
    assert "Liaison works these out itself, so they are not imported" in (response.content.decode())
