"""Tags: a team's own labels for organizations, contacts and programs ("MOU signed", "CHNA
participant", "Spanish-speaking", "Budget season: March"), each with a colour.

Managers keep the list (add, rename, recolour, retire); anyone applies them. A small model
rather than django-taggit: taggit makes a tag the first time someone types it, where here the
team's vocabulary is fixed by managers and each tag has a colour, and its generic relation
would give up the plain many-to-many tables that the lists filter through with an index.

Organizations and contacts hold their tags through `Tag.organizations` and `Tag.contacts`
(`organization.tags`); programs, in an app above this one, through `Program.tags`. Its own
module: partners/models.py, which is full, imports it at its end so that Django registers the
model with the partners app.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Lower
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from core.aggregates import JoinedNames, split_names
from core.models import TimeStampedModel
from partners.models import Contact, Organization

M = TypeVar("M", bound=models.Model)
NAME_MAX_LENGTH = 60
NAME_TAKEN = "There is already a tag called “{name}”."


class Tag(TimeStampedModel):
    class Colour(models.TextChoices):
        # Light backgrounds with dark text (static/css/liaison.css .tag-*): AA contrast each.
        BLUE = "blue", "Blue"
        GREEN = "green", "Green"
        ORANGE = "orange", "Orange"
        PURPLE = "purple", "Purple"
        RED = "red", "Red"
        TEAL = "teal", "Teal"
        GREY = "grey", "Grey"

    name = models.CharField(max_length=NAME_MAX_LENGTH)
    colour = models.CharField(max_length=10, choices=Colour.choices, default=Colour.BLUE)
    # No longer offered on the forms; kept on the records that have it, and in the filters.
    retired_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organizations = models.ManyToManyField(Organization, blank=True, related_name="tags")
    contacts = models.ManyToManyField(Contact, blank=True, related_name="tags")

    class Meta:
        ordering = [Lower("name").asc(), "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), name="tag_name_unique", violation_error_message=NAME_TAKEN
            )
        ]

    def __str__(self) -> str:
        return self.name


def _checked_name(name: str, *, keeping: Tag | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Give the tag a name."})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": f"Keep it to {NAME_MAX_LENGTH} characters."})
    if ";" in name:
        # Exports and imports list several tags in one cell, separated by ";".
        raise ValidationError({"name": "A tag's name cannot contain “;”."})
    # As the database's unique rule compares them: lowercased.
    taken = Tag.objects.annotate(lowered=Lower("name")).filter(lowered=name.lower())
    if keeping is not None:
        taken = taken.exclude(pk=keeping.pk)
    if taken.exists():
        raise ValidationError({"name": NAME_TAKEN.format(name=name)})
    return name


def _saved(tag: Tag, **kwargs: Any) -> Tag:
    """Save, turning the unique rule's refusal (someone took the name meanwhile) into the same
    message as the check before it."""
    try:
        with transaction.atomic():
            tag.save(**kwargs)
    except IntegrityError as error:
        raise ValidationError({"name": NAME_TAKEN.format(name=tag.name)}) from error
    return tag


def _checked_colour(colour: str) -> str:
    if colour not in Tag.Colour.values:
        raise ValidationError({"colour": "Choose one of the colours."})
    return colour


def tag_create(*, name: str, colour: str, by: Any = None) -> Tag:
    tag = Tag(name=_checked_name(name), colour=_checked_colour(colour), created_by=by)
    return _saved(tag)


def tag_update(*, tag: Tag, name: str, colour: str) -> Tag:
    """Rename or recolour: every record that has it shows the change."""
    tag.name = _checked_name(name, keeping=tag)
    tag.colour = _checked_colour(colour)
    return _saved(tag, update_fields=["name", "colour", "updated_at"])


def tag_retire(*, tag: Tag, retired: bool = True) -> Tag:
    """Retired: no longer offered; the records that have it keep it (and the filters still
    find them). Not retired: offered again."""
    if retired != (tag.retired_at is not None):
        tag.retired_at = timezone.now() if retired else None
        tag.save(update_fields=["retired_at", "updated_at"])
    return tag


@transaction.atomic
def record_tags_set(*, record: M, tags: Iterable[Tag]) -> M:
    """Give an organization, a contact or a program exactly these tags. A retired tag it
    does not have already cannot be added."""
    tags = list(tags)
    manager = getattr(record, "tags")  # noqa: B009 — Organization.tags, Contact.tags, Program.tags
    had = set(manager.values_list("pk", flat=True))
    retired = [tag.name for tag in tags if tag.retired_at is not None and tag.pk not in had]
    if retired:
        raise ValidationError({"tags": f"Retired, so no longer given: {', '.join(retired)}."})
    manager.set(tags)
    return record


def tags_offered(keeping: Iterable[int] = ()) -> QuerySet[Tag]:
    """The tags a form offers: those in use, and those a record has even if retired since."""
    return Tag.objects.filter(Q(retired_at__isnull=True) | Q(pk__in=list(keeping)))


def _count_of(through: Any) -> Coalesce:
    """How many records the outer query's tag is on, through one many-to-many table."""
    counted = (
        through.objects.filter(tag_id=OuterRef("pk"))
        .order_by()
        .values("tag_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def tags_with_counts() -> QuerySet[Tag]:
    """Every tag, current ones first, with how many organizations, contacts and programs have
    it: one query, each count a subquery of its own (not a join of the three tables, whose rows
    would multiply)."""
    # Program.tags, in an app above this one: its table, found from the relation.
    programs: Any = Tag._meta.get_field("programs")
    return Tag.objects.annotate(
        organizations_count=_count_of(Tag.organizations.through),
        contacts_count=_count_of(Tag.contacts.through),
        programs_count=_count_of(programs.through),
    ).order_by(models.F("retired_at").asc(nulls_first=True), Lower("name"), "pk")


# Between a tag's name and its colour in joined_tags(): a control character no name contains.
_PART = "\x1e"


def joined_tags(through: type[models.Model], owner: str) -> Subquery:
    """The tags of the outer query's record, name and colour, in one string of its own row
    (core.aggregates.JoinedNames): the page reads them without a query of their own. `through`
    is the many-to-many table (Tag.organizations.through, Program.tags.through), `owner` its
    column for the record ("organization_id")."""
    return Subquery(
        through.objects.filter(**{owner: OuterRef("pk")})  # type: ignore[attr-defined]
        .order_by()
        .values(owner)
        .annotate(joined=JoinedNames(Concat("tag__name", Value(_PART), "tag__colour")))
        .values("joined")
    )


def tags_from_joined(joined: str | None) -> list[Tag]:
    """The tags of a joined_tags() value, by name, as unsaved Tags (name and colour)."""
    tags = []
    for part in split_names(joined):
        name, _, colour = part.rpartition(_PART)
        tags.append(Tag(name=name, colour=colour))
    return tags


def tag_badges(tags: Iterable[Tag]) -> SafeString:
    """Tags as coloured badges: one home for their markup (pages and list rows)."""
    return format_html_join(
        " ", '<span class="badge tag tag-{}">{}</span>', ((tag.colour, tag.name) for tag in tags)
    )
