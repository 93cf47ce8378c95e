"""Choosing an organization by typing its name, on any page that needs one.

Never a list of every organization (there can be ten thousand): a text box. With JavaScript it
is a combobox (static/js/organization_picker.js) that suggests organizations as the name is
typed (partners.new_views.organization_suggestions) and puts the chosen one's number in a hidden
field. Without JavaScript the server finds the organization from the name alone: the exact name
(case, accents and punctuation aside), or "Name (#12)" for a name used twice; when that fails,
the error says why and offers the organizations meant, to tick.
"""

import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from core.http import record_number
from partners import selectors
from partners.models import Contact, Organization
from partners.names import normalize_name

# "#12" or "Riverside Clinic (#12)": an organization by its number, for names used twice.
BY_NUMBER_RE = re.compile(r"(?:(?P<name>.*?)\s*\(\s*)?#(?P<pk>[1-9]\d{0,17})\s*\)?")
NAME_MAX_LENGTH = 300


class OrganizationNotFound(ValidationError):
    """No single organization goes by that name; `candidates` are those that may be meant."""

    def __init__(self, message: str, candidates: Iterable[Organization] = ()) -> None:
        super().__init__(message)
        self.candidates = list(candidates)


def organization_label(organization: Organization) -> str:
    """How an organization is written when its name alone is not enough: name and number."""
    return f"{organization.name} (#{organization.pk})"


def _or_list(names: list[str]) -> str:
    quoted = [f"“{name}”" for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _archived(organization: Organization) -> ValidationError:
    return ValidationError(
        f"“{organization.name}” is archived. Restore it from its page first, or choose "
        "another organization."
    )


def _by_number(match: re.Match[str], *, include_archived: bool) -> Organization:
    organization = Organization.objects.filter(pk=int(match["pk"])).first()
    if organization is None:
        raise OrganizationNotFound(f"There is no organization #{match['pk']}.")
    name = match["name"] or ""
    if name and normalize_name(name) != organization.normalized_name:
        # A mistyped number would otherwise quietly choose the wrong organization.
        raise OrganizationNotFound(
            f"#{organization.pk} is “{organization.name}”, not “{name}”: check the number."
        )
    if organization.is_archived and not include_archived:
        raise _archived(organization)
    return organization


def find_organization(
    text: str, *, current: Organization | None = None, include_archived: bool = True
) -> Organization:
    """The organization a librarian typed: by number, or by its exact name (case, accents and
    punctuation aside). Not found or ambiguous: an error that says what to type instead."""
    match = BY_NUMBER_RE.fullmatch(text)
    if match:
        return _by_number(match, include_archived=include_archived)
    key = normalize_name(text)
    if not key:
        raise OrganizationNotFound("Enter the organization's name.")
    if current is not None and normalize_name(current.name) == key:
        # The organization already chosen: no ambiguity to resolve.
        return current
    named = list(Organization.objects.filter(normalized_name=key).order_by("is_archived", "pk")[:6])
    if not include_archived:
        if named and all(o.is_archived for o in named):
            raise _archived(named[0])
        named = [o for o in named if not o.is_archived]
    if len(named) == 1:
        return named[0]
    if named:
        raise OrganizationNotFound(
            f"Several organizations are called “{text}”: type the one you mean with its number, "
            f"{_or_list([organization_label(o) for o in named])}.",
            named,
        )
    close = selectors.organization_suggestions(text, limit=5, include_archived=include_archived)
    if close:
        raise OrganizationNotFound(
            f"No organization is called “{text}”. Did you mean "
            f"{_or_list([o.name for o in close])}? Type the full name.",
            close,
        )
    raise OrganizationNotFound(
        f"No organization is called “{text}”. Check the spelling, or add the organization "
        "first under Organizations."
    )


def _by_pk(value: object) -> Organization | None:
    number = record_number(value)
    return Organization.objects.filter(pk=number).first() if number else None


class OrganizationPickerForm(forms.Form):
    """The organization a new touchpoint, meeting, follow-up or contact belongs to.

    What is posted, in the order it counts: an organization ticked among those an error offered
    (`organization_choice`), the suggestion chosen in the combobox (`organization`, used only
    while the box still shows its name), and the name typed. After is_valid(), `found` is the
    organization found, or None with the reason on the name field.
    """

    organization_name = forms.CharField(
        label="Organization",
        max_length=NAME_MAX_LENGTH,
        required=False,
        help_text="Type part of its name, then choose it from the list.",
    )
    # Numbers, checked by _by_pk: anything else posted there (tampered) is as good as nothing.
    organization = forms.CharField(required=False, widget=forms.HiddenInput)
    organization_choice = forms.CharField(required=False)

    def __init__(
        self,
        *args: Any,
        organization: Organization | None = None,
        allow_none: bool = False,
        **kwargs: Any,
    ):
        """`allow_none`: the box may be left empty (found: None), as for a contact at no
        organization."""
        super().__init__(*args, **kwargs)
        self.found: Organization | None = None if self.is_bound else organization
        self.candidates: list[Organization] = []
        self.allow_none = allow_none

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        if self.errors:
            return cleaned
        text = " ".join(cleaned["organization_name"].split())
        if self.allow_none and not text and not cleaned["organization_choice"]:
            return cleaned
        try:
            self.found = self._chosen(text, cleaned) or find_organization(
                text, include_archived=False
            )
        except OrganizationNotFound as error:
            self.candidates = error.candidates
            self.add_error("organization_name", error)
        except ValidationError as error:
            self.add_error("organization_name", error)
        return cleaned

    def _chosen(self, text: str, cleaned: dict[str, Any]) -> Organization | None:
        """The organization ticked, or the suggestion chosen (if the box still shows it)."""
        ticked = _by_pk(cleaned["organization_choice"])
        suggested = None if ticked else _by_pk(cleaned["organization"])
        if suggested is not None and suggested.normalized_name != normalize_name(text):
            suggested = None  # the name was changed after choosing: the name counts
        chosen = ticked or suggested
        if chosen is not None and chosen.is_archived:
            raise _archived(chosen)
        if chosen is None and not text:
            raise ValidationError("Type the organization's name and choose it from the list.")
        return chosen

    def chosen(self) -> Organization | None:
        """The organization found (validating the form first), or None."""
        return self.found if self.is_valid() else None

    def shown_name(self) -> str:
        """What the box shows: the organization found, or else what was typed."""
        if self.found is not None:
            return self.found.name
        return str(self["organization_name"].value() or "")

    def shown_pk(self) -> str:
        return str(self.found.pk) if self.found is not None else ""


def picked_organization(params: QueryDict) -> Organization | None:
    """The organization whose number is in ?organization= (not archived), or None."""
    organization = _by_pk(params.get("organization"))
    return organization if organization is not None and not organization.is_archived else None


class Start(NamedTuple):
    """Where a New page was opened from: ?organization= and ?contact= (a contact's page)."""

    organization: Organization | None
    contact: Contact | None
    # The contact's current organizations when they are at several: one is to be chosen.
    choices: list[Organization]


def contact_in(params: QueryDict) -> Contact | None:
    """The contact whose number is in ?contact= (the page was opened from theirs), or None."""
    number = record_number(params.get("contact"))
    return Contact.objects.filter(pk=number).first() if number else None


def start_from(params: QueryDict) -> Start:
    organization = picked_organization(params)
    contact = contact_in(params)
    choices = []
    if contact is not None and organization is None:
        choices = selectors.current_organizations_of(contact)
    if organization is None and len(choices) == 1:
        organization = choices[0]
    return Start(organization, contact, choices if organization is None else [])
