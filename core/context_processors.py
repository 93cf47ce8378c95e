from django.http import HttpRequest

from core.roles import is_admin, is_manager


def roles(request: HttpRequest) -> dict[str, bool]:
    """Role flags for templates: which menu entries and buttons to show."""
    user = getattr(request, "user", None)
    if user is None:
        return {"user_is_manager": False, "user_is_admin": False}
    return {"user_is_manager": is_manager(user), "user_is_admin": is_admin(user)}


def today(request: HttpRequest) -> dict:
    """The user's local date (the time-zone middleware has activated their zone)."""
    from django.utils import timezone

    return {"today": timezone.localdate()}
