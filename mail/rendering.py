"""Rendering Liaison's emails: one helper, three templates per email.

An email called ``digest`` is ``templates/emails/digest-subject.txt``, ``digest-body.txt`` and
``digest-body.html``. Templates render in the recipient's time zone (not the server's, not the
sender's) and build every link from ``SITE_URL``, because an email is read far from the request
that caused it.
"""

import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    body_text: str
    body_html: str


def absolute_url(path_or_name: str, *args, **kwargs) -> str:
    """An absolute link for an email: a URL name (reversed) or a path, prefixed with SITE_URL."""
    path = (
        path_or_name
        if path_or_name.startswith("/")
        else reverse(path_or_name, args=args or None, kwargs=kwargs or None)
    )
    return settings.SITE_URL + path


def render_email(
    name: str, context: dict, *, time_zone: str | zoneinfo.ZoneInfo, with_html: bool = True
) -> RenderedEmail:
    """The email's subject and bodies; without `with_html`, its HTML body is left out ("") for
    a page that shows the text (the HTML is drawn where it is shown)."""
    zone = zoneinfo.ZoneInfo(time_zone) if isinstance(time_zone, str) else time_zone
    context = {"site_url": settings.SITE_URL, "time_zone": zone, **context}
    with timezone.override(zone):
        subject: str = render_to_string(f"emails/{name}-subject.txt", context)
        body_text = render_to_string(f"emails/{name}-body.txt", context)
        body_html = render_to_string(f"emails/{name}-body.html", context) if with_html else ""
    # A subject is one line; template newlines and runs of spaces are not the author's intent.
    subject = " ".join(subject.split())
    return RenderedEmail(
        subject=subject[:255], body_text=body_text.strip() + "\n", body_html=body_html
    )
