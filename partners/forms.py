"""Forms validate; the services in partners/services.py write."""

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.conflicts import VersionedForm
from core.forms import (
    FastSelect,
    FilterForm,
    OneQueryModelChoiceField,
    StaffChoiceField,
    clean_display_name,
    form_field,
)
from core.prepared import Prepared
from partners.models import (
    LONG_TEXT,
    ORGANIZATION_PROFILE_FIELDS,
    Affiliation,
    Cadence,
    Contact,
    FocusArea,
    Health,
    Organization,
    Stage,
)
from partners.selectors import CONTACT_SORTING, NO_ORGANIZATION, ORGANIZATION_SORTS
from partners.services import normalize_email
from partners.tags import Tag

# Compiled once per process (core.prepared): the list and board filters offer them.
FOCUS_AREAS = Prepared(lambda: FocusArea.objects.all())
# Every tag, retired ones too (records keep them), for the lists' filters.
TAGS = Prepared(lambda: Tag.objects.all())


def tag_filter_field() -> OneQueryModelChoiceField:
    """A list's "Tag" filter (organizations, contacts, programs)."""
    return OneQueryModelChoiceField(
        queryset=Tag.objects.all(),
        prepared=TAGS,
        required=False,
        empty_label="Any tag",
        widget=FastSelect,
    )


PHONE_RE = re.compile(r"^[0-9+().\-\s/#*]+(\s*(x|ext\.?|extension)\s*[0-9]+)?$", re.IGNORECASE)


def validate_phone(value: str) -> None:
    """Loose check: phone numbers are kept as typed, but must look like a phone number."""
    digits = sum(c.isdigit() for c in value)
    if not PHONE_RE.match(value) or digits < 3 or digits > 20:
        raise ValidationError(
            "Enter a phone number using digits, spaces and + ( ) - . "
            "(an extension like “x 204” is fine)."
        )


class OrganizationFilterForm(FilterForm):
    """The organization list's search, filters and sort."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    kind = forms.ChoiceField(
        choices=[("", "All kinds"), *Organization.Kind.choices], required=False, widget=FastSelect
    )
    stage = forms.ChoiceField(
        choices=[("", "All stages"), *Stage.choices], required=False, widget=FastSelect
    )
    health = forms.ChoiceField(
        label="Partnership health",
        choices=[("", "Any health"), *Health.choices],
        required=False,
        widget=FastSelect,
    )
    focus_area = OneQueryModelChoiceField(
        queryset=FocusArea.objects.all(),
        prepared=FOCUS_AREAS,
        required=False,
        empty_label="All focus areas",
        widget=FastSelect,
    )
    tag = OneQueryModelChoiceField(
        queryset=Tag.objects.all(),
        prepared=TAGS,
        required=False,
        empty_label="Any tag",
        widget=FastSelect,
    )
    owner = StaffChoiceField(required=False, empty_label="Any owner", widget=FastSelect)
    archived = forms.ChoiceField(
        label="Show",
        choices=[("active", "Current"), ("archived", "Archived"), ("all", "All")],
        required=False,
        widget=FastSelect,
    )
    sort = forms.ChoiceField(
        choices=[(key, key) for key in ORGANIZATION_SORTS],
        required=False,
        widget=forms.HiddenInput,
    )


class ContactFilterForm(FilterForm):
    """The contact list's search and filter."""

    q = forms.CharField(label="Search", required=False, max_length=200, help_text="Name or email")
    kind = forms.ChoiceField(
        label="Organization kind",
        choices=[
            ("", "All kinds of organization"),
            *Organization.Kind.choices,
            (NO_ORGANIZATION, "At no organization now"),
        ],
        required=False,
        widget=FastSelect,
    )
    tag = OneQueryModelChoiceField(
        queryset=Tag.objects.all(),
        prepared=TAGS,
        required=False,
        empty_label="Any tag",
        widget=FastSelect,
    )
    sort = CONTACT_SORTING.field()


class OrganizationForm(VersionedForm, forms.ModelForm):
    owner = StaffChoiceField(required=False, empty_label="Nobody yet")
    # A website typed without a scheme ("county.gov") becomes https://county.gov.
    website = forms.URLField(
        max_length=300,
        required=False,
        assume_scheme="https",
        help_text="For example https://health.example.gov",
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "kind",
            "government_level",
            "focus_areas",
            "owner",
            *ORGANIZATION_PROFILE_FIELDS,
            "cadence_days",
            "cadence_note",
        ]
        widgets = {
            "focus_areas": forms.CheckboxSelectMultiple,
            "address": forms.Textarea(attrs={"rows": 2}),
            "mission": forms.Textarea(attrs={"rows": 3}),
            "initiatives": forms.Textarea(attrs={"rows": 3}),
            "services": forms.Textarea(attrs={"rows": 3}),
            "populations_served": forms.Textarea(attrs={"rows": 2}),
            "common_ground": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"name": "Organization name"}

    def __init__(self, *args: Any, can_reassign: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].validators.append(validate_phone)
        cadence = self.fields["cadence_days"]
        assert isinstance(cadence, forms.TypedChoiceField)
        cadence.choices = [("", "The default for its stage"), *Cadence.choices]
        self.fields["cadence_note"].label = "How it was agreed"
        # Focus areas still offered, and those the organization has even if retired since.
        kept = self.instance.focus_areas.values_list("pk", flat=True) if self.instance.pk else []
        areas = self.fields["focus_areas"]
        assert isinstance(areas, forms.ModelMultipleChoiceField)
        areas.queryset = FocusArea.objects.offered(keeping=kept)
        if not can_reassign:
            # Only managers and admins give a partnership to someone else.
            self.fields["owner"].disabled = True
            self.fields[
                "owner"
            ].help_text = "Only a manager can give this partnership to someone else."

    def clean_name(self) -> str:
        return clean_display_name(self.cleaned_data["name"], what="the organization's name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        # A level chosen before the kind was changed away from "government" is dropped quietly.
        if cleaned.get("kind") != Organization.Kind.GOVERNMENT:
            cleaned["government_level"] = ""
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("focus_areas", None)
        data.pop("stage", None)
        data.pop("note", None)
        data.pop("confirm_duplicate", None)
        return data


class OrganizationCreateForm(OrganizationForm):
    stage = forms.ChoiceField(choices=Stage.choices, initial=Stage.IDENTIFIED)
    confirm_duplicate = forms.BooleanField(
        label="Yes, this is a different organization: create it anyway", required=False
    )

    class Meta(OrganizationForm.Meta):
        fields = [*OrganizationForm.Meta.fields[:5], "stage", *OrganizationForm.Meta.fields[5:]]


class StageChangeForm(forms.Form):
    to_stage = forms.ChoiceField(label="New stage", choices=Stage.choices)
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the stage changed: it stays in the stage history.",
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["to_stage"].initial = organization.stage

    def clean_to_stage(self) -> str:
        to_stage = self.cleaned_data["to_stage"]
        if to_stage == self.organization.stage:
            raise ValidationError(
                f"{self.organization} is already at “{self.organization.get_stage_display()}”."
            )
        return to_stage


class ContactForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "email", "phone", "preferred_channel", "notes", "do_not_contact"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    # Not a model field of the form: the service sets it together with the date of the opt-out.
    opted_out_of_updates = forms.BooleanField(
        label="Opted out of updates",
        required=False,
        help_text="Does not want progress updates or group email (an email written to them "
        "alone still goes). The date is recorded.",
    )

    # Flags that change elsewhere while the form is open: the contact's unsubscribe link, a
    # colleague, an import. Each carries the value shown when the form was opened
    # (show_hidden_initial), and is saved only if the person editing changed it in this form:
    # a stale form never undoes an unsubscribe or a "do not contact".
    CONSENT_FLAGS = ("do_not_contact", "opted_out_of_updates")
    # So a flag set meanwhile elsewhere is kept without asking: no edit conflict (core.conflicts).
    conflict_exclude = CONSENT_FLAGS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opted_out_of_updates"].initial = self.instance.opted_out_of_updates
        for name in self.CONSENT_FLAGS:
            self.fields[name].show_hidden_initial = True
        if self.instance.opted_out_of_updates and self.instance.opted_out_at:
            # Undone only by "Subscribe again" on the contact's page, with a reason.
            opted_out = self.fields["opted_out_of_updates"]
            opted_out.disabled = True
            since = timezone.localtime(self.instance.opted_out_at)
            opted_out.help_text = (
                f"Opted out since {since:%b %-d, %Y}. To start the updates again, use "
                "“Subscribe again to progress updates” on the contact's page."
            )
        self.fields["phone"].validators.append(validate_phone)

    def clean_name(self) -> str:
        return clean_display_name(self.cleaned_data["name"], what="the person's name")

    def clean_email(self) -> str:
        email = normalize_email(self.cleaned_data["email"])
        if email:
            clash = Contact.objects.filter(email=email).exclude(pk=self.instance.pk).first()
            if clash is not None:
                raise ValidationError(
                    f"{clash.name} already has this email. "
                    "Add them to this organization with “Add an existing contact” instead."
                )
        return email

    def service_fields(self) -> dict[str, Any]:
        """The fields for the service: the consent flags only where this form changed them."""
        fields = {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name not in self.CONSENT_FLAGS
        }
        for name in self.CONSENT_FLAGS:
            if name in self.changed_data:
                fields[name] = self.cleaned_data[name]
        return fields


class ResubscribeForm(forms.Form):
    """Start progress updates again for a contact who opted out: the reason is kept."""

    reason = forms.CharField(
        label="Why",
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What the contact asked, and when. It stays in the contact's consent history.",
        error_messages={"required": "Say why the contact is subscribed again."},
    )


class AffiliationFieldsMixin(forms.Form):
    title = forms.CharField(
        label="Title or role",
        max_length=200,
        required=False,
        help_text="For example “Health educator” or “Board member”.",
    )
    is_primary = forms.BooleanField(label="Primary contact for this organization", required=False)
    start_date = forms.DateField(
        label="Since", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_start_date(self) -> Any:
        start = self.cleaned_data.get("start_date")
        if start and start > timezone.localdate():
            raise ValidationError("The start date cannot be in the future.")
        return start


class ContactCreateForm(ContactForm, AffiliationFieldsMixin):
    """A new contact, added together with their role at an organization: from its page, or
    typed by name (the contacts list, the New menu), where they may be at none."""

    # Shown only where the organization is typed (partners/contact_form.html with a picker).
    no_organization = forms.BooleanField(
        label="Not at any organization now",
        required=False,
        help_text="A community champion, a resident leader, an official between roles: add "
        "their organization later from their page.",
    )
    # The person first, name leading, then their role: the order the page asks in.
    field_order = [*ContactForm.Meta.fields, "opted_out_of_updates", "title", "is_primary"]

    class Meta(ContactForm.Meta):
        pass

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        if cleaned.get("no_organization"):
            for name in ("title", "is_primary", "start_date"):
                if cleaned.get(name):
                    self.add_error(
                        name,
                        "A role belongs to an organization: choose the organization, or leave "
                        "this empty.",
                    )
        return cleaned


class AffiliationForm(VersionedForm, AffiliationFieldsMixin):
    """Edit a contact's role at an organization (`record=` the affiliation)."""

    def initial_for(self, record: Affiliation) -> dict[str, Any]:
        return {
            "title": record.title,
            "is_primary": record.is_primary,
            "start_date": record.start_date,
        }


class ExistingContactAffiliationForm(AffiliationFieldsMixin):
    """Add someone already in Liaison to another organization."""

    contact = forms.ModelChoiceField(
        queryset=Contact.objects.all(),
        widget=forms.RadioSelect,
        label="Person",
        error_messages={
            "required": "Choose the person to add.",
            "invalid_choice": "That person is no longer in Liaison.",
        },
    )
    field_order = ["contact", "title", "is_primary", "start_date"]

    def __init__(
        self, *args: Any, organization: Organization, candidates: list[Contact], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        # Only the search results are offered; any contact id is accepted when posted.
        form_field(self, "contact", forms.ModelChoiceField).choices = [
            (c.pk, str(c)) for c in candidates
        ]

    def clean_contact(self) -> Contact:
        contact = self.cleaned_data["contact"]
        if Affiliation.objects.filter(
            contact=contact, organization=self.organization, end_date__isnull=True
        ).exists():
            raise ValidationError(f"{contact} is already listed at {self.organization}.")
        return contact


class AffiliationEndForm(forms.Form):
    end_date = forms.DateField(
        label="Left on",
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )

    def __init__(self, *args: Any, affiliation: Affiliation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.affiliation = affiliation

    def clean_end_date(self) -> Any:
        end = self.cleaned_data["end_date"]
        if end > timezone.localdate():
            raise ValidationError("Record the end once the person has left (not a future date).")
        start = self.affiliation.start_date
        if start and end < start:
            raise ValidationError(f"The end date cannot be before they started ({start}).")
        return end


class BoardFilterForm(FilterForm):
    """The pipeline board's filters; the stage is the board's columns, so it is not one."""

    owner = StaffChoiceField(required=False, empty_label="Any owner", widget=FastSelect)
    kind = forms.ChoiceField(
        choices=[("", "All kinds"), *Organization.Kind.choices], required=False, widget=FastSelect
    )
    focus_area = OneQueryModelChoiceField(
        queryset=FocusArea.objects.all(),
        prepared=FOCUS_AREAS,
        required=False,
        empty_label="All focus areas",
        widget=FastSelect,
    )
    government_level = forms.ChoiceField(
        choices=[("", "Any level"), *Organization.GovernmentLevel.choices],
        required=False,
        widget=FastSelect,
    )
    health = forms.ChoiceField(
        label="Partnership health",
        choices=[("", "Any health"), *Health.choices],
        required=False,
        widget=FastSelect,
    )

    def query(self) -> str:
        """The valid filters as a query string, kept in "show more" links and after a move."""
        params = {name: getattr(value, "pk", value) for name, value in self.filters().items()}
        return urlencode(params)


class BoardMoveForm(forms.Form):
    """A card moved on the board, by drag and drop or by its "Move to…" menu."""

    organization = forms.ModelChoiceField(
        queryset=Organization.objects.active(),
        widget=forms.HiddenInput,
        error_messages={
            "required": "Say which organization to move.",
            "invalid_choice": "That organization is not on the board (archived or removed).",
        },
    )
    to_stage = forms.ChoiceField(
        label="New stage",
        choices=Stage.choices,
        error_messages={
            "required": "Choose the stage to move it to.",
            "invalid_choice": "Choose one of the pipeline stages.",
        },
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=LONG_TEXT)

    def error_text(self) -> str:
        return " ".join(str(error) for errors in self.errors.values() for error in errors)


class MergeTargetForm(forms.Form):
    """The record to merge into this one, by id (from the search results or the link)."""

    other = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**63 - 1,
        error_messages={"required": "Choose the record to merge.", "invalid": "Choose again."},
    )

    def __init__(self, *args: Any, survivor_pk: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survivor_pk = survivor_pk

    def clean_other(self) -> int:
        other = self.cleaned_data["other"]
        if other == self.survivor_pk:
            raise ValidationError("A record cannot be merged with itself: choose another one.")
        return other


class MergeForm(MergeTargetForm):
    """For each field the two records differ on, whose value the survivor keeps."""

    def __init__(self, *args: Any, rows: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in rows:
            if row.differs:
                self.fields[row.name] = forms.ChoiceField(
                    label=row.label,
                    choices=[("survivor", row.survivor), ("other", row.other)],
                    widget=forms.RadioSelect,
                    initial=row.default,
                    # Not posted (a field that came to differ since the page was shown): the
                    # survivor's value is kept.
                    required=False,
                )

    def choices(self) -> dict[str, str]:
        return {
            name: value for name, value in self.cleaned_data.items() if name != "other" and value
        }
