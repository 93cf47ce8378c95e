"""Survey forms: the CSV upload, and an Outcome worded from a line of the summary."""

from django import forms
from django.core.exceptions import ValidationError

from programs import surveys
from programs.models import Outcome

UPLOAD_HELP = (
    "A CSV file with the questions in the first row and one row per response, as Google "
    "Forms, Microsoft Forms and SurveyMonkey export it (choose CSV UTF-8 if asked). "
    f"Up to {surveys.MAX_BYTES // surveys.MB} MB and {surveys.MAX_RESPONSES:,} responses. "
    "Columns of numbers and multiple-choice answers are summarised; free text, dates, names "
    "and email addresses are left out."
)


class SurveyUploadForm(forms.Form):
    file = forms.FileField(
        label="Survey responses (CSV file)",
        help_text=UPLOAD_HELP,
        # An empty file gets the reader's own message, which says what to export instead.
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Checked on the size alone, before a byte of the file is read.
        too_large = surveys.size_error(upload.size or 0)
        if too_large:
            raise ValidationError(too_large, code="too_large")
        return upload


class SurveyOutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["metric", "value", "unit", "measured_on", "method", "note"]
        labels = {"measured_on": "Measured on"}
        help_texts = {
            "metric": "How the outcome reads in reports; change the wording as you like.",
            "measured_on": "The day the survey results were uploaded, unless you know better.",
        }
        widgets = {
            "measured_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
