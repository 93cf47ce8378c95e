"""The bulk page's form: what to do with the selected records, and the value it sets."""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.forms.boundfield import BoundField
from django.utils import timezone

from bulk.models import BulkAction
from bulk.operations import OPERATIONS, Operation, Values
from core.dates import LATEST
from core.forms import StaffChoiceField
from core.roles import is_manager
from partners.models import Stage
from partners.tags import Tag
from programs.models import Program, ProgramPartner

# A form field whose value an operation reads under another name.
VALUES = {"remove_tag": "tag"}


class ActionForm(forms.Form):
    """One choice of action (a radio button each); each action's own fields beneath it. Only
    the chosen action's fields are required."""

    action = forms.ChoiceField(
        label="What to do", widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )
    owner = StaffChoiceField(label="New owner", required=False)
    stage = forms.ChoiceField(label="New stage", choices=Stage.choices, required=False)
    note = forms.CharField(
        label="Note for the stage history (optional)", max_length=1000, required=False
    )
    # A retired tag is no longer given (partners.tags.record_tags_set), but can be taken off.
    tag = forms.ModelChoiceField(
        Tag.objects.filter(retired_at__isnull=True).order_by("name"), label="Tag", required=False
    )
    remove_tag = forms.ModelChoiceField(
        Tag.objects.order_by("name"), label="Tag to remove", required=False
    )
    program = forms.ModelChoiceField(
        Program.objects.exclude(status=Program.Status.CANCELLED).order_by("title"),
        label="Program",
        required=False,
    )
    role = forms.ChoiceField(
        label="Their role in it",
        choices=ProgramPartner.Role.choices,
        initial=ProgramPartner.Role.CO_HOST,
        required=False,
    )
    format = forms.ChoiceField(
        label="File", choices=[("csv", "CSV"), ("xlsx", "Excel")], initial="csv", required=False
    )
    assignee = StaffChoiceField(label="Give them to", required=False)
    until = forms.DateField(
        label="Snooze until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, records: str, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.operations = {op.action: op for op in OPERATIONS[records]}
        action: forms.ChoiceField = self.fields["action"]  # type: ignore[assignment]
        action.choices = [(op.action, op.label) for op in self.operations.values()]

    def groups(self) -> list[tuple[Any, list[BoundField]]]:
        """Each action the user may take (its radio button) with its fields."""
        radios = {radio.data["value"]: radio for radio in self["action"]}
        return [
            (radios[op.action], [self[name] for name in op.fields])
            for op in self.operations.values()
            if self.allowed(op)
        ]

    def allowed(self, operation: Operation) -> bool:
        return not operation.managers_only or is_manager(self.user)

    def clean_action(self) -> str:
        action = self.cleaned_data["action"]
        if not self.allowed(self.operations[action]):
            raise forms.ValidationError(f"Only a manager can do this: {action_label(action)}.")
        return action

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        operation = self.operation
        if operation is None:
            return cleaned
        for name in operation.fields:
            if cleaned.get(name) in (None, "") and name != "note":
                self.add_error(name, f"Choose the {str(self.fields[name].label).lower()}.")
        until = cleaned.get("until")
        if "until" in operation.fields and until and until < timezone.localdate():
            self.add_error("until", "Snooze to today or a later day.")
        elif "until" in operation.fields and until and until > LATEST:
            self.add_error("until", f"Pick a day in {LATEST.year} or earlier.")
        return cleaned

    @property
    def operation(self) -> Operation | None:
        return self.operations.get(getattr(self, "cleaned_data", {}).get("action", ""))

    def values(self) -> Values:
        """What the chosen action sets (after is_valid())."""
        operation = self.operation
        assert operation is not None
        values = {VALUES.get(name, name): self.cleaned_data[name] for name in operation.fields}
        return {**values, **operation.defaults}


def action_label(action: str) -> str:
    return str(BulkAction.Action(action).label).lower()
