"""Joint grant applications: the list of all of them, and one program's grant on one page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, BaseModelFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.conflicts import save_unless_changed
from core.forms import apply_service_errors, formset_changes
from core.http import AuthenticatedHttpRequest, paginate, query_without
from partners.models import Organization
from programs.forms.grants import (
    DeliverableForm,
    DeliverableFormSet,
    GrantFilterForm,
    GrantForm,
    SupportLetterForm,
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
    totals = selectors.grant_totals(grants)
    page = paginate(request, grants, count=totals["count"])
    today = timezone.localdate()
    return render(
        request,
        "programs/grant_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(grant, selectors.deadline_note(grant, today)) for grant in page.object_list],
            "totals": totals,
            "headers": selectors.GRANT_SORTING.headers(request, filters.get("sort")),
            "filtered": any(name != "sort" for name in filters),
            "query": query_without(request, "page"),
        },
    )


def _deliverable_change(form: DeliverableForm, removed: bool) -> services.DeliverableChange:
    pk = form.instance.pk
    if removed:
        return services.DeliverableChange(pk=pk, delete=True)
    data = form.cleaned_data
    return services.DeliverableChange(
        pk=pk, title=data["title"], due_on=data["due_on"], owner=data["owner"]
    )


def _letter_change(form: SupportLetterForm, removed: bool) -> services.LetterChange:
    pk = form.instance.pk
    if removed:
        return services.LetterChange(pk=pk, delete=True)
    data = form.cleaned_data
    return services.LetterChange(
        pk=pk, organization=data["organization"], received_on=data["received_on"]
    )


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


def _grant_of(program: Program) -> Grant | None:
    try:
        return program.grant
    except Grant.DoesNotExist:
        return None


def _grant_forms(
    request: AuthenticatedHttpRequest, program: Program, parent: Grant, partners: list[Organization]
) -> tuple[GrantForm, BaseModelFormSet, BaseModelFormSet]:
    """The grant's fields, its deliverables and its letters of support, as posted or saved."""
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
    return form, deliverables, letters


def _grant_save(
    request: AuthenticatedHttpRequest,
    program: Program,
    form: GrantForm,
    deliverables: BaseModelFormSet,
    letters: BaseModelFormSet,
) -> bool:
    """Save valid forms through the service; False with its errors shown where they belong."""
    fields = {name: form.cleaned_data[name] for name in GrantForm.Meta.fields}
    try:
        saved = save_unless_changed(
            form,
            lambda current: services.grant_save(
                program=program,
                by=request.user,
                deliverables=formset_changes(deliverables, _deliverable_change),
                letters=formset_changes(letters, _letter_change),
                **fields,
            ),
        )
    except ValidationError as error:
        _show_service_errors(error, form, {"deliverables": deliverables, "letters": letters})
        return False
    return saved is not None  # else someone saved the grant meanwhile: form.conflict says


@require_http_methods(["GET", "POST"])
def grant_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    program = get_object_or_404(Program.objects.select_related("lead", "grant"), pk=pk)
    if program.kind != Program.Kind.GRANT:
        context = {"program": program, "wrong_kind": True}
        return render(request, "programs/grant_form.html", context, status=404)
    grant = _grant_of(program)
    links = selectors.partner_links(program)
    partners = [link.organization for link in links]
    parent = grant or Grant(program=program)
    form, deliverables, letters = _grant_forms(request, program, parent, partners)
    if request.method == "POST":
        # Every part is validated, so that all mistakes show at once.
        valid = [form.is_valid(), deliverables.is_valid(), letters.is_valid()]
        if all(valid) and _grant_save(request, program, form, deliverables, letters):
            verb = "saved" if grant else "added"
            messages.success(request, f"The grant application was {verb}.")
            return redirect(program)
    context = {
        "program": program,
        "grant": grant,
        "form": form,
        "deliverables": deliverables,
        "letters": letters,
        "partners": partners,
        "lead_partner": selectors.lead_of(links),
    }
    return render(request, "programs/grant_form.html", context)
