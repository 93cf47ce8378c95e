"""The forms of documents: upload (to a record, or a new version), describe, purge."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from core.conflicts import VersionedForm
from core.tabular import MB
from documents.models import Document
from documents.services import Upload, file_check

FILE_HELP = (
    "Word, OpenDocument, PDF, a spreadsheet, a presentation, an image or plain text; up to "
    f"{settings.LIAISON_DOCUMENT_MAX_BYTES // MB} MB."
)


class _FileForm(forms.Form):
    """A file, checked for its size (before a byte is read) and for what it is."""

    file = forms.FileField(label="File", help_text=FILE_HELP)

    def clean_file(self) -> Any:
        received = self.cleaned_data["file"]
        self.upload = Upload(file=received, name=received.name or "", size=received.size or 0)
        self.file_type = file_check(upload=self.upload)
        return received


class DocumentUploadForm(_FileForm):
    """Kind, title and description first: a file refused at the size limit stops the request
    being read (core.uploads), and what a browser sends before the file still arrives."""

    field_order = ["kind", "title", "description", "file"]
    kind = forms.ChoiceField(label="Kind", choices=Document.Kind.choices, initial="other")
    title = forms.CharField(
        label="Title",
        max_length=200,
        required=False,
        help_text="Leave empty to use the file's name.",
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VersionUploadForm(_FileForm):
    pass


class DocumentForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title", "kind", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class PurgeForm(forms.Form):
    reason = forms.CharField(
        label="Why the files are purged",
        max_length=10_000,
        error_messages={"required": "Say why the files are purged: it is kept with the record."},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the document, with your name and the date: for example the "
        "partner's request under the data-sharing agreement, or a records officer's decision.",
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Say why the files are purged.")
        return reason
