import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.conflicts import VersionedForm
from core.dates import EARLIEST, LATEST
from core.forms import form_field
from outreach.forms.other_partners import OtherPartnersMixin, other_organizations_field
from outreach.models import Touchpoint
from partners.models import Contact, Organization


class ContactsOfOrganizationField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Contact) -> str:
        return obj.name


def contacts_of(organization: Organization | None) -> QuerySet[Contact]:
    """Everyone ever affiliated with the organization: the people a touchpoint may list."""
    if organization is None:  # not chosen yet (the New menu's page)
        return Contact.objects.none()
    return (
        Contact.objects.filter(affiliations__organization=organization).distinct().order_by("name")
    )


def attendee_contacts(organization: Organization, other_ids: list[int]) -> QuerySet[Contact]:
    """Contacts of the organization and of the other partners at the meeting or touchpoint."""
    if not other_ids:
        return contacts_of(organization)
    return (
        Contact.objects.filter(
            Q(affiliations__organization=organization) | Q(affiliations__organization__in=other_ids)
        )
        .distinct()
        .order_by("name")
    )


class TouchpointForm(OtherPartnersMixin, VersionedForm, forms.ModelForm):
    """Log (or correct) a touchpoint, with any further partners at it (a coalition meeting);
    on creation it can also promise a follow-up."""

    record_word = "touchpoint"

    FOLLOW_UP_CHOICES = [
        ("", "No follow-up"),
        ("7", "In 1 week"),
        ("14", "In 2 weeks"),
        ("30", "In 1 month"),
        ("date", "On a date…"),
    ]

    contacts = ContactsOfOrganizationField(
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Who was there",
        error_messages={
            "invalid_choice": "Someone ticked is not a contact of this organization or of the "
            "other partners at the touchpoint."
        },
    )
    other_organizations = other_organizations_field("Other partners at this touchpoint")

    class Meta:
        model = Touchpoint
        fields = [
            "occurred_on",
            "occurred_time",
            "channel",
            "subject",
            "contacts",
            "notes",
            "outcome",
            "next_step",
        ]
        widgets = {
            "occurred_on": forms.DateInput(attrs={"type": "date"}),
            "occurred_time": forms.TimeInput(attrs={"type": "time"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
            "next_step": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"occurred_time": "Time (optional)", "next_step": "Next step"}

    def __init__(
        self,
        *args: Any,
        organization: Organization | None,
        with_follow_up: bool = True,
        people: list[Contact] | None = None,
        **kwargs: Any,
    ) -> None:
        """`people`: contacts_of(organization) as the page has already loaded them (in name
        order), to offer without a query; what is posted is still checked against the query.
        `organization` is None on the New menu's page until one is chosen."""
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.other_partners_init(organization)
        contacts = form_field(self, "contacts", ContactsOfOrganizationField)
        if self.is_bound or people is None:  # what is posted is checked against the query
            contacts.queryset = (
                attendee_contacts(organization, self.other_ids)
                if organization is not None
                else Contact.objects.none()
            )
        # No organization chosen yet: nobody to tick, and ticks posted for another one ignored.
        contacts.disabled = organization is None
        if people is not None:
            contacts.choices = [
                (person.pk, contacts.label_from_instance(person)) for person in people
            ]
        if not self.instance.pk:
            self.fields["occurred_on"].initial = timezone.localdate
        if with_follow_up:
            self.fields["follow_up"] = forms.ChoiceField(
                label="Follow up", choices=self.FOLLOW_UP_CHOICES, required=False
            )
            self.fields["follow_up_on"] = forms.DateField(
                label="Follow-up date",
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                help_text="Used when you choose “On a date…”.",
            )

    def clean_occurred_on(self) -> dt.date:
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise ValidationError(
                "A touchpoint records something that happened: pick today or an earlier day. "
                "For something planned, schedule a meeting or a follow-up."
            )
        if day < EARLIEST:
            raise ValidationError(f"Pick a day after {EARLIEST:%Y}.")
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        choice = cleaned.get("follow_up")
        if choice == "date":
            day = cleaned.get("follow_up_on")
            if day is None:
                self.add_error("follow_up_on", "Pick the day to follow up.")
            elif day < timezone.localdate():
                self.add_error("follow_up_on", "Pick today or a later day.")
            elif day > LATEST:
                self.add_error("follow_up_on", f"Pick a day in {LATEST.year} or earlier.")
            else:
                cleaned["follow_up_due"] = day
        elif choice:
            cleaned["follow_up_due"] = timezone.localdate() + dt.timedelta(days=int(choice))
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["follow_up_on"] = self.cleaned_data.get("follow_up_due")
        data["other_organizations"] = self.cleaned_data.get("other_organizations", [])
        return data
