"""The page a locked-out login gets (django-axes calls it: AXES_LOCKOUT_CALLABLE)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def cool_off_words() -> str:
    """The cool-off period in words: "15 minutes", "1 hour", "90 minutes"."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if minutes >= 60 and minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    # 429 Too Many Requests, as django-axes answers by default.
    return render(request, "registration/locked.html", {"cool_off": cool_off_words()}, status=429)
