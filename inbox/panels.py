"""Captured email on other apps' pages: the email behind a touchpoint."""

from typing import Any

from core.http import AuthenticatedHttpRequest
from core.panels import panel
from inbox import selectors
from outreach.models import Touchpoint


@panel(page="touchpoint", slot="main", order=10, template="inbox/panels/touchpoint_email.html")
def touchpoint_email(request: AuthenticatedHttpRequest, touchpoint: Touchpoint) -> Any:
    """A captured email's headers, attachments and conversation; nothing for other touchpoints."""
    if touchpoint.channel != Touchpoint.Channel.EMAIL:
        return None
    email = selectors.email_of_touchpoint(touchpoint.pk)
    if email is None:
        return None
    return {
        "email": email,
        "attachments": list(email.attachments.all()),
        "conversation": selectors.conversation_of(email),
    }
