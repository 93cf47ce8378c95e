"""The annual review form: what worked, what did not, the partner's satisfaction and words,
next year's goals."""

from django import forms

from core.conflicts import VersionedForm
from core.dates import FIRST_YEAR, LAST_YEAR
from reviews.models import NOT_ASKED, Satisfaction
from reviews.models import PartnershipReview as Review

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 4})
SATISFACTION_MESSAGE = "Choose from 1 (very dissatisfied) to 5 (very satisfied), or “Not asked”."


class ReviewForm(VersionedForm, forms.ModelForm):
    """A partner's review of one year (the partner is the page's, never a field)."""

    year = forms.IntegerField(
        label="Year reviewed",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text="The year of the partnership this review looks back on.",
        error_messages={
            "invalid": "Enter a year, such as 2026.",
            "required": "Enter the year this review looks back on.",
            "min_value": f"Pick a year from {FIRST_YEAR} to {LAST_YEAR}.",
            "max_value": f"Pick a year from {FIRST_YEAR} to {LAST_YEAR}.",
        },
    )
    partner_satisfaction = forms.TypedChoiceField(
        label="The partner's satisfaction",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", NOT_ASKED),
            *((str(v), f"{v} – {label}") for v, label in Satisfaction.choices),
        ],
        widget=forms.RadioSelect,
        help_text="As the partner rates the partnership, from 1 (very dissatisfied) to 5 "
        "(very satisfied).",
        error_messages={"invalid_choice": SATISFACTION_MESSAGE},
    )

    class Meta:
        model = Review
        fields = [
            "year",
            "reviewed_on",
            "what_worked",
            "what_did_not",
            "partner_satisfaction",
            "partner_words",
            "goals_next_year",
        ]
        widgets = {
            "reviewed_on": DATE,
            "what_worked": TEXT,
            "what_did_not": TEXT,
            "partner_words": TEXT,
            "goals_next_year": TEXT,
        }
        error_messages = {
            "reviewed_on": {
                "invalid": "Enter a date as YYYY-MM-DD.",
                "required": "Enter the day you talked the partnership over.",
            },
        }
