"""How a report page shows its figures: a labelled bar for every row, as wide as the page;
numbers and their "—" right-aligned; days in the app's format; organizations linked; "Nobody"
for a partner without an owner; one quick period highlighted."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from outreach.tests.factories import TouchpointFactory
from partners.models import Organization, Stage
from partners.tests.factories import OrganizationFactory
from reports.tests.helpers import at, organization_with_history

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2026-01-01", "end": "2026-03-31"}
STAGES = [
    "Identified",
    "Researching",
    "Contacted",
    "In discussion",
    "Active partner",
    "Dormant",
    "Declined",
]


def page(client, slug: str, query: dict[str, str] | None = None) -> str:
    response = client.get(reverse(f"reports:{slug}"), PERIOD if query is None else query)
    assert response.status_code == 200
    return response.content.decode()


def chart_rows(html: str) -> list[tuple[str, str, str]]:
    """(label, bar length, value) for each bar of the page's chart."""
    return re.findall(
        r'<span class="bar-rows-label">([^<]*)</span><svg class="bar-rows-bar" width="100%" '
        r'height="16"[^>]*><rect class="chart-bar" width="([\d.]+)%"[^>]*/></svg>'
        r'<span class="bar-rows-value">([^<]*)</span>',
        html,
    )


@pytest.fixture
def exits():
    organization_with_history(
        "Birch Street School",
        (Stage.IDENTIFIED, at(2026, 1, 1), ""),
        (Stage.ACTIVE, at(2026, 1, 20), ""),
        (Stage.DECLINED, at(2026, 2, 5), "No capacity this year"),
    )
    organization_with_history("Cedar Food Bank", (Stage.IDENTIFIED, at(2026, 1, 10), ""))
    return organization_with_history(
        "Elm <Workforce> Board",
        (Stage.IDENTIFIED, at(2025, 11, 1), ""),
        (Stage.DORMANT, at(2026, 3, 1), ""),
    )


def test_every_bar_of_the_chart_has_its_label_and_value(manager_client, exits):
    rows = chart_rows(page(manager_client, "pipeline"))
    assert [(label, value) for label, _length, value in rows] == [
        ("Identified", "2"),
        ("Researching", "0"),
        ("Contacted", "0"),
        ("In discussion", "0"),
        ("Active partner", "1"),
        ("Dormant", "1"),
        ("Declined", "1"),
    ]
    # Lengths are shares of the longest bar, which is as long as the row allows.
    assert [length for _label, length, _value in rows] == [
        "100.0",
        "0.0",
        "0.0",
        "0.0",
        "50.0",
        "50.0",
        "50.0",
    ]


def test_a_chart_of_many_months_labels_every_month(manager_client):
    for month in range(1, 13):
        TouchpointFactory(occurred_on=dt.date(2025, month, 2))
    html = page(manager_client, "activity", {"start": "2025-01-01", "end": "2026-12-31"})
    labels = [label for label, _length, _value in chart_rows(html)]
    assert labels == [f"{m} {y}" for y in (2025, 2026) for m in MONTHS]
    assert [value for _label, _length, value in chart_rows(html)] == ["1"] * 12 + ["0"] * 12


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def test_the_chart_is_as_wide_as_the_page(manager_client, exits):
    html = page(manager_client, "pipeline")
    chart = html[html.index('<figure class="report-chart') : html.index("</figure>")]
    # Bars are drawn in percentages of the row, the labels and values are the page's own text:
    # nothing has a fixed width that would leave the page's width unused or shrink the text.
    assert chart.count('width="100%"') == len(STAGES)
    assert "viewBox" not in chart
    assert not re.search(r'width="\d+(\.\d+)?"', chart)
    assert 'role="img" aria-label="Organizations entering each stage, Identified to Declined: ' in (
        chart
    )


def test_nothing_to_show_is_a_dash_aligned_with_the_numbers(manager_client, exits):
    html = page(manager_client, "pipeline")
    dormant = re.search(r'<tr><th scope="row" class="fw-normal">Dormant</th>(.*?)</tr>', html)
    assert dormant is not None
    # Entered 1; moved further, conversion and median days: nothing to show; 0 stays ended,
    # 1 still there.
    assert dormant.group(1) == (
        '<td class="text-end">1</td><td class="text-end">—</td><td class="text-end">—</td>'
        '<td class="text-end">—</td><td class="text-end">0</td><td class="text-end">1</td>'
    )
    stages = html[html.index('id="table-stages"') : html.index('id="table-exits"')]
    headings = re.findall(r'<th scope="col"( class="text-end")?>', stages)
    assert headings == ["", *[' class="text-end"'] * 6]


def test_words_and_days_stay_left_aligned_under_their_headings(manager_client, exits):
    html = page(manager_client, "pipeline")
    exits_table = html[html.index('id="table-exits"') :]
    exits_table = exits_table[: exits_table.index("</table>")]
    assert exits_table.count('<th scope="col">') == 5
    assert 'class="text-end"' not in exits_table


def test_days_in_tables_are_written_as_everywhere_else_and_plainly_in_the_csv(
    manager_client, exits
):
    html = page(manager_client, "pipeline")
    assert '<td><time datetime="2026-02-05">Feb 5, 2026</time></td>' in html
    assert '<td><time datetime="2026-03-01">Mar 1, 2026</time></td>' in html
    assert "2026-02-05</td>" not in html
    export = manager_client.get(reverse("reports:pipeline_csv"), PERIOD).content.decode()
    assert "Birch Street School,Declined,Active partner,2026-02-05,No capacity this year" in export


def test_organizations_link_to_their_pages(manager_client, exits):
    html = page(manager_client, "pipeline")
    birch = Organization.objects.get(name="Birch Street School")
    row_name = '<th scope="row" class="fw-normal">'
    assert f'{row_name}<a href="/organizations/{birch.pk}/">Birch Street School</a>' in html
    assert f'{row_name}<a href="/organizations/{exits.pk}/">Elm &lt;Workforce&gt; Board</a>' in html
    # The CSV keeps the name alone.
    export = manager_client.get(reverse("reports:pipeline_csv"), PERIOD).content.decode()
    assert "Elm <Workforce> Board,Dormant,Identified,2026-03-01" in export


def test_a_partner_without_an_owner_reads_nobody(manager_client, manager):
    # Both active partners are quiet (no touchpoint ever) and have no primary contact.
    quiet = OrganizationFactory(name="Cedar Food Bank", stage=Stage.ACTIVE)
    owned = OrganizationFactory(name="Dogwood Clinic", stage=Stage.ACTIVE, owner=manager)
    html = page(manager_client, "portfolio")
    link = f'<a href="/organizations/{quiet.pk}/">Cedar Food Bank</a>'
    for table in ("quiet", "no_primary"):
        shown = html[html.index(f'id="table-{table}"') :]
        shown = shown[: shown.index("</table>")]
        assert f'<th scope="row" class="fw-normal">{link}</th><td>Nonprofit</td>' in shown
        assert '<td><span class="text-body-secondary">Nobody</span></td>' in shown
        assert f'<a href="/organizations/{owned.pk}/">Dogwood Clinic</a>' in shown
        assert f"<td>{manager.get_full_name() or manager.username}</td>" in shown
    assert '<td><span class="text-body-secondary">Never</span></td>' in html
    export = manager_client.get(reverse("reports:portfolio_csv"), PERIOD).content.decode()
    assert "Cedar Food Bank,Nonprofit,Nobody,Never" in export


def active_quick_periods(html: str) -> list[str]:
    return re.findall(
        r'<a class="nav-link active" aria-current="page" href="\?[^"]*">([^<]*)</a>', html
    )


@pytest.mark.parametrize(
    ("today", "query", "highlighted"),
    [
        # In December, "Last 12 months" is January to today: the same days as "This year".
        (dt.datetime(2026, 12, 3, 15, tzinfo=dt.UTC), {}, ["This year"]),
        # In the first quarter, "This quarter" is "This year".
        (dt.datetime(2026, 2, 10, 15, tzinfo=dt.UTC), {}, ["This year"]),
        (
            dt.datetime(2026, 5, 20, 15, tzinfo=dt.UTC),
            {"start": "2026-01-01", "end": "2026-03-31"},
            ["Last quarter"],
        ),
        (
            dt.datetime(2026, 5, 20, 15, tzinfo=dt.UTC),
            {"start": "2026-01-02", "end": "2026-03-31"},
            [],
        ),
    ],
)
def test_only_the_chosen_quick_period_is_highlighted(manager_client, today, query, highlighted):
    with time_machine.travel(today, tick=False):
        html = page(manager_client, "activity", query)
    assert active_quick_periods(html) == highlighted
