"""The lists a view can be saved from: where each one is, how its filters read in words, and
how many records they hold now (the dashboard's pinned views)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.http import QueryDict
from django.utils.http import urlencode

from core.forms import FilterForm
from core.templatetags.liaison import fixed_url
from outreach.forms.touchpoint_filters import TouchpointFilterForm
from outreach.selectors.followups import followup_page_list, followups_asked
from outreach.selectors.touchpoints import touchpoint_list
from partners.forms import BoardFilterForm, ContactFilterForm, OrganizationFilterForm
from partners.selectors import board_counts, contact_list, organization_list
from saved_views.models import SavedView

# Parts of a list's address that are no filter: where the list was paged to, htmx's own.
NOT_FILTERS = frozenset({"page", "sort"})


@dataclass(frozen=True)
class SavedList:
    url_name: str
    form: type[FilterForm] | None  # None: the follow-ups, filtered by who and which partner
    count: Callable[[QueryDict, User], int]

    def url(self, query: str) -> str:
        path = fixed_url(self.url_name)  # reversed once per process
        return f"{path}?{query}" if query else path


def _filtered(form: type[FilterForm], query: QueryDict) -> dict[str, Any]:
    return form(query).filters()


# The follow-up list's own filters (outreach.views.followups.followup_list reads them).
FOLLOWUP_FILTERS = ("assignee", "organization")


def _followups(query: QueryDict, user: User) -> Any:
    """As the follow-up list reads its address (outreach.selectors.followups.followups_asked)."""
    return followup_page_list(*followups_asked(query, user))


LISTS: dict[str, SavedList] = {
    SavedView.List.ORGANIZATIONS: SavedList(
        "partners:organization_list",
        OrganizationFilterForm,
        lambda q, _: organization_list(_filtered(OrganizationFilterForm, q)).count(),
    ),
    SavedView.List.CONTACTS: SavedList(
        "partners:contact_list",
        ContactFilterForm,
        lambda q, _: contact_list(_filtered(ContactFilterForm, q)).count(),
    ),
    SavedView.List.TOUCHPOINTS: SavedList(
        "outreach:touchpoint_list",
        TouchpointFilterForm,
        lambda q, _: touchpoint_list(_filtered(TouchpointFilterForm, q)).count(),
    ),
    SavedView.List.FOLLOWUPS: SavedList(
        "outreach:followup_list", None, lambda q, user: _followups(q, user).count()
    ),
    SavedView.List.BOARD: SavedList(
        "partners:board",
        BoardFilterForm,
        lambda q, _: sum(board_counts(_filtered(BoardFilterForm, q)).values()),
    ),
}


def canonical(kind: str, query: str) -> str:
    """A list's address as a view keeps it and compares it: the list's own filters and order,
    each given, in a fixed order; not the page, nor the stage a phone shows of the board."""
    spec = LISTS[kind]
    names = FOLLOWUP_FILTERS if spec.form is None else (*spec.form.base_fields, "sort")
    data = QueryDict(query)
    kept = [(name, value) for name in sorted(set(names)) for value in data.getlist(name) if value]
    return urlencode(kept)


def holds(kind: str, query: str) -> bool:
    """Whether every filter of the view still applies (a tag, a focus area, a staff member it
    names may be gone since): if not, its count would be of a wider list."""
    form = LISTS[kind].form
    return form is None or form(QueryDict(query)).is_valid()


def filters_in_words(kind: str, query: str) -> list[str]:
    """The view's filters as the list's form names them ("Kind: Health organization"); one
    that no longer applies says so."""
    spec = LISTS[kind]
    data = QueryDict(query)
    if spec.form is None:
        said = []
        if data.get("assignee") == "all":
            said.append("Everyone's")
        elif data.get("assignee"):
            said.append("Someone else's")
        if data.get("organization"):
            said.append("One partner's")
        return said
    form = spec.form(data)
    form.is_valid()
    words = []
    for name, field in form.fields.items():
        if name in NOT_FILTERS or not str(data.get(name) or "").strip():
            continue
        label = str(field.label or name.replace("_", " ").capitalize())
        if name in form.errors:
            words.append(f"{label}: no longer exists")
            continue
        value = form.cleaned_data.get(name)
        if isinstance(field, forms.ModelChoiceField):
            value = field.label_from_instance(value)
        elif isinstance(field, forms.ChoiceField):
            value = dict(field.choices).get(value, value)  # type: ignore[arg-type]
        words.append(f"{label}: {value}")
    return words
