"""The dashboard's pipeline panel: organizations per stage and "my organizations", in one query."""

import pytest

from partners.models import Stage
from partners.selectors import pipeline_counts
from partners.services import organization_archive
from partners.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_counts_per_stage_and_mine_leave_archived_organizations_out(
    librarian, manager, django_assert_num_queries
):
    for stage in (Stage.ACTIVE, Stage.ACTIVE, Stage.CONTACTED):
        OrganizationFactory(stage=stage, owner=librarian)
    OrganizationFactory(stage=Stage.ACTIVE, owner=manager)
    OrganizationFactory(stage=Stage.DORMANT)
    organization_archive(organization=OrganizationFactory(stage=Stage.ACTIVE, owner=librarian))

    with django_assert_num_queries(1):
        stages, mine = pipeline_counts(librarian)

    # Every stage, in pipeline order, zeros included.
    assert [row["stage"] for row in stages] == [value for value, _ in Stage.choices]
    assert {row["stage"]: row["count"] for row in stages if row["count"]} == {
        Stage.ACTIVE: 3,
        Stage.CONTACTED: 1,
        Stage.DORMANT: 1,
    }
    assert mine == 3
    assert pipeline_counts(manager)[1] == 1


def test_no_organizations_yet(librarian):
    stages, mine = pipeline_counts(librarian)
    assert [row["count"] for row in stages] == [0] * len(Stage.choices)
    assert mine == 0
