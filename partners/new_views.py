"""The New menu's partner pages: a contact added to any organization, chosen by typing its name,
and the suggestions the organization box shows as that name is typed (partners.organization_picker).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from core.http import AuthenticatedHttpRequest
from partners import selectors
from partners.forms import ContactCreateForm
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


def contact_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Add a contact, with their role at an organization typed by name."""
    start = start_from(request.GET)
    if request.method == "POST":
        picker = OrganizationPickerForm(request.POST)
        form = ContactCreateForm(request.POST)
        organization = picker.chosen()
        if form.is_valid() and organization is not None:
            contact = contact_added(request, form, organization)
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
