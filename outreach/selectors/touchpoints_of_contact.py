"""The outreach history of one person, for their contact page."""

from typing import Any

from django.db import models
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.prepared import Prepared, PreparedList, PreparedLists
from outreach.models import Meeting, Touchpoint
from partners.models import Contact


def touchpoints_with(contact: Contact) -> PreparedList:
    """The touchpoints the person was at, newest first, a page at a time (core.http.paginate)."""
    return _TOUCHPOINTS.of(contact_id=contact.pk)


def meetings_with(contact: Contact) -> PreparedList:
    """The meetings the person was at, latest first, a page at a time (core.http.paginate)."""
    return _MEETINGS.of(contact_id=contact.pk)


# Compiled once per process (core.prepared): every person's page reads them.
_TOUCHPOINTS = PreparedLists(
    lambda contact_id: (
        Touchpoint.objects.filter(contacts=contact_id)
        .select_related("organization", "staff")
        .order_by("-occurred_on", "-created_at", "-pk")
    )
)
_MEETINGS = PreparedLists(
    lambda contact_id: (
        Meeting.objects.filter(contacts=contact_id)
        .select_related("organization")
        .order_by("-starts_at", "-pk")
    )
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
    row = _COUNTS.rows(limit=None, pk=contact.pk)[0]
    return row[0], row[1]


def _counts(pk: int) -> QuerySet[Any, tuple[int, int]]:
    return (
        Contact.objects.filter(pk=pk)
        .annotate(
            touchpoint_count=_links_of(Touchpoint.contacts.through, OuterRef("pk")),
            meeting_count=_links_of(Meeting.contacts.through, OuterRef("pk")),
        )
        .values_list("touchpoint_count", "meeting_count")
    )


# Compiled once per process (core.prepared): every person's page reads it.
_COUNTS = Prepared(_counts)
