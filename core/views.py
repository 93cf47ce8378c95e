"""A staff member's own settings: time zone and private calendar feed."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core import profiles
from core.forms import ProfileForm


def _feed_url(token: str) -> str:
    return settings.SITE_URL + reverse("outreach:calendar_feed", args=[token])


def profile(request: HttpRequest) -> HttpResponse:
    staff_profile = profiles.profile_for(request.user)
    if request.method == "POST":
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
    else:
        form = ProfileForm(current=staff_profile.time_zone)
    feed_url = _feed_url(staff_profile.calendar_token)
    return render(
        request,
        "core/profile.html",
        {
            "form": form,
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[-1],
        },
    )


@require_POST
def calendar_token_rotate(request: HttpRequest) -> HttpResponse:
    profiles.calendar_token_rotate(user=request.user)
    messages.success(
        request,
        "Your calendar feed has a new address. The old address has stopped working: subscribe "
        "to the new one below in your calendar app, and remove the old subscription.",
    )
    return redirect("profile")
