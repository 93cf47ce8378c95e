import datetime as dt
from collections.abc import Iterable

import factory
from django.utils import timezone

from partners.models import FocusArea
from partners.tests.factories import OrganizationFactory
from programs.models import Grant, Program, ProgramPartner, ProgramSession


class GrantProgramFactory(factory.django.DjangoModelFactory[Program]):
    """A program of the kind “Joint grant application”, for GrantFactory."""

    class Meta:
        model = Program

    title = factory.Sequence(lambda n: f"Joint grant program {n}")
    kind = "grant"


class GrantFactory(factory.django.DjangoModelFactory[Grant]):
    """A grant application; its deliverables and letters come from services.grants.grant_save."""

    class Meta:
        model = Grant

    program = factory.SubFactory(GrantProgramFactory)
    funder = factory.Sequence(lambda n: f"Community Foundation {n}")
    status = "drafting"
    amount_requested = 25000
    submission_deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))


class ProgramFactory(factory.django.DjangoModelFactory[Program]):
    """A workshop series in planning; partners and sessions come from their own factories."""

    class Meta:
        model = Program
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Job skills workshops {n}")
    kind = "workshop"
    status = "planning"
    start_date = dt.date(2026, 9, 1)
    end_date = dt.date(2026, 12, 15)

    @factory.post_generation
    def focus_areas(
        self: Program, create: bool, extracted: Iterable[FocusArea | int] | None, **kwargs: object
    ) -> None:
        if create and extracted:
            self.focus_areas.set(extracted)


class ProgramPartnerFactory(factory.django.DjangoModelFactory[ProgramPartner]):
    class Meta:
        model = ProgramPartner

    program = factory.SubFactory(ProgramFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "co_host"


class ProgramSessionFactory(factory.django.DjangoModelFactory[ProgramSession]):
    """A session at 6 pm New York time; pass starts_at (aware) for another moment."""

    class Meta:
        model = ProgramSession

    program = factory.SubFactory(ProgramFactory)
    starts_at = dt.datetime(2026, 10, 6, 22, 0, tzinfo=dt.UTC)
    location = "Main Library, Room 2"
    attendance = 20
