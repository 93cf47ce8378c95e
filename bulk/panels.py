"""The selection on the organization, contact and follow-up lists: a checkbox on each row and
the form that takes the ticked rows (or all that match the list's filter) to the bulk page.

The lists live in apps below this one: each offers a `selection` slot (core.panels) that this
fills; a list shows its checkboxes only when the slot has a panel.
"""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from bulk.models import BulkAction
from core.panels import panel

TEMPLATE = "bulk/partials/selection.html"


def _selection(records: str) -> dict[str, Any]:
    return {"bulk_url": reverse("bulk:bulk_choose"), "bulk_records": records}


@panel(page="organization_list", slot="selection", order=10, template=TEMPLATE)
def organization_selection(request: HttpRequest, obj: None) -> dict[str, Any]:
    return _selection(BulkAction.Records.ORGANIZATIONS)


@panel(page="contact_list", slot="selection", order=10, template=TEMPLATE)
def contact_selection(request: HttpRequest, obj: None) -> dict[str, Any]:
    return _selection(BulkAction.Records.CONTACTS)


@panel(page="followup_list", slot="selection", order=10, template=TEMPLATE)
def followup_selection(request: HttpRequest, obj: None) -> dict[str, Any]:
    return _selection(BulkAction.Records.FOLLOWUPS)
