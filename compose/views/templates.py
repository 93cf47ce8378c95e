"""Email templates: everyone sees them; managers keep the list."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from compose import services
from compose.forms import EmailTemplateForm
from compose.merge import FIELDS
from compose.models import EmailTemplate
from core.conflicts import save_unless_changed
from core.forms import apply_service_errors
from core.http import AuthenticatedHttpRequest, paginate
from core.roles import manager_required


@require_GET
def template_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    archived = request.GET.get("show") == "archived"
    templates = EmailTemplate.objects.filter(is_archived=archived).select_related("created_by")
    context = {"page": paginate(request, templates), "archived": archived}
    return render(request, "compose/template_list.html", context)


@manager_required
def template_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EmailTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.email_template_create(by=request.user, **_fields(form))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Template “{template}” saved.")
            return redirect("compose:template_list")
    return render(request, "compose/template_form.html", {"form": form, "fields": FIELDS})


@manager_required
def template_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(EmailTemplate, pk=pk)
    form = EmailTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_unless_changed(
                form,
                lambda current: services.email_template_update(template=current, **_fields(form)),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if saved is not None:
                messages.success(request, f"Template “{saved}” saved.")
                return redirect("compose:template_list")
    context = {"form": form, "fields": FIELDS, "template": template}
    return render(request, "compose/template_form.html", context)


@require_POST
@manager_required
def template_archive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(EmailTemplate, pk=pk)
    archived = request.POST.get("archived") != "no"
    services.email_template_archive(template=template, archived=archived)
    if archived:
        messages.success(request, f"“{template}” is archived: it is no longer offered.")
    else:
        messages.success(request, f"“{template}” is offered again.")
    return redirect("compose:template_list")


def _fields(form: EmailTemplateForm) -> dict[str, str]:
    return {name: form.cleaned_data[name] for name in ("name", "subject", "body")}
