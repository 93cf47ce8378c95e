"""The touchpoint list's search and filters, shared by the CSV export."""

from typing import Any

from django import forms

from core.forms import FastSelect, FilterForm, StaffChoiceField
from outreach.models import Touchpoint
from outreach.selectors.touchpoints import TOUCHPOINT_SORTING
from partners.models import Organization


class TouchpointFilterForm(FilterForm):
    q = forms.CharField(label="Search", required=False, max_length=200)
    staff = StaffChoiceField(
        label="Staff member",
        required=False,
        empty_label="Anyone",
        widget=FastSelect,
    )
    channel = forms.ChoiceField(
        choices=[("", "Any channel"), *Touchpoint.Channel.choices],
        required=False,
        widget=FastSelect,
    )
    kind = forms.ChoiceField(
        label="Organization kind",
        choices=[("", "All kinds"), *Organization.Kind.choices],
        required=False,
        widget=FastSelect,
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = TOUCHPOINT_SORTING.field()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            # Dropped, like any invalid filter; the results say so.
            self.add_error("date_to", "The “To” date is before the “From” date.")
        return cleaned
