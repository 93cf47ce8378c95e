"""Going through the bulk pages as a browser would: the list's form, the choice, the
confirmation page's hidden fields, the confirmation."""

import re
from html import unescape
from typing import Any

from django.test import Client
from django.urls import reverse


def choose(client: Client, records: str, ids: Any = None, filter: str = "", **action: Any):
    """GET the bulk page with a selection (ids, or all matching `filter`) and an action."""
    params: dict[str, Any] = {"records": records, "filter": filter, **action}
    if ids is None:
        params["all"] = "1"
    else:
        params["ids"] = [str(pk) for pk in ids]
    return client.get(reverse("bulk:bulk_choose"), params)


def hidden_fields(html: str) -> dict[str, list[str]]:
    """The confirmation form's hidden fields (several `ids`)."""
    form = html[html.index('action="' + reverse("bulk:bulk_run")) :]
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        fields.setdefault(name, []).append(unescape(value))
    return fields


def confirm(client: Client, records: str, ids: Any = None, filter: str = "", **action: Any):
    """Choose, then press Confirm on the confirmation page."""
    page = choose(client, records, ids, filter, **action)
    assert page.status_code == 200, page
    return client.post(reverse("bulk:bulk_run"), hidden_fields(page.content.decode()))
