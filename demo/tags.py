"""The demo's tags (partners.tags): a few a team would keep, given to the organizations,
contacts and programs they describe, in bulk inserts."""

from django.db.models import Q

from partners.models import Contact, Organization
from partners.tags import Tag
from programs.models import Program

# Name, colour, and which organizations have it (by a word of their names).
TAGS = (
    ("MOU signed", "green", Q(name__contains="Health Department") | Q(name__contains="Clinic")),
    ("CHNA participant", "teal", Q(name__contains="Health") | Q(name__contains="Medical Center")),
    ("Spanish-speaking", "purple", Q(name__contains="New Americans") | Q(name__contains="Clinic")),
    (
        "Budget season: March",
        "orange",
        Q(kind=Organization.Kind.GOVERNMENT, government_level="county"),
    ),
)
# Given to contacts and programs too.
SPANISH = "Spanish-speaking"
COMMUNITY_CHAMPION = ("Community champion", "blue")


def demo_tags_load() -> int:
    """Make the demo's tags and give them out; the number of records tagged."""
    # Made once: a second load (--scale on a database emptied of partners) reuses them.
    tags = {
        name: Tag.objects.get_or_create(name=name, defaults={"colour": colour})[0]
        for name, colour, _ in TAGS
    }
    name, colour = COMMUNITY_CHAMPION
    champion = Tag.objects.get_or_create(name=name, defaults={"colour": colour})[0]
    organizations = Tag.organizations.through
    rows = [
        organizations(tag=tags[name], organization_id=pk)
        for name, _, which in TAGS
        for pk in Organization.objects.filter(which).values_list("pk", flat=True)
    ]
    organizations.objects.bulk_create(rows)
    contacts = Tag.contacts.through
    spanish_people = Contact.objects.filter(
        affiliations__organization__name__contains="New Americans"
    ).values_list("pk", flat=True)
    # People at no organization now: former staff who stay in touch, local champions.
    champions = Contact.objects.exclude(affiliations__end_date__isnull=True).values_list(
        "pk", flat=True
    )
    people = [contacts(tag=tags[SPANISH], contact_id=pk) for pk in set(spanish_people)]
    people += [contacts(tag=champion, contact_id=pk) for pk in set(champions)]
    contacts.objects.bulk_create(people)
    programs = Program.tags.through
    bilingual = Program.objects.filter(
        Q(audience__icontains="Spanish") | Q(title__icontains="New Americans")
    ).values_list("pk", flat=True)
    programs.objects.bulk_create(
        [programs(tag_id=tags[SPANISH].pk, program_id=pk) for pk in bilingual]
    )
    return len(rows) + len(people) + len(bilingual)
