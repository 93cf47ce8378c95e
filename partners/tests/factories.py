import factory

from partners.models import Affiliation, Contact, Organization, Stage, StageChange, normalize_name


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    """An organization with the first entry of its stage history, as the service makes it."""

    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Riverside Partner {n}")
    normalized_name = factory.LazyAttribute(lambda o: normalize_name(o.name))
    kind = Organization.Kind.NONPROFIT
    stage = Stage.IDENTIFIED

    @factory.post_generation
    def history(self: Organization, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            StageChange.objects.create(
                organization=self,
                from_stage="",
                to_stage=self.stage,
                changed_at=self.stage_changed_at,
            )


class ContactFactory(factory.django.DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"person{n}@partner.example.org")


class AffiliationFactory(factory.django.DjangoModelFactory[Affiliation]):
    class Meta:
        model = Affiliation

    contact = factory.SubFactory(ContactFactory)
    organization = factory.SubFactory(OrganizationFactory)
    title = "Program coordinator"
