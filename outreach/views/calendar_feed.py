"""The private iCalendar feed a librarian subscribes to from Google Calendar or Outlook.

The secret token in the URL is the only key: calendar apps fetch it without a session. Liaison
keeps only its SHA-256 (core.models.calendar_token_hash) and finds the profile by that: a token
one character off, cut short or in another case is another hash, so a 404. Rotating the token
(profile page) makes the old URL a 404 at once.
"""

import re

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from core.models import StaffProfile, calendar_token_hash
from outreach import ical
from outreach.selectors import meetings as selectors

# What core.models.new_calendar_token makes (token_urlsafe); anything else is not a token, and
# is turned away before it reaches the database (a NUL byte would make PostgreSQL fail).
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")


@login_not_required
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    if not TOKEN_RE.fullmatch(token):
        raise Http404("No such calendar.")
    try:
        profile = StaffProfile.objects.select_related("user").get(
            calendar_token_hash=calendar_token_hash(token), user__is_active=True
        )
    except StaffProfile.DoesNotExist as error:
        raise Http404("No such calendar.") from error
    user = profile.user
    body = ical.feed_ics(
        user=user,
        time_zone=profile.time_zone,
        meetings=selectors.feed_meetings(user),
        followups=selectors.feed_followups(user),
    )
    response = HttpResponse(body, content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="liaison.ics"'
    # The feed is one person's data behind a secret URL: no shared cache may keep a copy.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
