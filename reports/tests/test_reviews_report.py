"""The annual reviews report: its figures on a fixed set of partners and reviews, worked out by
hand; the year picked; the CSV; managers only; a fixed number of queries."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.models import Stage
from partners.tests.factories import OrganizationFactory
from reports.selectors import reviews_report
from reports.selectors.common import ROWS_SHOWN
from reports.tests.helpers import shown_tables
from reviews.models import PartnershipReview
from reviews.services import review_save

pytestmark = pytest.mark.django_db

YEAR = 2026


def reviewed(organization, by, year: int = YEAR, score: int | None = None, **values):
    review = PartnershipReview(
        organization=organization,
        year=year,
        reviewed_on=dt.date(year, 11, 1),
        partner_satisfaction=score,
        **values,
    )
    return review_save(review=review, by=by)


@pytest.fixture
def portfolio(librarian):
    """5 partners to review (3 active, 2 in discussion); 3 of them reviewed for 2026 (3, 4, 4);
    a dormant partner's 2026 review (not asked); an archived partner and a prospect, never
    counted; a 2025 review and an archived (merged) 2026 review, not counted either."""
    active = [
        OrganizationFactory(name=name, stage=Stage.ACTIVE)
        for name in ("Cedar Clinic", "Alder School", "Birch Food Bank")
    ]
    talking = [
        OrganizationFactory(name=name, stage=Stage.IN_DISCUSSION)
        for name in ("Elm Council", "Dogwood Center")
    ]
    dormant = OrganizationFactory(name="Fir Museum", stage=Stage.DORMANT)
    OrganizationFactory(
        name="Gone Partner", stage=Stage.ACTIVE, is_archived=True, archived_at=timezone.now()
    )
    OrganizationFactory(name="Prospect", stage=Stage.RESEARCHING)
    reviewed(active[0], librarian, score=3, what_worked="Health fair", goals_next_year="Two fairs")
    reviewed(active[1], librarian, score=4, what_worked="Reading nights")
    reviewed(talking[0], librarian, score=4)
    reviewed(dormant, librarian, score=None)
    reviewed(active[2], librarian, year=YEAR - 1, score=1)
    merged = reviewed(talking[1], librarian, year=YEAR - 3, score=1)
    PartnershipReview.objects.filter(pk=merged.pk).update(year=YEAR, is_archived=True)
    return active + talking


def table(report, key: str):
    return next(t for t in report.tables if t.key == key)


def test_the_figures_of_a_year_worked_out_by_hand(portfolio):
    report = reviews_report(year=YEAR, limit=ROWS_SHOWN)
    assert report.period_in_words == "2026"
    assert table(report, "coverage").rows == [
        ["Active and in-discussion partners", 5],
        ["Reviewed for 2026", 3],
        ["Not reviewed yet", 2],
        ["Reviewed (%)", Decimal("60.0")],
        ["Average satisfaction (of 5, those asked)", Decimal("3.67")],
    ]
    satisfaction = table(report, "satisfaction")
    assert satisfaction.rows == [
        ["5 – Very satisfied", 0, Decimal("0.0")],
        ["4 – Satisfied", 2, Decimal("66.7")],
        ["3 – Neither satisfied nor dissatisfied", 1, Decimal("33.3")],
        ["2 – Dissatisfied", 0, Decimal("0.0")],
        ["1 – Very dissatisfied", 0, Decimal("0.0")],
        ["Not asked", 1, None],
    ]
    assert satisfaction.footer == ["All reviews", 4, None]
    assert report.chart.points == [(str(row[0]), row[1]) for row in satisfaction.rows]
    pending = table(report, "not-reviewed")
    assert [str(row[0]) for row in pending.rows] == ["Birch Food Bank", "Dogwood Center"]
    assert pending.total == 2
    words = table(report, "reviews")
    assert [str(row[0]) for row in words.rows] == [
        "Alder School",
        "Cedar Clinic",
        "Elm Council",
        "Fir Museum",
    ]
    assert words.rows[1][1:] == [3, "Health fair", None, None, "Two fairs"]


def test_another_year_has_its_own_figures(portfolio):
    report = reviews_report(year=YEAR - 1, limit=ROWS_SHOWN)
    assert table(report, "coverage").rows[1:3] == [
        ["Reviewed for 2025", 1],
        ["Not reviewed yet", 4],
    ]
    assert table(report, "coverage").rows[4][1] == Decimal("1.00")


def test_the_page_shows_the_chosen_year_and_the_chart_names_its_table(manager_client, portfolio):
    response = manager_client.get(reverse("reports:reviews") + f"?year={YEAR}")
    page = response.content.decode()
    assert response.status_code == 200
    assert "3.67" in page and "Birch Food Bank" in page and "66.7" in page
    assert 'href="#table-satisfaction"' in page and 'id="table-satisfaction"' in page
    assert f"{reverse('reports:reviews_csv')}?year={YEAR}" in page


def test_this_year_is_the_default(manager_client):
    this_year = timezone.localdate().year
    response = manager_client.get(reverse("reports:reviews"))
    assert response.context["report"].start == dt.date(this_year, 1, 1)
    assert response.context["report"].end == dt.date(this_year, 12, 31)
    assert response.context["form"]["year"].value() == str(this_year)


@pytest.mark.parametrize("year", ["abc", "0", "2200", ""])
def test_a_bad_year_is_said_next_to_the_field(manager_client, year):
    response = manager_client.get(reverse("reports:reviews") + f"?year={year}")
    assert response.status_code == 200 and response.context["report"] is None
    assert response.context["form"].errors["year"]
    assert 'id="period-year-error"' in response.content.decode()
    csv_response = manager_client.get(reverse("reports:reviews_csv") + f"?year={year}")
    assert csv_response.status_code == 400


def test_the_csv_holds_every_row_and_the_answers_in_full(manager_client, librarian, portfolio):
    long = "Word " * 60 + "the end."
    partner = OrganizationFactory(name="Hazel Library Friends", stage=Stage.ACTIVE)
    reviewed(partner, librarian, score=5, what_worked=long, partner_words="=HYPERLINK(1)")
    page = manager_client.get(reverse("reports:reviews") + f"?year={YEAR}").content.decode()
    assert "the end." not in page and "Word Word" in page
    response = manager_client.get(reverse("reports:reviews_csv") + f"?year={YEAR}")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('reviews-2026-01-01-to-2026-12-31.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Annual partnership reviews"]
    hazel = next(row for row in rows if row and row[0] == "Hazel Library Friends")
    assert hazel[2] == long.strip() and hazel[4] == "'=HYPERLINK(1)"


def test_what_partners_said_is_shown_as_typed(manager_client, librarian):
    partner = OrganizationFactory(name="<b>Bold</b> Partner", stage=Stage.ACTIVE)
    reviewed(partner, librarian, score=2, what_worked="<script>alert(1)</script>")
    page = manager_client.get(reverse("reports:reviews") + f"?year={YEAR}").content.decode()
    assert "<script>alert" not in page and "<b>Bold" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;Bold" in page


def test_only_managers_see_it(librarian_client):
    assert librarian_client.get(reverse("reports:reviews")).status_code == 403
    assert librarian_client.get(reverse("reports:reviews_csv")).status_code == 403


def test_listed_on_the_reports_page(manager_client):
    page = manager_client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:reviews") in page and "Annual partnership reviews" in page


def test_the_page_and_the_csv_read_the_same_queries_for_few_or_many(manager_client, librarian):
    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert manager_client.get(url).status_code == 200
        return len(queries)

    urls = [
        reverse("reports:reviews") + f"?year={YEAR}",
        reverse("reports:reviews_csv") + f"?year={YEAR}",
    ]
    manager_client.get(urls[0])

    def partners(n: int, start: int) -> None:
        for i in range(start, start + n):
            partner = OrganizationFactory(name=f"Partner {i}", stage=Stage.ACTIVE)
            if i % 3:
                reviewed(partner, librarian, score=1 + i % 5, what_worked=f"Worked {i}")

    partners(3, 0)
    few = [count(url) for url in urls]
    partners(40, 3)  # more than a page's worth of both lists
    assert [count(url) for url in urls] == few
    assert few[0] <= 4 + 4  # session, user, roles, time zone; then the report's four


def test_the_csv_holds_the_tables_shown_on_the_page(manager_client, portfolio):
    """Short answers, a partner or two to review: the file is the page's tables, cell by cell
    (a number's thousands separator and the page's "—" aside)."""
    page = manager_client.get(reverse("reports:reviews"), {"year": YEAR})
    rows = list(
        csv.reader(io.StringIO(manager_client.get(reverse("reports:reviews_csv"), {"year": YEAR})
        .content.decode("utf-8-sig")))
    )  # fmt: skip
    shown = shown_tables(page.content.decode())
    assert rows[1] == ["Period", "2026-01-01", "2026-12-31"]

    def same(text: str) -> str:
        text = text.removeprefix("'")
        return "" if text == "—" else text.replace(",", "")

    position = 2
    for table in page.context["report"].tables:
        assert rows[position : position + 2] == [[], [table.title]]
        count = 1 + len(table.rows) + (1 if table.footer else 0)
        in_file = rows[position + 2 : position + 2 + count]
        assert [[same(c) for c in row] for row in in_file] == [
            [same(c) for c in row] for row in shown[f"table-{table.key}"]
        ]
        position += 2 + count
    assert position == len(rows)
