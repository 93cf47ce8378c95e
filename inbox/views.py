"""Unfiled email: the list, filing one to an organization or setting it aside; attachments."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.files import file_response
from core.http import AuthenticatedHttpRequest, paginate
from core.profiles import capture_address
from inbox import selectors, services
from inbox.forms import FileEmailForm
from inbox.models import CapturedAttachment, CapturedEmail, SetAside
from partners.organization_picker import OrganizationPickerForm


# Attachments a browser may show itself; anything else is always downloaded.
@require_GET
def unfiled_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = paginate(request, selectors.unfiled_emails())
    context = {
        "page": page,
        "set_aside": selectors.set_aside_messages()[:20],
        "capture_address": capture_address(),
    }
    return render(request, "inbox/unfiled_list.html", context)


def unfiled_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    email = get_object_or_404(CapturedEmail.objects.select_related("staff"), pk=pk)
    if email.status != CapturedEmail.Status.UNFILED:
        messages.info(request, "This email has been filed or discarded already.")
        return redirect("inbox:unfiled_list")
    partners = services.partners_in(email)
    picker = OrganizationPickerForm()
    form = FileEmailForm(partners=partners)
    if request.method == "POST":
        picker = OrganizationPickerForm(request.POST)
        form = FileEmailForm(request.POST, partners=partners)
        organization = picker.chosen()
        if form.is_valid() and organization is not None:
            try:
                touchpoint = services.captured_email_file(
                    email=email,
                    organization=organization,
                    by=request.user,
                    add_people=form.cleaned_data.get("add_people", False),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Filed to {organization}.")
                return redirect(touchpoint.organization)
    context = {
        "email": email,
        "attachments": list(email.attachments.all()),
        "picker": picker,
        "form": form,
    }
    return render(request, "inbox/unfiled_detail.html", context)


@require_POST
def unfiled_discard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    email = get_object_or_404(CapturedEmail, pk=pk)
    try:
        services.captured_email_discard(email=email, by=request.user)
    except ValidationError:
        messages.info(request, "This email has been filed or discarded already.")
    else:
        messages.success(
            request, f"Discarded: “{email.subject or '(no subject)'}”. It is kept, off this list."
        )
    return redirect("inbox:unfiled_list")


@require_POST
def set_aside_seen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    updated = SetAside.objects.filter(pk=pk, seen_at__isnull=True).update(
        seen_by=request.user, seen_at=timezone.now()
    )
    if updated:
        messages.success(request, "Marked as seen.")
    return redirect("inbox:unfiled_list")


@require_GET
def attachment_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """A captured email's attachment, to signed-in staff only (LoginRequiredMiddleware); a
    type a browser could run (HTML, scripts) is never shown, only downloaded."""
    attachment = get_object_or_404(CapturedAttachment, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing from storage.") from error
    return file_response(handle, filename=attachment.filename, content_type=attachment.content_type)
