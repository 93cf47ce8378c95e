"""Agreements ending soon: the owner's in their daily digest (30 days ahead), everyone's in the
managers' Monday summary (the quarter ahead)."""

import datetime as dt

import pytest

from agreements.models import Agreement
from agreements.services import agreement_save
from notifications.tests.helpers import MONDAY, Kind, local, queued, scan
from partners.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def agreement(owner, title: str, ends_in: int, status=Agreement.Status.ACTIVE) -> Agreement:
    made = Agreement(
        title=title,
        kind=Agreement.Kind.DATA_SHARING,
        status=status,
        signed_on=MONDAY - dt.timedelta(days=300),
        ends_on=MONDAY + dt.timedelta(days=ends_in),
        owner=owner,
        renewal_notice_days=0,  # no follow-up in the way: only the agreements are listed
    )
    partner = OrganizationFactory(name=f"Partner of {title}")
    return agreement_save(agreement=made, organizations=[partner], by=owner)


def test_the_owner_hears_of_theirs_ending_within_30_days_and_managers_of_the_quarter(
    alice, maria, time_machine
):
    time_machine.move_to(local(MONDAY, 7))
    agreement(alice, "Data-sharing with the clinic", 20)
    agreement(alice, "Facility use in spring", 60)
    agreement(maria, "Media consent", 10, status=Agreement.Status.DRAFT)
    agreement(maria, "Sub-award", 200)

    scan(local(MONDAY, 8))

    [digest] = queued(Kind.DIGEST, alice)
    assert "1 agreement ending soon" in digest.subject
    text = digest.body_text
    assert "AGREEMENTS ENDING IN THE NEXT 30 DAYS (yours)" in text
    assert "- Data-sharing with the clinic, with Partner of Data-sharing with the clinic" in text
    assert "Ends Sunday, March 29" in text and "Facility use in spring" not in text
    assert "Data-sharing with the clinic" in digest.body_html
    assert queued(Kind.DIGEST, maria) == []  # a draft is not in force; the sub-award is far
    [summary] = queued(Kind.MANAGER_SUMMARY, maria)
    text = summary.body_text
    assert "AGREEMENTS ENDING IN THE NEXT 90 DAYS" in text
    assert "Data-sharing with the clinic" in text and "Facility use in spring" in text
    assert "Media consent" not in text and "Sub-award" not in text
    assert "Alice Reyes's" in text


@pytest.mark.parametrize("many", [2, 20])
def test_the_scan_reads_the_same_queries_for_few_or_many_agreements(
    alice, maria, time_machine, many
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    time_machine.move_to(local(MONDAY, 7))
    for n in range(many):
        agreement(alice if n % 2 else maria, f"Agreement {n}", 5 + n)
    with CaptureQueriesContext(connection) as queries:
        scan(local(MONDAY, 8))
    # Staff, digests and summaries as the scan's own test counts them, each agreement's
    # partners read with it (no query per agreement), and the emails written.
    assert len(queries) <= 25, len(queries)
    assert len(queued(Kind.DIGEST, alice)) == 1
