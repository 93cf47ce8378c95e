import html
import zoneinfo
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.forms import BaseModelFormSet
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import SafeString, mark_safe

from core.models import StaffProfile
from core.people import display_name
from core.prepared import Prepared
from core.roles import ALL_ROLES

Change = TypeVar("Change")
FieldT = TypeVar("FieldT", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """The form's own copy of field `name`, typed as its kind (form.fields types all as Field)."""
    field = form.fields[name]
    assert isinstance(field, kind), f"{name} is a {type(field).__name__}, not a {kind.__name__}"
    return field


def apply_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError next to the matching field, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def formset_changes(
    formset: BaseModelFormSet, change: Callable[[Any, bool], Change | None]
) -> list[Change]:
    """A valid model formset's rows as a service's change records, in the order shown.

    `change(form, removed)` makes one row's record, or returns None when the row asks nothing
    of the service. It sees saved rows, kept or removed, and new rows with something typed in
    them: a new row that was left blank or removed before it was ever saved is no change.
    """
    removed = formset.deleted_forms
    changes = []
    for form in formset.forms:
        is_removed = form in removed
        if form.instance.pk is None and (is_removed or not form.has_changed()):
            continue
        record = change(form, is_removed)
        if record is not None:
            changes.append(record)
    return changes


def _escape(value: Any) -> str:
    """conditional_escape(), minus its lazy-string wrapper: it runs for every <option>."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _attributes(attrs: dict[str, Any]) -> str:
    """HTML attributes as Django's widgets/attrs.html writes them, in the same order."""
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class FastSelect(forms.Select):
    """forms.Select, its HTML written in Python rather than by two template includes an option.

    The same markup and the same choice of selected option as ChoiceWidget.optgroups, at a
    fraction of the cost: the 420 time zones of the profile page took 30 ms through the
    templates, and a list page's filters a few ms.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        values = self.format_value(value)
        chosen = False
        parts = [f'<select name="{_escape(name)}"{_attributes(final_attrs)}>']
        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                group_name, options = group_value, group_label
            else:
                group_name = None
                options = [("" if group_value is None else group_value, group_label)]
            if group_name:
                parts.append(f'\n  <optgroup label="{_escape(group_name)}">')
            for option_value, label in options:
                # Like optgroups(): the first option with the value, unless several may be.
                selected = (not chosen or self.allow_multiple_selected) and str(
                    option_value
                ) in values
                chosen |= selected
                parts.append(
                    f'\n  <option value="{_escape(option_value)}"{" selected" if selected else ""}>'
                    f"{_escape(label)}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 — every value above is escaped


# Most Liaison libraries are in the United States: their zones come first, by everyday name.
COMMON_TIME_ZONES = [
    ("America/New_York", "Eastern Time (New York)"),
    ("America/Chicago", "Central Time (Chicago)"),
    ("America/Denver", "Mountain Time (Denver)"),
    ("America/Phoenix", "Mountain Time without daylight saving (Phoenix)"),
    ("America/Los_Angeles", "Pacific Time (Los Angeles)"),
    ("America/Anchorage", "Alaska Time (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii Time (Honolulu)"),
    ("America/Puerto_Rico", "Atlantic Time (Puerto Rico)"),
]
# Legacy aliases and internal files of the time zone database, not places people live in.
_NOT_PLACES = ("Etc/", "SystemV/", "posix", "right/", "US/", "Canada/", "Mexico/", "Brazil/")


@cache
def time_zone_choices() -> list:
    common = {name for name, _ in COMMON_TIME_ZONES}
    others = sorted(
        name
        for name in zoneinfo.available_timezones()
        if name not in common and "/" in name and not name.startswith(_NOT_PLACES)
    )
    return [
        ("Common in the United States", COMMON_TIME_ZONES),
        ("All time zones", [("UTC", "UTC"), *((name, name.replace("_", " ")) for name in others)]),
    ]


def _all_names(choices: list) -> set[str]:
    return {name for _, group in choices for name, _ in group}


class ProfileForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Your time zone",
        widget=FastSelect,
        help_text="Meeting times and due times are shown and typed in this time zone.",
    )

    def __init__(self, *args, current: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = time_zone_choices()
        if current not in _all_names(choices):
            # A zone set elsewhere (the library default, the admin) stays selectable.
            choices = [("Current", [(current, current.replace("_", " "))]), *choices]
        form_field(self, "time_zone", forms.ChoiceField).choices = choices
        self.fields["time_zone"].initial = current


class OtherAddressesForm(forms.Form):
    """The addresses besides the account's that a staff member writes to partners from."""

    addresses = forms.CharField(
        label="Other addresses you write from",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line. Email you send from these and copy (BCC) to Liaison's "
        "mailbox is logged as yours.",
    )
    signature = forms.CharField(
        label="Your signature",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ends the emails you write in Liaison where they say {sender_signature}. "
        "Left empty: your name and the library's.",
    )

    def clean_addresses(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["addresses"].splitlines()]
        found = [line for line in lines if line]
        wrong = []
        for line in found:
            try:
                validate_email(line)
            except ValidationError:
                wrong.append(line)
        if wrong:
            raise ValidationError(f"Not an email address: {', '.join(wrong)}.")
        if len(found) > 10:
            raise ValidationError("List at most 10 addresses.")
        return found


class EmailPreferencesForm(forms.Form):
    """Which emails Liaison sends a staff member; the manager summary only for managers."""

    digest = forms.ChoiceField(
        label="Daily digest at 8:00 AM",
        choices=StaffProfile.Digest.choices,
        widget=forms.RadioSelect,
        help_text="Follow-ups overdue or due today, today's meetings, and deadlines of grants "
        "for programs you lead. Only sent on days with something to report.",
    )
    meeting_reminders = forms.BooleanField(
        label="Meeting reminders the afternoon before",
        required=False,
        help_text="At 2:00 PM the day before each meeting you attend.",
    )
    followup_assigned_emails = forms.BooleanField(
        label="An email when someone else gives me a follow-up", required=False
    )
    manager_summary = forms.BooleanField(
        label="The weekly manager summary, Mondays at 8:00 AM",
        required=False,
        help_text="Follow-ups a week overdue, partners gone quiet, grant deadlines of the next "
        "two weeks, and last week's touchpoints by person.",
    )

    def __init__(self, *args, manager: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not manager:
            del self.fields["manager_summary"]


# Staff as choices, and the lists' filter forms: every app's forms use these.


def staff_users() -> Any:
    """People who can own a partnership: active users with a Liaison role."""
    return (
        User.objects.filter(is_active=True, groups__name__in=ALL_ROLES)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# Compiled once per process (core.prepared): the follow-up pages list them to reassign to.
_STAFF = Prepared(staff_users)


def staff_list() -> list[User]:
    """The people of staff_users(), read as a list (for a page that offers them as buttons)."""
    return _STAFF.objects()


class OneQueryChoiceIterator(ModelChoiceIterator):
    """The choices read in one round trip. Django's iterator() reads them through a server-side
    cursor on PostgreSQL: DECLARE, FETCH and CLOSE, three round trips for a dozen rows. The form's
    own copy of the queryset (ModelChoiceField.__deepcopy__) keeps them for a second reading."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        prepared = getattr(self.field, "prepared", None)
        for obj in self.queryset if prepared is None else prepared.objects():
            yield self.choice(obj)


class OneQueryModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField for a short list of choices: see OneQueryChoiceIterator.

    With `prepared` (core.prepared: the same query as `queryset`, compiled once per process),
    its choices are read through that while the queryset is the one it was made with; a form
    that narrows the queryset reads the narrowed one.
    """

    iterator = OneQueryChoiceIterator

    def __init__(self, queryset: Any, *, prepared: Prepared | None = None, **kwargs: Any) -> None:
        super().__init__(queryset, **kwargs)
        self.prepared = prepared

    # Django's own property, whose setter also drops `prepared` (not in django-stubs).
    def _set_queryset(self, queryset: Any) -> None:
        super()._set_queryset(queryset)  # type: ignore[misc]
        self.prepared = None  # another queryset: its own choices

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)  # type: ignore[attr-defined]

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        copied = super().__deepcopy__(memo)  # type: ignore[misc]  # the same queryset, set again
        copied.prepared = self.prepared
        return copied


class StaffChoiceField(OneQueryModelChoiceField):
    """A choice of staff_users(); made without a queryset, it offers all of them, read through a
    prepared query."""

    def __init__(self, queryset: Any = None, **kwargs: Any) -> None:
        if queryset is None:
            super().__init__(staff_users(), prepared=_STAFF, **kwargs)
        else:
            super().__init__(queryset, **kwargs)

    def label_from_instance(self, obj: User) -> str:
        return display_name(obj)


def clean_display_name(value: str, *, what: str) -> str:
    """A name as it will be shown: inner spacing folded, and at least one letter or digit."""
    name = " ".join(value.split())
    if not any(c.isalnum() for c in name):
        raise ValidationError(f"Enter {what}.")
    return name


class FilterForm(forms.Form):
    """A list page's GET form: invalid values (a stale link, a tampered URL) are ignored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select"
            elif not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs["class"] = "form-control"

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


def filters_that_hold(form: forms.Form) -> dict[str, Any]:
    """A list's filters as asked for, where one that does not hold (a partner not found, a
    choice not offered, a search too long) matches nothing (`"nothing": True`) rather than
    being dropped, which would widen the list to everything the others allow."""
    form.is_valid()
    found: dict[str, Any] = dict(form.cleaned_data)
    for name in form.fields:
        if str(form.data.get(name) or "").strip() and found.get(name) in (None, ""):
            found["nothing"] = True
    return found
