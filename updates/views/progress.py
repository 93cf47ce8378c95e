"""Partner progress updates: the list, the subscription form, the review of a draft.

Every librarian may look; a subscription and its drafts are changed, approved or skipped by its
owner, managers and admins.
"""

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.forms import apply_service_errors
from core.http import paginate, query_without
from core.roles import is_manager
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


def _check_may_manage(request: HttpRequest, subscription: ProgressSubscription) -> None:
    if not may_manage(request.user, subscription):
        raise PermissionDenied(NOT_YOURS)


# The list -----------------------------------------------------------------------------------


@require_GET
def progress_update_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show")
    if show not in ("mine", "all"):
        show = "mine"
    updates = selectors.update_list(owner=request.user if show == "mine" else None)
    page = paginate(request, updates)
    return render(
        request,
        "updates/progress_update_list.html",
        {"page": page, "show": show, "query": query_without(request, "page")},
    )


# Subscriptions ------------------------------------------------------------------------------


def _subscription_form_page(
    request: HttpRequest,
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
    candidates = selectors.recipient_candidates(organization=organization, program=program)
    if request.method == "POST":
        form = ProgressSubscriptionForm(
            request.POST, candidates=candidates, editing=subscription is not None
        )
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                "owner": data["owner"],
                "cadence": data["cadence"],
                "mode": data["mode"],
                "recipients": data["recipients"],
            }
            try:
                if subscription is None:
                    services.progress_subscription_create(
                        by=request.user, organization=organization, program=program, **fields
                    )
                else:
                    services.progress_subscription_update(
                        subscription=subscription, is_active=data["is_active"], **fields
                    )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                verb = "set up" if subscription is None else "saved"
                messages.success(request, f"Progress updates about {about} were {verb}.")
                return redirect(about)
    elif subscription is not None:
        form = ProgressSubscriptionForm(
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
    else:
        form = ProgressSubscriptionForm(candidates=candidates, initial={"owner": request.user.pk})
    if not manage:
        # Everyone may see who gets the updates; only the owner and managers change them.
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "updates/progress_subscription_form.html",
        {
            "form": form,
            "subscription": subscription,
            "organization": organization,
            "program": program,
            "about": about,
            "may_manage": manage,
            "updates": selectors.recent_updates(subscription) if subscription else [],
        },
    )


def progress_subscription_create_for_organization(
    request: HttpRequest, org_pk: int
) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=org_pk)
    return _subscription_form_page(request, organization=organization)


def progress_subscription_create_for_program(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_object_or_404(Program, pk=pk)
    return _subscription_form_page(request, program=program)


def progress_subscription_edit(request: HttpRequest, pk: int) -> HttpResponse:
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
    update: ProgressUpdate, *, subject: str | None = None, message: str | None = None
) -> dict:
    """The email as its first recipient will get it (or as anyone would, without recipients)."""
    recipients = selectors.current_recipients(update.subscription)
    contact = recipients[0] if recipients else Contact(name="(the recipient's name)")
    rendered, _link = progress_email_render(
        update=update,
        contact=contact,
        summary=period_summary(update),
        subject=subject,
        message=message,
    )
    return {"preview": rendered, "preview_contact": contact if contact.pk else None}


def _sent_preview(update: ProgressUpdate) -> dict:
    """What was actually sent: the stored email of one recipient, not a fresh rendering."""
    email = selectors.sent_email_sample(update)
    if email is None:
        return {}
    return {"preview": email, "preview_contact": email.contact}


def progress_update_review(request: HttpRequest, pk: int) -> HttpResponse:
    update = _update_or_404(pk)
    subscription = update.subscription
    manage = may_manage(request.user, subscription)
    is_draft = update.status == ProgressUpdate.Status.DRAFT
    if request.method == "POST":
        if not manage:
            raise PermissionDenied(NOT_YOURS)
        form = ProgressUpdateForm(request.POST)
        if form.is_valid():
            text = {
                "subject": form.cleaned_data["subject"],
                "message": form.cleaned_data["message"],
            }
            try:
                if request.POST.get("action") == "approve":
                    result = services.progress_update_approve(
                        update=update, by=request.user, **text
                    )
                else:
                    services.progress_update_edit(update=update, **text)
                    result = None
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if result is None:
                    messages.success(request, "The draft was saved.")
                else:
                    note = ""
                    if result.suppressed:
                        note = (
                            f" {result.suppressed} not sent: unsubscribed, or not to be contacted."
                        )
                    messages.success(
                        request,
                        f"Approved: the update is on its way to {result.queued} "
                        f"{'person' if result.queued == 1 else 'people'}.{note}",
                    )
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
    else:
        form = ProgressUpdateForm(initial={"subject": update.subject, "message": update.message})

    context = {
        "update": update,
        "subscription": subscription,
        "about": subscription.about,
        "period": period_label(update.period_start, update.period_end),
        "may_manage": manage,
        "is_draft": is_draft,
        "form": form,
    }
    if is_draft:
        context["recipients"] = selectors.recipient_rows(subscription)
        context.update(_preview(update))
    elif update.status == ProgressUpdate.Status.SENT:
        context["emails"] = selectors.update_emails(update)
        context.update(_sent_preview(update))
    return render(request, "updates/progress_update_review.html", context)


@require_POST
def progress_update_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the preview redrawn from the subject and message being typed, without saving."""
    update = _update_or_404(pk)
    _check_may_manage(request, update.subscription)
    subject = " ".join(request.POST.get("subject", "").split())[:200]
    message = request.POST.get("message", "")[:LONG_TEXT]
    context = _preview(update, subject=subject, message=message) | {"is_draft": True}
    return render(request, "updates/partials/progress_preview.html", context)


@require_POST
def progress_update_skip(request: HttpRequest, pk: int) -> HttpResponse:
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
