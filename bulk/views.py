"""The bulk pages: what to do with the selected records, the confirmation that says exactly
what will change, the result (with a progress bar while a task runs it), and the managers'
review of every bulk action."""

import contextlib
import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from bulk import selectors
from bulk.forms import ActionForm
from bulk.models import BulkAction
from bulk.plans import Plan, plan_of
from bulk.selection import Selection, SelectionError, counted, filter_of, selection_from
from bulk.services import bulk_action_record, bulk_action_start
from core.http import AuthenticatedHttpRequest, htmx_targets, paginate
from core.roles import is_manager, manager_required
from saved_views.lists import filters_in_words
from transfer import export

EXPORTS: dict[str, export.Export] = {
    BulkAction.Records.ORGANIZATIONS: export.ORGANIZATIONS,
    BulkAction.Records.CONTACTS: export.CONTACTS,
}


def _refused(request: AuthenticatedHttpRequest, error: SelectionError) -> HttpResponse:
    """Back to the list the selection came from (or home), saying what to do."""
    messages.warning(request, str(error))
    params = request.POST or request.GET
    if params.get("records") in BulkAction.Records.values:
        return redirect(Selection(params["records"], (), filter_of(params)).list_url)
    return redirect("home")


def _confirmation(
    request: AuthenticatedHttpRequest, selection: Selection, form: ActionForm, changed: bool
) -> HttpResponse:
    assert form.operation is not None
    plan = plan_of(
        selection=selection, operation=form.operation, values=form.values(), user=request.user
    )
    fields = ["action", *form.operation.fields]
    context = {
        "selection": selection,
        "plan": plan,
        "changed_since": changed,
        "action_fields": [(name, form[name].value() or "") for name in fields],
        "noun": counted(len(plan.changing), selection.records).split(" ", 1)[1],
        # One confirmation, one action (bulk.services.bulk_action_start).
        "confirmation": secrets.token_hex(16),
    }
    return render(request, "bulk/confirm.html", context)


@require_GET
def bulk_choose(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What to do with the selection; once chosen, the confirmation page."""
    try:
        selection = selection_from(request.GET)
    except SelectionError as error:
        return _refused(request, error)
    data = request.GET if "action" in request.GET else None
    form = ActionForm(selection.records, request.user, data)
    if form.is_bound and form.is_valid():
        return _confirmation(request, selection, form, changed=False)
    count = counted(len(selection.record_ids(request.user)), selection.records)
    context = {"selection": selection, "form": form, "count": count}
    return render(request, "bulk/choose.html", context)


def _exported(
    request: AuthenticatedHttpRequest, plan: Plan, selection: Selection, confirmation: str
) -> HttpResponseBase:
    with contextlib.suppress(IntegrityError):  # the same confirmation at once: kept once
        bulk_action_record(
            plan=plan,
            by=request.user,
            selection=selection,
            confirmation=confirmation,
            status=BulkAction.Status.DONE,
        )
    ids = [record.pk for record in plan.changing]
    xlsx = plan.values["format"] == "xlsx"
    return export.selection_response(EXPORTS[selection.records], ids, xlsx=xlsx)


@require_POST
def bulk_run(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Confirmed: the selection and the change are read again; run only if they are still
    what the confirmation page said."""
    try:
        selection = selection_from(request.POST)
    except SelectionError as error:
        return _refused(request, error)
    form = ActionForm(selection.records, request.user, request.POST)
    if not form.is_valid() or form.operation is None:
        messages.warning(request, "Choose what to do again: the form could not be read.")
        return redirect(f"{reverse('bulk:bulk_choose')}?{selection.as_query()}")
    confirmation = request.POST.get("confirmation", "")[:40]
    if confirmation and (done := BulkAction.objects.filter(confirmation=confirmation).first()):
        return redirect(done)  # confirmed twice: the first one's page
    plan = plan_of(
        selection=selection, operation=form.operation, values=form.values(), user=request.user
    )
    if plan.digest != request.POST.get("digest") or not plan.changing or not confirmation:
        return _confirmation(request, selection, form, changed=True)
    if plan.operation.apply is None:  # an export: the file is the result, kept as done
        return _exported(request, plan, selection, confirmation)
    bulk_action = bulk_action_start(
        plan=plan, by=request.user, selection=selection, confirmation=confirmation
    )
    return redirect(bulk_action)


@require_GET
def bulk_action_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Its result, or its progress while a task runs it; the records it changed, a page at a
    time. For the person who made it and for managers."""
    try:
        bulk_action = selectors.bulk_action_detail(pk)
    except BulkAction.DoesNotExist as error:
        raise Http404("No such bulk action.") from error
    if bulk_action.by_id != request.user.pk and not is_manager(request.user):
        raise PermissionDenied("Only the person who made it, or a manager, can see this.")
    context = {"bulk_action": bulk_action, "progress": selectors.progress_of(bulk_action)}
    if htmx_targets(request, "progress"):
        response = render(request, "bulk/partials/progress.html", context)
        if bulk_action.finished:
            response["HX-Refresh"] = "true"  # the whole page: its result and its records
        return response
    page = Paginator(bulk_action.record_ids, 25).get_page(request.GET.get("page"))
    context["page"] = page
    context["named"] = selectors.records_named(bulk_action.records, list(page.object_list))
    # "Kind: Health organization", as the saved views say a list's filters.
    context["filter_words"] = filters_in_words(bulk_action.records, bulk_action.selection_filter)
    return render(request, "bulk/bulk_action_detail.html", context)


@require_GET
@manager_required
def bulk_action_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = paginate(request, selectors.bulk_action_list())
    return render(request, "bulk/bulk_action_list.html", {"page": page})
