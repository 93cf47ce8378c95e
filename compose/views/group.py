"""Group emails: the list of them, one group email's page, a manager's approval."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from compose import selectors, services
from compose.models import GroupEmail
from core.http import AuthenticatedHttpRequest, paginate
from core.roles import manager_required


@require_GET
def group_email_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = paginate(request, selectors.group_emails())
    return render(request, "compose/group_email_list.html", {"page": page})


@require_GET
def group_email_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group_email = selectors.group_email_page(pk)
    if group_email is None:
        raise Http404("No such group email.")
    tally = selectors.tally_of(group_email)
    page = paginate(request, selectors.recipients_of(group_email), count=tally.total)
    context = {"group_email": group_email, "page": page, "tally": tally}
    return render(request, "compose/group_email_detail.html", context)


def _decided(request: AuthenticatedHttpRequest, pk: int, decide, said: str) -> HttpResponse:
    group_email = get_object_or_404(GroupEmail, pk=pk)
    try:
        decide(group_email=group_email, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, said)
    return redirect(group_email)


@require_POST
@manager_required
def group_email_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    said = "Approved: the group email is on its way."
    return _decided(request, pk, services.group_email_approve, said)


@require_POST
@manager_required
def group_email_decline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _decided(request, pk, services.group_email_decline, "Declined: nobody receives it.")
