"""The early warning: partnerships that turned at risk this week, in their owner's daily digest
and the managers' Monday summary, each with why and the one suggested next step."""

import datetime as dt

import pytest

from health.services import health_refresh
from notifications.tests.helpers import MONDAY, SITE, Kind, local, queued, scan
from outreach.tests.factories import TouchpointFactory
from partners.models import Health, Organization, Stage
from partners.tests.factories import AffiliationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

LONG_AGO = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def _at_risk(name: str, owner, *, turned: dt.datetime | None) -> Organization:
    """An active partnership not heard from in 100 days (at risk: past twice its cadence of six
    weeks), whose level turned at risk at `turned` (None: at risk when first assessed)."""
    organization = OrganizationFactory(
        name=name, stage=Stage.ACTIVE, stage_changed_at=LONG_AGO, owner=owner
    )
    AffiliationFactory(organization=organization, is_primary=True, contact__name="Maya Lee")
    TouchpointFactory(organization=organization, occurred_on=MONDAY - dt.timedelta(days=100))
    health_refresh(organization_ids=[organization.pk], today=MONDAY)  # at risk, with why
    Organization.objects.filter(pk=organization.pk).update(health_changed_at=turned)
    assert Organization.objects.get(pk=organization.pk).health == Health.AT_RISK
    return organization


def test_a_partnership_that_turned_at_risk_this_week_is_in_its_owners_digest(alice, maria):
    turned = _at_risk("Riverside Clinic", alice, turned=local(MONDAY, 7))
    _at_risk("At Risk Since Before", alice, turned=local(MONDAY - dt.timedelta(days=7), 9))
    _at_risk("First Assessed At Risk", alice, turned=None)
    _at_risk("Maria's Own", maria, turned=local(MONDAY, 6))

    scan(local(MONDAY, 8))

    [digest] = queued(Kind.DIGEST, alice)
    assert digest.subject == "Your Liaison day, Monday, March 9: 1 partnership turned at risk"
    for body in (digest.body_text, digest.body_html):
        assert "turned at risk in the past week" in body.lower()
        assert "Riverside Clinic" in body
        assert "No two-way contact in 14 weeks (cadence every 6 weeks)" in body
        assert "Next step: Call or meet Maya Lee" in body
        assert f"{SITE}/organizations/{turned.pk}/" in body
        assert "At Risk Since Before" not in body  # turned more than a week ago
        assert "First Assessed At Risk" not in body
        assert "Maria&#x27;s Own" not in body and "Maria's Own" not in body


def test_the_warning_stays_in_the_digest_for_a_week(alice):
    _at_risk("Riverside Clinic", alice, turned=local(MONDAY, 7))

    for day in range(1, 8):
        scan(local(MONDAY + dt.timedelta(days=day), 8))

    subjects = [digest.subject for digest in queued(Kind.DIGEST, alice)]
    # Tuesday to Sunday; the next Monday, seven days on, has nothing to say: no digest.
    assert len(subjects) == 6
    assert all(subject.endswith("1 partnership turned at risk") for subject in subjects)


def test_the_managers_summary_names_every_partnership_that_turned_at_risk_last_week(alice, maria):
    _at_risk("Riverside Clinic", alice, turned=local(MONDAY - dt.timedelta(days=4), 9))
    _at_risk("Cedar Bend Council", None, turned=local(MONDAY, 7))
    _at_risk("Turned Long Ago", alice, turned=local(MONDAY - dt.timedelta(days=20), 9))

    scan(local(MONDAY, 8))

    [summary] = queued(Kind.MANAGER_SUMMARY, maria)
    assert "2 partnerships turned at risk" in summary.subject
    for body in (summary.body_text, summary.body_html):
        assert "turned at risk in the past week (2)" in body.lower()
        assert "Riverside Clinic" in body and "Alice Reyes" in body
        assert "Cedar Bend Council" in body
        assert "Next step: Call or meet Maya Lee" in body
        # In the partners gone quiet further down, not among those that turned this week.
        assert "Turned Long Ago" not in body.lower().split("gone quiet")[0].title()


@pytest.mark.parametrize("people", [2, 10])
def test_the_warning_costs_the_same_however_many_partnerships_turned(people, maria):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.tests.helpers import staff_member

    for n in range(people):
        _at_risk(f"Partner {n}", staff_member(f"person_{n}"), turned=local(MONDAY, 7))

    with CaptureQueriesContext(connection) as queries:
        scan(local(MONDAY, 8))

    assert len(queued(Kind.DIGEST)) == people
    # Staff and roles, the digests' and the summary's own reads, each warning's partnerships
    # (their reasons kept with them), the emails written in one INSERT.
    assert len(queries) == 19


def test_one_that_turned_at_risk_after_sundays_digest_is_in_mondays(alice):
    _at_risk("Riverside Clinic", alice, turned=local(MONDAY - dt.timedelta(days=1), 10))

    scan(local(MONDAY, 8))

    [digest] = queued(Kind.DIGEST, alice)
    assert "Riverside Clinic" in digest.body_text
