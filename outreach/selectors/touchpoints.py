"""Reads for the touchpoint pages: the list, its CSV export and the detail page."""

import datetime as dt
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from core.aggregates import JoinedNames
from core.prepared import (
    Prepared,
    PreparedList,
    PreparedLists,
    filter_values,
    keep_prefetched,
)
from core.sorting import SortColumn, Sorting
from outreach.models import FollowUp, Touchpoint
from partners.models import Contact, Organization, full_text_filter, search_words

# What a row of the list shows (the notes and the organization's profile stay in the tables).
LIST_FIELDS = (
    "occurred_on",
    "occurred_time",
    "created_at",
    "channel",
    "subject",
    "organization__name",
    "staff__first_name",
    "staff__last_name",
    "staff__username",
)


# Newest first within a channel or an organization, either way round; pk last for a stable order,
# so that no row is on two pages or on none.
NEWEST = ("-occurred_on", "-created_at", "-pk")
TOUCHPOINT_SORTING = Sorting(
    SortColumn("date", "Date", ("occurred_on", "created_at", "pk")),  # touchpoint_day
    SortColumn(  # touchpoint_channel_day
        "channel", "Channel", ("channel", *NEWEST), ("-channel", *NEWEST)
    ),
    SortColumn(  # the organizations' org_name_id, then each one's touchpoint_org_day
        "organization",
        "Organization",
        ("organization__name", "organization_id", *NEWEST),
        ("-organization__name", "-organization_id", *NEWEST),
    ),
    SortColumn("subject", "Subject", ("subject", "pk")),  # touchpoint_subject
    # Who: the staff member's name is in another table, so no index orders the log by it;
    # the "Staff member" filter narrows it to one person through touchpoint_staff_day.
    SortColumn("staff", "Who"),
    SortColumn("contacts", "Contacts"),  # several names: no order of their own
    default="-date",
)


def _filter_values(filters: dict[str, Any]) -> dict[str, Any]:
    """The list's filters but the search text, as values of a prepared query."""
    return filter_values(
        filters, values=("channel", "kind", "date_from", "date_to"), records=("staff",)
    )


def _touchpoints(
    sort: str,
    *,
    staff_id: int | None = None,
    channel: str | None = None,
    kind: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Touchpoint]:
    """Touchpoints narrowed by the list's filters but the search text, in the `sort` order."""
    contact_names = (
        Contact.objects.filter(touchpoints=OuterRef("pk"))
        .order_by()
        .values("touchpoints")
        .annotate(names=JoinedNames("name"))
        .values("names")
    )
    qs = (
        Touchpoint.objects.select_related("organization", "staff")
        .only(*LIST_FIELDS)
        .annotate(contact_names=Subquery(contact_names))
    )
    if staff_id is not None:
        qs = qs.filter(staff_id=staff_id)
    if channel is not None:
        qs = qs.filter(channel=channel)
    if kind is not None:
        qs = qs.filter(organization__kind=kind)
    if date_from is not None:
        qs = qs.filter(occurred_on__gte=date_from)
    if date_to is not None:
        qs = qs.filter(occurred_on__lte=date_to)
    return qs.order_by(*TOUCHPOINT_SORTING.order_by(sort))


# The list page's rows in each of its orders, and their ids for its count: compiled once per
# process for each set of filters in use (core.prepared).
_LIST = PreparedLists(_touchpoints)


def touchpoint_page_list(filters: dict[str, Any]) -> "QuerySet[Touchpoint] | PreparedList":
    """What the list page pages through: touchpoint_list's rows, read through prepared queries
    unless the list is searched by text (whose words are not values a query can be compiled
    with)."""
    if (filters.get("q") or "").strip():
        return touchpoint_list(filters)
    sort = TOUCHPOINT_SORTING.chosen(filters.get("sort"))
    return _LIST.of(sort, **_filter_values(filters))


def touchpoint_list(filters: dict[str, Any]) -> QuerySet[Touchpoint]:
    """Touchpoints across all partners, newest first or as sorted, from the filter form's
    cleaned data.

    The list page (touchpoint_page_list) and the CSV export both read this, so the export holds
    exactly the rows the list shows. Organization, staff member and the contacts' names
    (`contact_names`, for core.aggregates.split_names) come in the one query.
    """
    qs = _touchpoints(filters.get("sort") or "", **_filter_values(filters))
    text = (filters.get("q") or "").strip()
    if text:
        by_subject = Q(subject__icontains=text)
        if search_words(text):
            # Organization names through their GIN index, as a subquery (see
            # OrganizationQuerySet.search for why not a per-row test).
            by_name = Organization.objects.filter(full_text_filter("name", text)).values("pk")
            qs = qs.filter(by_subject | Q(organization__in=by_name))
        else:
            qs = qs.filter(by_subject)
    return qs


def touchpoint_detail(pk: int) -> Touchpoint:
    """One touchpoint with its contacts (by name), other partners (by name), meeting and
    follow-ups (soonest first), in four queries."""
    touchpoint = _TOUCHPOINT_PAGE.one(pk=pk)
    keep_prefetched(touchpoint, "contacts", _PEOPLE_AT.objects(touchpoint_id=pk))
    keep_prefetched(touchpoint, "other_organizations", _OTHER_PARTNERS.objects(touchpoint_id=pk))
    keep_prefetched(touchpoint, "followups", _FOLLOWUPS_FROM.objects(touchpoint_id=pk))
    return touchpoint


# Compiled once per process (core.prepared): every touchpoint's page reads them.
_TOUCHPOINT_PAGE = Prepared(
    lambda pk: Touchpoint.objects.select_related("organization", "staff", "meeting").filter(pk=pk)
)
_PEOPLE_AT = Prepared(lambda touchpoint_id: Contact.objects.filter(touchpoints=touchpoint_id))
_OTHER_PARTNERS = Prepared(
    lambda touchpoint_id: Organization.objects.filter(joint_touchpoints=touchpoint_id).order_by(
        "name", "pk"
    )
)
_FOLLOWUPS_FROM = Prepared(
    lambda touchpoint_id: (
        FollowUp.objects.filter(touchpoint_id=touchpoint_id)
        .select_related("assignee")
        .order_by("due_on", "pk")
    )
)
