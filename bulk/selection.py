"""Which records a bulk action is about: rows ticked on a list, or all that match its filter.

The list's form sends `records` (organizations, contacts or followups), either `ids` (the
ticked rows) or `all=1`, and `filter`: the list's own query string. "All matching" is the
list's filter applied again, by the list's own selector, each time the selection is read (the
confirmation page counts it afresh, and so does the confirmation itself).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.http import QueryDict
from django.urls import reverse

from bulk.models import BulkAction
from core.http import record_number
from outreach.selectors.followups import followups_asked, open_followups
from partners.forms import ContactFilterForm, OrganizationFilterForm
from partners.selectors import contact_list, organization_list

Records = BulkAction.Records

# Ticked rows come a page at a time; more than this is no list's doing.
MAX_IDS = 1000
LIST_URLS = {
    Records.ORGANIZATIONS: "partners:organization_list",
    Records.CONTACTS: "partners:contact_list",
    Records.FOLLOWUPS: "outreach:followup_list",
}
NOUNS = {
    Records.ORGANIZATIONS: ("organization", "organizations"),
    Records.CONTACTS: ("contact", "contacts"),
    Records.FOLLOWUPS: ("follow-up", "follow-ups"),
}


class SelectionError(Exception):
    """The request names no records that could be changed; the message says what to do."""


def counted(count: int, records: str) -> str:
    """“1 organization”, “80 organizations”."""
    singular, plural = NOUNS[Records(records)]
    return f"{count:,} {singular if count == 1 else plural}"


@dataclass(frozen=True)
class Selection:
    records: str
    ids: tuple[int, ...] | None  # None: all that match `filter`
    filter: str  # the list's query string

    @property
    def list_url(self) -> str:
        url = reverse(LIST_URLS[Records(self.records)])
        return f"{url}?{self.filter}" if self.filter else url

    def hidden_fields(self) -> list[tuple[str, str]]:
        """The selection as the bulk pages pass it on: hidden fields, or a link's query."""
        fields = [("records", self.records), ("filter", self.filter)]
        if self.ids is None:
            return [*fields, ("all", "1")]
        return fields + [("ids", str(pk)) for pk in self.ids]

    def as_query(self) -> str:
        return urlencode(self.hidden_fields())

    def record_ids(self, user: User) -> list[int]:
        """The primary keys selected: the ticked ones, or those the filter finds now."""
        if self.ids is not None:
            return list(self.ids)
        return list(_matching(self.records, QueryDict(self.filter), user))


def _matching(records: str, params: QueryDict, user: User) -> "list[int]":
    if records == Records.ORGANIZATIONS:
        filters = OrganizationFilterForm(params).filters()
        return list(organization_list(filters).values_list("pk", flat=True))
    if records == Records.CONTACTS:
        filters = ContactFilterForm(params).filters()
        return list(contact_list(filters).values_list("pk", flat=True))
    assignee, organization = followups_asked(params, user)
    followups = open_followups()
    if assignee is not None:
        followups = followups.filter(assignee=assignee)
    if organization is not None:
        followups = followups.filter(organization=organization)
    return list(followups.values_list("pk", flat=True))


def filter_of(params: QueryDict) -> str:
    """The list's filters as sent, read and written again: whatever was sent, only a query
    string goes on (into links, a redirect's Location, the record kept)."""
    return QueryDict(params.get("filter", "")[:2000]).urlencode()


def selection_from(params: QueryDict) -> Selection:
    """The selection the list's form (or a bulk page's hidden fields) sends; SelectionError
    with what to do when it names none, or cannot be read (a tampered address)."""
    records = params.get("records", "")
    if records not in Records.values:
        raise SelectionError("Choose the records to change on their list first.")
    filter_query = filter_of(params)
    if params.get("all") == "1":
        return Selection(records, None, filter_query)
    raw = params.getlist("ids")
    if not raw:
        noun = NOUNS[Records(records)][0]
        raise SelectionError(f"Select at least one {noun} first, or all that match the filter.")
    numbers = [record_number(value) for value in raw[: MAX_IDS + 1]]
    if len(raw) > MAX_IDS or any(number is None for number in numbers):
        raise SelectionError("That selection could not be read: select the rows again.")
    return Selection(
        records, tuple(dict.fromkeys(n for n in numbers if n is not None)), filter_query
    )
