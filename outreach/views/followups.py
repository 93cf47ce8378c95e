"""Follow-ups: my list by due date, done or snoozed in one click, reassigned by managers."""

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from core.forms import apply_service_errors, staff_users
from core.http import COUNT_LIMIT, AuthenticatedHttpRequest, paginate, query_without
from core.people import display_name
from core.roles import is_manager, manager_required
from outreach import services
from outreach.forms.followups import FollowUpForm, ReassignForm, SnoozeForm
from outreach.models import FollowUp
from outreach.selectors.followups import followups_for, group_by_due
from partners.models import Organization

# Each row carries its Done, Snooze and (for managers) Reassign forms: 50 made a 150 KB page.
PAGE_SIZE = 25


def _back(request: HttpRequest) -> HttpResponse:
    """Back where the button was pressed (dashboard, list, organization page)."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("outreach:followup_list")


def _row(request: HttpRequest, followup: FollowUp, **extra) -> HttpResponse:
    return render(
        request,
        "outreach/partials/followup_row.html",
        {
            "followup": followup,
            "show_assignee": True,
            "staff": list(staff_users()) if is_manager(request.user) else [],
            **extra,
        },
    )


def _own_or_manager(request: HttpRequest, followup: FollowUp) -> None:
    if followup.assignee_id != request.user.pk and not is_manager(request.user):
        raise PermissionDenied("Only the person it is assigned to, or a manager, can do that.")


@require_GET
def followup_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    manager = is_manager(request.user)
    choice = request.GET.get("assignee", "")
    assignee: User | None = request.user
    if manager and choice == "all":
        assignee = None
    elif manager and choice.isdigit():
        assignee = staff_users().filter(pk=int(choice)).first() or request.user
    qs = followups_for(assignee)
    organization = None
    org_id = request.GET.get("organization", "")
    if org_id.isdigit():
        organization = Organization.objects.filter(pk=int(org_id)).first()
        if organization:
            qs = qs.filter(organization=organization)
    page = paginate(request, qs, PAGE_SIZE, count_limit=COUNT_LIMIT)
    return render(
        request,
        "outreach/followup_list.html",
        {
            "page": page,
            "groups": group_by_due(list(page.object_list)),
            "assignee": assignee,
            "organization": organization,
            "show_assignee": assignee is None or assignee != request.user,
            "staff": list(staff_users()) if manager else [],
            "query": query_without(request, "page"),
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
        return _row(request, followup)
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
        return _row(request, followup, error=error, snoozed=error is None)
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
            return _row(request, followup, reassigned_to=name)
        messages.success(request, f"“{followup}” is now {name}'s.")
    else:
        messages.error(request, "Choose a staff member to reassign it to.")
    return _back(request)


@require_POST
def followup_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    followup = get_object_or_404(FollowUp, pk=pk)
    _own_or_manager(request, followup)
    services.followup_cancel(followup=followup)
    messages.success(request, f"Cancelled: {followup}.")
    return _back(request)
