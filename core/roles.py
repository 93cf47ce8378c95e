"""Roles are Django groups. These helpers are the one place that knows their names."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

LIBRARIAN = "Librarian"
MANAGER = "Manager"
ADMIN = "Admin"
ALL_ROLES = (LIBRARIAN, MANAGER, ADMIN)


def role_names(user: User | AnonymousUser) -> frozenset[str]:
    """The user's role names, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_liaison_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._liaison_roles = cached  # type: ignore[attr-defined]  # per-request cache on the user
    return cached


def is_admin(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and (user.is_superuser or ADMIN in role_names(user))


def is_manager(user: User | AnonymousUser) -> bool:
    """Managers and admins: the people who may archive, reassign and see reports."""
    return is_admin(user) or MANAGER in role_names(user)


def manager_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_manager(request.user):
            raise PermissionDenied("Only managers and admins can do this.")
        return view(request, *args, **kwargs)

    return wrapped
