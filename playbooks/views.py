"""Managers keep the playbooks (Manage → Playbooks); everyone applies one to an organization
and stops one that no longer fits."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.conflicts import save_unless_changed
from core.forms import apply_service_errors
from core.http import AuthenticatedHttpRequest
from core.roles import manager_required
from partners.models import Organization
from playbooks import services
from playbooks.forms import ApplyForm, BaseStepFormSet, PlaybookForm, StopForm, step_formset
from playbooks.models import Playbook, PlaybookRun
from playbooks.selectors import playbook_with_steps, playbooks_listed

PLAYBOOK_FIELDS = ("name", "description", "kind", "auto_apply_stage")


@require_GET
@manager_required
def playbook_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "playbooks/playbook_list.html", {"playbooks": playbooks_listed()})


@require_GET
def playbook_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        playbook = playbook_with_steps(pk)
    except Playbook.DoesNotExist as error:
        raise Http404("No such playbook.") from error
    return render(request, "playbooks/playbook_detail.html", {"playbook": playbook})


def _form_page(
    request: AuthenticatedHttpRequest, form: PlaybookForm, steps: BaseStepFormSet
) -> HttpResponse:
    context = {
        "form": form,
        "steps": steps,
        "playbook": form.instance if form.instance.pk else None,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "playbooks/playbook_form.html", context, status=status)


@manager_required
def playbook_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PlaybookForm(request.POST or None)
    steps = step_formset(request.POST or None, None)
    if request.method == "POST" and form.is_valid() & steps.is_valid():
        fields = {name: form.cleaned_data[name] for name in PLAYBOOK_FIELDS}
        try:
            playbook = services.playbook_create(by=request.user, steps=steps.specs(), **fields)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Playbook “{playbook}” added.")
            return redirect(playbook)
    return _form_page(request, form, steps)


@manager_required
def playbook_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    playbook = get_object_or_404(Playbook, pk=pk)
    form = PlaybookForm(request.POST or None, instance=playbook)
    steps = step_formset(request.POST or None, playbook)
    if request.method == "POST" and form.is_valid() & steps.is_valid():
        fields = {name: form.cleaned_data[name] for name in PLAYBOOK_FIELDS}
        try:
            saved = save_unless_changed(
                form,
                lambda current: services.playbook_update(
                    playbook=current, steps=steps.specs(), **fields
                ),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if saved is not None:
                messages.success(request, f"Playbook “{saved}” saved.")
                return redirect(saved)
    return _form_page(request, form, steps)


@require_POST
@manager_required
def playbook_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    playbook = get_object_or_404(Playbook, pk=pk)
    retired = request.POST.get("retired") != "no"
    services.playbook_retire(playbook=playbook, retired=retired)
    if retired:
        messages.success(request, f"“{playbook}” is retired: no longer offered; runs go on.")
    else:
        messages.success(request, f"“{playbook}” is offered again.")
    return redirect("playbooks:playbook_list")


@require_POST
def playbook_apply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=pk)
    form = ApplyForm(request.POST)
    if not form.is_valid():
        problems = [
            f"{form.fields[k].label}: {' '.join(map(str, v))}" for k, v in form.errors.items()
        ]
        messages.error(request, "Nothing was applied. " + " ".join(problems))
        return redirect(organization)
    try:
        with transaction.atomic():
            run = services.playbook_apply(
                playbook=form.cleaned_data["playbook"],
                organization=organization,
                by=request.user,
                start_on=form.cleaned_data["start_on"],
            )
    except ValidationError as error:
        messages.error(request, "Nothing was applied: " + " ".join(error.messages))
    else:
        scheduled = sum(1 for step in run.steps.all() if step.followup_id)
        messages.success(request, f"“{run.playbook}” started: {scheduled} follow-up(s) scheduled.")
    return redirect(organization)


def run_stop(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(PlaybookRun.objects.select_related("playbook", "organization"), pk=pk)
    form = StopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.playbook_stop(run=run, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"“{run.playbook}” stopped: its open steps are cancelled.")
        return redirect(run.organization)
    status = 400 if request.method == "POST" else 200
    return render(request, "playbooks/run_stop.html", {"run": run, "form": form}, status=status)
