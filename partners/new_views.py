"""The partner pages where an organization is typed by name (partners.organization_picker): a
contact added from the New menu or the contacts list (at an organization, or at none), a contact
added to another organization from their page, and the suggestions the box shows as the name is
typed.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from core.forms import apply_service_errors
from core.http import AuthenticatedHttpRequest
from partners import selectors, services
from partners.forms import AffiliationFieldsMixin, ContactCreateForm
from partners.models import Contact
from partners.organization_picker import OrganizationPickerForm, start_from
from partners.views import contact_added

# Ten names fit a phone's screen above its keyboard; more is a sign to type more of the name.
SUGGESTIONS = 10


@require_GET
def organization_suggestions(request: HttpRequest) -> HttpResponse:
    """The organization box's suggestions for ?q=: a fragment of listbox options, and a
    sentence for screen readers saying how many there are."""
    text = " ".join(request.GET.get("q", "").split())[:200]
    found = selectors.organization_suggestions(text, limit=SUGGESTIONS + 1)
    return render(
        request,
        "partners/partials/organization_suggestions.html",
        {"suggestions": found[:SUGGESTIONS], "more": len(found) > SUGGESTIONS, "text": text},
    )


def _contact_posted(
    request: AuthenticatedHttpRequest,
) -> tuple[Contact | None, OrganizationPickerForm, ContactCreateForm]:
    """The contact added from the posted forms: at the organization typed, or (ticked) at none;
    None with the reasons on the forms (returned too, to show again)."""
    form = ContactCreateForm(request.POST)
    at_none = bool(request.POST.get("no_organization"))
    picker = OrganizationPickerForm(request.POST, allow_none=at_none)
    if not (form.is_valid() & picker.is_valid()):  # both, so that both show their errors
        return None, picker, form
    if form.cleaned_data["no_organization"] and picker.found is not None:
        form.add_error(
            "no_organization", "An organization is typed above: clear it, or untick this box."
        )
        return None, picker, form
    return contact_added(request, form, picker.found), picker, form


def contact_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Add a contact, with their role at an organization typed by name, or at none."""
    start = start_from(request.GET)
    if request.method == "POST":
        contact, picker, form = _contact_posted(request)
        if contact is not None:
            return redirect(contact)
    else:
        picker = OrganizationPickerForm(organization=start.organization)
        form = ContactCreateForm()
    return render(
        request,
        "partners/contact_form.html",
        {"form": form, "picker": picker, "organization": None, "contact": None, "start": start},
    )


def contact_organization_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Add a contact to an organization typed by name, with their role there (a new job, a
    community champion who joins a coalition)."""
    contact = get_object_or_404(Contact, pk=pk)
    if request.method == "POST":
        picker = OrganizationPickerForm(request.POST)
        form = AffiliationFieldsMixin(request.POST)
        organization = picker.chosen()
        if form.is_valid() and organization is not None:
            try:
                services.affiliation_create(
                    contact=contact, organization=organization, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"{contact} was added to {organization}.")
                return redirect(contact)
    else:
        picker, form = OrganizationPickerForm(), AffiliationFieldsMixin()
    return render(
        request,
        "partners/contact_organization_add.html",
        {"form": form, "picker": picker, "contact": contact},
    )
