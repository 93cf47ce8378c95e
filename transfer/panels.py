"""The export links beside the count of the organization, contact, touchpoint and program lists.

The lists live in apps below transfer: each offers an `actions` slot (core.panels) that these
fill, so no list needs to know that exports exist.
"""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from core.panels import panel
from core.roles import is_manager

TEMPLATE = "transfer/partials/export_links.html"


def _export(request: HttpRequest, url_name: str) -> dict[str, Any] | None:
    """Managers and admins export; the links carry the list's filters (the page's `query`)."""
    return {"export_url": reverse(url_name)} if is_manager(request.user) else None


@panel(page="organization_list", slot="actions", order=10, template=TEMPLATE)
def organization_export(request: HttpRequest, obj: None) -> dict[str, Any] | None:
    return _export(request, "transfer:organization_export")


@panel(page="contact_list", slot="actions", order=10, template=TEMPLATE)
def contact_export(request: HttpRequest, obj: None) -> dict[str, Any] | None:
    return _export(request, "transfer:contact_export")


@panel(page="touchpoint_list", slot="actions", order=10, template=TEMPLATE)
def touchpoint_export(request: HttpRequest, obj: None) -> dict[str, Any] | None:
    return _export(request, "transfer:touchpoint_export")


@panel(page="program_list", slot="actions", order=10, template=TEMPLATE)
def program_export(request: HttpRequest, obj: None) -> dict[str, Any] | None:
    return _export(request, "transfer:program_export")
