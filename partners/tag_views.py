"""Tags (partners.tags): the managers' list (add, rename, recolour, retire), and giving an
organization or a contact its tags (a program's: programs.views)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from core.conflicts import VersionedForm, save_unless_changed
from core.forms import apply_service_errors
from core.http import AuthenticatedHttpRequest
from core.roles import manager_required
from partners import tags
from partners.models import Contact, Organization
from partners.tags import Tag


class TagForm(forms.Form):
    name = forms.CharField(label="Name", max_length=tags.NAME_MAX_LENGTH)
    colour = forms.ChoiceField(label="Colour", choices=Tag.Colour.choices, initial="blue")


class TagsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Tag) -> str:
        retired = " (retired: untick to take it off)" if obj.retired_at else ""
        return format_html('<span class="badge tag tag-{}">{}</span>{}', obj.colour, obj, retired)


class RecordTagsForm(VersionedForm, forms.Form):
    """The tags of an organization, a contact or a program (`record=`): those offered, ticked as
    it has them (a retired one it has stays, to be taken off). Opened before someone else
    changed them, it says so rather than undo their change (core.conflicts)."""

    tags = TagsField(
        queryset=Tag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Tags",
        error_messages={"invalid_choice": "That tag can no longer be given."},
    )

    def __init__(self, *args: Any, record: models.Model, **kwargs: Any) -> None:
        super().__init__(*args, record=record, **kwargs)
        field = self.fields["tags"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = tags.tags_offered(keeping=self.initial.get("tags", []))

    def initial_for(self, record: models.Model) -> dict[str, Any]:
        return {"tags": sorted(getattr(record, "tags").values_list("pk", flat=True))}  # noqa: B009


def record_tags_page(request: HttpRequest, record: models.Model, back: str) -> HttpResponse:
    """The page giving a record its tags; back to `back` (its page) once saved."""
    form = RecordTagsForm(request.POST or None, record=record)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["tags"]
        try:
            saved = save_unless_changed(
                form, lambda current: tags.record_tags_set(record=current, tags=chosen)
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if saved is not None:  # else someone changed them meanwhile: form.conflict says
                messages.success(request, f"Tags of {record} saved.")
                return redirect(back)
    has_tags = Tag.objects.exists()
    context = {"form": form, "record": record, "back": back, "has_tags": has_tags}
    return render(request, "partners/record_tags.html", context)


def organization_tags(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=pk)
    return record_tags_page(request, organization, organization.get_absolute_url())


def contact_tags(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact, pk=pk)
    return record_tags_page(request, contact, contact.get_absolute_url())


def _list_page(request: HttpRequest, form: TagForm, status: int = 200) -> HttpResponse:
    context = {"tags": tags.tags_with_counts(), "form": form}
    return render(request, "partners/tag_list.html", context, status=status)


@require_GET
@manager_required
def tag_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _list_page(request, TagForm())


@require_POST
@manager_required
def tag_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TagForm(request.POST)
    if form.is_valid():
        try:
            tag = tags.tag_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Added: {tag}.")
            return redirect("partners:tag_list")
    return _list_page(request, form, status=400)


@manager_required
def tag_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    tag = get_object_or_404(Tag, pk=pk)
    initial = {"name": tag.name, "colour": tag.colour}
    form = TagForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            tags.tag_update(tag=tag, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Saved: {tag}.")
            return redirect("partners:tag_list")
    return render(request, "partners/tag_edit.html", {"form": form, "tag": tag})


@require_POST
@manager_required
def tag_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    tag = get_object_or_404(Tag, pk=pk)
    retired = request.POST.get("retired") != "no"
    tags.tag_retire(tag=tag, retired=retired)
    if retired:
        messages.success(request, f"“{tag}” is retired: no longer offered, kept where it is.")
    else:
        messages.success(request, f"“{tag}” is offered again.")
    return redirect("partners:tag_list")
