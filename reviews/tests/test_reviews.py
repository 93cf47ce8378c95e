"""Annual partnership reviews: written and edited from the partner's page, one per partner and
year whoever saves first, the satisfaction from 1 to 5 or not asked, what is typed shown as
typed, in the change history, through a merge, and pages of a fixed number of queries."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners import merge
from partners.models import Stage
from partners.tests.factories import OrganizationFactory
from reviews import services
from reviews.forms import SATISFACTION_MESSAGE
from reviews.models import PartnershipReview
from reviews.services import review_save

pytestmark = pytest.mark.django_db


def _section_url(partner) -> str:
    """The partner's Annual reviews section, fetched once its page has loaded (deferred)."""
    return reverse("panel", args=["organization", "organization-reviews"]) + f"?of={partner.pk}"


@pytest.fixture
def year() -> int:
    return timezone.localdate().year


@pytest.fixture
def partner(db):
    return OrganizationFactory(name="Eastside Community Clinic", stage=Stage.ACTIVE)


def reviewed(organization, by, year: int, **values) -> PartnershipReview:
    review = PartnershipReview(
        organization=organization, year=year, reviewed_on=dt.date(year, 6, 1), **values
    )
    return review_save(review=review, by=by)


def posted(**values) -> dict:
    data = {
        "year": str(timezone.localdate().year),
        "reviewed_on": timezone.localdate().isoformat(),
        "what_worked": "The health fair drew 300 people.",
        "what_did_not": "Flyers went out late.",
        "partner_satisfaction": "4",
        "partner_words": "A good year for us.",
        "goals_next_year": "Two fairs; a Spanish-language series.",
    }
    return data | values


def test_a_librarian_writes_this_years_review_from_the_partners_page(
    librarian_client, librarian, partner, year
):
    page = librarian_client.get(_section_url(partner)).content.decode()
    assert "Annual reviews" in page and "Write this year's review" in page
    new = reverse("reviews:review_create", args=[partner.pk])
    assert new in page

    response = librarian_client.post(new, posted())

    review = PartnershipReview.objects.get()
    assert response.status_code == 302 and response.url == review.get_absolute_url()
    assert (review.organization, review.year, review.partner_satisfaction) == (partner, year, 4)
    assert review.reviewed_by == librarian
    page = librarian_client.get(_section_url(partner)).content.decode()
    assert f"Edit the {year} review" in page and "Write this year" not in page
    assert "4 of 5 · Satisfied" in page
    detail = librarian_client.get(review.get_absolute_url()).content.decode()
    assert "The health fair drew 300 people." in detail and "4 of 5 · Satisfied" in detail


def test_the_section_lists_the_reviews_newest_year_first(librarian_client, librarian, partner):
    for year, score in ((2024, 2), (2026, None), (2025, 5)):
        reviewed(partner, librarian, year, partner_satisfaction=score)
    page = librarian_client.get(_section_url(partner)).content.decode()
    section = page[page.index('id="reviews-heading"') :]
    assert section.index("2026 review") < section.index("2025 review") < section.index("2024 ")
    assert "Not asked" in section and "5 of 5 · Very satisfied" in section
    assert "2 of 5 · Dissatisfied" in section


def test_writing_a_year_already_reviewed_opens_that_review(
    librarian_client, librarian, partner, year
):
    review = reviewed(partner, librarian, year)
    response = librarian_client.get(reverse("reviews:review_create", args=[partner.pk]))
    assert response.status_code == 302
    assert response.url == reverse("reviews:review_edit", args=[review.pk])


def test_a_second_review_of_the_same_year_is_refused_in_words(
    librarian_client, manager, partner, year
):
    first = reviewed(partner, manager, year, what_worked="Manager's words")
    response = librarian_client.post(reverse("reviews:review_create", args=[partner.pk]), posted())
    assert response.status_code == 200
    assert response.context["form"].errors["year"] == [
        f"Eastside Community Clinic already has a {year} review: open it from the partner's "
        "page and edit it instead."
    ]
    assert response.context["taken"] == first
    assert first.get_absolute_url() in response.content.decode()
    assert PartnershipReview.objects.get().what_worked == "Manager's words"


def test_two_librarians_saving_at_once_make_one_review_and_a_clear_message(
    librarian_client, manager, partner, year, monkeypatch
):
    """Both looked before either saved: the constraint refuses the second, in words."""
    monkeypatch.setattr(services, "_year_taken", lambda review: False)
    reviewed(partner, manager, year, what_worked="Saved first")
    response = librarian_client.post(reverse("reviews:review_create", args=[partner.pk]), posted())
    assert response.status_code == 200
    assert "already has a" in response.context["form"].errors["year"][0]
    assert PartnershipReview.objects.get().what_worked == "Saved first"


@pytest.mark.django_db(transaction=True)
def test_two_saves_in_two_connections_make_one_review(librarian, manager, partner, year):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite takes one writer at a time)")
    both_looked = threading.Barrier(2, timeout=10)
    real = services._year_taken

    def look_then_wait(review):
        taken = real(review)
        both_looked.wait()
        return taken

    services_year_taken = services._year_taken
    services._year_taken = look_then_wait
    results: list[str] = []

    def save(by):
        try:
            reviewed(partner, by, year, what_worked=by.username)
            results.append("saved")
        except ValidationError as error:
            results.append(error.message_dict["year"][0])
        finally:
            connections.close_all()

    try:
        threads = [threading.Thread(target=save, args=(user,)) for user in (librarian, manager)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
    finally:
        services._year_taken = services_year_taken
    assert sorted(results) == [
        f"Eastside Community Clinic already has a {year} review: open it from the partner's "
        "page and edit it instead.",
        "saved",
    ]
    assert PartnershipReview.objects.count() == 1


@pytest.mark.parametrize("value", ["0", "6", "abc", "4.5", "-1"])
def test_a_satisfaction_outside_1_to_5_is_said_next_to_the_field(librarian_client, partner, value):
    response = librarian_client.post(
        reverse("reviews:review_create", args=[partner.pk]), posted(partner_satisfaction=value)
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"partner_satisfaction": [SATISFACTION_MESSAGE]}
    page = response.content.decode()
    field = page[page.index('id="id_partner_satisfaction_0"') :]
    assert "invalid-feedback" in page and "very satisfied), or “Not asked”." in field
    assert not PartnershipReview.objects.exists()


def test_not_asked_is_kept_as_no_score(librarian_client, partner):
    librarian_client.post(
        reverse("reviews:review_create", args=[partner.pk]), posted(partner_satisfaction="")
    )
    review = PartnershipReview.objects.get()
    assert review.partner_satisfaction is None and review.satisfaction_in_words == "Not asked"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"year": "0"}, "year"),
        ({"year": "3000"}, "year"),
        ({"year": "twenty"}, "year"),
        ({"reviewed_on": "2026-02-30"}, "reviewed_on"),
        ({"reviewed_on": "1850-01-01"}, "reviewed_on"),
        ({"what_worked": "x" * 10_001}, "what_worked"),
    ],
)
def test_bad_values_are_said_next_to_their_field_and_nothing_is_saved(
    librarian_client, partner, values, field
):
    response = librarian_client.post(
        reverse("reviews:review_create", args=[partner.pk]), posted(**values)
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not PartnershipReview.objects.exists()


def test_what_is_typed_is_shown_as_typed_never_as_markup(
    librarian_client, librarian, manager_client, year
):
    partner = OrganizationFactory(name="<b>Bold</b> & Co", stage=Stage.ACTIVE)
    review = reviewed(
        partner,
        librarian,
        year,
        what_worked="<script>alert('worked')</script>",
        partner_words="<img src=x onerror=alert(1)>",
        goals_next_year="<i>goals</i>",
        partner_satisfaction=3,
    )
    for client, url in (
        (librarian_client, review.get_absolute_url()),
        (librarian_client, _section_url(partner)),
        (librarian_client, reverse("reviews:review_edit", args=[review.pk])),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>Bold" not in page
        assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in page
    detail = librarian_client.get(review.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&#x27;worked&#x27;)&lt;/script&gt;" in detail
    assert "&lt;img src=x onerror=alert(1)&gt;" in detail


def test_an_edit_is_kept_in_the_history_with_who_made_it(
    librarian_client, librarian, manager, partner, year
):
    review = reviewed(partner, manager, year, partner_satisfaction=3)
    url = reverse("reviews:review_edit", args=[review.pk])
    opened = librarian_client.get(url).context["form"]
    data = {name: opened[name].value() or "" for name in opened.fields}
    response = librarian_client.post(url, data | {"partner_satisfaction": "5"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.partner_satisfaction == 5 and review.reviewed_by == manager
    rows = list(review.history.order_by("history_date"))
    assert [row.history_user for row in rows] == [manager, librarian]
    history = librarian_client.get(reverse("reviews:review_history", args=[review.pk]))
    assert history.status_code == 200 and "Alice Reyes" in history.content.decode()


def test_a_change_made_meanwhile_is_a_conflict_not_overwritten(
    librarian_client, librarian, manager, partner, year
):
    review = reviewed(partner, librarian, year, goals_next_year="Two fairs")
    url = reverse("reviews:review_edit", args=[review.pk])
    opened = librarian_client.get(url).context["form"]
    data = {name: opened[name].value() or "" for name in opened.fields}
    mine = PartnershipReview.objects.get(pk=review.pk)
    mine.goals_next_year = "Three fairs"
    review_save(review=mine, by=manager)
    response = librarian_client.post(url, data | {"goals_next_year": "One fair"})
    assert response.status_code == 200
    conflict = response.context["form"].conflict
    assert conflict and conflict.who == "Maria Chen"
    assert PartnershipReview.objects.get().goals_next_year == "Three fairs"


def test_merging_keeps_both_reviews_of_a_year_the_duplicates_archived(librarian, manager, year):
    survivor = OrganizationFactory(name="Harlow Clinic", stage=Stage.ACTIVE)
    other = OrganizationFactory(name="Harlow Clinic (dup)", stage=Stage.ACTIVE)
    kept = reviewed(survivor, librarian, year, what_worked="Survivor's")
    twin = reviewed(other, librarian, year, what_worked="Duplicate's")
    earlier = reviewed(other, librarian, year - 1)
    merge.organization_merge(survivor=survivor, other=other, fields={}, by=manager)
    for review in (kept, twin, earlier):
        review.refresh_from_db()
        assert review.organization == survivor
    assert (kept.is_archived, twin.is_archived, earlier.is_archived) == (False, True, False)


def test_pages_read_the_same_few_queries_for_few_or_many_reviews(
    librarian_client, librarian, partner
):
    def count(url: str) -> int:
        librarian_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert librarian_client.get(url).status_code == 200
        return len(queries)

    first = reviewed(partner, librarian, 2010, partner_satisfaction=4)
    urls = [
        _section_url(partner),
        first.get_absolute_url(),
        reverse("reviews:review_edit", args=[first.pk]),
    ]
    few = [count(url) for url in urls]
    for year in range(2011, 2026):
        reviewed(partner, librarian, year, partner_satisfaction=1 + year % 5)
        first.what_worked = f"Changed in {year}"
        review_save(review=first, by=librarian)
    assert [count(url) for url in urls] == few
