"""Sessions end after ``LIAISON_SESSION_IDLE_HOURS`` without a request.

The session backend drops a session ``SESSION_COOKIE_AGE`` after it was last saved. Saving it on
every request (``SESSION_SAVE_EVERY_REQUEST``) would add a database write to every page; this
middleware saves a signed-in session at most once a minute instead, which moves its expiry on.
So a session ends between 8 hours less a minute and 8 hours after its last request.
"""

import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

# When the session was last saved for being used (seconds since the epoch).
TOUCHED = "liaison_touched"
REFRESH_SECONDS = 60


class IdleSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            # A clock set back (or a stamp from the future) is no reason to write.
            if now - session.get(TOUCHED, 0) >= REFRESH_SECONDS:
                session[TOUCHED] = now
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="liaison_session_touched_at_login")
def _touched_at_login(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """Logging in saves the session anyway: stamp it, so the next page needs no write."""
    session = getattr(request, "session", None)
    if session is not None:
        session[TOUCHED] = int(time.time())
