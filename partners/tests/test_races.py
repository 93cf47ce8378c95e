"""Two people changing the same partner at the same moment leave one consistent record.

Real row locks on PostgreSQL (core/tests/races.py): each writer in its own thread and
connection, paused inside the service between what it reads and what it writes.
"""

import pytest
from django.core.exceptions import ValidationError

from core.tests import races
from partners import merge, services
from partners.models import Affiliation, Contact, Merge, Organization, Stage, StageChange
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory

pytestmark = [pytest.mark.django_db(transaction=True), races.needs_row_locks]


def history(organization: Organization) -> list[tuple[str, str]]:
    changes = StageChange.objects.filter(organization=organization).order_by("changed_at", "pk")
    return list(changes.values_list("from_stage", "to_stage"))


def test_two_moves_to_the_same_stage_record_one_change(monkeypatch, librarian, manager):
    organization = OrganizationFactory(stage=Stage.IDENTIFIED)
    races.widen(monkeypatch, StageChange.objects, "create")

    def move(by):
        return lambda: services.stage_change(
            organization=Organization.objects.get(pk=organization.pk),
            to_stage=Stage.CONTACTED,
            by=by,
        )

    outcomes = races.race(move(librarian), move(manager))
    assert all(outcome.ok for outcome in outcomes), outcomes
    recorded = [outcome.value for outcome in outcomes if outcome.value is not None]
    assert len(recorded) == 1, "the second move, to where the card already is, records nothing"
    assert history(organization) == [("", Stage.IDENTIFIED), (Stage.IDENTIFIED, Stage.CONTACTED)]
    organization.refresh_from_db()
    assert organization.stage == Stage.CONTACTED
    assert organization.stage_changed_at == recorded[0].changed_at


def test_two_moves_to_different_stages_record_an_unbroken_history(monkeypatch, librarian, manager):
    organization = OrganizationFactory(stage=Stage.IDENTIFIED)
    races.widen(monkeypatch, StageChange.objects, "create")

    def move(to_stage, by):
        return lambda: services.stage_change(
            organization=Organization.objects.get(pk=organization.pk), to_stage=to_stage, by=by
        )

    outcomes = races.race(move(Stage.CONTACTED, librarian), move(Stage.DECLINED, manager))
    assert all(outcome.ok and outcome.value is not None for outcome in outcomes), outcomes
    steps = history(organization)
    # Each change starts where the one before it ended: never "from" a stage already left.
    assert len(steps) == 3
    assert all(later[0] == earlier[1] for earlier, later in zip(steps, steps[1:], strict=False))
    organization.refresh_from_db()
    assert organization.stage == steps[-1][1]


def test_two_unsubscribes_at_once_date_the_opt_out_once(monkeypatch):
    contact = ContactFactory()
    races.widen(monkeypatch, services, "contact_apply_opt_out")
    copies = [Contact.objects.get(pk=contact.pk) for _ in range(2)]

    outcomes = races.race(
        *(lambda c=copy: services.contact_unsubscribe(contact=c) for copy in copies)
    )
    assert all(outcome.ok for outcome in outcomes), outcomes
    assert sorted(outcome.value for outcome in outcomes) == [False, True]
    contact.refresh_from_db()
    assert contact.opted_out_of_updates is True
    # Both callers see the one date that was recorded: the first click's.
    assert {copy.opted_out_at for copy in copies} == {contact.opted_out_at}


@pytest.fixture
def duplicates(librarian):
    """Two records of one partner, each with people and history of its own."""
    survivor = OrganizationFactory(name="Riverside County Health Department")
    other = OrganizationFactory(name="Riverside County Health Dept.")
    AffiliationFactory(organization=survivor, is_primary=True)
    AffiliationFactory(organization=other)
    AffiliationFactory(organization=other)
    services.stage_change(organization=other, to_stage=Stage.CONTACTED, by=librarian)
    return survivor, other


def merge_organizations(survivor_pk: int, other_pk: int, by):
    return lambda: merge.organization_merge(
        survivor=Organization.objects.get(pk=survivor_pk),
        other=Organization.objects.get(pk=other_pk),
        fields={"name": merge.SURVIVOR},
        by=by,
    )


def assert_merged_once(kept: Organization, gone_pk: int) -> None:
    """One organization left, holding every row of both, and one record of the merge."""
    assert not Organization.objects.filter(pk=gone_pk).exists()
    assert Merge.objects.count() == 1
    assert Merge.objects.get().organization_id == kept.pk
    assert Affiliation.objects.filter(organization=kept).count() == 3
    assert Affiliation.objects.filter(is_primary=True, end_date__isnull=True).count() == 1
    # Both stage histories: the survivor's start, the other's start and its move.
    assert StageChange.objects.filter(organization=kept).count() == 3
    assert StageChange.objects.count() == 3


def test_two_merges_of_the_same_pair_merge_once(monkeypatch, duplicates, manager, admin_user):
    survivor, other = duplicates
    races.widen(monkeypatch, merge, "_move_all")

    winner, loser = races.winner_and_loser(
        races.race(
            merge_organizations(survivor.pk, other.pk, manager),
            merge_organizations(survivor.pk, other.pk, admin_user),
        )
    )
    assert isinstance(winner.value, Merge)
    # The second merge is refused with a message, not a crash halfway.
    assert isinstance(loser.error, ValidationError), loser.error
    assert "no longer in Liaison" in " ".join(loser.error.messages)
    assert_merged_once(survivor, other.pk)


def test_merging_a_pair_both_ways_at_once_keeps_one(monkeypatch, duplicates, manager, admin_user):
    survivor, other = duplicates
    races.widen(monkeypatch, merge, "_move_all")

    winner, loser = races.winner_and_loser(
        races.race(
            merge_organizations(survivor.pk, other.pk, manager),
            merge_organizations(other.pk, survivor.pk, admin_user),
        )
    )
    assert isinstance(loser.error, ValidationError), loser.error
    kept = winner.value.organization
    assert_merged_once(kept, other.pk if kept.pk == survivor.pk else survivor.pk)


def test_two_merges_of_the_same_contacts_merge_once(monkeypatch, manager, admin_user, county):
    survivor = ContactFactory(name="Dana Ruiz", email="dana.ruiz@county.example.org")
    other = ContactFactory(name="Dana Ruiz", email="druiz@county.example.org")
    AffiliationFactory(contact=survivor, organization=county)
    AffiliationFactory(contact=other)
    races.widen(monkeypatch, merge, "_move_all")

    def merge_contacts(by):
        return lambda: merge.contact_merge(
            survivor=Contact.objects.get(pk=survivor.pk),
            other=Contact.objects.get(pk=other.pk),
            fields={"email": merge.OTHER},
            by=by,
        )

    winner, loser = races.winner_and_loser(
        races.race(merge_contacts(manager), merge_contacts(admin_user))
    )
    assert isinstance(loser.error, ValidationError), loser.error
    assert list(Contact.objects.values_list("pk", "email")) == [
        (survivor.pk, "druiz@county.example.org")
    ]
    assert Affiliation.objects.filter(contact=survivor).count() == 2
    assert Merge.objects.filter(kind=Merge.Kind.CONTACT).count() == 1
