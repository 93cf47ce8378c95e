"""factory-boy factories for the small cast every test draws on."""

import factory
from django.contrib.auth.models import Group, User

from core import roles
from core.profiles import profile_for


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@library.example.org")
    password = factory.PostGenerationMethodCall("set_password", "liaison-test")

    @factory.post_generation
    def role(self: User, create: bool, extracted: str | None, **kwargs: object) -> None:
        if create:
            # get_or_create: transactional tests (the browser ones) flush the migrated groups.
            group, _ = Group.objects.get_or_create(name=extracted or roles.LIBRARIAN)
            self.groups.add(group)
            self.save()
            # Made on first use in the app; made here so query counts measure the steady state.
            profile_for(self)
