"""Report pages and CSV exports: who may see them, the period picker, and CSV = page."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from core.tests.factories import UserFactory
from outreach.tests.factories import TouchpointFactory
from partners.models import Stage
from partners.tests.factories import OrganizationFactory
from reports.tests.helpers import at, organization_with_history, shown_tables

pytestmark = pytest.mark.django_db

REPORTS = ["pipeline", "activity", "portfolio", "programs"]
PERIOD = {"start": "2026-01-01", "end": "2026-03-31"}


@pytest.fixture
def some_data(librarian):
    organization_with_history(
        '=HYPERLINK("http://evil.example")',
        (Stage.IDENTIFIED, at(2026, 1, 2), ""),
        (Stage.DECLINED, at(2026, 2, 3), "-Not now, maybe in 2027 @board"),
    )
    organization_with_history(
        "Société d'entraide",
        (Stage.IDENTIFIED, at(2025, 1, 2), ""),
        (Stage.ACTIVE, at(2026, 1, 9), ""),
    )
    partner = OrganizationFactory(name="Alder County Health", stage=Stage.ACTIVE)
    for day in range(1, 60, 3):
        TouchpointFactory(
            organization=partner,
            staff=librarian,
            occurred_on=dt.date(2026, 1, 1) + dt.timedelta(days=day),
        )


def test_index_links_the_four_reports(manager_client):
    response = manager_client.get(reverse("reports:index"))
    assert response.status_code == 200
    for slug in REPORTS:
        assert reverse(f"reports:{slug}").encode() in response.content


@pytest.mark.parametrize("name", ["index", *REPORTS, *(f"{slug}_csv" for slug in REPORTS)])
def test_librarians_may_not_see_reports(librarian_client, name):
    assert librarian_client.get(reverse(f"reports:{name}")).status_code == 403


@pytest.mark.parametrize("slug", REPORTS)
def test_admins_see_reports(client, admin_user, slug):
    client.force_login(admin_user)
    assert client.get(reverse(f"reports:{slug}"), PERIOD).status_code == 200


@pytest.mark.parametrize("slug", REPORTS)
def test_page_shows_chart_and_tables_and_links_the_csv_of_the_same_period(
    manager_client, some_data, slug
):
    response = manager_client.get(reverse(f"reports:{slug}"), PERIOD)
    html = response.content.decode()
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.start, report.end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert "<svg" in html or "Nothing to chart" in html
    assert f"{reverse(f'reports:{slug}_csv')}?start=2026-01-01&amp;end=2026-03-31" in html


def _csv_rows(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.mark.parametrize("slug", REPORTS)
def test_csv_holds_exactly_the_tables_shown_on_the_page(manager_client, some_data, slug):
    page = manager_client.get(reverse(f"reports:{slug}"), PERIOD)
    export = manager_client.get(reverse(f"reports:{slug}_csv"), PERIOD)
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{slug}-2026-01-01-to-2026-03-31.csv"' in export["Content-Disposition"]
    rows = _csv_rows(export)
    shown = shown_tables(page.content.decode())
    report = page.context["report"]
    assert rows[0] == [report.title]
    assert rows[1] == ["Period", "2026-01-01", "2026-03-31"]

    def same(text: str) -> str:
        # The page separates thousands and shows "—" for nothing; the file has plain numbers.
        text = text.removeprefix("'")
        return "" if text == "—" else text.replace(",", "")

    # Each table: a blank line, its title, its header and rows (and totals) as on the page.
    position = 2
    for table in report.tables:
        assert rows[position] == []
        assert rows[position + 1] == [table.title]
        count = 1 + len(table.rows) + (1 if table.footer else 0)
        in_file = rows[position + 2 : position + 2 + count]
        if table.rows:
            on_page = shown[f"table-{table.key}"]
            assert [[same(cell) for cell in row] for row in in_file] == [
                [same(cell) for cell in row] for row in on_page
            ]
        else:
            assert in_file == [table.columns]
        position += 2 + count
    assert position == len(rows)


def test_csv_text_cannot_run_as_a_formula(manager_client, some_data):
    rows = _csv_rows(manager_client.get(reverse("reports:pipeline_csv"), PERIOD))
    exits = next(row for row in rows if "Declined" in row and len(row) == 5)
    assert exits[0] == '\'=HYPERLINK("http://evil.example")'
    assert exits[4] == "'-Not now, maybe in 2027 @board"


def test_csv_keeps_accents_in_utf8(manager_client, some_data):
    export = manager_client.get(reverse("reports:pipeline_csv"), PERIOD)
    assert export.content.startswith(b"\xef\xbb\xbf")


def test_without_a_period_a_report_covers_this_year_so_far(manager_client):
    response = manager_client.get(reverse("reports:activity"))
    report = response.context["report"]
    today = dt.date.today()
    assert report.start == dt.date(report.end.year, 1, 1)
    assert abs((report.end - today).days) <= 1


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "2026-99-99", "end": "2026-03-31"}, "start", "Enter a date as YYYY-MM-DD."),
        ({"start": "2026-01-01", "end": "not-a-date"}, "end", "Enter a date as YYYY-MM-DD."),
        (
            {"start": "1989-12-31", "end": "2026-03-31"},
            "start",
            "Choose a date between 1990 and 2100.",
        ),
        (
            {"start": "2026-01-01", "end": "2101-01-01"},
            "end",
            "Choose a date between 1990 and 2100.",
        ),
        (
            {"start": "2026-03-31", "end": "2026-01-01"},
            "end",
            "The “To” date is before the “From” date.",
        ),
        ({"start": "2026-01-01"}, "end", "Enter a date."),
    ],
)
@pytest.mark.parametrize("slug", REPORTS)
def test_a_bad_period_is_explained_next_to_its_field(manager_client, slug, query, field, message):
    response = manager_client.get(reverse(f"reports:{slug}"), query)
    assert response.status_code == 200
    assert response.context["report"] is None
    html = response.content.decode()
    assert f'id="period-{field}-error">{message}</div>' in html.replace("&ldquo;", "“").replace(
        "&rdquo;", "”"
    )
    assert f'aria-describedby="period-{field}-error"' in html
    export = manager_client.get(reverse(f"reports:{slug}_csv"), query)
    assert export.status_code == 400


def test_quick_periods_link_to_last_quarter(manager_client):
    response = manager_client.get(reverse("reports:pipeline"))
    labels = [choice["label"] for choice in response.context["quick_periods"]]
    assert "Last quarter" in labels and "This year" in labels
    this_year = next(c for c in response.context["quick_periods"] if c["label"] == "This year")
    assert this_year["current"]


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("reports:pipeline"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_staff_without_a_role_may_not_see_reports(client):
    user = UserFactory(username="nobody")
    user.groups.clear()
    client.force_login(user)
    assert client.get(reverse("reports:index")).status_code == 403
