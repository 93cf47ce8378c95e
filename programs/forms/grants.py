"""The grant application page: the grant, its deliverables and its letters of support.

The forms validate; programs.services.grants.grant_save writes all three parts at once.
"""

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from core.conflicts import VersionedForm
from core.dates import FIRST_YEAR, LAST_YEAR
from core.forms import (
    FastSelect,
    FilterForm,
    StaffChoiceField,
    clean_display_name,
    form_field,
    staff_users,
)
from core.templatetags.liaison import person
from partners.models import Organization
from programs.models import Grant, GrantDeliverable, SupportLetter
from programs.selectors.grants import GRANT_SORTING
from programs.services.grants import AWARDED_NEEDS_AMOUNT

# A grant lists a handful of each; this only guards against a tampered TOTAL_FORMS.
MAX_ROWS = 200


def _amount_field(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=help_text,
        error_messages={"min_value": "Amounts cannot be negative."},
    )


class GrantForm(VersionedForm, forms.ModelForm):
    amount_requested = _amount_field("Amount requested ($)")
    amount_awarded = _amount_field("Amount awarded ($)", "Needed once the status is Awarded.")

    class Meta:
        model = Grant
        fields = [
            "funder",
            "status",
            "amount_requested",
            "amount_awarded",
            "submission_deadline",
            "decision_expected",
        ]
        widgets = {
            "submission_deadline": forms.DateInput(attrs={"type": "date"}),
            "decision_expected": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {
            "funder": "Funder",
            "submission_deadline": "Submission deadline",
            "decision_expected": "Decision expected",
        }
        help_texts = {"funder": "The foundation, agency or program giving the grant."}

    def clean_funder(self) -> str:
        return clean_display_name(self.cleaned_data["funder"], what="the funder's name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        if (
            cleaned.get("status") == Grant.Status.AWARDED
            and cleaned.get("amount_awarded") is None
            and "amount_awarded" not in self.errors
        ):
            self.add_error("amount_awarded", AWARDED_NEEDS_AMOUNT)
        return cleaned


def _share_choices(field: forms.ModelChoiceField, choices: list[tuple[Any, str]]) -> None:
    """Render a row's select from a list read once per page, not one query per row; the
    field's queryset still decides what is valid."""
    field.choices = choices


class DeliverableForm(forms.ModelForm):
    owner = StaffChoiceField(queryset=User.objects.none(), label="Owner")

    class Meta:
        model = GrantDeliverable
        fields = ["title", "due_on", "owner"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"})}
        labels = {"title": "Deliverable", "due_on": "Due date"}

    def __init__(
        self, *args: Any, staff: list[User], default_owner: User | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "owner", forms.ModelChoiceField)
        choices = [("", "Choose a staff member"), *((user.pk, person(user)) for user in staff)]
        current = self.instance.owner if self.instance.pk else None
        if current is not None and current not in staff:
            # Someone who has since left keeps their deliverable until it is reassigned.
            field.queryset = User.objects.filter(
                Q(pk__in=staff_users().values("pk")) | Q(pk=current.pk)
            )
            choices.append((current.pk, person(current)))
        else:
            field.queryset = staff_users()
        _share_choices(field, choices)
        if current is None and default_owner is not None:
            field.initial = default_owner.pk

    def clean_due_on(self) -> dt.date:
        due = self.cleaned_data["due_on"]
        # Its follow-up goes into calendar feeds, which end an all-day event a day later.
        if not FIRST_YEAR <= due.year <= LAST_YEAR:
            raise ValidationError(f"Pick a day between {FIRST_YEAR} and {LAST_YEAR}.")
        # An overdue deliverable may stay as it is; a new or moved date is today or later.
        if "due_on" in self.changed_data and due < timezone.localdate():
            raise ValidationError("Pick today or a later day.")
        return due


class BaseDeliverableFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args: Any, default_owner: User | None = None, **kwargs: Any) -> None:
        staff = list(staff_users())
        kwargs["form_kwargs"] = {
            "staff": staff,
            "default_owner": default_owner if default_owner in staff else None,
        }
        super().__init__(*args, **kwargs)

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this deliverable"


DeliverableFormSet = forms.inlineformset_factory(
    Grant,
    GrantDeliverable,
    form=DeliverableForm,
    formset=BaseDeliverableFormSet,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
)


class SupportLetterForm(forms.ModelForm):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label="From")

    class Meta:
        model = SupportLetter
        fields = ["organization", "received_on"]
        widgets = {"received_on": forms.DateInput(attrs={"type": "date"})}
        labels = {"received_on": "Received on"}

    def __init__(self, *args: Any, partners: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "organization", forms.ModelChoiceField)
        choices = [("", "Choose a partner organization"), *((o.pk, o.name) for o in partners)]
        allowed = [o.pk for o in partners]
        current = self.instance.organization if self.instance.pk else None
        if current is not None and current not in partners:
            # A letter on file stays valid if its sender later left the program.
            allowed.append(current.pk)
            choices.append((current.pk, current.name))
        field.queryset = Organization.objects.filter(pk__in=allowed)
        _share_choices(field, choices)
        self.fields["received_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_received_on(self) -> dt.date:
        received = self.cleaned_data["received_on"]
        if received > timezone.localdate():
            raise ValidationError("A letter cannot be received in the future.")
        return received

    def validate_unique(self) -> None:
        """The formset checks one letter per organization over all rows (see clean below),
        so a row is not refused for a letter that another row is removing."""


class BaseSupportLetterFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args: Any, partners: list[Organization], **kwargs: Any) -> None:
        kwargs["form_kwargs"] = {"partners": partners}
        super().__init__(*args, **kwargs)

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this letter"

    def clean(self) -> None:
        """One letter per organization (instead of the model formset's generic message)."""
        seen: set[int] = set()
        for form in self.forms:
            if self._should_delete_form(form):  # type: ignore[attr-defined]  # private Django API
                continue
            organization = getattr(form, "cleaned_data", {}).get("organization")
            if organization is None:
                continue
            if organization.pk in seen:
                form.add_error("organization", "Already listed: one letter per organization.")
            seen.add(organization.pk)


SupportLetterFormSet = forms.inlineformset_factory(
    Grant,
    SupportLetter,
    form=SupportLetterForm,
    formset=BaseSupportLetterFormSet,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
)


class GrantFilterForm(FilterForm):
    status = forms.ChoiceField(
        choices=[("", "All statuses"), *Grant.Status.choices], required=False, widget=FastSelect
    )
    sort = GRANT_SORTING.field()
