"""Partner progress updates: the list, the subscription form, the review of a draft.

Every librarian may look; a subscription and its drafts are changed, approved or skipped by its
owner, managers and admins.
"""

import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.forms import apply_service_errors
from core.http import AuthenticatedHttpRequest, paginate, query_without
from core.roles import is_manager
from mail.preview import email_html_response
from partners.models import LONG_TEXT, Contact, Organization
from programs.models import Program
from updates import selectors as selectors
from updates import services as services
from updates.emails import period_label, period_summary, progress_email_render
from updates.forms import ProgressSubscriptionForm, ProgressUpdateForm
from updates.models import ProgressSubscription, ProgressUpdate

NOT_YOURS = "Only the person who reviews these updates, or a manager, can do that."


def may_manage(user: User, subscription: ProgressSubscription) -> bool:
    return subscription.owner_id == user.pk or is_manager(user)


def _check_may_manage(
    request: AuthenticatedHttpRequest, subscription: ProgressSubscription
) -> None:
    if not may_manage(request.user, subscription):
        raise PermissionDenied(NOT_YOURS)


# The list -----------------------------------------------------------------------------------


@require_GET
def progress_update_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    show = request.GET.get("show")
    if show not in ("mine", "all"):
        show = "mine"
    sort = request.GET.get("sort")
    updates = selectors.update_list(owner=request.user if show == "mine" else None, sort=sort)
    page = paginate(request, updates)
    return render(
        request,
        "updates/progress_update_list.html",
        {
            "page": page,
            "show": show,
            "query": query_without(request, "page"),
            "headers": selectors.UPDATE_SORTING.headers(request, sort),
        },
    )


# Subscriptions ------------------------------------------------------------------------------


def _subscription_form(
    request: AuthenticatedHttpRequest,
    subscription: ProgressSubscription | None,
    candidates: QuerySet[Contact],
) -> ProgressSubscriptionForm:
    """The form as posted, or filled in: the subscription's settings, or the user as owner."""
    if request.method == "POST":
        return ProgressSubscriptionForm(
            request.POST, candidates=candidates, editing=subscription is not None
        )
    if subscription is None:
        return ProgressSubscriptionForm(candidates=candidates, initial={"owner": request.user.pk})
    return ProgressSubscriptionForm(
        candidates=candidates,
        editing=True,
        initial={
            "recipients": list(subscription.recipients.values_list("pk", flat=True)),
            "cadence": subscription.cadence,
            "mode": subscription.mode,
            "owner": subscription.owner_id,
            "is_active": subscription.is_active,
        },
    )


def _subscription_save(
    request: AuthenticatedHttpRequest,
    form: ProgressSubscriptionForm,
    *,
    subscription: ProgressSubscription | None,
    organization: Organization | None,
    program: Program | None,
) -> None:
    """Set up a new subscription or change this one, from a valid form."""
    data = form.cleaned_data
    fields = {name: data[name] for name in ("owner", "cadence", "mode", "recipients")}
    if subscription is None:
        services.progress_subscription_create(
            by=request.user, organization=organization, program=program, **fields
        )
    else:
        services.progress_subscription_update(
            subscription=subscription, is_active=data["is_active"], **fields
        )


def _subscription_form_page(
    request: AuthenticatedHttpRequest,
    *,
    subscription: ProgressSubscription | None = None,
    organization: Organization | None = None,
    program: Program | None = None,
) -> HttpResponse:
    manage = subscription is None or may_manage(request.user, subscription)
    if subscription is not None:
        if request.method == "POST" and not manage:
            raise PermissionDenied(NOT_YOURS)
        organization, program = subscription.organization, subscription.program
    about = organization or program
    assert about is not None  # the views give a subscription, an organization or a program
    candidates = selectors.recipient_candidates(organization=organization, program=program)
    form = _subscription_form(request, subscription, candidates)
    if request.method == "POST" and form.is_valid():
        try:
            _subscription_save(
                request, form, subscription=subscription, organization=organization, program=program
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            verb = "set up" if subscription is None else "saved"
            messages.success(request, f"Progress updates about {about} were {verb}.")
            return redirect(about)
    if not manage:
        # Everyone may see who gets the updates; only the owner and managers change them.
        for field in form.fields.values():
            field.disabled = True
    context: dict[str, Any] = {"form": form, "subscription": subscription}
    context |= {"organization": organization, "program": program, "about": about}
    context["may_manage"] = manage
    context["updates"] = selectors.recent_updates(subscription) if subscription else []
    return render(request, "updates/progress_subscription_form.html", context)


def progress_subscription_create_for_organization(
    request: AuthenticatedHttpRequest, org_pk: int
) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=org_pk)
    return _subscription_form_page(request, organization=organization)


def progress_subscription_create_for_program(
    request: AuthenticatedHttpRequest, pk: int
) -> HttpResponse:
    program = get_object_or_404(Program, pk=pk)
    return _subscription_form_page(request, program=program)


def progress_subscription_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        subscription = selectors.subscription_detail(pk)
    except ProgressSubscription.DoesNotExist as error:
        raise Http404("No such subscription.") from error
    return _subscription_form_page(request, subscription=subscription)


# Reviewing a draft --------------------------------------------------------------------------


def _update_or_404(pk: int) -> ProgressUpdate:
    try:
        return selectors.update_detail(pk)
    except ProgressUpdate.DoesNotExist as error:
        raise Http404("No such progress update.") from error


def _preview(
    update: ProgressUpdate,
    recipients: list[Contact] | None = None,
    /,
    *,
    subject: str | None = None,
    message: str | None = None,
    with_html: bool = False,
) -> dict:
    """The email as its first recipient will get it (or as anyone would, without recipients).
    `recipients`: current_recipients(), when the page has read them already. The pages show
    its subject and text; its HTML, drawn `with_html`, is the preview frame's own request."""
    if recipients is None:
        recipients = selectors.current_recipients(update.subscription)
    contact = recipients[0] if recipients else Contact(name="(the recipient's name)")
    rendered, _link = progress_email_render(
        update=update,
        contact=contact,
        summary=period_summary(update),
        subject=subject,
        message=message,
        with_html=with_html,
    )
    return {"preview": rendered, "preview_contact": contact if contact.pk else None}


def _sent_preview(update: ProgressUpdate) -> dict:
    """What was actually sent: the stored email of one recipient, not a fresh rendering."""
    email = selectors.sent_email_sample(update)
    if email is None:
        return {}
    return {"preview": email, "preview_contact": email.contact}


def _review_save(
    request: AuthenticatedHttpRequest, update: ProgressUpdate, text: dict[str, str]
) -> str:
    """Save the draft, or approve and send it as the button asked; the message to show."""
    if request.POST.get("action") != "approve":
        services.progress_update_edit(update=update, **text)
        return "The draft was saved."
    result = services.progress_update_approve(update=update, by=request.user, **text)
    note = ""
    if result.suppressed:
        note = f" {result.suppressed} not sent: unsubscribed, or not to be contacted."
    return (
        f"Approved: the update is on its way to {result.queued} "
        f"{'person' if result.queued == 1 else 'people'}.{note}"
    )


def _review_page(
    request: AuthenticatedHttpRequest,
    update: ProgressUpdate,
    form: ProgressUpdateForm,
    *,
    is_draft: bool,
) -> HttpResponse:
    subscription = update.subscription
    context = {
        "update": update,
        "subscription": subscription,
        "about": subscription.about,
        "period": period_label(update.period_start, update.period_end),
        "may_manage": may_manage(request.user, subscription),
        "is_draft": is_draft,
        "form": form,
    }
    if is_draft:
        rows = selectors.recipient_rows(subscription)
        context["recipients"] = rows
        context.update(_preview(update, [row.contact for row in rows if row.queued]))
    elif update.status == ProgressUpdate.Status.SENT:
        context["emails"] = selectors.update_emails(update)
        context.update(_sent_preview(update))
    context["preview_url"] = _email_html_url(update)
    return render(request, "updates/progress_update_review.html", context)


def progress_update_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    update = _update_or_404(pk)
    is_draft = update.status == ProgressUpdate.Status.DRAFT
    if request.method != "POST":
        form = ProgressUpdateForm(initial={"subject": update.subject, "message": update.message})
        return _review_page(request, update, form, is_draft=is_draft)
    _check_may_manage(request, update.subscription)
    form = ProgressUpdateForm(request.POST)
    if form.is_valid():
        text = {name: form.cleaned_data[name] for name in ("subject", "message")}
        try:
            done = _review_save(request, update, text)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(update)
    # Show the saved draft next to the form's errors.
    update.refresh_from_db(fields=["subject", "message", "status"])
    if update.status != ProgressUpdate.Status.DRAFT:
        # Sent or skipped meanwhile (a second tab, a double click): say so on its page.
        messages.error(
            request,
            f"This update was already {update.get_status_display().lower()}; "
            "it can no longer be changed.",
        )
        return redirect(update)
    return _review_page(request, update, form, is_draft=is_draft)


@require_POST
def progress_update_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """htmx: the preview redrawn from the subject and message being typed, without saving."""
    update = _update_or_404(pk)
    _check_may_manage(request, update.subscription)
    subject = " ".join(request.POST.get("subject", "").split())[:200]
    message = request.POST.get("message", "")[:LONG_TEXT]
    context = _preview(update, subject=subject, message=message) | {"is_draft": True}
    typed = _typed_remember(request, update, subject=subject, message=message)
    context["preview_url"] = _email_html_url(update, typed=typed)
    return render(request, "updates/partials/progress_preview.html", context)


# The preview's frame --------------------------------------------------------------------------
# The email's HTML is loaded by a sandboxed frame from its own address, with its own
# Content-Security-Policy (mail.preview): a srcdoc frame would take the page's policy, which
# drops the email's inline styles. Text typed but not saved reaches that address through the
# session, under a key made of the update and the text; the latest few are kept.

TYPED_SESSION_KEY = "progress_preview_typed"
TYPED_KEPT = 3


def _email_html_url(update: ProgressUpdate, *, typed: str = "") -> str:
    url = reverse("updates:progress_update_email_html", args=[update.pk])
    return f"{url}?typed={typed}" if typed else url


def _typed_remember(
    request: AuthenticatedHttpRequest, update: ProgressUpdate, *, subject: str, message: str
) -> str:
    digest = hashlib.sha256(f"{subject}\n{message}".encode()).hexdigest()[:20]
    key = f"{update.pk}-{digest}"
    typed: dict[str, dict[str, str]] = request.session.get(TYPED_SESSION_KEY, {})
    typed.pop(key, None)
    typed[key] = {"subject": subject, "message": message}
    request.session[TYPED_SESSION_KEY] = dict(list(typed.items())[-TYPED_KEPT:])
    return key


def _typed_recall(request: AuthenticatedHttpRequest, update: ProgressUpdate) -> dict[str, str]:
    key = request.GET.get("typed", "")
    if not key.startswith(f"{update.pk}-"):
        return {}
    return request.session.get(TYPED_SESSION_KEY, {}).get(key, {})


@require_GET
def progress_update_email_html(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The preview's HTML alone: the draft as saved or as typed (?typed=), or the email sent."""
    update = _update_or_404(pk)
    body_html = ""
    if update.status == ProgressUpdate.Status.DRAFT:
        drawn = _preview(update, **_typed_recall(request, update), with_html=True)
        body_html = drawn["preview"].body_html
    elif update.status == ProgressUpdate.Status.SENT:
        email = selectors.sent_email_sample(update)
        body_html = email.body_html if email else ""
    if not body_html:
        raise Http404("This progress update has no email to show.")
    return email_html_response(body_html)


@require_POST
def progress_update_skip(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    update = _update_or_404(pk)
    _check_may_manage(request, update.subscription)
    try:
        services.progress_update_skip(update=update, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            f"Skipped: no update about {update.subscription.about} for "
            f"{period_label(update.period_start, update.period_end)}.",
        )
    return redirect("updates:progress_update_list")
