"""The outreach history of one person, for their contact page."""

from django.db import models
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from outreach.models import Meeting, Touchpoint
from partners.models import Contact


def touchpoints_with(contact: Contact) -> QuerySet[Touchpoint]:
    return (
        Touchpoint.objects.filter(contacts=contact)
        .select_related("organization", "staff")
        .order_by("-occurred_on", "-created_at", "-pk")
    )


def meetings_with(contact: Contact) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(contacts=contact)
        .select_related("organization")
        .order_by("-starts_at", "-pk")
    )


def _links_of(through: type[models.Model], contact: OuterRef) -> Coalesce:
    counted = (
        through._default_manager.filter(contact_id=contact)
        .order_by()
        .values("contact_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0, output_field=IntegerField())


def outreach_counts(contact: Contact) -> tuple[int, int]:
    """How many touchpoints and meetings the contact was at: one query for both."""
    row = (
        Contact.objects.filter(pk=contact.pk)
        .annotate(
            touchpoint_count=_links_of(Touchpoint.contacts.through, OuterRef("pk")),
            meeting_count=_links_of(Meeting.contacts.through, OuterRef("pk")),
        )
        .values_list("touchpoint_count", "meeting_count")
        .get()
    )
    return row[0], row[1]
