"""Email written in Liaison on other apps' pages: the Email buttons on a contact's and an
organization's page and on the lists, and a touchpoint's delivery status."""

from typing import Any

from django.http import HttpRequest

from compose import selectors
from core.http import AuthenticatedHttpRequest
from core.panels import panel
from outreach.models import Touchpoint
from partners.models import Contact, Organization


@panel(page="contact", slot="actions", order=10, template="compose/panels/contact_email.html")
def contact_email(request: HttpRequest, contact: Contact) -> dict[str, Any]:
    return {"contact": contact}


@panel(
    page="organization", slot="actions", order=20, template="compose/panels/organization_email.html"
)
def organization_email(request: HttpRequest, organization: Organization) -> dict[str, Any]:
    return {"organization": organization}


@panel(
    page="organization_list",
    slot="actions",
    order=5,
    template="compose/panels/list_group_email.html",
)
def organization_list_email(request: HttpRequest, obj: None) -> dict[str, Any]:
    return {"source": "organizations"}


@panel(
    page="contact_list", slot="actions", order=5, template="compose/panels/list_group_email.html"
)
def contact_list_email(request: HttpRequest, obj: None) -> dict[str, Any]:
    return {"source": "contacts"}


@panel(page="touchpoint", slot="main", order=5, template="compose/panels/touchpoint_delivery.html")
def touchpoint_delivery(request: AuthenticatedHttpRequest, touchpoint: Touchpoint) -> Any:
    """Whether an email written in Liaison has left: queued, sent, failed, not sent."""
    if touchpoint.channel != Touchpoint.Channel.EMAIL:
        return None
    sent = selectors.sent_email_of_touchpoint(touchpoint.pk)
    if sent is None or sent.outgoing is None:
        return None
    return {"sent": sent, "outgoing": sent.outgoing}
