from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control

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


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in user are never stored: not in the browser's cache (Back after
    logging out on a shared computer shows nothing) nor in a proxy's.

    Anonymous pages (the login page, the unsubscribe page) keep whatever their view says, and
    static files never get here (WhiteNoise answers them first).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
