"""The agreement form, and the list's filters."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from agreements.models import Agreement
from agreements.selectors import ENDING_WITHIN
from core.conflicts import VersionedForm
from core.forms import StaffChoiceField, filters_that_hold
from partners.models import Organization
from partners.organization_picker import OrganizationNotFound, find_organization
from programs.models import Program

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
MAX_PARTNERS = 20


class AgreementForm(VersionedForm, forms.ModelForm):
    """An agreement. Its partners are typed one per line (a name, or “Name (#12)” for a name
    two organizations share), never chosen from a list of every organization; the program is
    one its partners take part in."""

    partners = forms.CharField(
        label="Partner organizations",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line, as Liaison names them.",
    )
    owner = StaffChoiceField(label="Owner", required=False, empty_label="Me")
    conflict_exclude = ("partners",)

    class Meta:
        model = Agreement
        fields = [
            "kind",
            "title",
            "status",
            "program",
            "signed_on",
            "starts_on",
            "ends_on",
            "renewal_notice_days",
            "owner",
            "library_signatory",
            "partner_signatory",
            "obligations",
        ]
        widgets = {
            "signed_on": DATE,
            "starts_on": DATE,
            "ends_on": DATE,
            "obligations": forms.Textarea(attrs={"rows": 4}),
        }

    field_order = ["kind", "title", "partners", "status", "program"]

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partners"].initial = "\n".join(o.name for o in organizations)
        program = self.fields["program"]
        assert isinstance(program, forms.ModelChoiceField)
        current = self.instance.program_id or self.initial.get("program")
        program.queryset = (
            Program.objects.filter(Q(partners__in=[o.pk for o in organizations]) | Q(pk=current))
            .distinct()
            .order_by("title")
            if organizations or current
            else Program.objects.none()
        )
        program.empty_label = "None"

    def clean_partners(self) -> list[Organization]:
        lines = [line.strip() for line in self.cleaned_data["partners"].splitlines()]
        found: list[Organization] = []
        problems = []
        for line in filter(None, lines):
            try:
                organization = find_organization(line)
            except OrganizationNotFound as error:
                problems.extend(error.messages)
                continue
            if organization not in found:
                found.append(organization)
        if problems:
            raise ValidationError(problems)
        if not found:
            raise ValidationError("Name at least one partner organization.")
        if len(found) > MAX_PARTNERS:
            raise ValidationError(f"An agreement names at most {MAX_PARTNERS} partners.")
        return found


class AgreementFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Any kind"), *Agreement.Kind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *Agreement.Status.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    ending = forms.TypedChoiceField(
        label="Ending within",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any time"), *((str(d), f"{d} days") for d in ENDING_WITHIN)],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    organization = forms.ModelChoiceField(
        required=False, queryset=Organization.objects.all(), widget=forms.HiddenInput
    )
    program = forms.ModelChoiceField(
        required=False, queryset=Program.objects.all(), widget=forms.HiddenInput
    )

    def filters(self) -> dict[str, Any]:
        return filters_that_hold(self)
