"""The forms for writing email: a template, an email to one person, a group email."""

import uuid
from typing import Any

from django import forms

from compose.merge import unknown_fields_check
from compose.models import EmailTemplate
from core.conflicts import VersionedForm
from partners.models import Contact, Organization

SUBJECT_HELP = "Merge fields such as {first_name} or {organization} work here too."


def _merge_checked(value: str) -> str:
    unknown_fields_check(value)
    return value


class EmailTemplateForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = EmailTemplate
        fields = ["name", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "name": "What librarians choose it by, e.g. “Invitation to an event”.",
            "subject": SUBJECT_HELP,
        }

    def clean_subject(self) -> str:
        return _merge_checked(self.cleaned_data["subject"])

    def clean_body(self) -> str:
        return _merge_checked(self.cleaned_data["body"])


class _Writing(forms.Form):
    """Subject and body, with the key that makes posting the form twice send once."""

    key = forms.UUIDField(widget=forms.HiddenInput)
    subject = forms.CharField(max_length=200, help_text=SUBJECT_HELP)
    body = forms.CharField(
        label="Message", max_length=10_000, widget=forms.Textarea(attrs={"rows": 12})
    )

    def __init__(self, *args: Any, template: EmailTemplate | None = None, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("key", uuid.uuid4())
        if template is not None:
            initial.setdefault("subject", template.subject)
            initial.setdefault("body", template.body)
        super().__init__(*args, **kwargs)

    def clean_subject(self) -> str:
        return _merge_checked(self.cleaned_data["subject"])

    def clean_body(self) -> str:
        return _merge_checked(self.cleaned_data["body"])


class PersonalEmailForm(_Writing):
    """To one contact, or to some of an organization's people; logged on one organization."""

    recipients = forms.ModelMultipleChoiceField(
        label="To",
        queryset=Contact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose who it goes to."},
    )
    organization = forms.ModelChoiceField(
        label="Log it on",
        queryset=Organization.objects.none(),
        empty_label=None,
        help_text="The email becomes a touchpoint on this organization’s timeline.",
    )

    field_order = ["recipients", "organization", "subject", "body", "key"]

    def __init__(
        self,
        *args: Any,
        people: list[Contact],
        organizations: list[Organization],
        ticked: tuple[int, ...] | list[int] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        recipients = self.fields["recipients"]
        assert isinstance(recipients, forms.ModelMultipleChoiceField)
        recipients.queryset = Contact.objects.filter(pk__in=[c.pk for c in people])
        recipients.choices = [(c.pk, f"{c.name} <{c.email}>") for c in people]
        if not self.is_bound:
            self.initial["recipients"] = list(ticked)
        place = self.fields["organization"]
        assert isinstance(place, forms.ModelChoiceField)
        place.queryset = Organization.objects.filter(pk__in=[o.pk for o in organizations])
        place.choices = [(o.pk, o.name) for o in organizations]
        if len(organizations) == 1:
            place.widget = forms.HiddenInput()
            self.initial["organization"] = organizations[0].pk


class GroupEmailForm(_Writing):
    """A group email; the list it goes to is the page's query string (compose.audiences)."""

    template = forms.ModelChoiceField(
        queryset=EmailTemplate.objects.all(), widget=forms.HiddenInput, required=False
    )


class TemplateChoiceForm(forms.Form):
    """ "Start from a template": a GET form above the email, reloading it filled in."""

    template = forms.ModelChoiceField(
        label="Start from a template",
        queryset=EmailTemplate.objects.current(),
        empty_label="No template",
        required=False,
    )

    def chosen(self) -> EmailTemplate | None:
        if not self.is_valid():
            return None
        return self.cleaned_data.get("template")
