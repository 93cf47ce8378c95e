"""Follow-ups: my list by due date, done or snoozed in one click, reassigned by managers; added
from an organization's page, or for an organization typed by name (the New menu); each one's
page, where it is edited or cancelled."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.conflicts import save_unless_changed
from core.forms import apply_service_errors, staff_list
from core.http import (
    COUNT_LIMIT,
    AuthenticatedHttpRequest,
    announce,
    paginate,
    query_without,
)
from core.panels import panels_for, slot_filled
from core.people import display_name, possessive
from core.roles import is_manager, manager_required
from outreach import services
from outreach.forms.followups import FollowUpEditForm, FollowUpForm, ReassignForm, SnoozeForm
from outreach.models import FollowUp
from outreach.selectors import followups as selectors
from outreach.selectors.followups import followup_page_list, followups_asked, group_by_due
from partners.models import Organization
from partners.organization_picker import OrganizationPickerForm, start_from

# Each row carries its Done and Snooze forms and a menu: 50 made a 150 KB page.
PAGE_SIZE = 25
LIST = reverse_lazy("outreach:followup_list")


def _next(request: HttpRequest) -> str:
    """Where the action was taken (dashboard, list, organization page), when it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _back(request: HttpRequest, default: Any = LIST) -> HttpResponse:
    """Back where the button was pressed, else to `default`."""
    return redirect(_next(request) or default)


def _row(
    request: HttpRequest, followup: FollowUp, *, said: str = "", error: str = ""
) -> HttpResponse:
    """htmx: the row in its new state, its forms and links still bringing one back to the page
    it is on; what was `said` is announced, and every panel listing follow-ups on the page
    fetches itself again (core.http.announce)."""
    back = _next(request) or str(LIST)
    context = {"followup": followup, "show_assignee": True, "error": error, "next": back}
    # On the list, the row keeps its checkbox (its selection slot: bulk.panels).
    on_list = back.split("?")[0] == str(LIST)
    context["selectable"] = on_list and slot_filled("followup_list", "selection", request)
    response = render(request, "outreach/partials/followup_row.html", context)
    if said:
        announce(response, said, changed=("followups",))
    return response


def _own_or_manager(request: HttpRequest, followup: FollowUp) -> None:
    if followup.assignee_id != request.user.pk and not is_manager(request.user):
        raise PermissionDenied("Only the person it is assigned to, or a manager, can do that.")


@require_GET
def followup_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    manager = is_manager(request.user)
    assignee, organization = followups_asked(request.GET, request.user)
    followups = followup_page_list(assignee, organization)
    page = paginate(request, followups, PAGE_SIZE, count_limit=COUNT_LIMIT)
    return render(
        request,
        "outreach/followup_list.html",
        {
            "page": page,
            "groups": group_by_due(list(page.object_list)),
            "assignee": assignee,
            "organization": organization,
            "show_assignee": assignee is None or assignee != request.user,
            "staff": staff_list() if manager else [],
            "query": query_without(request, "page"),
            "panels": panels_for("followup_list", request),
        },
    )


def followup_create(request: AuthenticatedHttpRequest, org_pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=org_pk)
    if request.method == "POST":
        form = FollowUpForm(request.POST)
        if form.is_valid():
            try:
                followup = services.followup_create(
                    organization=organization, created_by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"Follow-up “{followup}” due {followup.due_on:%b %-d}.")
                return redirect(organization)
    else:
        form = FollowUpForm(initial={"assignee": request.user.pk})
    return render(
        request, "outreach/followup_form.html", {"form": form, "organization": organization}
    )


def followup_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    start = start_from(request.GET)
    if request.method == "POST":
        picker = OrganizationPickerForm(request.POST)
        organization = picker.chosen()
        form = FollowUpForm(request.POST)
        if form.is_valid() and organization is not None:
            try:
                followup = services.followup_create(
                    organization=organization, created_by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"Follow-up “{followup}” due {followup.due_on:%b %-d}.")
                return redirect(start.contact or organization)
    else:
        picker = OrganizationPickerForm(organization=start.organization)
        title = f"Follow up with {start.contact.name}"[:200] if start.contact else ""
        form = FollowUpForm(initial={"assignee": request.user.pk, "title": title})
    return render(
        request,
        "outreach/followup_form.html",
        {"form": form, "picker": picker, "start": start, "organization": None},
    )


@require_POST
def followup_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    followup = get_object_or_404(FollowUp.objects.select_related("organization", "assignee"), pk=pk)
    _own_or_manager(request, followup)
    try:
        services.followup_complete(followup=followup, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _back(request)
    if request.headers.get("HX-Request"):
        return _row(request, followup, said=f"Done: {followup}.")
    messages.success(request, f"Done: {followup}.")
    return _back(request)


@require_POST
def followup_snooze(request: HttpRequest, pk: int) -> HttpResponse:
    followup = get_object_or_404(FollowUp.objects.select_related("organization", "assignee"), pk=pk)
    _own_or_manager(request, followup)
    form = SnoozeForm(request.POST, due_on=followup.due_on)
    error = None
    if form.is_valid():
        try:
            services.followup_snooze(followup=followup, until=form.cleaned_data["new_due_on"])
        except ValidationError as e:
            error = e.messages[0]
    else:
        error = str(form.non_field_errors()[0]) if form.non_field_errors() else "Pick a valid day."
    if request.headers.get("HX-Request"):
        said = "" if error else f"“{followup}” is now due {followup.due_on:%a %b %-d}."
        return _row(request, followup, said=said, error=error or "")
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"“{followup}” is now due {followup.due_on:%a %b %-d}.")
    return _back(request)


@require_POST
@manager_required
def followup_reassign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    followup = get_object_or_404(FollowUp.objects.select_related("organization", "assignee"), pk=pk)
    form = ReassignForm(request.POST)
    if form.is_valid():
        services.followup_reassign(
            followup=followup, assignee=form.cleaned_data["assignee"], by=request.user
        )
        name = display_name(followup.assignee)
        if request.headers.get("HX-Request"):
            said = f"“{followup}” is now {possessive(name)}."
            return _row(request, followup, said=said)
        messages.success(request, f"“{followup}” is now {possessive(name)}.")
    else:
        messages.error(request, "Choose a staff member to reassign it to.")
    return _back(request)


@require_http_methods(["GET", "POST"])
def followup_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (a page saying what will be cancelled), then cancels."""
    followup = get_object_or_404(FollowUp.objects.select_related("organization"), pk=pk)
    _own_or_manager(request, followup)
    if request.method == "GET" or followup.status != FollowUp.Status.OPEN:
        context = {"followup": followup, "next": _next(request)}
        return render(request, "outreach/followup_cancel.html", context)
    services.followup_cancel(followup=followup)
    messages.success(request, f"Cancelled: {followup}.")
    return _back(request)


@require_GET
def followup_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        followup = selectors.followup_detail(pk)
    except FollowUp.DoesNotExist as error:
        raise Http404("No such follow-up.") from error
    manager, is_open = is_manager(request.user), followup.status == FollowUp.Status.OPEN
    context = {
        "followup": followup,
        # Only the assignee or a manager may act: no buttons that answer 403.
        "may_act": followup.assignee_id == request.user.pk or manager,
        "is_open": is_open,
        "staff": staff_list() if manager and is_open else [],  # to reassign it
        "today": timezone.localdate(),
    }
    return render(request, "outreach/followup_detail.html", context)


def followup_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    followup = get_object_or_404(FollowUp.objects.select_related("organization", "assignee"), pk=pk)
    _own_or_manager(request, followup)
    if followup.status != FollowUp.Status.OPEN:
        state = followup.get_status_display().lower()
        messages.info(request, f"“{followup}” is {state}, so it can no longer be changed.")
        return redirect(followup)
    may_reassign = is_manager(request.user)
    if request.method == "POST":
        form = FollowUpEditForm(request.POST, instance=followup, may_reassign=may_reassign)
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.checked_fields()}
            try:
                saved = save_unless_changed(
                    form,
                    lambda current: services.followup_update(
                        followup=current, by=request.user, **fields
                    ),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if saved is not None:  # else someone saved it meanwhile: form.conflict says
                    messages.success(request, f"“{saved}” was saved.")
                    return _back(request, default=saved)
        # The form wrote the rejected values onto the follow-up; show the stored ones around it.
        followup.refresh_from_db()
    else:
        form = FollowUpEditForm(instance=followup, may_reassign=may_reassign)
    context = {"form": form, "followup": followup, "next": _next(request)}
    return render(request, "outreach/followup_edit.html", context)
