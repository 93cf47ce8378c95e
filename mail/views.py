"""The delivery log: every email Liaison sent or tried to send, for managers."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.dates import EARLIEST, LATEST
from core.http import htmx_targets, paginate, query_without
from core.roles import manager_required
from mail import outbox
from mail.models import OutgoingEmail
from mail.preview import email_html_response
from mail.selectors import DELIVERY_LOG_SORTING, delivery_log, scheduler_health


class DeliveryLogFilterForm(forms.Form):
    """The delivery log's filters; a bad value (a stale link) is ignored with a note."""

    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any kind"), *OutgoingEmail.Kind.choices]
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *OutgoingEmail.Status.choices],
    )
    start = forms.DateField(
        label="Queued from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="Queued until", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    recipient = forms.CharField(label="Recipient", required=False, max_length=200)
    sort = DELIVERY_LOG_SORTING.field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css

    def clean(self) -> dict:
        data = super().clean()
        assert data is not None  # Form.clean() returns cleaned_data
        for name in ("start", "end"):
            day = data.get(name)
            if day and not EARLIEST <= day <= LATEST:
                self.add_error(name, f"Enter a date between {EARLIEST.year} and {LATEST.year}.")
                data[name] = None
        return data

    def filters(self) -> dict:
        """The valid filters only: an invalid one is dropped, not a reason to show nothing."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            name: data.get(name) or default
            for name, default in (
                ("kind", ""),
                ("status", ""),
                ("start", None),
                ("end", None),
                ("recipient", ""),
                ("sort", ""),
            )
            if name not in self.errors
        }


@require_GET
@manager_required
def delivery_log_view(request: HttpRequest) -> HttpResponse:
    form = DeliveryLogFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    context = {
        "form": form,
        "page": paginate(request, delivery_log(**filters)),
        "query": query_without(request, "page"),
        "headers": DELIVERY_LOG_SORTING.headers(request, filters.get("sort")),
        "filtered": any(value for name, value in filters.items() if name != "sort"),
        "health": scheduler_health(),
    }
    if htmx_targets(request, "results"):
        return render(request, "mail/partials/delivery_results.html", context)
    return render(request, "mail/delivery_log.html", context)


@require_GET
@manager_required
def email_detail(request: HttpRequest, pk: int) -> HttpResponse:
    email = get_object_or_404(OutgoingEmail.objects.select_related("user", "contact"), pk=pk)
    return render(request, "mail/email_detail.html", {"email": email})


@require_GET
@manager_required
def email_html(request: HttpRequest, pk: int) -> HttpResponse:
    """The email's HTML version on its own, for the sandboxed frame on the email's page."""
    # A password reset's body is a key to the account: never shown (mail.password_reset).
    emails = OutgoingEmail.objects.exclude(kind=OutgoingEmail.Kind.PASSWORD_RESET)
    email = get_object_or_404(emails.only("body_html"), pk=pk)
    if not email.body_html:
        raise Http404("This email has no HTML version.")
    return email_html_response(email.body_html)


@require_POST
@manager_required
def email_retry(request: HttpRequest, pk: int) -> HttpResponse:
    email = get_object_or_404(OutgoingEmail, pk=pk)
    if outbox.email_retry_now(email=email):
        messages.success(request, f"“{email.subject}” is queued again and will be sent shortly.")
    else:
        messages.info(request, "Only a failed email can be retried; this one is not failed.")
    return redirect("mail:email_detail", pk=email.pk)
