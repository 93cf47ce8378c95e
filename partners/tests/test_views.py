import datetime as dt
import re

import pytest
from django.urls import reverse

from partners import services
from partners.models import Affiliation, Contact, FocusArea, Organization, Stage, StageChange
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("partners:organization_list")
CREATE = reverse("partners:organization_create")


def names(response) -> list[str]:
    return [o.name for o in response.context["page"].object_list]


@pytest.fixture
def partners(librarian, manager):
    health = FocusArea.objects.get(name="Health literacy")
    county = OrganizationFactory(
        name="Riverside County Health Department",
        kind="government",
        government_level="county",
        stage=Stage.ACTIVE,
        owner=librarian,
    )
    county.focus_areas.add(health)
    clinic = OrganizationFactory(
        name="Eastside Community Clinic", kind="health", stage=Stage.CONTACTED, owner=manager
    )
    schools = OrganizationFactory(name="Oak Valley Unified School District", kind="school")
    archived = OrganizationFactory(name="Old Reading Club", kind="community")
    services.organization_archive(organization=archived)
    AffiliationFactory(
        organization=clinic, contact=ContactFactory(name="Maria Delgado"), title="Nurse"
    )
    return {"county": county, "clinic": clinic, "schools": schools, "archived": archived}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "",
            [
                "Eastside Community Clinic",
                "Oak Valley Unified School District",
                "Riverside County Health Department",
            ],
        ),
        ("?kind=school", ["Oak Valley Unified School District"]),
        ("?stage=contacted", ["Eastside Community Clinic"]),
        ("?archived=archived", ["Old Reading Club"]),
        ("?q=county+health", ["Riverside County Health Department"]),
        ("?q=COUN", ["Riverside County Health Department"]),
        ("?q=delgado", ["Eastside Community Clinic"]),  # by a contact's name
        ("?q=mari", ["Eastside Community Clinic"]),
        ("?q=reading", []),  # archived organizations are not current
        ("?q=reading&archived=all", ["Old Reading Club"]),
        (
            "?sort=-name",
            [
                "Riverside County Health Department",
                "Oak Valley Unified School District",
                "Eastside Community Clinic",
            ],
        ),
        (
            "?sort=stage",
            [
                "Oak Valley Unified School District",
                "Eastside Community Clinic",
                "Riverside County Health Department",
            ],
        ),
    ],
)
def test_organization_list_filters_search_and_sort(librarian_client, partners, query, expected):
    response = librarian_client.get(LIST + query)
    assert response.status_code == 200
    assert names(response) == expected


def test_organization_list_filters_by_focus_area_and_owner(librarian_client, partners, manager):
    area = FocusArea.objects.get(name="Health literacy")
    assert names(librarian_client.get(f"{LIST}?focus_area={area.pk}")) == [
        "Riverside County Health Department"
    ]
    assert names(librarian_client.get(f"{LIST}?owner={manager.pk}")) == [
        "Eastside Community Clinic"
    ]


@pytest.mark.parametrize(
    "query",
    [
        "?page=abc",
        "?page=999",
        "?sort=password",
        "?kind=spaceship",
        "?owner=x",
        "?focus_area=99999",
        "?q=%27%3B+DROP+TABLE",
        "?q=%26%7C%21%3A*()",
        "?q=" + "a" * 5000,
    ],
)
def test_organization_list_shrugs_off_hostile_query_strings(librarian_client, partners, query):
    assert librarian_client.get(LIST + query).status_code == 200


def test_organization_list_is_paginated_25_a_page(librarian_client):
    for i in range(30):
        OrganizationFactory(name=f"Partner {i:02}")
    first = librarian_client.get(LIST)
    second = librarian_client.get(LIST + "?page=2")
    assert len(names(first)) == 25 and len(names(second)) == 5


def test_htmx_search_returns_only_the_results_fragment(librarian_client, partners):
    response = librarian_client.get(
        LIST + "?q=clinic", headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert b'<nav class="navbar' not in response.content
    assert b"Eastside Community Clinic" in response.content


def valid_organization(**overrides):
    data = {"name": "Westfield Public Health Nonprofit", "kind": "health", "stage": "identified"}
    data.update(overrides)
    return data


def test_create_organization_records_the_first_stage(librarian_client, librarian):
    response = librarian_client.post(CREATE, valid_organization(stage="researching"))
    organization = Organization.objects.get()
    assert response.status_code == 302 and response.url == organization.get_absolute_url()
    assert organization.stage_changes.get().to_stage == "researching"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (valid_organization(name=""), "name", "This field is required."),
        (valid_organization(name="   "), "name", "This field is required."),
        (valid_organization(name="x" * 10_000), "name", "at most 200 characters"),
        (valid_organization(email="not-an-email"), "email", "Enter a valid email address."),
        (valid_organization(website="javascript:alert(1)"), "website", "Enter a valid URL."),
        (valid_organization(phone="call me maybe"), "phone", "phone number"),
        (valid_organization(kind="spaceship"), "kind", "Select a valid choice."),
        (valid_organization(mission="x" * 10_001), "mission", "at most 10000 characters"),
    ],
)
def test_create_organization_rejects_bad_input_next_to_the_field(
    librarian_client, data, field, message
):
    response = librarian_client.post(CREATE, data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert message.split("“")[0].encode() in response.content or field in response.content.decode()
    assert Organization.objects.count() == 0
    assert StageChange.objects.count() == 0


def test_script_in_a_name_is_shown_escaped(librarian_client):
    librarian_client.post(CREATE, valid_organization(name="<script>alert('x')</script> Clinic"))
    organization = Organization.objects.get()
    for url in (organization.get_absolute_url(), LIST):
        content = librarian_client.get(url).content.decode()
        assert "<script>alert" not in content
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Clinic" in content


def test_script_in_a_rejected_form_is_shown_escaped(librarian_client):
    response = librarian_client.post(
        CREATE, valid_organization(name="<script>alert(1)</script>", email="<b>bad</b>")
    )
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;" in response.content
    assert Organization.objects.count() == 0


def test_duplicate_name_warns_before_creating(librarian_client, partners):
    data = valid_organization(name="Riverside County Health District")
    assert librarian_client.post(CREATE, data).status_code == 302  # not the department
    # Case, punctuation, spacing and abbreviations aside, the name of the county's department.
    data = valid_organization(name="Riverside co. health-DEPT")
    response = librarian_client.post(CREATE, data)
    assert response.status_code == 200
    assert "already in Liaison" in response.context["form"].errors["name"][0]
    assert response.context["duplicates"] == [partners["county"]]
    assert (
        Organization.objects.filter(normalized_name="riversidecountyhealthdepartment").count() == 1
    )
    response = librarian_client.post(CREATE, {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert (
        Organization.objects.filter(normalized_name="riversidecountyhealthdepartment").count() == 2
    )


def test_name_check_fragment_lists_matches(librarian_client, partners):
    url = reverse("partners:organization_name_check")
    response = librarian_client.get(url, {"name": "EASTSIDE community clinic"})
    assert b"Eastside Community Clinic" in response.content
    response = librarian_client.get(
        url, {"name": "Eastside Community Clinic", "exclude": partners["clinic"].pk}
    )
    assert response.content.strip() == b""


def test_edit_organization_keeps_stage_and_history(librarian_client, partners):
    county = partners["county"]
    url = reverse("partners:organization_edit", args=[county.pk])
    response = librarian_client.post(
        url,
        {
            "name": county.name,
            "kind": "government",
            "government_level": "county",
            "common_ground": "Both want residents to find trustworthy health information.",
        },
    )
    assert response.status_code == 302
    county.refresh_from_db()
    assert county.common_ground.startswith("Both want")
    assert county.stage == Stage.ACTIVE and county.stage_changes.count() == 1


def test_change_stage_with_a_note(librarian_client, partners, librarian):
    clinic = partners["clinic"]
    url = reverse("partners:organization_stage", args=[clinic.pk])
    response = librarian_client.post(url, {"to_stage": "in_discussion", "note": "Met at fair"})
    assert response.status_code == 302
    change = clinic.stage_changes.first()
    assert (change.from_stage, change.to_stage, change.note, change.changed_by) == (
        "contacted",
        "in_discussion",
        "Met at fair",
        librarian,
    )
    detail = librarian_client.get(clinic.get_absolute_url()).content.decode()
    assert "Met at fair" in detail


def test_change_stage_to_the_same_stage_says_so(librarian_client, partners):
    clinic = partners["clinic"]
    url = reverse("partners:organization_stage", args=[clinic.pk])
    response = librarian_client.post(url, {"to_stage": "contacted"})
    assert response.status_code == 200
    assert "already at" in response.context["form"].errors["to_stage"][0]
    assert clinic.stage_changes.count() == 1


def test_only_managers_archive(librarian_client, client, manager, partners):
    url = reverse("partners:organization_archive", args=[partners["clinic"].pk])
    assert librarian_client.post(url).status_code == 403
    assert not Organization.objects.get(pk=partners["clinic"].pk).is_archived
    client.force_login(manager)
    assert client.post(url).status_code == 302
    assert Organization.objects.get(pk=partners["clinic"].pk).is_archived


def test_archive_asks_first_and_says_what_archiving_does(manager_client, partners):
    clinic = partners["clinic"]
    detail = manager_client.get(clinic.get_absolute_url()).content.decode()
    url = reverse("partners:organization_archive", args=[clinic.pk])
    # The page offers a link to the question, styled as the serious action it is.
    assert f'class="btn btn-outline-danger" href="{url}">Archive…</a>' in detail
    page = manager_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Archive {clinic.name}?" in html
    assert "Nothing is deleted" in html and "Restore to lists" in html
    assert 'class="btn btn-danger"' in html
    clinic.refresh_from_db()
    assert not clinic.is_archived  # asking changed nothing
    assert manager_client.post(url).status_code == 302
    clinic.refresh_from_db()
    assert clinic.is_archived
    # Asked again (an old tab), it says so instead of asking.
    again = manager_client.get(url, follow=True)
    assert "is already archived" in again.content.decode()


def test_the_add_contact_form_asks_for_the_name_first(librarian_client, partners):
    county = partners["county"]
    response = librarian_client.get(reverse("partners:contact_create", args=[county.pk]))
    form = response.content.decode().split("<main", 1)[1]  # not the top bar's search box
    asked = re.findall(r'<(?:input|select|textarea)[^>]* name="(\w+)"', form)
    asked = [name for name in asked if name not in ("csrfmiddlewaretoken", "version")]
    assert asked[0] == "name"
    # The person, then their role at the organization.
    assert asked.index("email") < asked.index("title") < asked.index("start_date")
    assert list(response.context["form"].fields)[0] == "name"


def test_add_a_new_contact_from_the_organization_page(librarian_client, partners):
    county = partners["county"]
    response = librarian_client.post(
        reverse("partners:contact_create", args=[county.pk]),
        {
            "name": "Dana Whitfield",
            "email": "DANA@county.example.gov",
            "phone": "(555) 201-3344 x12",
            "preferred_channel": "phone",
            "title": "Health educator",
            "is_primary": "on",
        },
    )
    assert response.status_code == 302
    affiliation = Affiliation.objects.get(organization=county)
    assert affiliation.contact.email == "dana@county.example.gov"
    assert affiliation.is_primary and affiliation.title == "Health educator"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "email": "a@b.org"}, "name"),
        ({"name": "Dana", "email": "not-email"}, "email"),
        ({"name": "Dana", "email": "maria@clinic.example.org"}, "email"),  # taken
        ({"name": "Dana", "phone": "<script>"}, "phone"),
        ({"name": "Dana", "start_date": "2999-01-01"}, "start_date"),
        ({"name": "Dana", "start_date": "31/31/2020"}, "start_date"),
        ({"name": "x" * 10_000}, "name"),
    ],
)
def test_contact_form_rejects_bad_input_and_saves_nothing(librarian_client, partners, data, field):
    ContactFactory(name="Maria", email="maria@clinic.example.org")
    before = (Contact.objects.count(), Affiliation.objects.count())
    response = librarian_client.post(
        reverse("partners:contact_create", args=[partners["county"].pk]),
        {"preferred_channel": "email", **data},
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert (Contact.objects.count(), Affiliation.objects.count()) == before


def test_add_an_existing_contact_to_another_organization(librarian_client, partners):
    maria = Contact.objects.get(name="Maria Delgado")
    url = reverse("partners:affiliation_add_existing", args=[partners["schools"].pk])
    search = librarian_client.get(url, {"q": "delg"})
    assert list(search.context["candidates"]) == [maria]
    response = librarian_client.post(
        url + "?q=delg", {"contact": maria.pk, "title": "School board member"}
    )
    assert response.status_code == 302
    detail = librarian_client.get(maria.get_absolute_url()).content.decode()
    assert "Eastside Community Clinic" in detail and "Oak Valley Unified School District" in detail
    assert "School board member" in detail
    # Adding them again is refused with a message, not a crash.
    again = librarian_client.post(url, {"contact": maria.pk})
    assert again.status_code == 200 and "already listed" in str(again.context["form"].errors)


def test_end_an_affiliation_keeps_it_as_past(librarian_client, partners):
    affiliation = Affiliation.objects.get(contact__name="Maria Delgado")
    url = reverse("partners:affiliation_end", args=[affiliation.pk])
    response = librarian_client.post(url, {"end_date": dt.date.today().isoformat()})
    assert response.status_code == 302
    page = librarian_client.get(partners["clinic"].get_absolute_url())
    assert page.context["current_affiliations"] == []
    assert [a.contact.name for a in page.context["past_affiliations"]] == ["Maria Delgado"]


def test_contact_list_search_and_kind_filter(librarian_client, partners):
    ContactFactory(name="Unaffiliated Person", email="someone@example.org")
    url = reverse("partners:contact_list")
    assert [c.name for c in librarian_client.get(url, {"q": "delgado"}).context["page"]] == [
        "Maria Delgado"
    ]
    assert [c.name for c in librarian_client.get(url, {"q": "someone@exa"}).context["page"]] == [
        "Unaffiliated Person"
    ]
    assert [c.name for c in librarian_client.get(url, {"kind": "health"}).context["page"]] == [
        "Maria Delgado"
    ]
    assert librarian_client.get(url, {"kind": "school"}).context["page"].paginator.count == 0


def test_contact_list_sorts_people_without_an_email_or_phone_last_either_way(librarian_client):
    ContactFactory(name="Bea", email="bea@example.org", phone="555-0102")
    ContactFactory(name="Al", email="", phone="555-0101")
    ContactFactory(name="Cy", email="cy@example.org", phone="")
    url = reverse("partners:contact_list")

    def names(sort: str) -> list[str]:
        return [c.name for c in librarian_client.get(url, {"sort": sort}).context["page"]]

    assert names("name") == ["Al", "Bea", "Cy"] and names("-name") == ["Cy", "Bea", "Al"]
    assert names("email") == ["Bea", "Cy", "Al"] and names("-email") == ["Cy", "Bea", "Al"]
    assert names("phone") == ["Al", "Bea", "Cy"] and names("-phone") == ["Bea", "Al", "Cy"]
    assert names("organizations") == names("") == ["Al", "Bea", "Cy"]  # no order of its own


def test_edit_contact_records_opt_out(librarian_client, partners):
    maria = Contact.objects.get(name="Maria Delgado")
    response = librarian_client.post(
        reverse("partners:contact_edit", args=[maria.pk]),
        {
            "name": "Maria Delgado",
            "email": maria.email,
            "preferred_channel": "email",
            "opted_out_of_updates": "on",
        },
    )
    assert response.status_code == 302
    maria.refresh_from_db()
    assert maria.opted_out_of_updates and maria.opted_out_at is not None


def test_home_shows_counts_by_stage_and_my_organizations(librarian_client, partners):
    response = librarian_client.get(reverse("home"))
    counts = {row["stage"]: row["count"] for row in response.context["stage_counts"]}
    assert counts == {
        "identified": 1,
        "researching": 0,
        "contacted": 1,
        "in_discussion": 0,
        "active": 1,
        "dormant": 0,
        "declined": 0,
    }  # the archived one is not counted
    assert response.context["my_organization_count"] == 1


def test_missing_records_give_404(librarian_client):
    for name in ("organization_detail", "organization_edit", "contact_detail", "affiliation_end"):
        assert librarian_client.get(reverse(f"partners:{name}", args=[999999])).status_code == 404
