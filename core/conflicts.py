"""Edit forms that notice the record changed since they were opened: the last write no longer
silently wins.

An edit form (`VersionedForm`) carries a hidden `version`: when it was opened, and for each of
its fields a short digest of the value it showed. Saving goes through `save_unless_changed`,
which reads the record again, locked (`select_for_update`, in the transaction of the save), and
rebuilds the form from it: if a field the form shows has changed since it was opened, nothing
is saved. The form comes back, still holding what the person typed, with `form.conflict`: who
changed the record and when (from its change history where it has one, else "someone" and its
`updated_at`), and each field whose value now differs from theirs, or that the other person
changed, side by side (core/partials/edit_conflict.html). The version it now carries is the
record's current one, so saving again keeps theirs on purpose; reloading the form takes theirs.

Fields that are not on the form (an organization's stage, moved on the board meanwhile) are no
conflict: the save does not touch them. A form posted without a version (an old page) is saved
as before.
"""

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import dateformat, formats, timezone
from django.utils.datastructures import MultiValueDict

from core.history import is_tracked
from core.people import display_name
from core.rows import clock

VERSION = "version"
EMPTY = "—"
T = TypeVar("T")
GONE = "This record is no longer in Liaison (merged or deleted meanwhile): nothing was saved."


@dataclass(frozen=True)
class FieldConflict:
    label: str
    theirs: str
    yours: str
    changed_by_them: bool


@dataclass(frozen=True)
class EditConflict:
    """Someone else saved the record after this form was opened."""

    who: str
    when: dt.datetime | None
    fields: tuple[FieldConflict, ...]

    @property
    def message(self) -> str:
        """ "Changed by Marcus Reed at 2:14 PM since you opened it", in the user's time zone."""
        when = ""
        if self.when is not None:
            local = timezone.localtime(self.when)
            when = f" at {clock(local)}"
            if local.date() != timezone.localdate():
                when = f" on {dateformat.format(local, 'M j')}{when}"
        return f"Changed by {self.who}{when} since you opened it."


def _digest(field: forms.Field, value: Any) -> str:
    """A short digest of a value as the form shows it (a list's order does not count)."""
    prepared = field.prepare_value(value)
    if isinstance(prepared, list | tuple | set):
        text = "\x1f".join(sorted(str(item) for item in prepared))
    else:
        text = "" if prepared is None else str(prepared)
    # A browser sends a textarea's lines ending in CRLF: the same text saved again from a form
    # is not a change.
    text = text.replace("\r\n", "\n")
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _same_text(shown: str) -> str:
    """A value as the person sees it: line endings and surrounding spaces do not count."""
    return shown.replace("\r\n", "\n").strip()


def _parse(version: str) -> tuple[dt.datetime | None, dict[str, str]]:
    opened, _, digests = version.partition("|")
    try:
        opened_at: dt.datetime | None = dt.datetime.fromisoformat(opened)
    except ValueError:
        opened_at = None
    pairs = (pair.partition("=") for pair in digests.split(",") if pair)
    return opened_at, {name: digest for name, _, digest in pairs}


def _model_field_labels(field: forms.ModelChoiceField, pks: list[Any]) -> dict[str, str]:
    """Labels of the chosen objects only: never a query of every choice (thousands of them)."""
    queryset = field.queryset
    assert queryset is not None  # a model choice field has its queryset by now
    found = queryset.model._base_manager.filter(pk__in=[pk for pk in pks if pk not in ("", None)])
    return {str(obj.pk): field.label_from_instance(obj) for obj in found}


def _shown(field: forms.Field, value: Any) -> str:
    """A value as a librarian reads it: a choice's label, a person's name, a date."""
    if isinstance(field, forms.BooleanField):
        return "Yes" if value else "No"
    prepared = field.prepare_value(value)
    if isinstance(field, forms.ModelChoiceField):  # and ModelMultipleChoiceField
        many = prepared if isinstance(prepared, list | tuple) else [prepared]
        labels = _model_field_labels(field, list(many))
        shown = [labels.get(str(pk), f"#{pk}") for pk in many if pk not in ("", None)]
        return ", ".join(shown) or EMPTY
    if prepared is None or prepared == "" or prepared == []:
        return EMPTY
    if isinstance(field, forms.ChoiceField):
        labels = {str(key): str(label) for key, label in _flat_choices(field.choices)}
        return labels.get(str(prepared), str(prepared))
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return formats.date_format(value, "M j, Y")
    if isinstance(value, dt.time):
        return clock(value)
    return str(prepared)


def _flat_choices(choices: Any) -> list[tuple[Any, Any]]:
    flat: list[tuple[Any, Any]] = []
    for key, label in choices:
        if isinstance(label, list | tuple):  # an optgroup
            flat.extend(label)
        else:
            flat.append((key, label))
    return flat


class VersionedForm(forms.BaseForm):
    """Mix into an edit form (before forms.Form or forms.ModelForm) to catch changes made by
    someone else since it was opened. The record is a ModelForm's instance, or `record=`.

    `conflict_exclude` names fields that are no part of the record (a confirmation box).
    """

    conflict_exclude: tuple[str, ...] = ()
    _rebuild: dict[str, Any]

    def __new__(cls, *args: Any, **kwargs: Any) -> "VersionedForm":
        form = super().__new__(cls)
        # Every keyword the form was made with, its own included (user=, organization=…), to
        # make it again, unbound, on the record as it is now (_as_of).
        form._rebuild = {
            k: v
            for k, v in kwargs.items()
            if k not in {"data", "files", "instance", "initial", "record"}
        }
        return form

    def __init__(self, *args: Any, record: models.Model | None = None, **kwargs: Any) -> None:
        if record is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(record)
        super().__init__(*args, **kwargs)
        self.record = record if record is not None else getattr(self, "instance", None)
        self.conflict: EditConflict | None = None
        self.fields[VERSION] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound and self.record is not None and self.record.pk is not None:
            # Called when the form is shown: after the form's own __init__ has set its values.
            self.fields[VERSION].initial = self.version

    def initial_for(self, record: Any) -> dict[str, Any] | None:
        """A plain form's values for `record` (a ModelForm reads its instance)."""
        return None

    def checked_fields(self) -> list[str]:
        """The record's fields on this form; a disabled one is never saved from it."""
        return [
            name
            for name, field in self.fields.items()
            if name != VERSION and name not in self.conflict_exclude and not field.disabled
        ]

    def version(self) -> str:
        """This (unbound) form's version: now, and a digest of each value it shows."""
        digests = ",".join(
            f"{name}={_digest(self.fields[name], self[name].initial)}"
            for name in self.checked_fields()
        )
        return f"{timezone.now().isoformat()}|{digests}"

    def _as_of(self, current: models.Model) -> "VersionedForm":
        """This form, unbound, as it would open on the record as it is now."""
        kind = "instance" if isinstance(self, forms.BaseModelForm) else "record"
        return type(self)(**self._rebuild, **{kind: current})

    def full_clean(self) -> None:
        super().full_clean()
        # The version is the form's bookkeeping, never a value for the service.
        self.opened_version = str(getattr(self, "cleaned_data", {}).pop(VERSION, "") or "")

    def conflict_with(self, current: models.Model) -> EditConflict | None:
        """What conflicts between this valid, posted form and the record as it is now.

        None when no field the form shows has changed since it was opened (or the form came
        without a version). Else the form now carries the current version, so that saving it
        again keeps this person's values deliberately.
        """
        opened_at, opened = _parse(getattr(self, "opened_version", ""))
        if not opened:
            return None
        fresh = self._as_of(current)
        names = self.checked_fields()
        theirs = {name: fresh[name].initial for name in names}
        by_them = {n for n in names if opened.get(n) != _digest(self.fields[n], theirs[n])}
        if not by_them:
            return None
        rows = []
        for name in names:
            field = self.fields[name]
            shown = _shown(field, theirs[name]), _shown(field, self.cleaned_data.get(name))
            # Differs as the person would see it (not a stored trailing space the form trims).
            differs = field.has_changed(theirs[name], self[name].data) and (
                _same_text(shown[0]) != _same_text(shown[1])
            )
            if name in by_them or differs:
                label = str(field.label or name.replace("_", " ").capitalize())
                rows.append(FieldConflict(label, *shown, changed_by_them=name in by_them))
        self._carry_version(fresh.version())
        who, when = _last_change(current, opened_at)
        return EditConflict(who=who, when=when, fields=tuple(rows))

    def _carry_version(self, version: str) -> None:
        assert isinstance(self.data, MultiValueDict)  # request.POST
        data = self.data.copy()
        data[self.add_prefix(VERSION)] = version
        self.data = data


def _last_change(current: models.Model, opened_at: dt.datetime | None) -> tuple[str, Any]:
    """Who changed the record last, and when: from its change history, else "someone"."""
    model = type(current)
    if is_tracked(model):
        manager = getattr(current, model._meta.simple_history_manager_attribute)  # type: ignore[attr-defined]
        row = manager.select_related("history_user").order_by("-history_date", "-history_id")
        last = row.first()
        if last is not None and (opened_at is None or last.history_date >= opened_at):
            return display_name(last.history_user) or "someone", last.history_date
    updated_at = getattr(current, "updated_at", None)
    if updated_at is not None and (opened_at is None or updated_at >= opened_at):
        return "someone", updated_at
    return "someone", None


def save_unless_changed(form: VersionedForm, save: Callable[[Any], T]) -> T | None:
    """Call `save(current)` with the record read afresh and locked, unless someone changed it
    since the form was opened: then None, with `form.conflict` set and nothing saved.

    A new record (no pk) is simply saved: `save(None)`.
    """
    record = form.record
    if record is None or record.pk is None:
        return save(None)
    with transaction.atomic():
        try:
            current = type(record)._base_manager.select_for_update().get(pk=record.pk)
        except ObjectDoesNotExist:
            raise ValidationError(GONE, code="gone") from None
        form.conflict = form.conflict_with(current)
        if form.conflict is not None:
            return None
        return save(current)
