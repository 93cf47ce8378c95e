from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.http import AuthenticatedHttpRequest, query_without
from search.kinds import BY_KEY
from search.results import search_groups, search_page
from search.words import query_read


@require_GET
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The search box's page: the first few of each kind, or (?kind=) a page of one kind."""
    text = request.GET.get("q", "").strip()[:200]
    query = query_read(text)
    kind = BY_KEY.get(request.GET.get("kind", ""))
    context = {"text": text, "query": query, "kind": kind, "groups": []}
    if query and kind:
        page, group = search_page(request, query, kind)
        context.update(page=page, groups=[group], pager_query=query_without(request, "page"))
    elif query:
        context["groups"] = search_groups(query)
    return render(request, "search/search.html", context)
