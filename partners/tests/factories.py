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

    class Params:
        given = factory.Faker("first_name")
        family = factory.Faker("last_name")

    # A given name and a family name, never Faker's "Dr." or "Jr.": a full stop makes a name
    # one an email header must quote, which a test comparing To lines would meet by chance.
    name = factory.LazyAttribute(lambda o: f"{o.given} {o.family}")
    email = factory.Sequence(lambda n: f"person{n}@partner.example.org")


class AffiliationFactory(factory.django.DjangoModelFactory[Affiliation]):
    class Meta:
        model = Affiliation

    contact = factory.SubFactory(ContactFactory)
    organization = factory.SubFactory(OrganizationFactory)
    title = "Program coordinator"
