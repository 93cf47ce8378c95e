"""Merging duplicate organizations and contacts: every linked row moves, nothing is orphaned."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import ForeignObjectRel, ManyToManyRel
from django.urls import reverse

from config.tests.merge_cast import DAY
from core.history import is_historical
from partners import merge
from partners.models import (
    Affiliation,
    Contact,
    Merge,
    Organization,
    Stage,
)
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory
from programs.models import SupportLetter

pytestmark = pytest.mark.django_db


def link_table(rel: ForeignObjectRel) -> tuple[type[models.Model], str]:
    """The table and column of a relation to a model: a many-to-many's is its link table's."""
    if isinstance(rel, ManyToManyRel):
        assert rel.through is not None
        return rel.through, rel.field.m2m_reverse_field_name()
    assert not isinstance(rel.related_model, str)
    return rel.related_model, rel.field.name


def relations(model: type[models.Model]) -> dict[str, tuple[type[models.Model], str]]:
    """Every table column pointing at `model`, from Django's own meta: "app.Model.field" keys.

    `_meta.related_objects` leaves out foreign keys declared with related_name="+" (a letter of
    support's organization, an import item's), so hidden relations are read too; a
    many-to-many relation is its link table's column. Change history rows (core.history) name
    the records of their time, merged ones included: they are the past, never moved.
    """
    found = {}
    for rel in model._meta.get_fields(include_hidden=True):
        if not (rel.is_relation and rel.auto_created and not rel.concrete):
            continue
        assert isinstance(rel, ForeignObjectRel)
        if is_historical(rel.related_model):  # type: ignore[arg-type]
            continue
        through, name = link_table(rel)
        found[f"{through._meta.label}.{name}"] = (through, name)
    for field in model._meta.many_to_many:  # the model's own (focus areas)
        assert field.remote_field.through is not None
        through = field.remote_field.through
        found[f"{through._meta.label}.{field.m2m_field_name()}"] = (through, field.m2m_field_name())
    return found


def rows(relation: tuple[type[models.Model], str], pk: int) -> int:
    model, name = relation
    return model._base_manager.filter(**{f"{name}_id": pk}).count()


def orphans(relation: tuple[type[models.Model], str], target: type[models.Model]) -> int:
    model, name = relation
    return (
        model._base_manager.exclude(**{f"{name}__isnull": True})
        .exclude(**{f"{name}_id__in": target._base_manager.values("pk")})
        .count()
    )


def census(model: type[models.Model], *pks: int) -> dict[str, tuple[int, ...]]:
    return {
        key: tuple(rows(relation, pk) for pk in pks)
        for key, relation in relations(model).items()
        if key not in merge.LEFT_BEHIND
    }


def assert_moved(model, before, *, survivor, other, record: Merge) -> None:
    after = census(model, survivor.pk, other.pk)
    for key, (mine, theirs) in before.items():
        dropped = record.dropped.get(key, 0)
        new = 1 if key.startswith("partners.Merge.") else 0  # this merge's own record
        assert after[key] == (mine + theirs - dropped + new, 0), key
        assert 0 <= record.moved[key] <= theirs, key
    for key, relation in relations(model).items():
        assert orphans(relation, model) == 0, key
    connection.check_constraints()  # foreign keys are deferred: check them before the rollback


def test_every_relation_to_organizations_and_contacts_is_merged():
    """A relation added later, without merge support, fails here."""
    for model, links in ((Organization, merge.ORGANIZATION_LINKS), (Contact, merge.CONTACT_LINKS)):
        handled = {link.key for link in links}
        known = relations(model)
        visible = {
            f"{through._meta.label}.{name}"
            for through, name in map(link_table, model._meta.related_objects)
        }
        assert visible <= set(known)
        unhandled = set(known) - handled - set(merge.LEFT_BEHIND)
        assert not unhandled, f"Merging {model.__name__}s does not move {sorted(unhandled)}"
        assert handled <= set(known), "a link names a relation that no longer exists"
        for key in set(known) & set(merge.LEFT_BEHIND):
            through, name = known[key]
            field = through._meta.get_field(name)
            assert isinstance(field, models.ForeignKey)
            assert field.remote_field.on_delete is models.SET_NULL, key


def test_organization_merge_moves_every_related_row_and_leaves_no_orphan(duplicates, manager):
    survivor, other = duplicates["survivor"], duplicates["other"]
    before = census(Organization, survivor.pk, other.pk)
    # The cast links the other record through every relation, so each one is exercised.
    assert all(theirs for key, (_, theirs) in before.items()), before

    record = merge.organization_merge(survivor=survivor, other=other, fields={}, by=manager)

    assert not Organization.objects.filter(pk=other.pk).exists()
    assert_moved(Organization, before, survivor=survivor, other=other, record=record)
    assert record.moved == {
        "outreach.Touchpoint.organization": 2,
        "outreach.Meeting.organization": 2,
        "outreach.Meeting_other_organizations.organization": 1,
        # Its own, and its two playbooks' first steps.
        "outreach.FollowUp.organization": 3,
        "programs.ProgramPartner.organization": 1,
        "programs.SupportLetter.organization": 1,
        "updates.ProgressSubscription.organization": 1,
        "partners.Affiliation.organization": 2,
        "partners.StageChange.organization": 3,
        "partners.Organization_focus_areas.organization": 1,
        "partners.Merge.organization": 1,
        "inbox.FiledEmail.organization": 1,
        "compose.SentEmail.organization": 1,
        "documents.Document.organization": 1,
        "agreements.Agreement_organizations.organization": 1,
        # Both reviews: the 2025 one the survivor has too is kept, archived (reviews.merge_links).
        "reviews.PartnershipReview.organization": 2,
        "outreach.Touchpoint_other_organizations.organization": 1,
        "partners.OrganizationRelation.organization": 1,
        "partners.OrganizationRelation.related": 1,
        "partners.Tag_organizations.organization": 1,
        "health.WeeklyHealth.organization": 1,
        # Both, the one running on both too: nothing of either's history is dropped.
        "playbooks.PlaybookRun.organization": 2,
    }
    assert record.dropped == {
        "outreach.Touchpoint.organization": 0,
        "outreach.Meeting.organization": 0,
        # The meeting with both; each one's meeting that also listed the other.
        "outreach.Meeting_other_organizations.organization": 3,
        "outreach.FollowUp.organization": 0,
        "programs.ProgramPartner.organization": 1,
        "programs.SupportLetter.organization": 1,
        "updates.ProgressSubscription.organization": 0,
        "partners.Affiliation.organization": 1,
        "partners.StageChange.organization": 0,
        "partners.Organization_focus_areas.organization": 1,
        "partners.Merge.organization": 0,
        "inbox.FiledEmail.organization": 1,
        "compose.SentEmail.organization": 0,
        "documents.Document.organization": 0,
        "agreements.Agreement_organizations.organization": 1,
        "reviews.PartnershipReview.organization": 0,  # never dropped: archived
        # The touchpoint with both; the survivor's own that also listed the other.
        "outreach.Touchpoint_other_organizations.organization": 2,
        # The coalition both belong to.
        "partners.OrganizationRelation.organization": 1,
        "partners.OrganizationRelation.related": 0,
        "partners.Tag_organizations.organization": 1,
        # The week both have: the survivor's record kept.
        "health.WeeklyHealth.organization": 1,
        "playbooks.PlaybookRun.organization": 0,
    }


def test_duplicate_links_collapse_and_the_survivor_keeps_its_own(duplicates, manager, areas):
    survivor, both = duplicates["survivor"], duplicates["both"]
    merge.organization_merge(survivor=survivor, other=duplicates["other"], fields={}, by=manager)
    current = Affiliation.objects.current().filter(organization=survivor)
    assert current.count() == 3
    assert current.get(contact=both).title == "Nurse"
    assert current.get(is_primary=True).title == "Director"  # one primary: the survivor's
    assert Affiliation.objects.past().filter(organization=survivor).count() == 1
    assert set(survivor.focus_areas.all()) == set(areas)
    assert survivor.program_roles.count() == 2
    assert survivor.program_roles.filter(role="funder").count() == 0
    assert SupportLetter.objects.filter(organization=survivor).count() == 2
    for meeting in survivor.joint_meetings.all():
        assert meeting.organization_id != survivor.pk
    assert survivor.joint_meetings.count() == 2


def test_the_primary_contact_of_the_other_record_stays_primary_where_the_survivor_had_none(
    manager,
):
    survivor, other = OrganizationFactory(), OrganizationFactory()
    person = ContactFactory()
    AffiliationFactory(contact=person, organization=survivor)
    AffiliationFactory(contact=person, organization=other, is_primary=True)
    merge.organization_merge(survivor=survivor, other=other, fields={}, by=manager)
    assert Affiliation.objects.get(organization=survivor).is_primary


def test_organization_fields_are_taken_from_the_chosen_record(duplicates, manager):
    survivor, other = duplicates["survivor"], duplicates["other"]
    merge.organization_merge(
        survivor=survivor,
        other=other,
        fields={"name": "other", "kind": "other", "email": "other", "website": "survivor"},
        by=manager,
    )
    survivor.refresh_from_db()
    assert survivor.name == "Riverside County Health Department"
    assert survivor.normalized_name == "riversidecountyhealthdepartment"
    assert (survivor.kind, survivor.government_level) == ("government", "county")
    assert survivor.email == "info@health.example.gov"
    assert survivor.website == "https://health.example.gov"
    assert survivor.mission == ""  # not chosen: the survivor's (empty) value
    assert survivor.stage == Stage.CONTACTED
    assert survivor.get_absolute_url() == duplicates["survivor"].get_absolute_url()


def test_stage_history_moves_in_time_order_and_a_chosen_stage_is_recorded(duplicates, manager):
    survivor, other = duplicates["survivor"], duplicates["other"]
    merge.organization_merge(survivor=survivor, other=other, fields={"stage": "other"}, by=manager)
    survivor.refresh_from_db()
    assert survivor.stage == Stage.ACTIVE
    history = list(survivor.stage_changes.all())
    assert [(c.from_stage, c.to_stage) for c in history] == [
        (Stage.CONTACTED, Stage.ACTIVE),  # the merge, now
        (Stage.IDENTIFIED, Stage.ACTIVE),  # the other's, 20 days before
        ("", Stage.CONTACTED),  # the survivor's start, 30 days before
        ("", Stage.IDENTIFIED),  # the other's start, 40 days before
        ("", Stage.IDENTIFIED),  # the start of a record merged into the other, 50 days before
    ]
    assert history[0].changed_by == manager
    assert "Riverside County Health Department" in history[0].note
    assert [c.changed_at for c in history] == sorted((c.changed_at for c in history), reverse=True)


def test_keeping_the_survivors_stage_adds_no_stage_change(duplicates, manager):
    survivor = duplicates["survivor"]
    merge.organization_merge(survivor=survivor, other=duplicates["other"], fields={}, by=manager)
    assert survivor.stage_changes.count() == 4
    assert not survivor.stage_changes.filter(changed_by=manager).exists()


def test_the_merge_is_recorded_with_the_merged_records_values(duplicates, manager):
    survivor, other = duplicates["survivor"], duplicates["other"]
    other_pk = other.pk
    record = merge.organization_merge(
        survivor=survivor, other=other, fields={"name": "other"}, by=manager
    )
    record.refresh_from_db()
    assert record.kind == Merge.Kind.ORGANIZATION
    assert record.survivor == survivor
    assert (record.merged_id, record.merged_name) == (
        other_pk,
        "Riverside County Health Department",
    )
    assert record.snapshot["email"] == "info@health.example.gov"
    assert record.snapshot["owner"] == manager.pk
    assert record.survivor_before["name"] == "Riverside County Health Dept"
    assert record.choices["name"] == "other"
    assert record.choices["email"] == "survivor"
    assert record.moved["outreach.Touchpoint.organization"] == 2
    assert record.merged_by == manager
    # The earlier merge into the other record now belongs to the survivor too.
    assert survivor.merges.count() == 2


def test_a_record_is_never_merged_with_itself(manager):
    organization = OrganizationFactory()
    with pytest.raises(ValidationError):
        merge.organization_merge(survivor=organization, other=organization, fields={}, by=manager)
    contact = ContactFactory()
    with pytest.raises(ValidationError):
        merge.contact_merge(survivor=contact, other=contact, fields={}, by=manager)
    assert not Merge.objects.exists()


def test_unknown_fields_and_sides_are_refused(manager):
    survivor, other = OrganizationFactory(), OrganizationFactory()
    for fields in ({"is_archived": "other"}, {"name": "both"}, {"stage_changed_at": "other"}):
        with pytest.raises(ValidationError):
            merge.organization_merge(survivor=survivor, other=other, fields=fields, by=manager)
    assert Organization.objects.filter(pk=other.pk).exists()


# Contacts.


def test_contact_merge_moves_every_related_row_and_leaves_no_orphan(people, manager):
    survivor, other = people["survivor"], people["other"]
    before = census(Contact, survivor.pk, other.pk)
    assert all(theirs for key, (_, theirs) in before.items()), before

    record = merge.contact_merge(survivor=survivor, other=other, fields={}, by=manager)

    assert not Contact.objects.filter(pk=other.pk).exists()
    assert_moved(Contact, before, survivor=survivor, other=other, record=record)
    assert record.dropped == {
        "outreach.Touchpoint_contacts.contact": 1,
        "outreach.Meeting_contacts.contact": 1,
        "partners.Affiliation.contact": 1,
        "updates.ProgressSubscription_recipients.contact": 1,
        "mail.OutgoingEmail.contact": 0,
        "partners.OptOutChange.contact": 0,
        "partners.Merge.contact": 0,
        "compose.SentEmail.contact": 0,
        "documents.Document.contact": 0,
        "partners.Tag_contacts.contact": 1,
    }
    assert list(people["touchpoint"].contacts.all()) == [survivor]
    assert survivor.tags.count() == 2
    # The other was the clinic's primary contact: the survivor's listing there takes over.
    assert Affiliation.objects.get(contact=survivor, organization=people["clinic"]).is_primary


def test_contact_fields_are_taken_from_the_chosen_record_including_the_email(people, manager):
    survivor, other = people["survivor"], people["other"]
    merge.contact_merge(
        survivor=survivor,
        other=other,
        fields={"name": "other", "email": "other", "phone": "survivor"},
        by=manager,
    )
    survivor.refresh_from_db()
    assert survivor.name == "María Delgado-Ruiz"
    assert survivor.email == "maria@gmail.example.com"  # freed by the other, then taken
    assert survivor.phone == ""
    # Said on either record, "do not contact" and the opt-out hold.
    assert survivor.do_not_contact
    assert (survivor.opted_out_of_updates, survivor.opted_out_at) == (True, DAY)


# Pages.


def merge_url(record) -> str:
    name = "organization_merge" if isinstance(record, Organization) else "contact_merge"
    return reverse(f"partners:{name}", args=[record.pk])


@pytest.mark.parametrize("kind", ["organization", "contact"])
def test_librarians_cannot_merge(librarian_client, kind):
    factory = OrganizationFactory if kind == "organization" else ContactFactory
    survivor, other = factory(), factory()
    url = merge_url(survivor)
    assert librarian_client.get(url, {"other": other.pk}).status_code == 403
    assert librarian_client.post(url, {"other": other.pk}).status_code == 403
    assert Merge.objects.count() == 0


def test_managers_find_the_duplicate_by_name_without_javascript(manager_client):
    survivor = OrganizationFactory(name="Eastside Community Clinic")
    same_name = OrganizationFactory(name="EASTSIDE community clinic")
    found = OrganizationFactory(name="Eastside Clinic (old record)")
    OrganizationFactory(name="Oak Valley Schools")
    response = manager_client.get(merge_url(survivor))
    assert response.status_code == 200
    assert response.context["suggestions"] == [same_name]
    response = manager_client.get(merge_url(survivor), {"q": "eastside clin"})
    assert {c.pk for c in response.context["candidates"]} == {same_name.pk, found.pk}
    assert f'href="?other={found.pk}"' in response.content.decode()
    assert b"<select" not in response.content


def test_contacts_are_found_by_email(manager_client):
    survivor = ContactFactory(name="Maria Delgado")
    other = ContactFactory(name="M. D.", email="mdelgado@clinic.example.org")
    response = manager_client.get(merge_url(survivor), {"q": "mdelgado@clinic"})
    assert [c.pk for c in response.context["candidates"]] == [other.pk]


def test_the_comparison_shows_both_records_with_a_choice_per_differing_field(
    manager_client, duplicates
):
    survivor, other = duplicates["survivor"], duplicates["other"]
    response = manager_client.get(merge_url(survivor), {"other": other.pk})
    assert response.status_code == 200
    html = response.content.decode()
    form = response.context["form"]
    assert {"name", "kind", "stage", "owner", "email", "mission", "website"} <= set(form.fields)
    assert "phone" not in form.fields  # the same (empty) in both
    assert form["name"].value() == "survivor"
    assert form["mission"].value() == "other"  # only the other record has one
    assert 'id="id_name_other"' in html
    assert "Government agency · County" in html
    counts = {row.label: (row.survivor, row.other) for row in response.context["comparison"].counts}
    assert counts["touchpoints"] == (2, 2)
    assert counts["contacts"] == (2, 3)


def test_confirming_merges_and_old_links_lead_to_the_survivor(manager_client, duplicates):
    survivor, other = duplicates["survivor"], duplicates["other"]
    response = manager_client.post(
        merge_url(survivor), {"other": other.pk, "name": "other", "stage": "survivor"}
    )
    assert response.status_code == 302
    assert response["Location"] == survivor.get_absolute_url()
    survivor.refresh_from_db()
    assert survivor.name == "Riverside County Health Department"
    assert Merge.objects.filter(organization=survivor, merged_id=other.pk).exists()
    page = manager_client.get(response["Location"])
    assert "was merged into" in page.content.decode()
    old = manager_client.get(reverse("partners:organization_detail", args=[other.pk]))
    assert old.status_code == 302 and old["Location"] == survivor.get_absolute_url()


def test_merging_contacts_through_the_pages(manager_client, people):
    survivor, other = people["survivor"], people["other"]
    response = manager_client.post(merge_url(survivor), {"other": other.pk, "email": "other"})
    assert response.status_code == 302
    survivor.refresh_from_db()
    assert survivor.email == "maria@gmail.example.com"
    old = manager_client.get(reverse("partners:contact_detail", args=[other.pk]))
    assert old["Location"] == survivor.get_absolute_url()


@pytest.mark.parametrize(
    "data",
    [
        {"other": "self"},
        {"other": "abc"},
        {"other": "-1"},
        {"other": "99999999999999999999999"},
        {"other": "999999999"},
        {"other": "other", "name": "both"},
        {"other": "other", "name": "\x00"},
    ],
)
def test_hostile_or_stale_input_is_refused_without_merging(manager_client, data):
    survivor, other = OrganizationFactory(), OrganizationFactory(name="A different name")
    values = {"self": survivor.pk, "other": other.pk}
    posted = {key: values.get(value, value) for key, value in data.items()}
    response = manager_client.post(merge_url(survivor), posted)
    assert response.status_code in (200, 400)
    assert Organization.objects.count() == 2
    assert not Merge.objects.exists()
    response = manager_client.get(merge_url(survivor), {"other": posted["other"]})
    assert response.status_code in (200, 400)


def test_merging_a_record_with_itself_is_refused_on_the_page(manager_client):
    organization = OrganizationFactory()
    response = manager_client.post(merge_url(organization), {"other": organization.pk})
    assert "cannot be merged with itself" in response.content.decode()
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_a_merged_away_record_posted_again_is_refused(manager_client, manager):
    survivor, other = OrganizationFactory(), OrganizationFactory()
    merge.organization_merge(survivor=survivor, other=other, fields={}, by=manager)
    response = manager_client.post(merge_url(survivor), {"other": other.pk})
    assert response.status_code == 200
    assert "no longer in Liaison" in response.content.decode()
