"""The health page's filters and the managers' cadences per stage."""

from typing import Any

from django import forms

from core.forms import FastSelect, FilterForm, StaffChoiceField
from health.selectors import DEFAULT_CADENCES
from partners.models import Cadence, Health, Stage


class HealthFilterForm(FilterForm):
    level = forms.ChoiceField(
        label="Health",
        choices=[("", "Needs care (at risk or needs attention)"), *Health.choices, ("all", "All")],
        required=False,
        widget=FastSelect,
    )
    owner = StaffChoiceField(required=False, empty_label="Any owner", widget=FastSelect)


class StageCadenceForm(forms.Form):
    """One cadence per stage that has one: how often the library expects to be in touch."""

    def __init__(self, *args: Any, current: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for stage in DEFAULT_CADENCES:
            self.fields[stage] = forms.TypedChoiceField(
                label=Stage(stage).label,
                choices=Cadence.choices,
                coerce=int,
                initial=current.get(stage),
                help_text=f"Liaison's default: {Cadence(DEFAULT_CADENCES[stage]).label.lower()}.",
            )
