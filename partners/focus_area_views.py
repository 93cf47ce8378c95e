"""Focus areas, kept by managers (partners.focus_areas): the list, add, rename, retire, merge."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.forms import apply_service_errors
from core.http import AuthenticatedHttpRequest
from core.roles import manager_required
from partners import focus_areas
from partners.models import FocusArea


class FocusAreaNameForm(forms.Form):
    name = forms.CharField(label="Name", max_length=80)


class FocusAreaMergeForm(forms.Form):
    survivor = forms.ModelChoiceField(
        label="Merge into",
        queryset=FocusArea.objects.none(),
        empty_label="Choose a focus area",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: object, other: FocusArea, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["survivor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = FocusArea.objects.exclude(pk=other.pk).order_by("name")


@require_GET
@manager_required
def focus_area_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {"focus_areas": focus_areas.focus_areas_with_counts(), "form": FocusAreaNameForm()}
    return render(request, "partners/focus_area_list.html", context)


@require_POST
@manager_required
def focus_area_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = FocusAreaNameForm(request.POST)
    if form.is_valid():
        try:
            area = focus_areas.focus_area_create(name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Added: {area}.")
            return redirect("partners:focus_area_list")
    context = {"focus_areas": focus_areas.focus_areas_with_counts(), "form": form}
    return render(request, "partners/focus_area_list.html", context, status=400)


@manager_required
def focus_area_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(FocusArea, pk=pk)
    form = FocusAreaNameForm(request.POST or None, initial={"name": area.name})
    if request.method == "POST" and form.is_valid():
        old = area.name
        try:
            focus_areas.focus_area_rename(focus_area=area, name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Renamed: {old} → {area.name}.")
            return redirect("partners:focus_area_list")
    return render(request, "partners/focus_area_edit.html", {"form": form, "area": area})


@require_POST
@manager_required
def focus_area_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(FocusArea, pk=pk)
    retired = request.POST.get("retired") != "no"
    focus_areas.focus_area_retire(focus_area=area, retired=retired)
    if retired:
        messages.success(request, f"“{area}” is retired: no longer offered, kept where it is.")
    else:
        messages.success(request, f"“{area}” is offered again.")
    return redirect("partners:focus_area_list")


@manager_required
def focus_area_merge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    other = get_object_or_404(focus_areas.focus_areas_with_counts(), pk=pk)
    form = FocusAreaMergeForm(request.POST or None, other=other)
    if request.method == "POST" and form.is_valid():
        survivor = form.cleaned_data["survivor"]
        try:
            merged = focus_areas.focus_area_merge(survivor=survivor, other=other)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            said = f"“{other.name}” merged into “{survivor}”: {merged.moved} records moved"
            messages.success(request, f"{said}, {merged.already} already had both.")
            return redirect("partners:focus_area_list")
    return render(request, "partners/focus_area_merge.html", {"form": form, "area": other})
