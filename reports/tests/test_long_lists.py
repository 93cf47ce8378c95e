"""Long lists on a report page: some rows, how many in all and a link to the CSV, which has all.

The page's cost stays the same however long the lists grow: the same number of queries with a
few rows as with more than the page shows.
"""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outreach.tests.factories import TouchpointFactory
from partners.models import Stage
from partners.tests.factories import OrganizationFactory
from reports.selectors import pipeline_report, portfolio_report
from reports.selectors.common import ROWS_SHOWN
from reports.tests.helpers import at, organization_with_history, shown_tables
from reports.tests.test_query_counts import MAX_QUERIES

pytestmark = pytest.mark.django_db

MANY = ROWS_SHOWN + 5
PERIOD = {"start": "2026-01-01", "end": "2026-03-31"}


@pytest.fixture(autouse=True)
def _quiet_after_sixty_days(settings):
    settings.LIAISON_QUIET_DAYS = 60


def make_exits(count: int) -> None:
    """`count` partners gone dormant on successive days of January and February 2026."""
    for i in range(count):
        organization_with_history(
            f"Partner {i:02}",
            (Stage.IDENTIFIED, at(2025, 12, 1), ""),
            (Stage.DORMANT, at(2026, 1, 1) + dt.timedelta(days=i), f"Reason {i}"),
        )


def make_quiet_partners(count: int) -> dt.date:
    """`count` active partners without a primary contact, partner i last heard from 100 + i
    days ago (the later ones quiet for longer)."""
    today = timezone.localdate()
    for i in range(count):
        partner = OrganizationFactory(name=f"Partner {i:02}", stage=Stage.ACTIVE)
        TouchpointFactory(organization=partner, occurred_on=today - dt.timedelta(days=100 + i))
    return today


def csv_table(response, title_start: str) -> list[list[str]]:
    """The rows of the CSV's table whose title starts with `title_start` (header left out)."""
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:])))
    start = next(i for i, row in enumerate(rows) if row and row[0].startswith(title_start))
    end = next((i for i in range(start + 1, len(rows)) if not rows[i]), len(rows))
    return rows[start + 2 : end]


def test_pipeline_page_shows_the_most_recent_exits_and_links_every_exit(manager_client):
    make_exits(MANY)
    response = manager_client.get(reverse("reports:pipeline"), PERIOD)
    html = response.content.decode()
    shown = shown_tables(html)["table-exits"][1:]
    # The most recent ones, still in date order: the end of the CSV's list.
    assert [row[0] for row in shown] == [f"Partner {i:02}" for i in range(MANY - ROWS_SHOWN, MANY)]
    assert f"Showing {ROWS_SHOWN} of {MANY} (the most recent) — " in html
    csv_url = f"{reverse('reports:pipeline_csv')}?start=2026-01-01&amp;end=2026-03-31"
    assert f'<a href="{csv_url}" download>download the full list (CSV)</a>' in html
    assert 'aria-describedby="table-exits-part"' in html

    export = manager_client.get(reverse("reports:pipeline_csv"), PERIOD)
    exits = csv_table(export, "Gone dormant")
    assert [row[0] for row in exits] == [f"Partner {i:02}" for i in range(MANY)]
    assert exits[-ROWS_SHOWN:] == shown


def test_a_short_list_is_shown_whole_without_a_note(manager_client):
    make_exits(3)
    html = manager_client.get(reverse("reports:pipeline"), PERIOD).content.decode()
    assert len(shown_tables(html)["table-exits"]) == 1 + 3
    assert "download the full list" not in html
    assert "table-exits-part" not in html


def test_portfolio_page_shows_the_quietest_partners_and_links_them_all(manager_client):
    make_quiet_partners(MANY)
    response = manager_client.get(reverse("reports:portfolio"))
    html = response.content.decode()
    tables = shown_tables(html)
    quietest_first = [f"Partner {i:02}" for i in reversed(range(MANY))]
    assert [row[0] for row in tables["table-quiet"][1:]] == quietest_first[:ROWS_SHOWN]
    assert f"Active partners gone quiet ({MANY})" in html
    assert f"Showing {ROWS_SHOWN} of {MANY} (the longest without a touchpoint first) — " in html
    a_to_z = [f"Partner {i:02}" for i in range(MANY)]
    assert [row[0] for row in tables["table-no_primary"][1:]] == a_to_z[:ROWS_SHOWN]
    assert f"Showing {ROWS_SHOWN} of {MANY} (A to Z) — " in html

    export = manager_client.get(reverse("reports:portfolio_csv"))
    assert [row[0] for row in csv_table(export, "Active partners gone quiet")] == quietest_first
    assert [row[0] for row in csv_table(export, "Active partners with no")] == a_to_z


def test_selectors_give_every_row_without_a_limit_and_the_total_with_one():
    make_exits(MANY)
    today = make_quiet_partners(MANY)
    every = pipeline_report(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    some = pipeline_report(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), limit=10)
    assert (len(every.tables[1].rows), every.tables[1].total) == (MANY, None)
    assert (len(some.tables[1].rows), some.tables[1].total) == (10, MANY)
    assert some.tables[1].rows == every.tables[1].rows[-10:]
    portfolio = portfolio_report(start=today, end=today, today=today, limit=10)
    for table in portfolio.tables[3:]:
        assert (len(table.rows), table.total, table.is_part) == (10, MANY, True)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, PERIOD).status_code == 200
    return len(queries)


@pytest.mark.parametrize("slug", ["pipeline", "portfolio"])
def test_long_lists_take_no_more_queries_than_short_ones(manager_client, slug):
    make_exits(2)
    make_quiet_partners(2)
    url = reverse(f"reports:{slug}")
    short = _queries(manager_client, url)
    make_exits(MANY)
    make_quiet_partners(MANY)
    assert _queries(manager_client, url) == short <= MAX_QUERIES[slug]
    assert _queries(manager_client, reverse(f"reports:{slug}_csv")) == short
