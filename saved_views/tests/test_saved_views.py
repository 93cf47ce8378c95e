"""Saved views: a list's filters under a name, for oneself or the team, above the list and on
the dashboard with their count."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from core.tests.factories import UserFactory
from partners.models import Organization, Stage
from partners.tags import Tag, tag_create
from partners.tests.factories import OrganizationFactory
from saved_views.models import SavedView
from saved_views.services import MAX_PINNED, saved_view_create

pytestmark = pytest.mark.django_db

ORGANIZATIONS = reverse("partners:organization_list")
CREATE = reverse("saved_views:saved_view_create")
PINNED = reverse("panel", args=["dashboard", "pinned"])


@pytest.fixture
def partners(db):
    OrganizationFactory(name="Eastside Community Clinic", kind="health", stage=Stage.ACTIVE)
    OrganizationFactory(name="Westside Clinic", kind="health", stage=Stage.CONTACTED)
    OrganizationFactory(name="Oak Valley Schools", kind="school", stage=Stage.ACTIVE)


def save_link(html: str) -> str:
    start = html.index(f'href="{CREATE}?') + len('href="')
    return html[start : html.index('"', start)].replace("&amp;", "&")


def test_a_filtered_list_is_saved_under_a_name_and_opens_again(partners, client, librarian):
    client.force_login(librarian)
    listed = client.get(ORGANIZATIONS, {"kind": "health", "page": "2"}).content.decode()
    link = save_link(listed)
    assert parse_qs(urlsplit(link).query) == {"list": ["organizations"], "query": ["kind=health"]}
    form_page = client.get(link).content.decode()
    assert "Kind: Health organization" in form_page
    response = client.post(
        CREATE, {"list": "organizations", "query": "kind=health", "name": "  Health  partners "}
    )
    assert response.url == f"{ORGANIZATIONS}?kind=health"
    view = SavedView.objects.get()
    assert (view.name, view.owner, view.shared, view.pinned) == (
        "Health partners",
        librarian,
        False,
        False,
    )
    html = client.get(response.url).content.decode()
    assert f'href="{ORGANIZATIONS}?kind=health" aria-current="page"' in html
    assert "Health partners</a>" in html
    assert len(client.get(response.url).context["page"].object_list) == 2


def test_a_shared_view_is_seen_by_a_colleague_a_private_one_is_not(partners, client, librarian):
    saved_view_create(owner=librarian, list="organizations", query="kind=health", name="Mine")
    saved_view_create(
        owner=librarian, list="organizations", query="stage=active", name="Ours", shared=True
    )
    colleague = UserFactory(username="marcus", first_name="Marcus", role="Librarian")
    client.force_login(colleague)
    html = client.get(ORGANIZATIONS).content.decode()
    assert 'Ours</a> <span class="text-body-secondary">(' in html
    assert ">Mine</a>" not in html
    listing = client.get(reverse("saved_views:saved_view_list")).content.decode()
    assert "Shared by the team" in listing and "Ours" in listing and ">Mine</a>" not in listing
    mine = SavedView.objects.get(name="Mine")
    # Not theirs to change or remove.
    assert client.get(reverse("saved_views:saved_view_edit", args=[mine.pk])).status_code == 404
    assert client.post(reverse("saved_views:saved_view_remove", args=[mine.pk])).status_code == 404
    assert SavedView.objects.get(name="Mine").removed_at is None


def test_pinned_views_are_on_the_dashboard_with_their_count(partners, client, librarian):
    saved_view_create(
        owner=librarian, list="organizations", query="kind=health", name="Health", pinned=True
    )
    saved_view_create(
        owner=librarian, list="board", query="kind=school", name="Schools", pinned=True
    )
    saved_view_create(owner=librarian, list="followups", query="", name="Mine", pinned=True)
    client.force_login(librarian)
    home = client.get(reverse("home")).content.decode()
    assert "My saved views" in home  # its heading: the counts follow (deferred)
    response = client.get(PINNED)
    counts = {item.view.name: item.count for item in response.context["pinned"]}
    assert counts == {"Health": 2, "Schools": 1, "Mine": 0}
    Organization.objects.filter(name="Westside Clinic").update(kind="school")
    counts = {item.view.name: item.count for item in client.get(PINNED).context["pinned"]}
    assert counts["Health"] == 1 and counts["Schools"] == 2


def test_every_list_offers_to_save_its_view(client, librarian):
    client.force_login(librarian)
    for name in (
        "partners:organization_list",
        "partners:contact_list",
        "outreach:touchpoint_list",
        "outreach:followup_list",
        "partners:board",
    ):
        html = client.get(reverse(name)).content.decode()
        assert "Save this view…" in html, name


def test_renaming_sharing_pinning_and_removing(partners, client, librarian):
    view = saved_view_create(owner=librarian, list="contacts", query="", name="Everyone")
    client.force_login(librarian)
    url = reverse("saved_views:saved_view_edit", args=[view.pk])
    response = client.post(url, {"name": "All our people", "shared": "on", "pinned": "on"})
    assert response.url == reverse("saved_views:saved_view_list")
    view.refresh_from_db()
    assert (view.name, view.shared, view.pinned) == ("All our people", True, True)
    for n in range(MAX_PINNED - 1):
        saved_view_create(owner=librarian, list="contacts", query="", name=f"V{n}", pinned=True)
    response = client.post(
        CREATE, {"list": "contacts", "query": "", "name": "One too many", "pinned": "on"}
    )
    assert "at most" in str(response.context["form"].errors)
    assert not SavedView.objects.filter(name="One too many").exists()
    client.post(reverse("saved_views:saved_view_remove", args=[view.pk]), follow=True)
    view.refresh_from_db()
    assert view.removed_at is not None and not view.pinned
    assert "All our people" not in client.get(reverse("partners:contact_list")).content.decode()


def test_what_cannot_be_saved(client, librarian):
    client.force_login(librarian)
    assert client.get(CREATE, {"list": "programs", "query": ""}).status_code == 404
    response = client.post(CREATE, {"list": "contacts", "query": "q=" + "x" * 2000, "name": "X"})
    assert response.status_code == 200
    assert "too long to save" in response.content.decode()
    response = client.post(CREATE, {"list": "contacts", "query": "", "name": "   "})
    assert response.context["form"].errors["name"]
    response = client.post(CREATE, {"list": "contacts", "query": "", "name": "<b>Bold</b>"})
    assert (
        "&lt;b&gt;Bold&lt;/b&gt;" in client.get(reverse("partners:contact_list")).content.decode()
    )
    assert SavedView.objects.count() == 1


def test_the_view_open_is_marked_however_its_filters_were_reached(partners, client, librarian):
    saved_view_create(owner=librarian, list="organizations", query="kind=health", name="Health")
    client.force_login(librarian)
    # The filter form sends every field, blanks included, in its own order.
    html = client.get(ORGANIZATIONS + "?q=&kind=health&stage=&focus_area=&page=1").content.decode()
    assert 'aria-current="page" class="fw-semibold">Health</a>' in html


def test_a_view_whose_filter_is_gone_says_so_rather_than_count_everything(
    partners, client, librarian
):
    tag = tag_create(name="Spanish-speaking", colour="purple")
    view = saved_view_create(
        owner=librarian, list="organizations", query=f"tag={tag.pk}", name="Spanish", pinned=True
    )
    Tag.objects.filter(pk=tag.pk).delete()  # gone, as a departed colleague of an owner filter
    client.force_login(librarian)
    (item,) = client.get(PINNED).context["pinned"]
    assert item.count is None
    assert "a filter no longer applies" in client.get(PINNED).content.decode()
    edit = client.get(reverse("saved_views:saved_view_edit", args=[view.pk])).content.decode()
    assert "Tag: no longer exists" in edit


def test_tampered_addresses_are_answered_without_an_error(client, librarian, manager):
    client.force_login(librarian)
    response = client.get(CREATE, {"list": "contacts", "query": "q=" + "x" * 2000})
    assert response.status_code == 200 and "too long to save" in response.content.decode()
    for odd in ("²", "99999999999999999999999", "-1"):
        listed = client.get(reverse("outreach:followup_list"), {"organization": odd})
        assert listed.status_code == 200
        saved_view_create(
            owner=librarian, list="followups", query=f"organization={odd}", name=odd, pinned=True
        )
    assert client.get(PINNED).status_code == 200


def test_someone_elses_follow_ups_are_a_managers_view(client, librarian, manager):
    saved_view_create(
        owner=manager, list="followups", query="assignee=all", name="Everyone's", shared=True
    )
    client.force_login(librarian)
    assert (
        "Everyone&#x27;s</a>" not in client.get(reverse("outreach:followup_list")).content.decode()
    )
    client.force_login(manager)
    assert "Everyone&#x27;s</a>" in client.get(reverse("outreach:followup_list")).content.decode()
