"""The dashboard, and a staff member's own settings: time zone, calendar feed, which emails."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from core import profiles
from core.forms import EmailPreferencesForm, OtherAddressesForm, ProfileForm, apply_service_errors
from core.http import AuthenticatedHttpRequest
from core.models import StaffProfile
from core.panels import find_panel, load_object, panels_for
from core.roles import is_manager


@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The dashboard: every app's panels (core.panels) for the person signed in."""
    return render(request, "core/dashboard.html", {"panels": panels_for("dashboard", request)})


@require_GET
def panel(request: AuthenticatedHttpRequest, page: str, name: str) -> HttpResponse:
    """One panel of a page, fetched again after an in-place action or after a page that defers
    it (core.panels); without htmx, on a page of its own."""
    registered = find_panel(page, name)
    pk = request.GET.get("of", "")
    # Only a panel its page fetches again (or later) has an address of its own.
    if registered is None or not (registered.refresh_on or registered.deferred):
        raise Http404("No such panel.")
    if pk and not pk.isdigit():
        raise Http404("No such panel.")
    try:
        object_name, obj = load_object(page, int(pk) if pk else None)
    except (ObjectDoesNotExist, LookupError) as error:
        raise Http404("No such page.") from error
    context = registered.context(request, obj)
    if context is None:
        return HttpResponse("")
    # The panel's forms bring a person back to the page they were on, not to this address.
    page_url = _page_url(request) or (obj.get_absolute_url() if obj is not None else "/")
    shown = {**context, "next": page_url}
    if object_name:
        shown[object_name] = obj
    if request.headers.get("HX-Request"):
        return render(request, registered.template, shown)
    return render(
        request,
        "core/panel_page.html",
        {**shown, "panel_template": registered.template, "page_object": obj, "back": page_url},
    )


def _page_url(request: AuthenticatedHttpRequest) -> str:
    """The path of the page an htmx request came from, when it is one of ours."""
    current = request.headers.get("HX-Current-URL", "")
    if not current or not url_has_allowed_host_and_scheme(current, {request.get_host()}):
        return ""
    parts = urlsplit(current)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# The profile page has two forms; this hidden field says which one was sent.
EMAIL_PREFERENCES_FORM = "email-preferences"
OTHER_ADDRESSES_FORM = "other-addresses"
TIME_ZONE_FORM = "time-zone"

# The profile page's forms by the name each posts in "form": what saving it does, and the
# message after.
_PROFILE_FORMS: dict[str, tuple[Callable[[Any, dict], object], Callable[[dict], str]]] = {
    TIME_ZONE_FORM: (
        lambda user, data: profiles.profile_update(user=user, time_zone=data["time_zone"]),
        lambda data: f"Saved: times are now shown in the {data['time_zone']} time zone.",
    ),
    EMAIL_PREFERENCES_FORM: (
        lambda user, data: profiles.email_preferences_update(user=user, **data),
        lambda data: "Saved: your email preferences.",
    ),
    OTHER_ADDRESSES_FORM: (
        lambda user, data: profiles.profile_addresses_update(
            user=user, addresses=data["addresses"], signature=data["signature"]
        ),
        lambda data: "Saved: the addresses you write from and your signature.",
    ),
}


def _feed_url(token: str) -> str:
    return settings.SITE_URL + reverse("outreach:calendar_feed", args=[token])


def _email_preferences(staff_profile: StaffProfile) -> dict:
    return {
        "digest": staff_profile.digest,
        "meeting_reminders": staff_profile.meeting_reminders,
        "followup_assigned_emails": staff_profile.followup_assigned_emails,
        "manager_summary": staff_profile.manager_summary,
    }


def _profile_forms(
    request: AuthenticatedHttpRequest, staff_profile: StaffProfile, posted: str = ""
) -> dict[str, Any]:
    """The profile page's forms: the one named `posted` bound to the request's data."""

    def data(name: str) -> Any:
        return request.POST if name == posted else None

    return {
        TIME_ZONE_FORM: ProfileForm(data(TIME_ZONE_FORM), current=staff_profile.time_zone),
        EMAIL_PREFERENCES_FORM: EmailPreferencesForm(
            data(EMAIL_PREFERENCES_FORM),
            initial=_email_preferences(staff_profile),
            manager=is_manager(request.user),
        ),
        OTHER_ADDRESSES_FORM: OtherAddressesForm(
            data(OTHER_ADDRESSES_FORM),
            initial={
                "addresses": staff_profile.other_email_addresses,
                "signature": staff_profile.email_signature,
            },
        ),
    }


def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    staff_profile = profiles.profile_for(request.user)
    name = request.POST.get("form", TIME_ZONE_FORM)
    name = name if name in _PROFILE_FORMS else TIME_ZONE_FORM
    forms = _profile_forms(request, staff_profile, posted=name if request.method == "POST" else "")
    if request.method == "POST":
        form = forms[name]
        save, saved = _PROFILE_FORMS[name]
        if form.is_valid():
            try:
                save(request.user, form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, saved(form.cleaned_data))
                return redirect("profile")
    return _profile_page(request, staff_profile, forms=forms)


def _profile_page(
    request: AuthenticatedHttpRequest,
    staff_profile: StaffProfile,
    *,
    forms: dict[str, Any],
    new_token: str | None = None,
) -> HttpResponse:
    """The profile page. The calendar feed's address is on it only right after it was made
    (`new_token`): Liaison keeps a hash of the token, never the token."""
    context = {
        "form": forms[TIME_ZONE_FORM],
        "email_form": forms[EMAIL_PREFERENCES_FORM],
        "addresses_form": forms[OTHER_ADDRESSES_FORM],
        "email_preferences_form": EMAIL_PREFERENCES_FORM,
        "other_addresses_form": OTHER_ADDRESSES_FORM,
        "capture_address": profiles.capture_address(),
        "has_feed": staff_profile.calendar_token_hash is not None,
    }
    if new_token is None:
        return render(request, "core/profile.html", context)
    feed_url = _feed_url(new_token)
    context |= {"feed_url": feed_url, "webcal_url": "webcal://" + feed_url.split("://", 1)[-1]}
    response = render(request, "core/profile.html", context)
    # The page holds the feed's secret: no cache, the browser's included, may keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def calendar_token_rotate(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Make the feed a new address and show it, this once (rendered, not redirected: the token
    exists in clear only in this response)."""
    staff_profile = profiles.profile_for(request.user)
    replaced = staff_profile.calendar_token_hash is not None
    token = profiles.calendar_token_rotate(user=request.user)
    messages.success(
        request,
        "Your calendar feed has a new address, below. The old address has stopped working: "
        "subscribe to the new one in your calendar app, and remove the old subscription."
        if replaced
        else "Your calendar feed has an address, below: subscribe to it in your calendar app.",
    )
    return _profile_page(
        request, staff_profile, forms=_profile_forms(request, staff_profile), new_token=token
    )
