import datetime as dt
from collections.abc import Iterable

import factory
from django.contrib.auth.models import User
from django.utils import timezone

from core.tests.factories import UserFactory
from outreach.models import Meeting, Touchpoint
from outreach.services import organization_last_touchpoint_refresh
from partners.models import Contact, Organization
from partners.tests.factories import OrganizationFactory


class MeetingFactory(factory.django.DjangoModelFactory[Meeting]):
    """A one-hour meeting; pass starts_at (aware) for a particular moment."""

    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Planning meeting {n}")
    starts_at = dt.datetime(2027, 1, 14, 18, 0, tzinfo=dt.UTC)
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + dt.timedelta(hours=1))
    location = "Main Library, Room 2"

    @factory.post_generation
    def staff(
        self: Meeting, create: bool, extracted: Iterable[User] | None, **kwargs: object
    ) -> None:
        if create and extracted:
            self.staff.set(extracted)

    @factory.post_generation
    def contacts(
        self: Meeting, create: bool, extracted: Iterable[Contact] | None, **kwargs: object
    ) -> None:
        if create and extracted:
            self.contacts.set(extracted)

    @factory.post_generation
    def other_organizations(
        self: Meeting, create: bool, extracted: Iterable[Organization] | None, **kwargs: object
    ) -> None:
        if create and extracted:
            self.other_organizations.set(extracted)


class TouchpointFactory(factory.django.DjangoModelFactory[Touchpoint]):
    """A logged touchpoint; contacts=[…] lists people (affiliate them with the organization)."""

    class Meta:
        model = Touchpoint
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    staff = factory.SubFactory(UserFactory)
    occurred_on = factory.LazyFunction(timezone.localdate)
    channel = Touchpoint.Channel.PHONE
    subject = factory.Sequence(lambda n: f"Call about the reading program {n}")

    @factory.post_generation
    def contacts(
        self: Touchpoint, create: bool, extracted: Iterable[Contact] | None, **kwargs: object
    ) -> None:
        if create and extracted:
            self.contacts.set(extracted)

    @factory.post_generation
    def last_touchpoint(
        self: Touchpoint, create: bool, extracted: object, **kwargs: object
    ) -> None:
        """The organization's stored last touchpoint follows, as touchpoint_log keeps it."""
        if create:
            organization_last_touchpoint_refresh(organization_ids=[self.organization_id])
