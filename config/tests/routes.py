"""Every named URL outside the admin, and a real path for each from the demo data set."""

import re
from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver


def walk(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, str]]:
    for entry in (resolver or get_resolver()).url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if not route.startswith("admin/"):
                ns = f"{entry.namespace}:" if entry.namespace else ""
                yield from ((ns + name, path) for name, path in walk(entry, prefix + route))
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name, prefix + route


def concrete(route: str, demo: dict) -> str:
    path = "/" + route.replace("<int:org_pk>", str(demo["organizations"]))
    if path.startswith("/unsubscribe/"):
        path = path.replace("<str:token>", demo["unsubscribe"])
    path = path.replace("<str:token>", demo["token"])
    path = path.replace("<uidb64>", "MQ").replace("<token>", "set-password")
    # One panel of a page, fetched on its own (core.views.panel): an organization's history.
    panel = f"organization/organization-history/?of={demo['organizations']}"
    path = path.replace("<slug:page>/<slug:name>/", panel)
    # Uploading a document names the record it goes to.
    if path == "/documents/upload/":
        path += f"?to=organization&of={demo['organizations']}"
    # The record kind is the segment before the number: /organizations/<pk>/…,
    # /unfiled-email/set-aside/<pk>/seen/.
    match = re.match(r"/([\w-]+)/<int:pk>", path) or re.search(r"/([\w-]+)/<int:pk>", path)
    if match:
        path = path.replace("<int:pk>", str(demo[match.group(1)]))
    assert "<" not in path, path
    return path


ROUTES = sorted(set(walk()))
