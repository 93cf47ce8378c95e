"""The merge comparison page reads the same few queries however much hangs off each record."""

import pytest
from django.utils import timezone

from config.tests.test_merge import merge_url
from outreach.tests.factories import TouchpointFactory
from partners.models import Stage, StageChange
from partners.tests.factories import AffiliationFactory, ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rows", [2, 30])
def test_comparison_page_queries(manager_client, manager, rows, django_assert_num_queries):
    survivor, other = OrganizationFactory(owner=manager), OrganizationFactory(owner=manager)
    for i in range(rows):
        TouchpointFactory(organization=other, staff=manager)
        AffiliationFactory(organization=other if i % 2 else survivor)
        StageChange.objects.create(
            organization=other,
            from_stage=Stage.IDENTIFIED if i % 2 else Stage.CONTACTED,
            to_stage=Stage.CONTACTED if i % 2 else Stage.IDENTIFIED,
            changed_at=timezone.now(),
        )
    # The user with their roles and time zone; the survivor; both records with their counts.
    with django_assert_num_queries(3):
        response = manager_client.get(merge_url(survivor), {"other": other.pk})
    assert response.status_code == 200
    contact_survivor, contact_other = ContactFactory(), ContactFactory()
    for _ in range(rows):
        TouchpointFactory(organization=survivor, staff=manager, contacts=[contact_other])
    with django_assert_num_queries(3):
        response = manager_client.get(merge_url(contact_survivor), {"other": contact_other.pk})
    assert response.status_code == 200
