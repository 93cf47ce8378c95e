"""Program forms: the program with its partners and sessions inline, outcomes, stories, filters.

Partners are named in a text box (exact name, or "Name (#12)"), never picked from a list of
every organization: there can be ten thousand of them.
"""

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import BaseFormSet
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.forms.utils import ErrorDict
from django.http import QueryDict
from django.utils import formats, timezone

from core.conflicts import VersionedForm
from core.dates import FIRST_YEAR, LAST_YEAR
from core.forms import (
    FastSelect,
    FilterForm,
    OneQueryModelChoiceField,
    StaffChoiceField,
    clean_display_name,
    form_field,
    staff_users,
)
from outreach.forms.meetings import GAP_MESSAGE, local_datetime
from outreach.models import Meeting
from partners.forms import tag_filter_field
from partners.models import LONG_TEXT, FocusArea, Organization
from partners.organization_picker import find_organization
from programs.models import (
    MAX_ATTENDANCE,
    Outcome,
    Program,
    ProgramPartner,
    ProgramSession,
    Story,
)
from programs.selectors import programs as selectors

# Bounds on what a (tampered) form can ask for; well above any real program.
MAX_PARTNERS = 50
MAX_SESSIONS = 200
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _check_year(day: dt.date | None) -> dt.date | None:
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(f"Pick a day between {FIRST_YEAR} and {LAST_YEAR}.")
    return day


def _not_in_future(day: dt.date) -> dt.date:
    if day > timezone.localdate():
        raise ValidationError("This cannot be in the future: pick today or an earlier day.")
    return _check_year(day)  # type: ignore[return-value]


class OrganizationNameField(forms.CharField):
    """A text box naming an organization; the form resolves it (see find_organization)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 300)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        assert text is not None  # empty_value is ""
        return " ".join(text.split())

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Organization):
            return value.name
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.to_python(self.prepare_value(initial) or "") != self.to_python(data or "")


class MeetingChoiceField(forms.ChoiceField):
    """A meeting from a list read once for the whole formset (not a query per form)."""

    def __init__(self, *, meetings: Iterable[Meeting] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.set_meetings(meetings)

    def set_meetings(self, meetings: Iterable[Meeting]) -> None:
        meetings = list(meetings)
        self.meetings = {str(m.pk): m for m in meetings}
        ordered = sorted(meetings, key=lambda m: m.starts_at, reverse=True)
        self.choices = [("", "None"), *((str(m.pk), self.label_for(m)) for m in ordered)]

    @staticmethod
    def label_for(meeting: Meeting) -> str:
        day = formats.date_format(timezone.localtime(meeting.starts_at), "M j, Y")
        return f"{day}: {meeting.title} ({meeting.organization.name})"

    def prepare_value(self, value: Any) -> str:
        value = getattr(value, "pk", value)
        return "" if value is None else str(value)

    def clean(self, value: Any) -> Meeting | None:
        value = super().clean(value)
        return self.meetings.get(value) if value else None

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.prepare_value(initial) != (data or "")


# The program list's filters


class ProgramFilterForm(FilterForm):
    q = forms.CharField(label="Search titles", required=False, max_length=200)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Program.Status.choices], required=False, widget=FastSelect
    )
    kind = forms.ChoiceField(
        choices=[("", "All kinds"), *Program.Kind.choices], required=False, widget=FastSelect
    )
    partner = forms.CharField(
        label="Partner", required=False, max_length=200, help_text="Organization name"
    )
    focus_area = OneQueryModelChoiceField(
        label="Focus area",
        queryset=FocusArea.objects.all(),
        required=False,
        empty_label="All focus areas",
        widget=FastSelect,
    )
    tag = tag_filter_field()
    year = forms.IntegerField(
        label="Running in",
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        widget=forms.NumberInput(attrs={"placeholder": "Year"}),
    )
    sort = selectors.PROGRAM_SORTING.field()


# The program with its partners and sessions


class ProgramForm(VersionedForm, forms.ModelForm):
    lead = StaffChoiceField(label="Lead staff member", queryset=User.objects.none(), required=False)
    budget = forms.DecimalField(
        label="Budget (optional)",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text="In dollars.",
    )

    class Meta:
        model = Program
        fields = [
            "title",
            "kind",
            "status",
            "start_date",
            "end_date",
            "lead",
            "description",
            "goals",
            "audience",
            "focus_areas",
            "budget",
            "library_resources",
        ]
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "audience": forms.Textarea(attrs={"rows": 2}),
            "library_resources": forms.Textarea(attrs={"rows": 2}),
            "focus_areas": forms.CheckboxSelectMultiple,
        }
        labels = {"audience": "Audience (populations served)"}
        help_texts = {"audience": ""}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lead_id = self.instance.lead_id
        # Staff who can lead, and the current lead even if no longer one of them.
        lead = form_field(self, "lead", forms.ModelChoiceField)
        lead.queryset = (
            User.objects.filter(Q(pk__in=staff_users().values("pk")) | Q(pk=lead_id)).order_by(
                "first_name", "last_name", "username"
            )
            if lead_id
            else staff_users()
        )
        lead.empty_label = "Nobody yet"
        # Focus areas still offered, and those the program has even if retired since.
        kept = self.instance.focus_areas.values_list("pk", flat=True) if self.instance.pk else []
        areas = form_field(self, "focus_areas", forms.ModelMultipleChoiceField)
        areas.queryset = FocusArea.objects.offered(keeping=kept)
        if self.instance.pk is None and not self.initial.get("lead"):
            self.initial["lead"] = user.pk

    def clean_title(self) -> str:
        return clean_display_name(self.cleaned_data["title"], what="the program's title")

    def clean_start_date(self) -> dt.date | None:
        return _check_year(self.cleaned_data["start_date"])

    def clean_end_date(self) -> dt.date | None:
        return _check_year(self.cleaned_data["end_date"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The program cannot end before it starts.")
        return cleaned


class ProgramPartnerForm(forms.ModelForm):
    organization = OrganizationNameField(
        label="Partner organization",
        error_messages={"required": "Enter the partner organization's name."},
        help_text="Its exact name, or pick it from the matches shown as you type.",
    )

    class Meta:
        model = ProgramPartner
        fields = ["organization", "role", "contribution"]
        widgets = {"contribution": forms.Textarea(attrs={"rows": 2})}
        labels = {"contribution": "What they contribute"}

    def __init__(self, *args: Any, helper_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["organization"] = self.instance.organization
            self.fields["organization"].error_messages["required"] = (
                "Enter the partner organization's name, or tick “Remove this partner from the "
                "program”."
            )
        # The box asks for matches as the librarian types (htmx; without it, the exact name).
        attrs = self.fields["organization"].widget.attrs
        attrs.update({"autocomplete": "off", "aria-controls": f"{self.prefix}-matches"})
        if helper_url:
            attrs.update(
                {
                    "hx-get": helper_url,
                    "hx-trigger": "input changed delay:300ms",
                    "hx-target": f"#{self.prefix}-matches",
                    "hx-vals": json.dumps({"find": self.prefix}),
                    "hx-sync": "this:replace",
                }
            )

    def has_changed(self) -> bool:
        if self.instance.pk is not None:
            return super().has_changed()
        # A new row counts once something is typed in it, prefilled organization included
        # (with the prefill as its "initial", Django would think an untouched row empty).
        name = self.data.get(self.add_prefix("organization"), "")
        contribution = self.data.get(self.add_prefix("contribution"), "")
        role = self.data.get(self.add_prefix("role"), ProgramPartner.Role.CO_HOST)
        return bool(str(name).strip() or str(contribution).strip()) or (
            role != ProgramPartner.Role.CO_HOST
        )

    def clean_organization(self) -> Organization:
        initial = self.initial.get("organization")
        current = initial if isinstance(initial, Organization) else None
        return find_organization(self.cleaned_data["organization"], current=current)


class RowsOnRequest(BaseInlineFormSet):
    """An inline formset that shows no blank rows of its own: the form's "Add a partner" and
    "Add a session" buttons add one at a time (static/js/formset_rows.js clones `empty_form`;
    without JavaScript the form comes back with one more row, see `with_new_row`). `extra`
    rows are shown when the form opens (a partner filled in from the organization's page).
    """

    def __init__(self, *args: Any, extra: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.extra = extra


def with_new_row(data: QueryDict, prefix: str, limit: int) -> QueryDict:
    """The posted form with one more (empty) row in the formset `prefix`, up to `limit` rows:
    the "Add another …" button without JavaScript. Data it cannot read is left as it was."""
    key = f"{prefix}-TOTAL_FORMS"
    total = str(data.get(key, ""))
    if not total.isdigit() or int(total) >= limit:
        return data
    grown = data.copy()
    grown[key] = str(int(total) + 1)
    return grown


def show_without_errors(form: forms.BaseForm, *formsets: BaseFormSet) -> None:
    """Show posted forms as they were typed, without validating them: a row was added, nothing
    was meant to be saved yet (errors show when it is)."""
    for each in [form, *(f for formset in formsets for f in formset.forms)]:
        each._errors = ErrorDict(renderer=each.renderer)
    for formset in formsets:
        shown: Any = formset  # where BaseFormSet.full_clean() keeps what it found
        shown._errors = []
        shown._non_form_errors = shown.error_class(renderer=shown.renderer)


def focus_last_row(formset: BaseFormSet, field: str) -> None:
    """The row just added (without JavaScript) takes the keyboard when the page opens."""
    if formset.forms:
        formset.forms[-1].fields[field].widget.attrs["autofocus"] = True


class BasePartnerFormSet(RowsOnRequest):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this partner from the program"

    def validate_unique(self) -> None:
        """Each organization once, the error on the row that repeats it.

        Django's own check would skip a program not saved yet and speak of "duplicate data".
        """
        seen: set[int] = set()
        deleted = self.deleted_forms
        for form in self.forms:
            if form in deleted or not hasattr(form, "cleaned_data"):
                continue
            organization = form.cleaned_data.get("organization")
            if organization is None:
                continue
            if organization.pk in seen:
                form.add_error("organization", f"{organization.name} is already listed above.")
            seen.add(organization.pk)


class ProgramSessionForm(forms.ModelForm):
    date = forms.DateField(
        label="Session date",
        widget=DATE_WIDGET,
        error_messages={"required": "Enter the day of the session."},
    )
    time = forms.TimeField(
        label="Start time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Enter the time the session starts."},
    )
    attendance = forms.IntegerField(
        label="Attendance",
        required=False,
        min_value=0,
        max_value=MAX_ATTENDANCE,
        help_text="Head count; leave empty until known.",
        # What the form showed comes back with it: a count recorded on the program page while
        # this form was open is kept unless the person changed this row's count themselves.
        show_hidden_initial=True,
    )
    meeting = MeetingChoiceField(
        label="Planned at meeting",
        required=False,
        help_text="Meetings with the partners from a year ago to a year ahead.",
    )

    class Meta:
        model = ProgramSession
        fields = ["location", "attendance", "notes", "meeting"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, meetings: Iterable[Meeting] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "meeting", MeetingChoiceField).set_meetings(meetings)
        # The count stored now, before the form's values are put on the instance.
        self.stored_attendance = self.instance.attendance
        if self.instance.pk is not None:
            start = timezone.localtime(self.instance.starts_at)
            self.initial.setdefault("date", start.date())
            self.initial.setdefault("time", start.time())

    def clean_date(self) -> dt.date:
        return _check_year(self.cleaned_data["date"])  # type: ignore[return-value]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        day, time = cleaned.get("date"), cleaned.get("time")
        if day is not None and time is not None:
            moment = local_datetime(day, time)
            if moment is None:
                self.add_error("time", GAP_MESSAGE)
            else:
                cleaned["starts_at"] = moment
        return cleaned

    def session(self) -> ProgramSession:
        """The session with the form's values (unsaved): the service saves it."""
        session = self.instance
        session.starts_at = self.cleaned_data["starts_at"]
        if session.pk is not None and "attendance" not in self.changed_data:
            session.attendance = self.stored_attendance
        return session


PartnerFormSet = inlineformset_factory(
    Program,
    ProgramPartner,
    form=ProgramPartnerForm,
    formset=BasePartnerFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_PARTNERS,
    absolute_max=MAX_PARTNERS,
    validate_max=True,
)


class BaseSessionFormSet(RowsOnRequest):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Delete this session"


SessionFormSet = inlineformset_factory(
    Program,
    ProgramSession,
    form=ProgramSessionForm,
    formset=BaseSessionFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_SESSIONS,
    absolute_max=MAX_SESSIONS,
    validate_max=True,
)


# Outcomes and stories


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["metric", "value", "unit", "method", "measured_on", "note"]
        widgets = {"measured_on": DATE_WIDGET, "note": forms.Textarea(attrs={"rows": 3})}
        labels = {"measured_on": "Measured on"}
        help_texts = {"value": "A number, e.g. 78 or 12.5."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and not self.initial.get("measured_on"):
            self.initial["measured_on"] = timezone.localdate()

    def clean_metric(self) -> str:
        return clean_display_name(self.cleaned_data["metric"], what="what was measured")

    def clean_measured_on(self) -> dt.date:
        return _not_in_future(self.cleaned_data["measured_on"])


class StoryForm(forms.ModelForm):
    text = forms.CharField(
        label="The story", max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 6})
    )
    who = forms.CharField(
        label="Who told it",
        max_length=200,
        required=False,
        help_text="A name, or leave empty for “Anonymous participant”.",
    )

    class Meta:
        model = Story
        fields = ["text", "who", "told_on", "consent_to_share"]
        widgets = {"told_on": DATE_WIDGET}
        labels = {
            "consent_to_share": "They agreed that this story may be shared",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.initial["told_on"] = self.initial.get("told_on") or timezone.localdate()
            # Empty rather than the default text: the placeholder tells what empty means.
            self.initial["who"] = ""
            self.fields["who"].widget.attrs["placeholder"] = "Anonymous participant"

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError("Write the story.")
        return text

    def clean_told_on(self) -> dt.date:
        return _not_in_future(self.cleaned_data["told_on"])
