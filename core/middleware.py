from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
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


class RejectNulCharactersMiddleware:
    """Answer 400 to a request whose parameters contain a NUL character.

    No browser sends one from a form or a link, and PostgreSQL refuses them in text, so any view
    that passes a raw parameter to a query would fail with a 500. Forms already reject NUL with a
    field error; this covers every other use of request.GET and request.POST in one place.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for params in (request.GET, request.POST if request.method == "POST" else None):
            if params is None:
                continue
            for key, values in params.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return HttpResponseBadRequest(render_to_string("400.html", request=request))
        return self.get_response(request)
