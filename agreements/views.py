"""Agreements' pages: the list, one agreement, new and edit."""

from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from agreements import selectors, services
from agreements.forms import AgreementFilterForm, AgreementForm
from agreements.models import Agreement
from core.conflicts import save_unless_changed
from core.forms import apply_service_errors
from core.http import AuthenticatedHttpRequest, paginate, record_number
from documents.panels import documents_section
from partners.models import Organization
from programs.models import Program


@require_GET
def agreement_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = AgreementFilterForm(request.GET)
    found = selectors.agreement_search(filters.filters())
    page = paginate(request, found)
    return render(request, "agreements/agreement_list.html", {"filters": filters, "page": page})


@require_GET
def agreement_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_page(pk)
    if agreement is None:
        raise Http404("No such agreement.")
    context = {"agreement": agreement, **documents_section(agreement)}
    return render(request, "agreements/agreement_detail.html", context)


def agreement_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new agreement, from a partner's page (?organization=) or a program's (?program=)."""
    organization = _number_of(Organization, request.GET.get("organization"))
    program = _number_of(Program, request.GET.get("program"))
    partners = [organization] if organization else []
    if program and not partners:
        partners = list(Organization.objects.filter(program_roles__program=program)[:1])
    form = AgreementForm(
        request.POST or None,
        organizations=partners,
        initial={"program": program.pk if program else None, "owner": request.user.pk},
    )
    return _saved_or_form(request, form, Agreement(), "New agreement")


def agreement_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk)
    partners = list(agreement.organizations.order_by("name"))
    form = AgreementForm(request.POST or None, instance=agreement, organizations=partners)
    return _saved_or_form(request, form, agreement, f"Edit: {agreement.title}")


def _saved_or_form(
    request: AuthenticatedHttpRequest, form: AgreementForm, agreement: Agreement, heading: str
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        partners = form.cleaned_data["partners"]
        try:
            saved = save_unless_changed(
                form,
                lambda current: services.agreement_save(
                    agreement=form.save(commit=False), organizations=partners, by=request.user
                ),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if saved is not None:
                messages.success(request, f"Saved: {saved}.")
                return redirect(saved)
    context = {"form": form, "agreement": agreement, "heading": heading}
    return render(request, "agreements/agreement_form.html", context)


M = TypeVar("M", Organization, Program)


def _number_of(model: type[M], value: str | None) -> M | None:
    """The record an address names by its number (?organization=12), or None."""
    number = record_number(value)
    return model._default_manager.filter(pk=number).first() if number else None
