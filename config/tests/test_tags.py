"""Tags: managers keep the list, anyone gives them to organizations, contacts and programs, and
the lists filter and export by them; an import reads a Tags column."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.tests.forms import posted_form
from partners.models import Contact, Organization
from partners.tags import Tag, record_tags_set, tag_create, tag_retire, tag_update
from partners.tests.factories import ContactFactory, OrganizationFactory
from programs.models import Program
from transfer.tests.helpers import confirm, csv_bytes, preview, upload_run

pytestmark = pytest.mark.django_db

TAG_LIST = reverse("partners:tag_list")


@pytest.fixture
def tags(db):
    return {
        "mou": tag_create(name="MOU signed", colour="green"),
        "spanish": tag_create(name="Spanish-speaking", colour="purple"),
        "budget": tag_create(name="Budget season: March", colour="orange"),
    }


def test_names_are_unique_whatever_the_case_and_colours_from_the_palette(tags):
    with pytest.raises(ValidationError, match="already a tag called"):
        tag_create(name="  mou   SIGNED ", colour="blue")
    with pytest.raises(ValidationError, match="Choose one of the colours"):
        tag_create(name="CHNA participant", colour="#ff0000")
    with pytest.raises(ValidationError, match="Give the tag a name"):
        tag_create(name="   ", colour="blue")
    tag_update(tag=tags["mou"], name="MOU signed (2026)", colour="teal")
    assert Tag.objects.get(pk=tags["mou"].pk).colour == "teal"


def test_managers_keep_the_list_librarians_cannot(tags, client, librarian, manager):
    client.force_login(librarian)
    librarian_client = manager_client = client
    assert librarian_client.get(TAG_LIST).status_code == 403
    assert librarian_client.post(reverse("partners:tag_create"), {"name": "X"}).status_code == 403
    manager_client.force_login(manager)
    html = manager_client.get(TAG_LIST).content.decode()
    assert '<span class="badge tag tag-green">MOU signed</span>' in html
    response = manager_client.post(
        reverse("partners:tag_create"), {"name": "CHNA participant", "colour": "blue"}
    )
    assert response.status_code == 302
    response = manager_client.post(
        reverse("partners:tag_create"), {"name": "chna PARTICIPANT", "colour": "blue"}
    )
    assert response.status_code == 400
    assert "already a tag called" in response.content.decode()
    manager_client.post(reverse("partners:tag_retire", args=[tags["budget"].pk]))
    assert Tag.objects.get(pk=tags["budget"].pk).retired_at is not None


def test_anyone_gives_an_organization_its_tags(tags, librarian_client):
    clinic = OrganizationFactory(name="Eastside Community Clinic")
    url = reverse("partners:organization_tags", args=[clinic.pk])
    assert url in librarian_client.get(clinic.get_absolute_url()).content.decode()
    response = librarian_client.post(url, {"tags": [tags["mou"].pk, tags["spanish"].pk]})
    assert response.url == clinic.get_absolute_url()
    html = librarian_client.get(clinic.get_absolute_url()).content.decode()
    assert '<span class="badge tag tag-green">MOU signed</span>' in html
    assert '<span class="badge tag tag-purple">Spanish-speaking</span>' in html
    assert set(clinic.tags.all()) == {tags["mou"], tags["spanish"]}


def test_a_retired_tag_stays_where_it_is_but_is_no_longer_given(tags, librarian_client):
    clinic = OrganizationFactory(name="Eastside Community Clinic")
    other = OrganizationFactory(name="Westside Clinic")
    record_tags_set(record=clinic, tags=[tags["budget"]])
    tag_retire(tag=tags["budget"])
    # Kept where it is, offered to take off.
    page = librarian_client.get(reverse("partners:organization_tags", args=[clinic.pk]))
    assert "Budget season: March" in page.content.decode()
    record_tags_set(record=clinic, tags=[tags["budget"], tags["mou"]])
    # Not given anew.
    with pytest.raises(ValidationError, match="Retired, so no longer given"):
        record_tags_set(record=other, tags=[tags["budget"]])
    url = reverse("partners:organization_tags", args=[other.pk])
    response = librarian_client.post(url, {"tags": [tags["budget"].pk]})
    assert "can no longer be given" in str(response.context["form"].errors)
    assert not other.tags.exists()


def test_contacts_and_programs_have_tags_too(tags, librarian_client, librarian):
    person = ContactFactory(name="Rosa Champion")
    response = librarian_client.post(
        reverse("partners:contact_tags", args=[person.pk]), {"tags": [tags["spanish"].pk]}
    )
    assert response.url == person.get_absolute_url()
    assert "Spanish-speaking" in librarian_client.get(person.get_absolute_url()).content.decode()
    program = Program.objects.create(title="Diabetes prevention classes", lead=librarian)
    response = librarian_client.post(
        reverse("programs:program_tags", args=[program.pk]), {"tags": [tags["mou"].pk]}
    )
    assert response.url == program.get_absolute_url()
    assert "MOU signed" in librarian_client.get(program.get_absolute_url()).content.decode()
    assert [t.name for t in program.tags.all()] == ["MOU signed"]


def test_the_lists_filter_by_tag(tags, librarian_client, librarian):
    clinic = OrganizationFactory(name="Eastside Community Clinic")
    OrganizationFactory(name="Westside Clinic")
    record_tags_set(record=clinic, tags=[tags["spanish"]])
    person = ContactFactory(name="Rosa Champion")
    ContactFactory(name="Ed Other")
    record_tags_set(record=person, tags=[tags["spanish"]])
    program = Program.objects.create(title="Diabetes prevention classes", lead=librarian)
    Program.objects.create(title="Story time", lead=librarian)
    record_tags_set(record=program, tags=[tags["spanish"]])
    spanish = {"tag": tags["spanish"].pk}
    for url, names in (
        (reverse("partners:organization_list"), ["Eastside Community Clinic"]),
        (reverse("partners:contact_list"), ["Rosa Champion"]),
        (reverse("programs:program_list"), ["Diabetes prevention classes"]),
    ):
        page = librarian_client.get(url, spanish).context["page"]
        found = [getattr(row, "name", None) or row.title for row in page.object_list]
        assert found == names, url
        # A tag that is no more: nothing rather than everything.
        assert librarian_client.get(url, {"tag": 999999}).status_code == 200


def test_exports_have_a_tags_column_and_an_import_reads_it(tags, manager_client, manager):
    clinic = OrganizationFactory(name="Eastside Community Clinic")
    record_tags_set(record=clinic, tags=[tags["spanish"], tags["mou"]])
    manager_client.force_login(manager)
    export = manager_client.get(reverse("transfer:organization_export"), {"format": "csv"})
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert "Tags" in lines[0].split(",")
    assert "MOU signed; Spanish-speaking" in lines[1]
    rows = [
        ["Name", "Tags"],
        ["Eastside Community Clinic", "spanish-speaking"],
        ["Westside Clinic", "MOU Signed;  Spanish-speaking ;"],
    ]
    confirm(manager_client, upload_run(manager_client, csv_bytes(rows)), update=True)
    assert set(clinic.tags.values_list("name", flat=True)) == {"Spanish-speaking"}
    westside = Organization.objects.get(name="Westside Clinic")
    assert set(westside.tags.values_list("name", flat=True)) == {"MOU signed", "Spanish-speaking"}
    rows = [["Name", "Tags"], ["Northside Clinic", "Gold star; MOU signed"]]
    run = upload_run(manager_client, csv_bytes(rows))
    plan = preview(manager_client, run).context["plan"]
    assert "“Gold star” is not a tag Liaison has" in str([row.errors for row in plan.errors])
    # A retired tag, as Liaison's own export writes it: kept where it is, given to no other.
    record_tags_set(record=clinic, tags=[tags["budget"], tags["mou"]])
    tag_retire(tag=tags["budget"])
    rows = [
        ["Name", "Tags"],
        ["Eastside Community Clinic", "Spanish-speaking"],
        ["Westside Clinic", "Budget season: March; MOU signed"],
    ]
    confirm(manager_client, upload_run(manager_client, csv_bytes(rows)), update=True)
    assert set(clinic.tags.values_list("name", flat=True)) == {
        "Budget season: March",
        "Spanish-speaking",
    }
    assert set(westside.tags.values_list("name", flat=True)) == {"MOU signed"}


def test_a_contact_import_reads_tags_too(tags, manager_client, manager):
    manager_client.force_login(manager)
    rows = [
        ["Name", "Email", "Tags"],
        ["Rosa Champion", "rosa@example.org", "Spanish-speaking"],
        ["Ed Other", "ed@example.org", ""],
    ]
    confirm(manager_client, upload_run(manager_client, csv_bytes(rows), kind="contacts"))
    rosa = Contact.objects.get(email="rosa@example.org")
    assert [tag.name for tag in rosa.tags.all()] == ["Spanish-speaking"]
    assert not Contact.objects.get(email="ed@example.org").tags.exists()
    export = manager_client.get(reverse("transfer:contact_export"), {"format": "csv"})
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].endswith(",Tags") and any(line.endswith(",Spanish-speaking") for line in lines)


def test_names_clash_as_the_database_compares_them_and_never_hold_a_separator(tags):
    tag_create(name="k", colour="blue")
    with pytest.raises(ValidationError, match="already a tag called"):
        tag_create(name="\u212a", colour="blue")  # the Kelvin sign: "k" once lowercased
    with pytest.raises(ValidationError, match="cannot contain “;”"):
        tag_create(name="MOU; signed", colour="blue")


def test_tags_saved_over_someone_elses_change_say_so(tags, client, librarian):
    client.force_login(librarian)
    clinic = OrganizationFactory(name="Eastside Community Clinic")
    url = reverse("partners:organization_tags", args=[clinic.pk])
    opened = client.get(url)
    record_tags_set(record=clinic, tags=[tags["mou"]])  # someone else, meanwhile
    response = client.post(url, posted_form(opened, tags=[str(tags["spanish"].pk)]))
    assert response.status_code == 200
    assert response.context["form"].conflict is not None
    assert "since you opened it" in response.content.decode()
    assert [t.name for t in clinic.tags.all()] == ["MOU signed"]
    # Saved again from the form that now says so: deliberately.
    client.post(url, posted_form(response, tags=[str(tags["spanish"].pk)]))
    assert [t.name for t in clinic.tags.all()] == ["Spanish-speaking"]


def test_one_persons_rows_carry_the_same_tags(tags, manager_client, manager):
    manager_client.force_login(manager)
    rows = [
        ["Name", "Email", "Organization", "Tags"],
        ["Rosa Champion", "rosa@example.org", "", "Spanish-speaking"],
        ["Rosa Champion", "rosa@example.org", "", "MOU signed"],
    ]
    run = upload_run(manager_client, csv_bytes(rows), kind="contacts")
    plan = preview(manager_client, run).context["plan"]
    assert "with another tags" in str([row.errors for row in plan.errors])
