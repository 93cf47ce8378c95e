"""Import pages: upload, preview (column mapping), confirm, history and undo. Managers only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.forms import apply_service_errors
from core.http import AuthenticatedHttpRequest, paginate, query_without
from core.roles import manager_required
from transfer import selectors, services
from transfer.forms import ImportConfirmForm, ImportUploadForm, MappingForm
from transfer.models import ImportRun
from transfer.validation import Plan

# The preview lists this many rows of each sort; the counts cover them all.
SHOWN = {"errors": 200, "matches": 100, "new": 100}


def _run_or_404(pk: int) -> ImportRun:
    try:
        return selectors.import_run(pk)
    except ImportRun.DoesNotExist as error:
        raise Http404("No such import.") from error


@require_GET
@manager_required
def import_list(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort")
    page = paginate(request, selectors.import_run_list(sort))
    return render(
        request,
        "transfer/import_list.html",
        {
            "page": page,
            "query": query_without(request, "page"),
            "headers": selectors.IMPORT_SORTING.headers(request, sort),
        },
    )


@manager_required
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                run = services.import_preview(
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    by=request.user,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return redirect(run)
    else:
        form = ImportUploadForm()
    return render(request, "transfer/import_upload.html", {"form": form})


@manager_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A preview (GET), or a change of its column mapping (POST); once imported, a summary
    with the records it created and updated, a page at a time."""
    run = _run_or_404(pk)
    if run.status != ImportRun.Status.PREVIEW:
        page = paginate(request, selectors.import_run_items(run))
        return render(request, "transfer/import_detail.html", {"run": run, "page": page})
    try:
        table, plan = services.import_plan(run)
    except ValidationError as error:
        return render(
            request, "transfer/import_preview.html", {"run": run, "file_error": error.messages[0]}
        )
    mapping_form = MappingForm(
        request.POST if request.method == "POST" else None, run=run, header=table.header
    )
    if request.method == "POST" and mapping_form.is_valid():
        services.import_mapping_set(run=run, mapping=mapping_form.mapping())
        messages.info(request, "Columns changed: the preview below is checked again.")
        return redirect(run)
    confirm_form = ImportConfirmForm(initial={"signature": plan.signature})
    return _preview(request, run, table.encoding, plan, mapping_form, confirm_form)


def _preview(
    request: HttpRequest,
    run: ImportRun,
    encoding: str,
    plan: Plan,
    mapping_form: MappingForm,
    confirm_form: ImportConfirmForm,
    status: int = 200,
) -> HttpResponse:
    errors, matches, new = plan.errors, plan.matches, plan.new
    context = {
        "run": run,
        "encoding": encoding,
        "plan": plan,
        "mapping_form": mapping_form,
        "confirm_form": confirm_form,
        "counts": {
            "errors": len(errors),
            "matches": len(matches),
            "new": len(new),
            "roles": len(plan.roles),
        },
        "errors": errors[: SHOWN["errors"]],
        "matches": matches[: SHOWN["matches"]],
        "new": new[: SHOWN["new"]],
        "shown": SHOWN,
        "noun": "organization" if run.kind == ImportRun.Kind.ORGANIZATIONS else "contact",
    }
    return render(request, "transfer/import_preview.html", context, status=status)


@require_POST
@manager_required
def import_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = _run_or_404(pk)
    if run.status != ImportRun.Status.PREVIEW:
        messages.info(request, "This file has already been imported.")
        return redirect(run)
    form = ImportConfirmForm(request.POST)
    if form.is_valid():
        try:
            run = services.import_confirm(
                run=run,
                by=request.user,
                update_existing=form.cleaned_data["update_existing"],
                skip_errors=form.cleaned_data["skip_errors"],
                signature=form.cleaned_data["signature"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) in ("changed", "file_gone"):
                messages.error(request, error.messages[0])
                return redirect(run)
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Imported {run.original_name}: {run.created_count:,} created, "
                f"{run.updated_count:,} updated, {run.skipped_count:,} skipped.",
            )
            return redirect(run)
    try:
        table, plan = services.import_plan(run)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(run)
    mapping_form = MappingForm(run=run, header=table.header)
    return _preview(request, run, table.encoding, plan, mapping_form, form, status=400)


@manager_required
def import_undo(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: what undoing would do, and a button; POST: undo."""
    run = _run_or_404(pk)
    if run.status != ImportRun.Status.DONE:
        messages.info(request, "Only an import that was carried out can be undone.")
        return redirect(run)
    if request.method == "POST":
        try:
            plan = services.import_undo(run=run, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            parts = []
            if run.kind == ImportRun.Kind.ORGANIZATIONS:
                parts.append(f"{len(plan.organizations):,} organizations archived")
            else:
                parts.append(f"{len(plan.contacts_removed):,} contacts removed")
                if plan.contacts_kept:
                    parts.append(f"{len(plan.contacts_kept):,} kept (used since the import)")
            messages.success(request, f"Import of {run.original_name} undone: {', '.join(parts)}.")
        return redirect("transfer:import_list")
    plan = services.import_undo_plan(run)
    return render(request, "transfer/import_undo.html", {"run": run, "plan": plan})
