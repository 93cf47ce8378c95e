"""Organizations related to organizations (partners.relations): add a tie from an organization's
page, correct or end it, remove one entered by mistake."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from core.conflicts import VersionedForm, save_unless_changed
from core.dates import EARLIEST
from core.forms import apply_service_errors
from core.http import AuthenticatedHttpRequest, record_number
from partners import relations
from partners.models import Organization
from partners.organization_picker import OrganizationPickerForm
from partners.relations import OrganizationRelation

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RelationDatesForm(VersionedForm, forms.Form):
    """When the tie began and ended (empty: not known, or not ended), and a note."""

    started_on = forms.DateField(label="Since", required=False, widget=DAY)
    ended_on = forms.DateField(
        label="Until",
        required=False,
        widget=DAY,
        help_text="The day it ended (they left the coalition, the funding stopped).",
    )
    note = forms.CharField(
        label="Note",
        max_length=300,
        required=False,
        help_text="For example “Seat on the steering committee” or “Grant renewed yearly”.",
    )

    def initial_for(self, record: OrganizationRelation) -> dict[str, Any]:
        return {"started_on": record.started_on, "ended_on": record.ended_on, "note": record.note}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        for name in ("started_on", "ended_on"):
            day = cleaned.get(name)
            if day is not None and day < EARLIEST:
                self.add_error(name, f"Pick a day after {EARLIEST:%Y}.")
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", "It cannot end before it started.")
        return cleaned


class RelationAddForm(RelationDatesForm):
    choice = forms.ChoiceField(
        label="How it is related",
        choices=[("", "Choose…"), *relations.CHOICES],
        error_messages={"required": "Choose how they are related."},
    )
    field_order = ["choice", "started_on", "ended_on", "note"]


def _back_to(request: HttpRequest, relation: OrganizationRelation) -> Organization:
    """The organization whose page the tie was opened from (?of=), else its first one."""
    number = record_number(request.GET.get("of"))
    return relation.related if number == relation.related_id else relation.organization


def relation_add(request: AuthenticatedHttpRequest, org_pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=org_pk)
    if request.method == "POST":
        form, picker = RelationAddForm(request.POST), OrganizationPickerForm(request.POST)
        other = picker.chosen()
        if form.is_valid() and other is not None:
            try:
                relation = relations.organization_relation_add(
                    organization=organization, other=other, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"Saved: {relation}.")
                return redirect(organization)
    else:
        form, picker = RelationAddForm(), OrganizationPickerForm()
    picker.fields["organization_name"].label = "The other organization"
    context = {"form": form, "picker": picker, "organization": organization}
    return render(request, "partners/relation_form.html", context)


def relation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    relation = get_object_or_404(
        OrganizationRelation.objects.select_related("organization", "related"),
        pk=pk,
        removed_at__isnull=True,
    )
    back = _back_to(request, relation)
    form = RelationDatesForm(request.POST if request.method == "POST" else None, record=relation)
    if form.is_bound and form.is_valid():
        try:
            saved = save_unless_changed(
                form,
                lambda current: relations.organization_relation_update(
                    relation=current, **form.cleaned_data
                ),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if saved is not None:  # else someone saved it meanwhile: form.conflict says
                messages.success(request, f"Saved: {saved}.")
                return redirect(back)
    context = {"form": form, "relation": relation, "organization": back}
    return render(request, "partners/relation_form.html", context)


def relation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then take off a tie entered by mistake (kept in both organizations' history)."""
    relation = get_object_or_404(
        OrganizationRelation.objects.select_related("organization", "related"), pk=pk
    )
    back = _back_to(request, relation)
    if request.method == "POST":
        relations.organization_relation_remove(relation=relation)
        messages.success(request, f"Removed: {relation}.")
        return redirect(back)
    return render(
        request, "partners/relation_remove.html", {"relation": relation, "organization": back}
    )
