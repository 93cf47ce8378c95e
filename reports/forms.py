"""The period picker every report shares, and the year picker of the reports of one year."""

import datetime as dt
from typing import Any

from django import forms

from core.dates import EARLIEST, FIRST_YEAR, LAST_YEAR, LATEST


class PickerForm(forms.Form):
    """A report's picker: Bootstrap's classes, and each message tied to its field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.update({"class": "form-control", "id": f"period-{name}"})

    def is_valid(self) -> bool:
        valid = super().is_valid()
        # The message next to the field is tied to it for screen readers.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {
                        "class": "form-control is-invalid",
                        "aria-invalid": "true",
                        "aria-describedby": f"period-{name}-error",
                    }
                )
        return valid


class YearForm(PickerForm):
    """One year (the annual reviews'): its first and last days as the report's period."""

    year = forms.IntegerField(
        label="Reviews of the year",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        widget=forms.NumberInput(attrs={"min": FIRST_YEAR, "max": LAST_YEAR}),
        error_messages={
            "invalid": "Enter a year, such as 2026.",
            "required": "Enter a year.",
            "min_value": f"Choose a year between {FIRST_YEAR} and {LAST_YEAR}.",
            "max_value": f"Choose a year between {FIRST_YEAR} and {LAST_YEAR}.",
        },
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        if cleaned.get("year"):
            cleaned["start"] = dt.date(cleaned["year"], 1, 1)
            cleaned["end"] = dt.date(cleaned["year"], 12, 31)
        return cleaned


class PeriodForm(PickerForm):
    """From and to dates, both inclusive, within the range Liaison accepts anywhere."""

    start = forms.DateField(
        label="From",
        widget=forms.DateInput(
            format="%Y-%m-%d",
            attrs={"type": "date", "min": EARLIEST.isoformat(), "max": LATEST.isoformat()},
        ),
        error_messages={"invalid": "Enter a date as YYYY-MM-DD.", "required": "Enter a date."},
    )
    end = forms.DateField(
        label="To",
        widget=forms.DateInput(
            format="%Y-%m-%d",
            attrs={"type": "date", "min": EARLIEST.isoformat(), "max": LATEST.isoformat()},
        ),
        error_messages={"invalid": "Enter a date as YYYY-MM-DD.", "required": "Enter a date."},
    )

    @staticmethod
    def _in_range(day: dt.date) -> dt.date:
        if not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(
                f"Choose a date between {FIRST_YEAR} and {LAST_YEAR}.", code="out_of_range"
            )
        return day

    def clean_start(self) -> dt.date:
        return self._in_range(self.cleaned_data["start"])

    def clean_end(self) -> dt.date:
        return self._in_range(self.cleaned_data["end"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The “To” date is before the “From” date.")
        return cleaned
