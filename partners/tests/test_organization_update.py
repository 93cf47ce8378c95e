"""organization_update() is all or nothing: the profile and the focus areas save together."""

import pytest

from partners import services
from partners.models import FocusArea, Organization
from partners.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


class FocusAreasFailed(Exception):
    pass


def test_a_failure_setting_focus_areas_leaves_the_saved_profile_unchanged(manager, monkeypatch):
    organization = OrganizationFactory(name="Eastside Community Clinic", phone="555-0100")
    health = FocusArea.objects.get(name="Health literacy")
    organization.focus_areas.add(health)

    def fail(*args: object, **kwargs: object) -> None:
        raise FocusAreasFailed

    monkeypatch.setattr(type(organization.focus_areas), "set", fail)
    with pytest.raises(FocusAreasFailed):
        services.organization_update(
            organization=organization,
            by=manager,
            focus_areas=FocusArea.objects.exclude(pk=health.pk),
            name="Eastside Clinic",
            phone="555-0199",
        )

    saved = Organization.objects.get(pk=organization.pk)
    assert (saved.name, saved.phone) == ("Eastside Community Clinic", "555-0100")
    assert list(saved.focus_areas.all()) == [health]
