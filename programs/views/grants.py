"""Joint grant applications: the list of all of them, and one program's grant on one page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import apply_service_errors
from core.http import paginate, query_without
from programs.forms.grants import (
    DeliverableFormSet,
    GrantFilterForm,
    GrantForm,
    SupportLetterFormSet,
)
from programs.models import Grant, GrantDeliverable, Program, SupportLetter
from programs.selectors import grants as selectors
from programs.services import grants as services


@require_GET
def grant_list(request: HttpRequest) -> HttpResponse:
    form = GrantFilterForm(request.GET)
    filters = form.filters()
    grants = selectors.grant_list(filters)
    page = paginate(request, grants)
    today = timezone.localdate()
    return render(
        request,
        "programs/grant_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(grant, selectors.deadline_note(grant, today)) for grant in page.object_list],
            "totals": selectors.grant_totals(grants),
            "filtered": bool(filters),
            "query": query_without(request, "page"),
        },
    )


def _deliverable_changes(formset: BaseFormSet) -> list[services.DeliverableChange]:
    changes = []
    for form in formset.forms:
        pk = form.instance.pk
        if form in formset.deleted_forms:
            if pk is not None:
                changes.append(services.DeliverableChange(pk=pk, delete=True))
        elif pk is not None or form.has_changed():
            data = form.cleaned_data
            changes.append(
                services.DeliverableChange(
                    pk=pk, title=data["title"], due_on=data["due_on"], owner=data["owner"]
                )
            )
    return changes


def _letter_changes(formset: BaseFormSet) -> list[services.LetterChange]:
    changes = []
    for form in formset.forms:
        pk = form.instance.pk
        if form in formset.deleted_forms:
            if pk is not None:
                changes.append(services.LetterChange(pk=pk, delete=True))
        elif pk is not None or form.has_changed():
            data = form.cleaned_data
            changes.append(
                services.LetterChange(
                    pk=pk, organization=data["organization"], received_on=data["received_on"]
                )
            )
    return changes


def _show_service_errors(
    error: ValidationError, form: GrantForm, sections: dict[str, BaseFormSet]
) -> None:
    """Each error next to its part of the page: a grant field, the deliverables, the letters."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        if name in sections:
            sections[name].non_form_errors().extend(ValidationError(errors).messages)
        else:
            apply_service_errors(form, ValidationError({name: errors}))


@require_http_methods(["GET", "POST"])
def grant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_object_or_404(Program.objects.select_related("lead", "grant"), pk=pk)
    if program.kind != Program.Kind.GRANT:
        return render(
            request,
            "programs/grant_form.html",
            {"program": program, "wrong_kind": True},
            status=404,
        )
    try:
        grant: Grant | None = program.grant
    except Grant.DoesNotExist:
        grant = None
    links = selectors.partner_links(program)
    partners = [link.organization for link in links]
    parent = grant or Grant(program=program)
    data = request.POST if request.method == "POST" else None
    form = GrantForm(data, instance=parent, prefix="grant")
    deliverables = DeliverableFormSet(
        data,
        instance=parent,
        prefix="deliverables",
        queryset=GrantDeliverable.objects.select_related("owner", "followup"),
        default_owner=program.lead or request.user,
    )
    letters = SupportLetterFormSet(
        data,
        instance=parent,
        prefix="letters",
        queryset=SupportLetter.objects.select_related("organization"),
        partners=partners,
    )
    if data is not None:
        # Every part is validated, so that all mistakes show at once.
        valid = [form.is_valid(), deliverables.is_valid(), letters.is_valid()]
        if all(valid):
            fields = {name: form.cleaned_data[name] for name in GrantForm.Meta.fields}
            try:
                services.grant_save(
                    program=program,
                    by=request.user,
                    deliverables=_deliverable_changes(deliverables),
                    letters=_letter_changes(letters),
                    **fields,
                )
            except ValidationError as error:
                _show_service_errors(
                    error, form, {"deliverables": deliverables, "letters": letters}
                )
            else:
                verb = "saved" if grant else "added"
                messages.success(request, f"The grant application was {verb}.")
                return redirect(program)
    return render(
        request,
        "programs/grant_form.html",
        {
            "program": program,
            "grant": grant,
            "form": form,
            "deliverables": deliverables,
            "letters": letters,
            "partners": partners,
            "lead_partner": selectors.lead_of(links),
        },
    )
