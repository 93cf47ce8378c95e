"""The "other partners" box of the meeting and touchpoint forms: the ticked partners and the
matches of its search (htmx swaps them in; without JavaScript the page reloads with ?org_q=)."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from outreach.forms.other_partners import OtherPartnersMixin, posted_ids
from outreach.selectors.meetings import organization_matches
from partners.models import Organization


def search_text(request: HttpRequest) -> str:
    return request.GET.get("org_q", "").strip()[:200]


def other_partners_context(
    form: OtherPartnersMixin, organization: Organization | None, search: str
) -> dict[str, Any]:
    chosen = form.chosen_other_organizations()
    exclude = [o.pk for o in (organization, *chosen) if o is not None]
    matches = organization_matches(search, exclude=exclude)
    return {"chosen": chosen, "matches": matches, "org_q": search, "organization": organization}


def other_partners_search(
    request: HttpRequest,
    organization: Organization | None,
    form_with: Callable[[dict[str, Any]], OtherPartnersMixin],
) -> HttpResponse:
    """The search box asked for partners: the ticked ones stay, matches are added unticked.
    `form_with(initial)` makes the page's form with those initial values."""
    ticked = posted_ids(request.GET.getlist("other_organizations"))
    form = form_with({"other_organizations": ticked})
    return render(
        request,
        "outreach/partials/other_partners.html",
        other_partners_context(form, organization, search_text(request)),
    )
