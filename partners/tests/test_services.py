import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partners import services
from partners.models import Affiliation, Contact, Organization, Stage, StageChange, normalize_name
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_organization_create_starts_the_stage_history(librarian):
    organization = services.organization_create(
        by=librarian,
        name="Riverside County Health Department",
        kind="government",
        government_level="county",
        stage=Stage.RESEARCHING,
    )
    history = list(organization.stage_changes.all())
    assert [(c.from_stage, c.to_stage, c.changed_by) for c in history] == [
        ("", Stage.RESEARCHING, librarian)
    ]
    assert organization.normalized_name == "riversidecountyhealthdepartment"


def test_stage_change_recorded_once_per_change(librarian):
    organization = services.organization_create(by=librarian, name="Eastside Food Bank")
    change = services.stage_change(
        organization=organization, to_stage=Stage.CONTACTED, by=librarian, note="Called Maria"
    )
    again = services.stage_change(
        organization=organization, to_stage=Stage.CONTACTED, by=librarian, note="Called again"
    )
    assert again is None
    assert change is not None
    assert change.from_stage == Stage.IDENTIFIED and change.note == "Called Maria"
    assert StageChange.objects.filter(organization=organization).count() == 2
    organization.refresh_from_db()
    assert organization.stage == Stage.CONTACTED
    assert organization.stage_changed_at == change.changed_at


def test_stage_change_from_a_stale_copy_records_the_real_previous_stage(librarian, manager):
    organization = services.organization_create(by=librarian, name="Oak Valley YMCA")
    stale_copy = Organization.objects.get(pk=organization.pk)
    services.stage_change(organization=organization, to_stage=Stage.CONTACTED, by=librarian)
    change = services.stage_change(
        organization=stale_copy, to_stage=Stage.IN_DISCUSSION, by=manager
    )
    assert change is not None
    assert change.from_stage == Stage.CONTACTED


def test_stage_change_rejects_an_unknown_stage(librarian):
    organization = services.organization_create(by=librarian, name="Oak Valley YMCA")
    with pytest.raises(ValidationError):
        services.stage_change(organization=organization, to_stage="bogus", by=librarian)
    assert organization.stage_changes.count() == 1


def test_a_stage_change_to_the_same_stage_is_refused_by_the_database():
    organization = OrganizationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        StageChange.objects.create(
            organization=organization, from_stage=Stage.IDENTIFIED, to_stage=Stage.IDENTIFIED
        )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("St. Mary's Clinic", "st marys clinic"),
        ("Riverside  County Health Department", "RIVERSIDE COUNTY HEALTH DEPARTMENT"),
        ("Café Hope", "Cafe-Hope"),
        ("YMCA of the Oaks", "Y.M.C.A. of the Oaks"),
    ],
)
def test_names_match_ignoring_case_punctuation_and_spacing(a, b):
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Tamarack County Health Dept", "Tamarack County Health Department"),
        ("Tamarack Co. Health Dept.", "TAMARACK COUNTY HEALTH DEPARTMENT"),
        ("Acme Supply Co.", "Acme Supply Company"),
        ("Cedar Unified School Dist.", "Cedar Unified School District"),
        ("St. Vincent de Paul Society", "Saint Vincent de Paul Society"),
        ("Main St Senior Ctr", "Main Street Senior Center"),
        ("Harlow Family Resource Centre", "Harlow Family Resource Center"),
        ("Tamarack Teachers Assn", "Tamarack Teachers Association"),
        ("State Univ. Extension", "State University Extension"),
        ("Mercy Hosp", "Mercy Hospital"),
        ("Parks & Recreation", "Parks and Recreation"),
        ("Habitat for Humanity Int'l", "Habitat for Humanity International"),
        ("Natl Alliance on Mental Illness", "National Alliance on Mental Illness"),
        ("Family Svcs of Tamarack", "Family Services of Tamarack"),
        ("Comm. Action Agency", "Community Action Agency"),
        ("Société Saint-Vincent", "Societe St. Vincent"),
        ("Harlow Co-op Market", "Harlow Coop Market"),
    ],
)
def test_names_match_whatever_the_abbreviations(a, b):
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Tamarack County Health Department", "Tamarack County Health District"),
        ("Harlow Co-op Market", "Harlow County Market"),
        ("Mercy Hospital", "Mercy Hospice"),
        ("Andover Parks", "Over Parks"),  # "and" is left out as a word only
    ],
)
def test_different_names_stay_different(a, b):
    assert normalize_name(a) != normalize_name(b)


def test_a_name_full_of_abbreviations_fits_its_column():
    assert len(normalize_name(" ".join(["Co."] * 66))) == 200


def test_possible_duplicates_find_the_same_name_written_differently(librarian):
    from partners.selectors import possible_duplicates

    existing = services.organization_create(by=librarian, name="St. Mary's Community Clinic")
    services.organization_create(by=librarian, name="St. Mary's Hospital")
    assert possible_duplicates("st marys community-clinic") == [existing]
    assert possible_duplicates("Saint Mary's Comm. Clinic") == [existing]
    assert possible_duplicates("St. Mary's Community Clinic", exclude_pk=existing.pk) == []
    county = services.organization_create(by=librarian, name="Tamarack County Health Department")
    assert possible_duplicates("Tamarack County Health Dept") == [county]


def test_government_level_only_kept_for_agencies(librarian):
    organization = services.organization_create(
        by=librarian, name="Parks Friends", kind="nonprofit", government_level="city"
    )
    assert organization.government_level == ""
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=organization.pk).update(government_level="city")


def test_contact_email_is_normalised_and_unique(librarian):
    organization = OrganizationFactory()
    contact = services.contact_create(
        organization=organization, name="Maria Lopez", email="  Maria.Lopez@County.GOV "
    )
    assert contact.email == "maria.lopez@county.gov"
    with pytest.raises(ValidationError) as error:
        services.contact_create(name="Another Maria", email="maria.lopez@county.gov")
    assert "email" in error.value.message_dict
    assert Contact.objects.count() == 1


def test_opting_out_records_the_date(librarian):
    contact = services.contact_create(name="Sam Ortiz", email="sam@example.org")
    assert contact.opted_out_at is None
    services.contact_update(contact=contact, opted_out_of_updates=True)
    assert contact.opted_out_of_updates and contact.opted_out_at is not None
    # Undone only by subscribing again, with a reason (partners/tests/test_contact_consent.py).
    services.contact_resubscribe(contact=contact, by=librarian, reason="Asked by phone.")
    assert contact.opted_out_at is None


def test_a_person_can_belong_to_two_organizations_at_once():
    contact = ContactFactory(name="Jo Nguyen")
    health = OrganizationFactory(name="County Health Department")
    schools = OrganizationFactory(name="Unified School District")
    services.affiliation_create(contact=contact, organization=health, title="Public health nurse")
    services.affiliation_create(contact=contact, organization=schools, title="Board member")
    assert set(contact.affiliations.current().values_list("organization__name", flat=True)) == {
        "County Health Department",
        "Unified School District",
    }


def test_adding_the_same_person_twice_is_refused():
    affiliation = AffiliationFactory()
    with pytest.raises(ValidationError):
        services.affiliation_create(
            contact=affiliation.contact, organization=affiliation.organization
        )


def test_a_new_primary_contact_replaces_the_old_one():
    organization = OrganizationFactory()
    first = services.affiliation_create(
        contact=ContactFactory(), organization=organization, is_primary=True
    )
    second = services.affiliation_create(
        contact=ContactFactory(), organization=organization, is_primary=True
    )
    first.refresh_from_db()
    assert not first.is_primary and second.is_primary


def test_ended_affiliation_stays_as_history_and_can_start_again():
    affiliation = AffiliationFactory(start_date=dt.date(2020, 1, 6))
    services.affiliation_end(affiliation=affiliation, end_date=dt.date(2024, 6, 30))
    organization, contact = affiliation.organization, affiliation.contact
    assert list(organization.affiliations.past()) == [affiliation]
    assert not organization.affiliations.current().exists()
    # People come back: a new affiliation, the old one still in the history.
    services.affiliation_create(contact=contact, organization=organization, title="Director")
    assert Affiliation.objects.filter(contact=contact, organization=organization).count() == 2


def test_an_affiliation_cannot_end_before_it_started_or_in_the_future():
    affiliation = AffiliationFactory(start_date=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError):
        services.affiliation_end(affiliation=affiliation, end_date=dt.date(2023, 1, 1))
    with pytest.raises(ValidationError):
        services.affiliation_end(affiliation=affiliation, end_date=dt.date(2999, 1, 1))
    affiliation.refresh_from_db()
    assert affiliation.end_date is None


def test_archiving_hides_from_active_and_deletes_nothing():
    organization = OrganizationFactory()
    services.organization_archive(organization=organization)
    assert not Organization.objects.active().filter(pk=organization.pk).exists()
    assert Organization.objects.filter(pk=organization.pk, is_archived=True).exists()
    services.organization_restore(organization=organization)
    organization.refresh_from_db()
    assert not organization.is_archived and organization.archived_at is None
