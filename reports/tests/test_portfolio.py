"""The portfolio: partners by kind, level and focus area; quiet ones; no primary contact."""

import datetime as dt

import pytest
from django.utils import timezone

from outreach.tests.factories import TouchpointFactory
from partners.models import Affiliation, FocusArea, Organization, Stage
from partners.tests.factories import AffiliationFactory, OrganizationFactory
from reports.selectors import portfolio_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio(settings):
    settings.LIAISON_QUIET_DAYS = 60
    today = timezone.localdate()
    health, education = (
        FocusArea.objects.get_or_create(name=n)[0] for n in ("Health", "Education")
    )
    government = Organization.Kind.GOVERNMENT
    council = OrganizationFactory(
        name="Alder County Council", kind=government, government_level="county", stage=Stage.ACTIVE
    )
    council.focus_areas.set([health])
    AffiliationFactory(organization=council, is_primary=True)
    TouchpointFactory(organization=council, occurred_on=today - dt.timedelta(days=10))
    OrganizationFactory(
        name="City Parks Department", kind=government, government_level="city", stage=Stage.ACTIVE
    )
    clinic = OrganizationFactory(
        name="Clinic on Main", kind=Organization.Kind.HEALTH, stage=Stage.ACTIVE
    )
    clinic.focus_areas.set([health, education])
    AffiliationFactory(organization=clinic, is_primary=True, end_date=today)  # ended
    AffiliationFactory(organization=clinic)  # current, not primary
    TouchpointFactory(organization=clinic, occurred_on=today - dt.timedelta(days=100))
    school = OrganizationFactory(name="Birch School", kind=Organization.Kind.SCHOOL)
    school.focus_areas.set([education])
    OrganizationFactory(
        name="Gone Nonprofit",
        stage=Stage.ACTIVE,
        is_archived=True,
        archived_at=timezone.now(),
    )
    return today


def test_partners_by_kind_level_and_focus_area(portfolio):
    today = portfolio
    report = portfolio_report(start=today.replace(month=1, day=1), end=today, today=today)
    kinds, levels, focus = report.tables[0], report.tables[1], report.tables[2]
    assert kinds.columns == ["Kind", "Organizations", "Active partners", "Added in the period"]
    assert kinds.rows == [
        ["Government agency", 2, 2, 2],
        ["Health organization", 1, 1, 1],
        ["School", 1, 0, 1],
    ]
    assert kinds.footer == ["Total", 4, 3, 4]
    assert levels.rows == [["City", 1, 1, 1], ["County", 1, 1, 1]]
    assert focus.rows == [
        ["Education", 2, 1, 2],
        ["Health", 2, 2, 2],
        ["(no focus area)", 1, 1, 1],
    ]
    assert report.chart.points == [
        ("Government agency", 2),
        ("Health organization", 1),
        ("School", 1),
    ]


def test_added_in_the_period_counts_only_organizations_created_in_it(portfolio):
    today = portfolio
    last_year = today.replace(year=today.year - 1)
    report = portfolio_report(start=last_year, end=last_year, today=today)
    assert [row[3] for row in report.tables[0].rows] == [0, 0, 0]


def test_quiet_active_partners_and_partners_without_a_primary_contact(portfolio):
    today = portfolio
    report = portfolio_report(start=today, end=today, today=today)
    quiet, unanchored = report.tables[3], report.tables[4]
    assert quiet.rows == [
        ["City Parks Department", "Government agency", "Nobody", "Never"],
        [
            "Clinic on Main",
            "Health organization",
            "Nobody",
            today - dt.timedelta(days=100),
        ],
    ]
    assert quiet.title == "Active partners gone quiet (2)"
    assert unanchored.rows == [
        ["City Parks Department", "Government agency", "Nobody"],
        ["Clinic on Main", "Health organization", "Nobody"],
    ]
    assert Affiliation.objects.filter(is_primary=True).count() == 2


def test_quiet_days_follow_the_setting(portfolio, settings):
    settings.LIAISON_QUIET_DAYS = 5
    today = portfolio
    quiet = portfolio_report(start=today, end=today, today=today).tables[3]
    assert [row[0] for row in quiet.rows] == [
        "City Parks Department",
        "Clinic on Main",
        "Alder County Council",
    ]
