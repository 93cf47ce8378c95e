import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.conflicts import VersionedForm
from core.forms import StaffChoiceField
from outreach.models import FollowUp


class FollowUpForm(forms.ModelForm):
    assignee = StaffChoiceField(label="Who follows up")

    class Meta:
        model = FollowUp
        fields = ["title", "due_on", "due_time", "repeat", "assignee", "details"]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "due_time": forms.TimeInput(attrs={"type": "time"}),
            "details": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"title": "What to do", "due_time": "Due time (optional)", "repeat": "Repeats"}
        help_texts = {
            "repeat": "Done, it comes back that long after its due day (not after the day it "
            "was done)."
        }

    def clean_due_on(self) -> dt.date:
        due = self.cleaned_data["due_on"]
        if due < timezone.localdate():
            raise ValidationError("Pick today or a later day.")
        return due


class FollowUpEditForm(VersionedForm, FollowUpForm):
    """Change a follow-up: what, when, who. Only a manager hands it to someone else (as with
    Reassign), so for others "who" is shown, fixed."""

    def __init__(self, *args: Any, may_reassign: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_reassign:
            assignee = self.fields["assignee"]
            assignee.disabled = True
            assignee.help_text = "Only a manager can hand a follow-up to someone else."

    def clean_due_on(self) -> dt.date:
        """An overdue day left as it was is kept; a new one must be today or later, which
        services.followup_update decides against the day stored when it saves (someone may
        have snoozed it since this form was opened: that is an edit conflict first)."""
        return self.cleaned_data["due_on"]


class SnoozeForm(forms.Form):
    """+1 day, +1 week, or a chosen day."""

    days = forms.TypedChoiceField(
        choices=[("1", "1 day"), ("7", "1 week")], coerce=int, required=False
    )
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, due_on: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.due_on = due_on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        if cleaned.get("until"):
            day = cleaned["until"]
        elif cleaned.get("days"):
            # Snoozing puts it off: from its due day, or from today when it is overdue, so
            # "+1 day" never brings a follow-up due next month forward to tomorrow.
            start = max(self.due_on or timezone.localdate(), timezone.localdate())
            day = start + dt.timedelta(days=cleaned["days"])
        else:
            raise ValidationError("Choose how long to snooze, or a day.")
        if day < timezone.localdate():
            raise ValidationError("Snooze to today or a later day.")
        cleaned["new_due_on"] = day
        return cleaned


class ReassignForm(forms.Form):
    assignee = StaffChoiceField(label="Reassign to")
