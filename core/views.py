"""The dashboard, and a staff member's own settings: time zone, calendar feed, which emails."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core import profiles
from core.forms import EmailPreferencesForm, ProfileForm, apply_service_errors
from core.http import AuthenticatedHttpRequest
from core.models import StaffProfile
from core.panels import panels_for
from core.roles import is_manager


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: every app's panels (core.panels) for the person signed in."""
    return render(request, "core/dashboard.html", {"panels": panels_for("dashboard", request)})


# The profile page has two forms; this hidden field says which one was sent.
EMAIL_PREFERENCES_FORM = "email-preferences"


def _feed_url(token: str) -> str:
    return settings.SITE_URL + reverse("outreach:calendar_feed", args=[token])


def _email_preferences(staff_profile: StaffProfile) -> dict:
    return {
        "digest": staff_profile.digest,
        "meeting_reminders": staff_profile.meeting_reminders,
        "followup_assigned_emails": staff_profile.followup_assigned_emails,
        "manager_summary": staff_profile.manager_summary,
    }


def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    staff_profile = profiles.profile_for(request.user)
    manager = is_manager(request.user)
    form = ProfileForm(current=staff_profile.time_zone)
    email_form = EmailPreferencesForm(initial=_email_preferences(staff_profile), manager=manager)
    if request.method == "POST" and request.POST.get("form") == EMAIL_PREFERENCES_FORM:
        email_form = EmailPreferencesForm(request.POST, manager=manager)
        if email_form.is_valid():
            try:
                profiles.email_preferences_update(user=request.user, **email_form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(email_form, error)
            else:
                messages.success(request, "Saved: your email preferences.")
                return redirect("profile")
    elif request.method == "POST":
        form = ProfileForm(request.POST, current=staff_profile.time_zone)
        if form.is_valid():
            try:
                profiles.profile_update(user=request.user, time_zone=form.cleaned_data["time_zone"])
            except ValidationError as error:
                form.add_error("time_zone", error.messages)
            else:
                zone = form.cleaned_data["time_zone"]
                messages.success(request, f"Saved: times are now shown in the {zone} time zone.")
                return redirect("profile")
    feed_url = _feed_url(staff_profile.calendar_token)
    return render(
        request,
        "core/profile.html",
        {
            "form": form,
            "email_form": email_form,
            "email_preferences_form": EMAIL_PREFERENCES_FORM,
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[-1],
        },
    )


@require_POST
def calendar_token_rotate(request: AuthenticatedHttpRequest) -> HttpResponse:
    profiles.calendar_token_rotate(user=request.user)
    messages.success(
        request,
        "Your calendar feed has a new address. The old address has stopped working: subscribe "
        "to the new one below in your calendar app, and remove the old subscription.",
    )
    return redirect("profile")
