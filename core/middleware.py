from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from core.profiles import user_time_zone


class UserTimeZoneMiddleware:
    """Show and read times in the signed-in user's own time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            timezone.activate(user_time_zone(request.user))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
