"""Documents' pages: upload to a record, the list of all, one document, its files."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.conflicts import save_unless_changed
from core.files import file_response
from core.forms import apply_service_errors, filters_that_hold
from core.http import COUNT_LIMIT, AuthenticatedHttpRequest, paginate
from core.roles import manager_required
from documents import selectors, services
from documents.forms import DocumentForm, DocumentUploadForm, PurgeForm, VersionUploadForm
from documents.models import Document, DocumentVersion
from documents.records import kind_of, record_of, record_title, record_url
from documents.search import DocumentFilterForm


def document_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a document to the record `?to=<kind>&of=<pk>` (the record's page posts here)."""
    record = record_of(request.GET.get("to", ""), request.GET.get("of", ""))
    if record is None:
        raise Http404("No such record to attach a document to.")
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_upload(
                record=record,
                upload=form.upload,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Uploaded: {document}.")
            return redirect(record_url(record))
    context = {
        "form": form,
        "record": record,
        "record_kind": kind_of(record).label,
        "record_title": record_title(record),
        "record_url": record_url(record),
    }
    return render(request, "documents/document_upload.html", context, status=_status(form))


def _status(form: DocumentUploadForm | VersionUploadForm) -> int:
    return 400 if form.is_bound and not form.is_valid() else 200


@require_GET
def document_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = DocumentFilterForm(request.GET)
    found = selectors.document_search(filters_that_hold(filters))
    page = paginate(request, found, count_limit=COUNT_LIMIT)
    return render(request, "documents/document_list.html", {"filters": filters, "page": page})


@require_GET
def document_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_page(pk)
    if document is None:
        raise Http404("No such document.")
    return render(request, "documents/document_detail.html", _detail(document))


def _detail(document: Document, **forms: object) -> dict[str, object]:
    record = selectors.record_of_document(document)
    return {
        "document": document,
        "versions": list(selectors.versions_of(document)),
        "record": record,
        "record_kind": kind_of(record).label if record else "",
        "record_title": record_title(record) if record else "",
        "record_url": record_url(record) if record else "",
        "version_form": forms.get("version_form") or VersionUploadForm(),
    }


@require_POST
def version_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    form = VersionUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = services.document_version_add(
                document=document, upload=form.upload, by=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Version {version.number} uploaded.")
            return redirect(document)
    context = _detail(selectors.document_page(pk) or document, version_form=form)
    return render(request, "documents/document_detail.html", context, status=400)


def document_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    form = DocumentForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ("title", "kind", "description")}
        try:
            saved = save_unless_changed(
                form, lambda current: services.document_update(document=current, **fields)
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if saved is not None:
                messages.success(request, f"Saved: {saved}.")
                return redirect(saved)
    return render(request, "documents/document_edit.html", {"form": form, "document": document})


@require_POST
def document_archive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    if request.POST.get("archived") == "no":
        try:
            services.document_restore(document=document, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"“{document}” is back in the lists.")
    else:
        services.document_archive(document=document, by=request.user)
        messages.success(request, f"“{document}” is archived: it left the lists, nothing is lost.")
    return redirect(document)


@manager_required
def document_purge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    form = PurgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        services.document_purge(document=document, reason=reason, by=request.user)
        messages.success(request, f"The files of “{document}” are purged; the record stays.")
        return redirect(document)
    return render(request, "documents/document_purge.html", {"form": form, "document": document})


@require_GET
def version_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """One version's file, to signed-in staff only (core.files): a PDF or an image shown in the
    browser, anything else (or with ?download) saved."""
    version = get_object_or_404(DocumentVersion.objects.select_related("document"), pk=pk)
    if not version.file:
        raise Http404("This file was purged.")
    try:
        handle = version.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing from storage.") from error
    return file_response(
        handle,
        filename=version.file_name,
        content_type=version.content_type,
        download="download" in request.GET,
    )
