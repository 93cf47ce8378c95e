"""The documents list's filters."""

from django import forms

from core.forms import FastSelect
from documents.models import Document
from documents.records import KINDS
from partners.models import Organization


class DocumentFilterForm(forms.Form):
    """The filters that hold are used, those that do not are left out (a bad value never
    widens the list to everything that another filter would have narrowed)."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Any kind"), *Document.Kind.choices],
        widget=FastSelect(attrs={"class": "form-select"}),
    )
    organization = forms.ModelChoiceField(
        label="Partner",
        required=False,
        queryset=Organization.objects.all(),
        widget=forms.HiddenInput,
    )
    # One record's: the kind and number, as a record's Documents section links here.
    to = forms.ChoiceField(required=False, choices=[("", ""), *((k, k) for k in KINDS)])
    of = forms.IntegerField(required=False, min_value=1, max_value=2**62)
    archived = forms.BooleanField(
        label="Show archived documents",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
