"""Small request helpers shared by every app's views."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PAGE_SIZE = 25


class AuthenticatedHttpRequest(HttpRequest):
    """The request a view behind login gets: its user is signed in, never AnonymousUser.

    Only an annotation for views' `request` parameter (the django-stubs pattern): every view
    needs a login (LoginRequiredMiddleware) unless marked @login_not_required.
    """

    user: "User"


def paginate(
    request: HttpRequest, queryset: QuerySet, per_page: int = PAGE_SIZE, param: str = "page"
) -> Page:
    """The requested page (?page=); a bad or too-high number gives a valid page, not a 404."""
    return Paginator(queryset, per_page).get_page(request.GET.get(param))


def query_without(request: HttpRequest, *names: str) -> str:
    """The current query string minus some parameters, for pagination and sort links."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def htmx_targets(request: HttpRequest, target: str) -> bool:
    """True when htmx asks for just the fragment that goes into #target."""
    return bool(request.headers.get("HX-Request")) and request.headers.get("HX-Target") == target


def client_ip(request: HttpRequest) -> str:
    """The address the request came from, for throttling (login lockout, password reset).

    Behind ``LIAISON_PROXY_COUNT`` proxies it is the address the outermost of them saw: each
    proxy appends the address it was reached from to X-Forwarded-For, so it is counted from the
    right (anything further left was sent by the client and proves nothing).
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies: int = settings.LIAISON_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    return hops[-proxies] if len(hops) >= proxies else remote
