"""The documents list's filters."""

from django import forms

from documents.models import Document
from partners.models import Organization


class DocumentFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Any kind"), *Document.Kind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    organization = forms.ModelChoiceField(
        label="Partner",
        required=False,
        queryset=Organization.objects.all(),
        widget=forms.HiddenInput,
    )
    archived = forms.BooleanField(
        label="Show archived documents",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
