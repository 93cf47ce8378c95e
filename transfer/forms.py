"""Import forms: the upload, the column mapping of the preview, and the confirmation."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from core.tabular import column_letter
from transfer import parsing
from transfer.columns import TARGETS
from transfer.models import ImportRun

UPLOAD_HELP = (
    "A CSV file (UTF-8 or Windows-1252, as Excel saves it) or an Excel workbook (.xlsx, first "
    "sheet), with the column names in the first row and one organization or person per row. "
    f"Up to {parsing.MAX_BYTES // parsing.MB} MB and {parsing.MAX_ROWS:,} rows. "
    "Nothing is imported until you have checked the preview."
)


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="The file holds",
        choices=ImportRun.Kind.choices,
        widget=forms.RadioSelect,
        initial=ImportRun.Kind.ORGANIZATIONS,
    )
    file = forms.FileField(
        label="File",
        help_text=UPLOAD_HELP,
        # An empty file gets the reader's own message, which says what to export instead.
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        too_large = parsing.size_error(upload.size or 0)
        if too_large:
            raise ValidationError(too_large, code="too_large")
        return upload


class MappingForm(forms.Form):
    """One select per column of the file: the field it goes to, or none."""

    def __init__(self, *args: Any, run: ImportRun, header: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Not imported")] + [(t.key, t.label) for t in TARGETS[run.kind]]
        self.target_labels = dict(choices)
        for index, name in enumerate(header):
            letter = column_letter(index + 1)
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=f"{letter}: {name}" if name else f"Column {letter}",
                choices=choices,
                required=False,
                initial=run.mapping[index] if index < len(run.mapping) else "",
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        seen: dict[str, str] = {}
        labels = self.target_labels
        for name, key in cleaned.items():
            if not key:
                continue
            if key in seen:
                raise ValidationError(
                    f"“{labels.get(key, key)}” is chosen for both {self.fields[seen[key]].label} "
                    f"and {self.fields[name].label}. Choose it for one column only."
                )
            seen[key] = name
        return cleaned

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(f"column_{index}", "") for index in range(len(self.fields))]


class ImportConfirmForm(forms.Form):
    update_existing = forms.TypedChoiceField(
        label="Rows that match a record already in Liaison",
        choices=[("no", "Skip them: keep Liaison as it is"), ("yes", "Update them from the file")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="no",
        help_text="An update fills in the file's non-empty cells; a name is never changed.",
    )
    skip_errors = forms.BooleanField(
        label="Skip the rows with errors and import the rest", required=False
    )
    # The preview's Plan.signature: the import stops if any row's outcome changed since.
    signature = forms.CharField(widget=forms.HiddenInput, max_length=64)
