"""The playbook form (its steps a formset), applying a playbook, stopping one."""

from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.conflicts import VersionedForm
from core.dates import EARLIEST, LATEST
from core.forms import staff_list
from core.people import display_name
from partners.models import Organization, Stage
from playbooks.models import MAX_OFFSET_DAYS, CountedFrom, DoneBy, Playbook, PlaybookStep
from playbooks.services import StepSpec

DATE = forms.DateInput(
    format="%Y-%m-%d",
    attrs={"type": "date", "min": EARLIEST.isoformat(), "max": LATEST.isoformat()},
)
# Rows offered beyond the playbook's steps: "need more? save, and two empty ones appear again".
EMPTY_ROWS = 2


def steps_summary(playbook: Playbook | None) -> str:
    """The steps in one line, as the edit form was opened on them: a change someone saved
    meanwhile is an edit conflict like a change of name."""
    if playbook is None or playbook.pk is None:
        return ""
    return "; ".join(_step_line(step) for step in playbook.steps.all())


def _step_line(step: PlaybookStep) -> str:
    who = f"{step.done_by} {step.person_id}" if step.person_id else step.done_by
    moves = f" → {step.moves_to_stage}" if step.moves_to_stage else ""
    return (
        f"{step.position}. {step.title} ({step.offset_days} d, {step.counted_from}, {who}{moves})"
    )


def _choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class PlaybookForm(VersionedForm, forms.ModelForm):
    steps_as_opened = forms.CharField(label="Steps", widget=forms.HiddenInput, required=False)

    class Meta:
        model = Playbook
        fields = ["name", "description", "kind", "auto_apply_stage"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"kind": "For organizations of kind", "auto_apply_stage": "Apply by itself"}
        help_texts = {
            "auto_apply_stage": "When an organization of the kind above (any kind when empty) "
            "enters this stage, the playbook starts for it, unless it runs there already.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind, stage = _choice(self, "kind"), _choice(self, "auto_apply_stage")
        kind.choices = [("", "Any kind"), *Organization.Kind.choices]
        stage.choices = [("", "Never: applied by hand"), *Stage.choices]
        self.fields["steps_as_opened"].initial = steps_summary(self.instance)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        taken = Playbook.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError("A playbook has this name already.")
        return name


class StepForm(forms.Form):
    title = forms.CharField(max_length=200)
    details = forms.CharField(
        max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    offset_days = forms.IntegerField(
        label="Days after", min_value=0, max_value=MAX_OFFSET_DAYS, initial=0
    )
    # Initial values as a browser sends an untouched new row: such a row is left out.
    counted_from = forms.ChoiceField(
        label="Counted", choices=CountedFrom.choices, initial=CountedFrom.START
    )
    done_by = forms.ChoiceField(label="Done by", choices=DoneBy.choices, initial=DoneBy.OWNER)
    person = forms.TypedChoiceField(
        label="Named person", required=False, coerce=int, empty_value=None
    )
    moves_to_stage = forms.ChoiceField(label="When done, move the partner to", required=False)

    def __init__(self, *args: Any, staff: list[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "person").choices = [("", "Nobody named"), *staff]
        _choice(self, "moves_to_stage").choices = [("", "Stays where it is"), *Stage.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = data.get("done_by") == DoneBy.PERSON
        if named and not data.get("person"):
            self.add_error("person", "Choose the person who does this step.")
        if not named and data.get("person"):
            self.add_error("person", "Name a person only when “A named person” does it.")
        return data


class BaseStepFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this step"

    def clean(self) -> None:
        if any(self.errors):
            return
        kept = self._kept()
        if not kept:
            raise ValidationError("Write at least one step.")
        if kept[0].cleaned_data.get("counted_from") == CountedFrom.PREVIOUS:
            raise ValidationError("The first step has no step before it: count it from the start.")

    def _kept(self) -> list[forms.Form]:
        """The rows not marked to remove: every saved step, changed or not, and the new rows
        written in (empty new rows are left out)."""
        saved = self.initial_form_count()
        return [
            form
            for index, form in enumerate(self.forms)
            if (index < saved or form.has_changed()) and not form.cleaned_data.get("DELETE")
        ]

    def specs(self) -> list[StepSpec]:
        """The rows kept, in order, for the service (a person as the staff member chosen)."""
        kept = self._kept()
        people = User.objects.in_bulk(
            [f.cleaned_data["person"] for f in kept if f.cleaned_data["person"]]
        )
        return [
            StepSpec(
                title=f.cleaned_data["title"],
                details=f.cleaned_data["details"],
                offset_days=f.cleaned_data["offset_days"],
                counted_from=f.cleaned_data["counted_from"],
                done_by=f.cleaned_data["done_by"],
                person=people.get(f.cleaned_data["person"]) if f.cleaned_data["person"] else None,
                moves_to_stage=f.cleaned_data["moves_to_stage"],
            )
            for f in kept
        ]


StepFormSet = forms.formset_factory(
    StepForm, formset=BaseStepFormSet, extra=EMPTY_ROWS, can_delete=True, max_num=50
)


def step_formset(data: Any, playbook: Playbook | None) -> BaseStepFormSet:
    """The steps of `playbook` (none for a new one) and two empty rows, sharing one list of
    staff."""
    staff = [(user.pk, display_name(user)) for user in staff_list()]
    initial = [
        {
            "title": s.title,
            "details": s.details,
            "offset_days": s.offset_days,
            "counted_from": s.counted_from,
            "done_by": s.done_by,
            "person": s.person_id,
            "moves_to_stage": s.moves_to_stage,
        }
        for s in (playbook.steps.all() if playbook is not None else [])
    ]
    formset = StepFormSet(data, initial=initial, prefix="steps", form_kwargs={"staff": staff})
    return cast(BaseStepFormSet, formset)


class ApplyForm(forms.Form):
    playbook = forms.ModelChoiceField(
        queryset=Playbook.objects.filter(is_retired=False), empty_label="Choose a playbook"
    )
    start_on = forms.DateField(label="Start date", widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_on"].initial = timezone.localdate()

    def clean_start_on(self) -> Any:
        day = self.cleaned_data["start_on"]
        if not EARLIEST <= day <= LATEST:
            raise ValidationError(f"Pick a day from {EARLIEST.year} to {LATEST.year}.")
        return day


class StopForm(forms.Form):
    reason = forms.CharField(
        label="Why stop it?",
        max_length=500,
        help_text="Kept with the playbook's history: “They chose another library”.",
    )
