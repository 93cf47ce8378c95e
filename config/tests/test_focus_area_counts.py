"""The focus areas list counts the organizations and the programs (an app above partners) of
each, and merging moves programs too."""

import pytest
from django.urls import reverse

from partners.models import FocusArea
from partners.tests.factories import OrganizationFactory
from programs.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def test_the_list_counts_organizations_and_programs_and_merging_moves_both(manager_client):
    health, literacy = (FocusArea.objects.create(name=n) for n in ("Health zz", "Literacy zz"))
    for _ in range(3):
        OrganizationFactory().focus_areas.set([health])
    program = ProgramFactory()
    program.focus_areas.set([health, literacy])
    page = manager_client.get(reverse("partners:focus_area_list"))
    found = {a.name: (a.organizations_count, a.programs_count) for a in page.context["focus_areas"]}
    assert found["Health zz"] == (3, 1) and found["Literacy zz"] == (0, 1)
    url = reverse("partners:focus_area_merge", args=[health.pk])
    manager_client.post(url, {"survivor": literacy.pk})
    assert list(program.focus_areas.all()) == [literacy]
    assert FocusArea.objects.get(pk=literacy.pk).organizations.count() == 3
