"""The outreach history of one person, for their contact page."""

from django.db.models import QuerySet

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
