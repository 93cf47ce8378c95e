"""Bulk actions on organizations: a departing colleague's 80 partners handed over at once,
stage changes with one note, tags, programs and the export of a selection."""

import csv
import io

import pytest
from django.urls import reverse

from bulk.models import BulkAction
from bulk.tests.helpers import choose, confirm
from partners.models import Organization, Stage, StageChange
from partners.tags import Tag
from partners.tests.factories import OrganizationFactory
from programs.models import Program, ProgramPartner

pytestmark = pytest.mark.django_db


def test_a_manager_hands_a_departing_colleagues_80_partners_to_someone_else(
    manager_client, manager, rosa, marcus, rosas_partners
):
    others = OrganizationFactory(name="Not Rosa's", owner=marcus)
    ids = [o.pk for o in rosas_partners]

    page = choose(manager_client, "organizations", ids, action="owner", owner=marcus.pk)
    assert page.status_code == 200
    assert "80 organizations: owner Rosa Díaz → Marcus Lee" in page.content.decode()
    assert "Confirm: change 80 organizations" in page.content.decode()
    assert Organization.objects.filter(owner=marcus).count() == 1  # nothing changed yet

    response = confirm(manager_client, "organizations", ids, action="owner", owner=marcus.pk)

    bulk_action = BulkAction.objects.get()
    assert response.status_code == 302 and response.url == bulk_action.get_absolute_url()
    assert bulk_action.summary == "80 organizations: owner Rosa Díaz → Marcus Lee"
    assert (bulk_action.status, bulk_action.count, bulk_action.done) == ("done", 80, 80)
    assert bulk_action.by == manager and sorted(bulk_action.record_ids) == sorted(ids)
    assert Organization.objects.filter(owner=marcus).count() == 81
    assert not Organization.objects.filter(owner=rosa).exists()
    for organization in rosas_partners:
        entry = organization.history.latest()
        assert entry.owner_id == marcus.pk
        assert entry.history_user == manager
        assert entry.history_change_reason.startswith("Bulk change: 80 organizations")
    assert others.history.count() == 1  # its creation only: no one touched it
    result = manager_client.get(response.url).content.decode()
    assert "Done: 80 organizations changed." in result


def test_the_organization_page_history_names_the_new_owner_and_who_gave_it(
    manager_client, manager, rosa, marcus, rosas_partners
):
    organization = rosas_partners[0]
    confirm(manager_client, "organizations", [organization.pk], action="owner", owner=marcus.pk)
    history = manager_client.get(reverse("partners:organization_history", args=[organization.pk]))
    text = history.content.decode()
    assert "Marcus Lee" in text and "Maria Chen" in text


def test_a_librarian_cannot_reassign_owners_in_bulk_as_she_cannot_one_at_a_time(
    librarian_client, rosa, marcus, rosas_partners
):
    ids = [o.pk for o in rosas_partners[:3]]
    page = choose(librarian_client, "organizations", ids)
    assert 'value="owner"' not in page.content.decode()  # not offered
    tampered = choose(librarian_client, "organizations", ids, action="owner", owner=marcus.pk)
    assert tampered.status_code == 200
    assert "Only a manager can do this: give to another owner." in tampered.content.decode()
    posted = librarian_client.post(
        reverse("bulk:bulk_run"),
        {"records": "organizations", "ids": ids, "action": "owner", "owner": marcus.pk},
    )
    assert posted.status_code == 302
    assert not Organization.objects.filter(owner=marcus).exists()
    assert not BulkAction.objects.exists()


def test_a_stage_change_with_one_note_writes_each_organizations_stage_history(
    librarian_client, librarian, rosas_partners
):
    chosen = rosas_partners[:5]
    Organization.objects.filter(pk=chosen[0].pk).update(stage=Stage.ACTIVE)
    ids = [o.pk for o in chosen]
    page = choose(
        librarian_client, "organizations", ids, action="stage", stage=Stage.ACTIVE, note="MOU"
    )
    text = page.content.decode()
    assert "4 organizations: stage Identified → Active" in text
    assert "1 organization: already at that stage" in text

    confirm(librarian_client, "organizations", ids, action="stage", stage=Stage.ACTIVE, note="MOU")

    changes = StageChange.objects.filter(to_stage=Stage.ACTIVE, note="MOU")
    assert sorted(c.organization_id for c in changes) == sorted(ids[1:])
    assert all(c.changed_by == librarian for c in changes)
    assert BulkAction.objects.get().skipped == 1


def test_tags_are_added_and_removed_in_bulk(librarian_client, rosas_partners):
    tag = Tag.objects.create(name="Spanish-speaking")
    first, second, third = rosas_partners[:3]
    first.tags.add(tag)
    ids = [first.pk, second.pk, third.pk]
    confirm(librarian_client, "organizations", ids, action="tag_add", tag=tag.pk)
    assert set(tag.organizations.all()) == {first, second, third}
    assert BulkAction.objects.get().summary == "2 organizations: tag “Spanish-speaking” added"

    confirm(librarian_client, "organizations", ids[:2], action="tag_remove", remove_tag=tag.pk)
    assert set(tag.organizations.all()) == {third}


def test_a_retired_tag_is_not_given_in_bulk(librarian_client, rosas_partners):
    tag = Tag.objects.create(name="Budget season: March")
    tag.retired_at = tag.created_at
    tag.save()
    page = choose(
        librarian_client, "organizations", [rosas_partners[0].pk], action="tag_add", tag=tag.pk
    )
    assert "Select a valid choice" in page.content.decode()
    assert not tag.organizations.exists()


def test_organizations_are_added_to_a_program_as_partners(librarian_client, rosas_partners):
    program = Program.objects.create(title="Summer reading 2027")
    first, second = rosas_partners[:2]
    ProgramPartner.objects.create(program=program, organization=first, role="lead")
    confirm(
        librarian_client,
        "organizations",
        [first.pk, second.pk],
        action="program_add",
        program=program.pk,
        role="venue",
    )
    roles = dict(program.program_partners.values_list("organization_id", "role"))
    assert roles == {first.pk: "lead", second.pk: "venue"}  # the lead stays the lead
    assert BulkAction.objects.get().summary == (
        "1 organization: added to “Summer reading 2027” as Venue"
    )


def test_a_manager_exports_exactly_the_selected_rows(manager_client, rosas_partners):
    chosen = rosas_partners[3:6]
    response = confirm(
        manager_client, "organizations", [o.pk for o in chosen], action="export", format="csv"
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    names = [row["Name"] for row in csv.DictReader(io.StringIO(text))]
    assert names == [o.name for o in chosen]
    assert BulkAction.objects.get().summary == "3 organizations: exported as CSV"


def test_a_librarian_cannot_export_in_bulk(librarian_client, rosas_partners):
    page = choose(
        librarian_client, "organizations", [rosas_partners[0].pk], action="export", format="csv"
    )
    assert "Only a manager can do this" in page.content.decode()


def test_all_matching_the_filter_is_the_filter_applied_again_at_confirmation(
    manager_client, manager, rosa, marcus, rosas_partners
):
    filter_query = f"owner={rosa.pk}"
    page = choose(
        manager_client, "organizations", None, filter_query, action="owner", owner=marcus.pk
    )
    assert "80 organizations: owner Rosa Díaz → Marcus Lee" in page.content.decode()
    late = OrganizationFactory(name="Partner 99", owner=rosa)  # added after the page was shown

    from bulk.tests.helpers import hidden_fields

    fields = hidden_fields(page.content.decode())
    shown_again = manager_client.post(reverse("bulk:bulk_run"), fields)
    assert shown_again.status_code == 200  # not run: the selection changed since
    text = shown_again.content.decode()
    assert "have changed since" in text and "81 organizations" in text
    assert not BulkAction.objects.exists()

    done = manager_client.post(reverse("bulk:bulk_run"), hidden_fields(text))
    assert done.status_code == 302
    recorded = BulkAction.objects.get()
    assert recorded.selected_all and recorded.selection_filter == filter_query
    late.refresh_from_db()
    assert late.owner == marcus and not Organization.objects.filter(owner=rosa).exists()
    # The result says the filter as the list's form names it.
    result = manager_client.get(done["Location"]).content.decode()
    assert "all matching the list's filter (Owner: Rosa Díaz)" in result


def test_a_failure_part_way_saves_nothing(
    manager_client, rosa, marcus, rosas_partners, monkeypatch
):
    from bulk import operations

    calls = []

    def flaky(*, organization, by, owner):
        calls.append(organization.pk)
        if len(calls) == 40:
            raise RuntimeError("the database went away")
        return original(organization=organization, by=by, owner=owner)

    original = operations.organization_update
    monkeypatch.setattr(operations, "organization_update", flaky)
    ids = [o.pk for o in rosas_partners]
    response = confirm(manager_client, "organizations", ids, action="owner", owner=marcus.pk)
    bulk_action = BulkAction.objects.get()
    assert bulk_action.status == "failed" and bulk_action.done == 0
    assert Organization.objects.filter(owner=rosa).count() == 80
    page = manager_client.get(response.url).content.decode()
    assert "Nothing was changed" in page
