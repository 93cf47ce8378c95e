"""Writing an email in Liaison: to one person (from a contact's or an organization's page) or
to everyone on a filtered list. Each form shows a preview of exactly what will be sent first."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from compose import selectors, services
from compose.audiences import MAX_RECIPIENTS, audience_of
from compose.forms import GroupEmailForm, PersonalEmailForm, TemplateChoiceForm
from compose.merge import FIELDS
from compose.messages import Sender, written_for
from core.forms import apply_service_errors
from core.http import AuthenticatedHttpRequest, record_number
from partners.models import Contact, Organization

# How many personalised messages a group email's preview shows.
PREVIEW_COUNT = 3


def _addressees(request: AuthenticatedHttpRequest):
    """Whom the email is to, from ?contact= or ?organization=, and the page to go back to."""
    source = request.GET
    if record_number(source.get("contact")):
        contact = get_object_or_404(Contact, pk=source["contact"])
        return selectors.addressees_of_contact(contact), contact
    if record_number(source.get("organization")):
        organization = get_object_or_404(Organization, pk=source["organization"], is_archived=False)
        return selectors.addressees_of_organization(organization), organization
    raise Http404("Write an email from a contact’s or an organization’s page.")


def _action(request: AuthenticatedHttpRequest, form) -> str:
    """What a valid posted form asks for: "preview" or "send"; "" to show the form again."""
    action = request.POST.get("action", "")
    if request.method != "POST" or action not in ("preview", "send") or not form.is_valid():
        return ""
    return action


@require_http_methods(["GET", "POST"])
def personal_email(request: AuthenticatedHttpRequest) -> HttpResponse:
    addressees, about = _addressees(request)
    template = TemplateChoiceForm(request.GET).chosen()
    form = PersonalEmailForm(
        request.POST if request.method == "POST" else None,
        template=template,
        people=addressees.people,
        organizations=addressees.organizations,
        ticked=addressees.ticked,
    )
    context = {"form": form, "addressees": addressees, "about": about, "fields": FIELDS}
    action = _action(request, form)
    if action == "send":
        sent = _personal_sent(request, form)
        if sent:
            return redirect(form.cleaned_data["organization"])
    elif action == "preview":
        context["preview"] = _previews(request, form.cleaned_data, chosen=None)
    context["template_form"] = TemplateChoiceForm(initial={"template": template})
    return render(request, "compose/personal_email.html", context)


def _previews(request: AuthenticatedHttpRequest, data: dict, chosen) -> list:
    """Each person's email as it will be sent: the form's recipients at its organization, or
    for a group email the first `chosen` people of the list (compose.audiences.Recipient)."""
    people = (
        [(contact, data["organization"]) for contact in data["recipients"]]
        if chosen is None
        else [(r.contact, r.organization) for r in chosen]
    )
    sender = Sender.of(request.user)  # read once for them all
    figures: dict[int, dict[str, str]] = {}
    return [
        written_for(
            contact=contact,
            organization=organization,
            sender=sender,
            subject=data["subject"],
            body=data["body"],
            group=chosen is not None,
            figures=figures,
        )
        for contact, organization in people
    ]


def _personal_sent(request: AuthenticatedHttpRequest, form: PersonalEmailForm) -> bool:
    chosen = form.cleaned_data
    try:
        sent = services.personal_email_send(
            key=chosen["key"],
            sender=request.user,
            contacts=list(chosen["recipients"]),
            organization=chosen["organization"],
            subject=chosen["subject"],
            body=chosen["body"],
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return False
    names = ", ".join(s.contact.name for s in sent)
    messages.success(request, f"Email to {names} is on its way, and on the timeline below.")
    return True


def _group_email_sent(request: AuthenticatedHttpRequest, form: GroupEmailForm, query):
    """The group email the valid form writes (sent, or waiting for approval); None, with the
    service's objections on the form, when it could not be."""
    chosen = form.cleaned_data
    try:
        return services.group_email_create(
            key=chosen["key"],
            query=query,
            subject=chosen["subject"],
            body=chosen["body"],
            by=request.user,
            template=chosen["template"],
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return None


@require_http_methods(["GET", "POST"])
def group_email_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    template = TemplateChoiceForm(request.GET).chosen()
    query = request.GET.copy()
    query.pop("template", None)
    form = GroupEmailForm(
        request.POST if request.method == "POST" else None,
        template=template,
        initial={"template": template},
    )
    audience = audience_of(query)
    context = {
        "form": form,
        "audience": audience,
        "fields": FIELDS,
        "max": MAX_RECIPIENTS,
        "per_minute": settings.LIAISON_GROUP_EMAIL_PER_MINUTE,
        "approval_over": settings.LIAISON_GROUP_EMAIL_APPROVAL_OVER,
    }
    action = _action(request, form)
    if action == "send":
        group_email = _group_email_sent(request, form, query)
        if group_email is not None:
            return redirect(group_email)
    elif action == "preview":
        chosen = audience.included[:PREVIEW_COUNT]
        context["preview"] = _previews(request, form.cleaned_data, chosen=chosen)
        context["approval"] = services.needs_approval(by=request.user, audience=audience)
    context["template_form"] = TemplateChoiceForm(initial={"template": template})
    context["list_query"] = query
    return render(request, "compose/group_email_new.html", context)
