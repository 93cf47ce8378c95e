"""Forms of partner progress updates: the subscription, and the owner's edit of a draft."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from core.forms import StaffChoiceField, form_field
from core.http import record_number
from partners.models import LONG_TEXT, Contact
from updates.models import ProgressSubscription
from updates.selectors import unavailable_reason


class RecipientCheckboxes(forms.CheckboxSelectMultiple):
    """One checkbox per person; those who cannot receive updates are shown, but disabled."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        contact = getattr(value, "instance", None)
        if contact is not None and unavailable_reason(contact):
            option["attrs"]["disabled"] = True
            option["selected"] = False
            option["attrs"].pop("checked", None)
        return option


class RecipientChoiceField(forms.ModelMultipleChoiceField):
    widget = RecipientCheckboxes

    def _check_values(self, value):
        # A primary key that fits a bigint, before the database sees it (SQLite overflows).
        for pk in value:
            if record_number(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value"
                )
        return super()._check_values(value)  # type: ignore[misc]  # private Django API

    def label_from_instance(self, obj: Contact) -> str:
        where = "; ".join(
            f"{a.title}, {a.organization.name}" if a.title else a.organization.name
            for a in getattr(obj, "subject_affiliations", [])
        )
        label = f"{obj.name} ({where})" if where else obj.name
        reason = unavailable_reason(obj)
        return f"{label} — cannot receive updates: {reason}" if reason else label


class ProgressSubscriptionForm(forms.Form):
    recipients = RecipientChoiceField(
        queryset=Contact.objects.none(),
        label="Who receives the updates",
        help_text="People currently at the partner. Those marked “do not contact”, those who "
        "unsubscribed and those without an email address cannot be chosen.",
        error_messages={
            "required": "Choose at least one person to send the updates to.",
            "invalid_choice": "One of the people chosen is not at the partner any more.",
            "invalid_pk_value": "One of the people chosen is not at the partner any more.",
        },
    )
    cadence = forms.ChoiceField(
        label="How often",
        choices=ProgressSubscription.Cadence.choices,
        widget=forms.RadioSelect,
        initial=ProgressSubscription.Cadence.QUARTERLY,
        help_text="Each update covers the month or quarter just ended, in the library's time zone.",
    )
    mode = forms.ChoiceField(
        label="Before it goes out",
        choices=ProgressSubscription.Mode.choices,
        widget=forms.RadioSelect,
        initial=ProgressSubscription.Mode.REVIEW,
    )
    owner = StaffChoiceField(
        label="Who reviews the updates",
        help_text="They find each draft on the Progress updates page. Managers can review too.",
    )
    is_active = forms.BooleanField(
        label="Active",
        required=False,
        initial=True,
        help_text="Untick to stop the updates; nothing is deleted.",
    )

    def __init__(
        self, *args: Any, candidates: QuerySet[Contact], editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "recipients", forms.ModelMultipleChoiceField).queryset = candidates
        if not editing:
            del self.fields["is_active"]

    def clean_recipients(self) -> list[Contact]:
        chosen = list(self.cleaned_data["recipients"])
        blocked = [f"{c.name}: {unavailable_reason(c)}." for c in chosen if unavailable_reason(c)]
        if blocked:
            raise ValidationError(["These people cannot receive progress updates:", *blocked])
        return chosen


class ProgressUpdateForm(forms.Form):
    subject = forms.CharField(max_length=200, label="Subject")
    message = forms.CharField(
        label="Your message",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Shown above the figures and stories, after “Dear …,”.",
    )

    def clean_subject(self) -> str:
        subject = " ".join(self.cleaned_data["subject"].split())
        if not subject:
            raise ValidationError("Give the email a subject.")
        return subject
