"""The agreement form, and the list's filters."""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from agreements.models import Agreement
from agreements.selectors import ENDING_WITHIN
from core.conflicts import VersionedForm
from core.forms import FastSelect, StaffChoiceField, filters_that_hold, staff_users
from core.http import record_number
from partners.models import Organization
from partners.organization_picker import (
    OrganizationNotFound,
    find_organization,
    organization_label,
)
from programs.models import Program

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
MAX_PARTNERS = 20


class AgreementForm(VersionedForm, forms.ModelForm):
    """An agreement. Its partners are typed one per line (a name, or “Name (#12)” for a name
    two organizations share), never chosen from a list of every organization; the program is
    one its partners take part in."""

    partners = forms.CharField(
        label="Partner organizations",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line, as Liaison names them (with its number, “Name (#12)”, where "
        "two share a name).",
    )
    owner = StaffChoiceField(label="Owner", required=False, empty_label="Me")

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
        self.fields["partners"].initial = "\n".join(_labels(organizations))
        if self.instance.pk and not self.is_bound:
            self.initial.setdefault("partners", self.fields["partners"].initial)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        if self.instance.owner_id:  # the owner, even if no longer on the staff list
            owner.queryset = User.objects.filter(
                Q(pk__in=staff_users().values("pk")) | Q(pk=self.instance.owner_id)
            ).order_by("first_name", "last_name", "username")
        program = self.fields["program"]
        assert isinstance(program, forms.ModelChoiceField)
        # Programs of these partners (and the one chosen): never a list of every program. What
        # was posted is checked against the partners typed, in clean().
        posted = self.data.get(self.add_prefix("program")) if self.is_bound else None
        numbers = (self.instance.program_id, self.initial.get("program"), posted)
        current = [n for n in map(record_number, numbers) if n]
        program.queryset = (
            Program.objects.filter(
                Q(partners__in=[o.pk for o in organizations]) | Q(pk__in=current)
            )
            .distinct()
            .order_by("title")
        )
        program.empty_label = "None"

    def clean_partners(self) -> list[Organization]:
        lines = [line.strip() for line in self.cleaned_data["partners"].splitlines()]
        if len([line for line in lines if line]) > MAX_PARTNERS:
            raise ValidationError(f"An agreement names at most {MAX_PARTNERS} partners.")
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
        return found

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None
        program, partners = cleaned.get("program"), cleaned.get("partners")
        if program and partners and not program.partners.filter(pk__in=[p.pk for p in partners]):
            self.add_error("program", f"None of these partners takes part in “{program.title}”.")
        return cleaned


def _labels(organizations: list[Organization]) -> list[str]:
    """Each partner as the box lists it: its name, with its number where another organization
    goes by the same name (one query)."""
    keys = [o.normalized_name for o in organizations]
    shared = (
        set(
            Organization.objects.filter(normalized_name__in=keys)
            .values("normalized_name")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .values_list("normalized_name", flat=True)
        )
        if keys
        else set()
    )
    return [organization_label(o) if o.normalized_name in shared else o.name for o in organizations]


class AgreementFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Any kind"), *Agreement.Kind.choices],
        widget=FastSelect(attrs={"class": "form-select"}),
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *Agreement.Status.choices],
        widget=FastSelect(attrs={"class": "form-select"}),
    )
    ending = forms.TypedChoiceField(
        label="Ending within",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any time"), *((str(d), f"{d} days") for d in ENDING_WITHIN)],
        widget=FastSelect(attrs={"class": "form-select"}),
    )
    partner = forms.CharField(
        label="Partner", required=False, max_length=300, help_text="Its name, as Liaison has it."
    )
    organization = forms.ModelChoiceField(
        required=False, queryset=Organization.objects.all(), widget=forms.HiddenInput
    )
    program = forms.ModelChoiceField(
        required=False, queryset=Program.objects.all(), widget=forms.HiddenInput
    )

    def filters(self) -> dict[str, Any]:
        found = filters_that_hold(self)
        if found.get("partner"):
            try:
                found["organization"] = find_organization(found["partner"])
            except OrganizationNotFound as error:
                self.add_error("partner", error)
                found["nothing"] = True
        return found
