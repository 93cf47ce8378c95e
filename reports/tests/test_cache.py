import datetime as dt

import pytest
from django.urls import reverse

from outreach.tests.factories import TouchpointFactory
from partners.models import Stage
from partners.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2026-01-01", "end": "2026-12-31"}


@pytest.fixture(autouse=True)
def _kept_for_ten_minutes(settings):
    settings.LIAISON_REPORT_CACHE_MINUTES = 10


def test_a_report_page_keeps_its_figures_says_when_and_refreshes_on_request(
    manager_client, django_assert_max_num_queries
):
    url = reverse("reports:activity")
    first = manager_client.get(url, PERIOD)
    assert "Figures as of" in first.content.decode()
    assert "refresh=1" in first.content.decode()
    TouchpointFactory(occurred_on=dt.date(2026, 3, 2))
    with django_assert_max_num_queries(1):  # only the user: the figures are kept
        again = manager_client.get(url, PERIOD)
    assert again.context["report"] == first.context["report"]
    refreshed = manager_client.get(url, {**PERIOD, "refresh": "1"})
    assert refreshed.context["report"] != first.context["report"]
    assert refreshed.context["computed_at"] >= first.context["computed_at"]


def test_the_csv_is_always_computed_afresh(manager_client):
    csv_url = reverse("reports:activity_csv")
    manager_client.get(reverse("reports:activity"), PERIOD)
    before = manager_client.get(csv_url, PERIOD).content
    TouchpointFactory(occurred_on=dt.date(2026, 3, 2))
    assert manager_client.get(csv_url, PERIOD).content != before


def test_another_period_is_computed_for_itself(manager_client):
    url = reverse("reports:activity")
    manager_client.get(url, PERIOD)
    other = manager_client.get(url, {"start": "2026-02-01", "end": "2026-02-28"})
    assert other.context["report"].start == dt.date(2026, 2, 1)


def test_kept_figures_keep_their_links_and_placeholders(manager_client):
    cedar = OrganizationFactory(name="Cedar Food Bank", stage=Stage.ACTIVE)
    url = reverse("reports:portfolio")
    manager_client.get(url, PERIOD)
    again = manager_client.get(url, PERIOD)  # the kept copy, read back from the cache
    html = again.content.decode()
    assert f'<a href="/organizations/{cedar.pk}/">Cedar Food Bank</a>' in html
    assert '<td><span class="text-body-secondary">Nobody</span></td>' in html
